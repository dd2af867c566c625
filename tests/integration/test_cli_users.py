"""``talentmatch create-user`` and the demo sign-ins that ``load-demo`` adds."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api import models
from api.cli import DEMO_PASSWORD, DEMO_USERS
from api.repositories.organizations import OrganizationRepository, authenticate
from api.web.users import authenticate_user

PASSWORD = "a long passphrase"


@pytest.fixture
def org(session: Session) -> int:
    org_id = OrganizationRepository(session).create("Initech")
    session.commit()
    return org_id


def _users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(models.User))


def test_create_user_reads_the_password_from_the_environment(
        runner: FlaskCliRunner, session: Session, org: int) -> None:
    result = runner.invoke(args=["create-user", "Ann@Example.com", "--org", "Initech",
                                 "--role", "admin", "--name", "Ann"],
                           env={"TALENTMATCH_NEW_USER_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    assert "Ann@Example.com (admin)" in result.output and PASSWORD not in result.output
    user = authenticate_user(session, "ann@example.com", PASSWORD)
    assert (user.organization_id, user.role, user.name) == (org, "admin", "Ann")


def test_create_user_prompts_for_the_password_twice(
        runner: FlaskCliRunner, session: Session, org: int, monkeypatch) -> None:
    monkeypatch.delenv("TALENTMATCH_NEW_USER_PASSWORD", raising=False)
    result = runner.invoke(args=["create-user", "bob@example.com", "--org", "Initech"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    user = authenticate_user(session, "bob@example.com", PASSWORD)
    assert user is not None and user.role == "recruiter" and user.name == "bob@example.com"


@pytest.mark.parametrize(("args", "env_password", "message"), [
    (["--org", "Nowhere"], PASSWORD, "No organization 'Nowhere'"),
    (["--org", "Initech"], "short", "At least 10 characters"),
    (["--org", "Initech", "--role", "boss"], PASSWORD, "Invalid value for '--role'"),
])
def test_create_user_refuses_bad_input(runner: FlaskCliRunner, session: Session, org: int,
                                       args: list[str], env_password: str,
                                       message: str) -> None:
    result = runner.invoke(args=["create-user", "cy@example.com", *args],
                           env={"TALENTMATCH_NEW_USER_PASSWORD": env_password})
    assert result.exit_code != 0
    assert message in result.output
    assert _users(session) == 0


def test_create_user_refuses_a_taken_address(runner: FlaskCliRunner, session: Session,
                                             org: int) -> None:
    env = {"TALENTMATCH_NEW_USER_PASSWORD": PASSWORD}
    assert runner.invoke(args=["create-user", "d@example.com", "--org", "Initech"],
                         env=env).exit_code == 0
    again = runner.invoke(args=["create-user", "D@example.com", "--org", "Initech"], env=env)
    assert again.exit_code != 0 and "exists" in again.output
    assert _users(session) == 1


def test_load_demo_adds_the_demo_sign_ins_once_and_keeps_the_key_last(
        runner: FlaskCliRunner, app: Flask, session: Session, tmp_path: Path) -> None:
    app.instance_path = str(tmp_path)
    first = runner.invoke(args=["load-demo", "--ui", "http://127.0.0.1:8000/ui/"])
    assert first.exit_code == 0, first.output
    lines = first.output.strip().splitlines()
    assert "recruiter interface: http://127.0.0.1:8000/ui/" in lines
    for email, _, role in DEMO_USERS:
        assert f"  sign in as {role}: {email} / {DEMO_PASSWORD}" in lines
        user = authenticate_user(session, email, DEMO_PASSWORD)
        assert user is not None and user.role == role
    principal = authenticate(session, lines[-1])
    assert principal is not None
    assert {authenticate_user(session, e, DEMO_PASSWORD).organization_id
            for e, _, _ in DEMO_USERS} == {principal.organization_id}
    second = runner.invoke(args=["load-demo"])
    assert second.exit_code == 0, second.output
    assert second.output.strip().splitlines()[-1] == lines[-1]
    assert _users(session) == len(DEMO_USERS)
