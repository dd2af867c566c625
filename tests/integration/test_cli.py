"""The talentmatch command: migrations, organizations and keys, the demo data set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from api import create_app, models
from api.cli import main
from api.demo import DEMO_DIR, read_jsonl
from api.repositories.organizations import authenticate
from matcher.policy import DEFAULT_POLICY


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
        model.Experience("Analyst", date(2020, 1, 1), skills=(stale, unknown, stale)),))
    ((cid, _),) = CandidateRepository(session, org).save_many([person])
    session.commit()
    revision = session.get(models.Organization, org).revision
    result = runner.invoke(args=["skills", "reresolve"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    skills = CandidateRepository(session, org).get(cid).experience[0].skills
    sql = model.SkillRef("SQL", taxonomy_resolver().resolve("SQL").skill_id)
    assert skills == (sql, unknown, sql)  # rows are updated by (owner, position)
    assert session.get(models.Organization, org).revision == revision + 1
    assert f"organization {org}: 2 skill references changed" in result.output


def test_rank_ranks_files_offline_as_a_table_and_as_json(tmp_path: Path) -> None:
    from datetime import date

    from graph.taxonomy import taxonomy_resolver
    from matcher.evidence import experience_strength

    job = {"external_id": "J1", "title": "Data Analyst",
           "requirements": [{"skill": "SQL"}, {"skill": "Tableau", "importance": "preferred"}]}
    people = [
        {"external_id": "weak", "name": "Wen",
         "experience": [{"title": "Clerk", "start_date": "2025-06-01", "skills": ["SQL"]}]},
        {"external_id": "strong", "name": "Sam",
         "experience": [{"title": "Analyst", "start_date": "2018-01-01",
                         "skills": ["SQL", "Tableau"]}]},
        {"external_id": "none", "name": "Nia"},
    ]
    (tmp_path / "job.json").write_text(json.dumps(job))
    (tmp_path / "people.jsonl").write_text("\n".join(json.dumps(p) for p in people))
    args = ["rank", "--job", str(tmp_path / "job.json"), "--candidates",
            str(tmp_path / "people.jsonl"), "--as-of", "2026-06-01"]
    table = CliRunner().invoke(main, args)
    assert table.exit_code == 0, table.output
    rows = [line for line in table.output.splitlines() if line.strip()[:1].isdigit()]
    assert [r.split("(")[1].split(")")[0] for r in rows] == ["strong", "weak", "none"]
    result = CliRunner().invoke(main, [*args, "--json", "--top", "1"])
    data = json.loads(result.stdout)  # stderr may carry log lines of other threads
    assert data["total"] == 3 and len(data["results"]) == 1
    top = data["results"][0]
    years = (date(2026, 6, 1) - date(2018, 1, 1)).days / 365.25
    assert top["score"] == pytest.approx(100 * experience_strength(years, 0, None,
                                                                   DEFAULT_POLICY))
    assert top["requirements"][0]["skill_id"] == taxonomy_resolver().resolve("SQL").skill_id


def test_rank_reports_invalid_files_with_their_line(tmp_path: Path) -> None:
    (tmp_path / "job.json").write_text(json.dumps(
        {"external_id": "J1", "title": "T", "requirements": [{"skill": "SQL"}]}))
    (tmp_path / "people.jsonl").write_text('{"external_id": "a", "name": "A"}\n{"name": 3}\n')
    result = CliRunner().invoke(main, ["rank", "--job", str(tmp_path / "job.json"),
                                       "--candidates", str(tmp_path / "people.jsonl")])
    assert result.exit_code != 0
    assert "people.jsonl:2" in result.output and "external_id" in result.output
