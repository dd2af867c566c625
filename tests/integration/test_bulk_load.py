"""Bulk loading JSON Lines (``talentmatch candidates import``) through the API's bulk path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api import models
from api.bulk_jobs import import_file, load_in_workers
from api.bulk_load import BatchLoader, BatchOutcome, numbered_batches
from api.db import make_engine
from api.repositories.candidates import CandidateRepository
from api.repositories.issuers import IssuerRepository
from api.repositories.organizations import OrganizationRepository
from api.schemas.candidates import BulkInSchema
from api.schemas.issuers import IssuerInSchema
from fixtures.generate import ISSUERS_PATH, generate_candidates
from tests.api.helpers import Caller
from tests.conftest import BACKENDS, Tenant, make_tenant
from tests.ops.servers import ops_database

GOOD = {"external_id": "ok", "name": "Ok", "credentials": [
    {"name": "SQL Badge", "kind": "badge", "issuer": "northwind ACADEMY", "skills": ["SQL"]}],
    "experience": [{"title": "Analyst", "start_date": "2020-01-01", "skills": ["Python"]}]}


def person(external_id: str, **fields) -> str:
    return json.dumps({**GOOD, "external_id": external_id, **fields})


def write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "candidates.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def stored(session: Session, organization_id: int) -> dict[str, tuple]:
    """external_id -> (id, name, credentials (name, issuer, matched, skills), experience)."""
    return {c.external_id: (c.id, c.name,
                            [(k.name, k.issuer_name, k.issuer_id is not None,
                              [r.skill_id for r in k.skills]) for k in c.credentials],
                            [(e.title, [r.skill_id for r in e.skills]) for e in c.experience])
            for c in CandidateRepository(session, organization_id).stream_all()}


def load(session: Session, tenant: Tenant, path: Path, batch: int = 1000):
    return import_file(path, tenant.organization_id, session=session, database_url="",
                       engine_options={}, batch=batch)


def test_a_file_loads_exactly_as_the_bulk_endpoint_would(session, tenant, other_tenant,
                                                          client, tmp_path) -> None:
    bodies = list(generate_candidates(40, seed=3))
    registry = json.loads(ISSUERS_PATH.read_text("utf-8"))
    for org in (tenant, other_tenant):
        for body in registry:
            IssuerRepository(session, org.organization_id).add(IssuerInSchema().load(body))
    session.commit()
    report = load(session, tenant, write(tmp_path, [json.dumps(b) for b in bodies]), 15)
    assert (report.created, report.updated, report.failed) == (40, 0, [])
    response = Caller(client, other_tenant.headers).post("/candidates/bulk",
                                                         {"candidates": bodies})
    assert response.status_code == 200, response.get_json()

    def without_ids(found: dict[str, tuple]) -> dict[str, tuple]:
        return {external_id: rest for external_id, (_, *rest) in found.items()}

    loaded = stored(session, tenant.organization_id)
    assert without_ids(loaded) == without_ids(stored(session, other_tenant.organization_id))
    assert any(matched for _, _, credentials, _ in loaded.values()
               for _, _, matched, _ in credentials), "issuer matching ran"
    events = session.scalars(select(models.AuditEvent).where(
        models.AuditEvent.organization_id == tenant.organization_id)).all()
    assert [e.detail["lines"] for e in events] == [[1, 15], [16, 30], [31, 40]]
    assert {e.action for e in events} == {"CLI candidates import"}


def test_a_bad_line_rejects_its_batch_whole_with_line_numbers(session, tenant,
                                                              tmp_path) -> None:
    lines = [person("a"), person("b"), "",  # a blank line keeps the numbering
             person("c"),
             person("d", credentials=[{"name": "X", "kind": "diploma"}]), "{not json",
             person("g"),
             person("e", credentials=[{"name": "X", "kind": "badge", "issuer_id": 987654}]),
             person("f")]
    report = load(session, tenant, write(tmp_path, lines), batch=3)
    assert report.written == 3
    assert sorted(stored(session, tenant.organization_id)) == ["a", "b", "c"]
    (schema, intake) = report.failed
    assert (schema.first_line, schema.last_line, schema.count) == (5, 7, 3)
    assert [(e.line, e.field) for e in schema.errors] == [(5, "credentials.0.kind"), (6, "")]
    assert "not valid JSON" in schema.errors[1].message
    assert (intake.first_line, intake.last_line) == (8, 9)
    assert [(e.line, e.field) for e in intake.errors] == [(8, "credentials.0.issuer_id")]


def test_only_a_batch_with_a_problem_goes_through_the_schema(session, tenant, tmp_path,
                                                             monkeypatch) -> None:
    """Plainly valid batches take the fast path; the schema explains the bad one."""
    schema_batches: list[int] = []
    load_with_schema = BulkInSchema.load

    def counted(self, data, **kwargs):
        schema_batches.append(len(data["candidates"]))
        return load_with_schema(self, data, **kwargs)

    monkeypatch.setattr(BulkInSchema, "load", counted)
    lines = [person(f"p{n}") for n in range(6)]
    lines[4] = person("p4", email="not an e-mail")
    report = load(session, tenant, write(tmp_path, lines), 2)
    assert schema_batches == [2]
    assert [(e.line, e.field) for o in report.failed for e in o.errors] == [(5, "email")]
    assert sorted(stored(session, tenant.organization_id)) == ["p0", "p1", "p2", "p3"]


def test_running_the_same_file_again_changes_nothing(session, tenant, tmp_path) -> None:
    path = write(tmp_path, [json.dumps(b) for b in generate_candidates(12, seed=5)])
    assert load(session, tenant, path, batch=5).created == 12
    before = stored(session, tenant.organization_id)
    again = load(session, tenant, path, batch=5)
    assert (again.created, again.updated, again.failed) == (0, 12, [])
    assert stored(session, tenant.organization_id) == before


def test_the_command_reports_counts_and_bad_lines(runner: FlaskCliRunner, session,
                                                  tenant, tmp_path) -> None:
    name = "Acme Hiring"
    assert OrganizationRepository(session).find(name) == tenant.organization_id
    good = write(tmp_path, [person("a"), person("b")])
    result = runner.invoke(args=["candidates", "import", str(good), "--org", name])
    assert result.exit_code == 0, result.output
    assert "2 created, 0 updated" in result.output
    bad = write(tmp_path, [person("c"), person("d", name="")])
    result = runner.invoke(args=["candidates", "import", str(bad), "--org", name,
                                 "--batch", "1"])
    assert result.exit_code == 1
    assert "line 2: name:" in result.output and "1 batches (1 lines) not written" in \
        result.output
    assert sorted(stored(session, tenant.organization_id)) == ["a", "b", "c"]
    missing = runner.invoke(args=["candidates", "import", str(good), "--org", "Nobody"])
    assert missing.exit_code != 0 and "No organization 'Nobody'" in missing.output


def test_a_batch_of_more_than_the_bulk_limit_is_refused(tmp_path) -> None:
    with pytest.raises(ValueError, match=r"1\.\.1000"):
        next(numbered_batches(["{}"], 1001))


@pytest.mark.parametrize("backend", BACKENDS)
def test_worker_processes_write_in_file_order(backend: str, tmp_path: Path) -> None:
    url = ops_database(backend, tmp_path, "bulk_jobs")
    engine = make_engine(url)
    with Session(engine) as session:
        org = make_tenant(session, "Workers").organization_id
    # Batches of 4: "dup" is in the first and the fifth; the sixth has a bad line.
    lines = [person("dup", name="First"), *(person(f"p{n}") for n in range(15)),
             person("dup", name="Last"), *(person(f"p{n}") for n in range(15, 18)),
             person("bad", experience=[{"title": "X"}]), person("p18")]
    with write(tmp_path, lines).open() as source:
        report = load_in_workers(numbered_batches(source, 4), jobs=2, database_url=url,
                                 engine_options={}, organization_id=org, source="test")
    assert (report.created, report.updated) == (19, 1)
    assert [(o.first_line, [e.line for e in o.errors]) for o in report.failed] == [(21, [21])]
    with Session(engine) as session:
        names = {c.external_id: c.name for c in CandidateRepository(session, org).stream_all()}
        events = session.scalar(select(func.count()).select_from(models.AuditEvent))
    engine.dispose()
    assert names["dup"] == "Last"  # written after the first batch, as in file order
    assert len(names) == 19 and "p18" not in names
    assert events == 5  # one per written batch


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_candidate_created_while_a_batch_waits_is_updated_not_duplicated(
        backend: str, tmp_path: Path) -> None:
    """On PostgreSQL a batch writes its new candidates' children before its turn; if one
    of them is created meanwhile, the batch is written again as an update."""
    url = ops_database(backend, tmp_path, "bulk_staged")
    engine = make_engine(url)
    with Session(engine) as session:
        org = make_tenant(session, "Staged").organization_id
    first, second = (BatchLoader(Session(engine, expire_on_commit=False), org, "test")
                     for _ in range(2))
    meanwhile: list[BatchOutcome] = []
    outcome = first.load([(1, person("x", name="Later")), (2, person("y"))], before_write=(
        lambda: meanwhile.append(second.load([(1, person("x", name="Earlier"))]))))
    assert [(o.created, o.updated, o.errors) for o in (*meanwhile, outcome)] == [
        (1, 0, ()), (1, 1, ())]
    with Session(engine) as session:
        rows = session.execute(select(models.Candidate.external_id, models.Candidate.name,
                                      models.Candidate.revision)).all()
        revision = session.scalar(select(models.Organization.revision).where(
            models.Organization.id == org))
        credentials = session.scalar(select(func.count()).select_from(models.Credential))
    engine.dispose()
    assert sorted((external_id, name) for external_id, name, _ in rows) == [
        ("x", "Later"), ("y", "Ok")]
    assert {r for _, _, r in rows} == {revision}  # both stamped by the later write
    assert credentials == 2  # x's first credentials were replaced, none left staged
