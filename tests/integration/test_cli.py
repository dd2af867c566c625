"""The talentmatch command: migrations, organizations and keys, the demo data set."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from api import create_app, models
from api.cli import main
from api.demo import DEMO_DIR, read_jsonl
from api.repositories.organizations import authenticate


def test_db_upgrade_creates_the_schema_on_a_fresh_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    runner = create_app({"DATABASE_URL": url}).test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    engine = create_app({"DATABASE_URL": url}).extensions["talentmatch.engine"]
    assert "candidates" in inspect(engine).get_table_names()
    # idempotent
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0


def test_create_org_prints_a_working_key_alone_on_the_last_line(
        runner: FlaskCliRunner, session: Session) -> None:
    result = runner.invoke(args=["create-org", "Initech", "--scopes", "read,write"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    principal = authenticate(session, key)
    assert principal is not None
    assert principal.scopes == {"read", "write"}
    org = session.get(models.Organization, principal.organization_id)
    assert org is not None and org.name == "Initech"


def test_create_org_rejects_unknown_scopes(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["create-org", "Initech", "--scopes", "read,root"])
    assert result.exit_code != 0
    assert "scopes" in result.output


def test_load_demo_loads_once_and_reuses_its_key(runner: FlaskCliRunner, app: Flask,
                                                 session: Session, tmp_path: Path) -> None:
    app.instance_path = str(tmp_path)
    first = runner.invoke(args=["load-demo"])
    assert first.exit_code == 0, first.output
    key = first.output.strip().splitlines()[-1]
    expected = sum(1 for _ in read_jsonl(DEMO_DIR / "candidates.jsonl"))
    assert session.scalar(select(func.count()).select_from(models.Candidate)) == expected
    jobs = json.loads((DEMO_DIR / "jobs.json").read_text())
    assert session.scalar(select(func.count()).select_from(models.Job)) == len(jobs)
    second = runner.invoke(args=["load-demo"])
    assert second.exit_code == 0, second.output
    assert "already loaded" in second.output
    assert second.output.strip().splitlines()[-1] == key
    assert session.scalar(select(func.count()).select_from(models.Candidate)) == expected


def test_demo_skills_resolve_and_demo_issuers_match(runner: FlaskCliRunner, app: Flask,
                                                   session: Session, tmp_path: Path) -> None:
    app.instance_path = str(tmp_path)
    assert runner.invoke(args=["load-demo"]).exit_code == 0
    rows = session.execute(select(models.CredentialSkill.skill_id)).scalars().all()
    rows += session.execute(select(models.ExperienceSkill.skill_id)).scalars().all()
    resolved = sum(1 for skill_id in rows if skill_id)
    assert resolved / len(rows) >= 0.95
    requirements = session.execute(select(models.Requirement.skill_id)).scalars().all()
    assert all(requirements), "every demo job requirement names a known skill"
    matched = session.scalar(select(func.count()).select_from(models.Credential)
                             .where(models.Credential.issuer_id.is_not(None)))
    assert matched and matched > 0


def test_the_console_script_offers_every_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "db", "create-org", "load-demo"):
        assert command in result.output


def test_skills_reresolve_brings_stored_ids_up_to_date(runner: FlaskCliRunner,
                                                       session: Session) -> None:
    from datetime import date

    from api.repositories.candidates import CandidateRepository
    from graph.taxonomy import taxonomy_resolver
    from matcher import model
    from tests.conftest import make_tenant

    org = make_tenant(session, "Stale Inc").organization_id
    stale = model.SkillRef("SQL", "custom:retired-sql")
    unknown = model.SkillRef("Zorblax weaving", None)
    person = model.Candidate("c1", "Ana", experience=(
        model.Experience("Analyst", date(2020, 1, 1), skills=(stale, unknown)),))
    ((cid, _),) = CandidateRepository(session, org).save_many([person])
    session.commit()
    revision = session.get(models.Organization, org).revision
    result = runner.invoke(args=["skills", "reresolve"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    skills = CandidateRepository(session, org).get(cid).experience[0].skills
    assert skills[0] == model.SkillRef("SQL", taxonomy_resolver().resolve("SQL").skill_id)
    assert skills[1] == unknown
    assert session.get(models.Organization, org).revision == revision + 1
    assert f"organization {org}: 1 skill references changed" in result.output
