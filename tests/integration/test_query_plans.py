"""Every query path has an index: EXPLAIN of each statement the application issues.

The test drives the real application (the Flask test client, API and interface) over
the demo organization, records every statement it sends to PostgreSQL (a
``before_cursor_execute`` listener), then EXPLAINs each distinct SELECT, UPDATE and
DELETE with its real parameters under ``enable_seqscan = off``. Two findings fail it:

* a ``Seq Scan`` on an application table: with sequential scans disabled the planner
  takes one only when no index can serve the query at all;
* an index scan narrowed by the tenant alone (``organization_id``) with a filter on
  other columns that no index of the table leads with: every call reads the whole
  tenant (a million candidates) to find a few rows. The planner may well prefer the
  tenant index on the test's tiny tables, so the test asks the catalogue whether a
  better index exists instead of trusting that choice.

Foreign-key actions (ON DELETE CASCADE / SET NULL) run inside the server and never
show in EXPLAIN; the last test checks that every foreign key leads an index, so
deleting a parent never scans its children.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine, event, inspect, text
from sqlalchemy.orm import Session

from api import models
from api.demo import DEMO_DIR, load_demo
from api.web.users import create_user
from tests.api.helpers import Caller
from tests.api.web_helpers import PASSWORD, sign_in
from tests.conftest import BACKENDS, Tenant

ON_POSTGRESQL = pytest.mark.parametrize("database", ["postgresql"], indirect=True)
NEEDS_POSTGRESQL = pytest.mark.skipif("postgresql" not in BACKENDS,
                                      reason="EXPLAIN plans need TEST_DATABASE_URL (PostgreSQL)")
TABLES = frozenset(models.Base.metadata.tables)
# Tables every query may scan whole, and why (none so far: a new entry needs a reason).
SMALL_TABLES: dict[str, str] = {}
# Tables a query may read a whole tenant's rows of, and why.
TENANT_SCANS = {
    "audit_events": "erasure and export look for a person's id in paths and details (free "
                    "text: no b-tree fits); rare, and bounded by the retention period",
    "ranking_runs": "erasure looks for a person's id in stored ranking requests (JSON); rare",
    "issuers": "badge verification finds an issuer by DID or URL in the tenant's registry "
               "(tens of rows)",
}
LITERAL = re.compile(r"'(?:[^']|'')*'")
WORD = re.compile(r"[a-z_][a-z0-9_]*")
Statement = tuple[str, Any]


@pytest.fixture
def recorded(database: tuple[str, Engine]) -> Iterator[list[Statement]]:
    """Statements (with parameters) the application sends while the test runs."""
    _, engine = database
    statements: list[Statement] = []

    def record(_conn, _cursor, statement, parameters, _context, executemany) -> None:
        if executemany and isinstance(parameters, list | tuple):  # explain the first set
            parameters = parameters[0] if parameters else None
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    yield statements
    event.remove(engine, "before_cursor_execute", record)


def _ok(response) -> Any:
    """The JSON of a successful response (the path ran to the end)."""
    assert 200 <= response.status_code < 300, (response.status_code, response.get_data()[:300])
    return response.get_json(silent=True)


def _drive_candidates(api: Caller, ids: list[int]) -> int:
    """Candidate reads and writes; returns a candidate holding a badge."""
    _ok(api.get("/candidates?limit=5&offset=10"))
    person = _ok(api.get(f"/candidates/{ids[3]}"))
    _ok(api.get(f"/candidates/{ids[3]}?format=json-resume"))
    _ok(api.get(f"/candidates/by-external-id/{person['external_id']}"))
    body = {"external_id": person["external_id"], "name": "Renamed",
            "experience": [{"title": "Analyst", "start_date": "2020-01-01", "skills": ["SQL"]}]}
    _ok(api.put(f"/candidates/{ids[3]}", body))
    _ok(api.put(f"/candidates/by-external-id/{person['external_id']}", body))
    _ok(api.post("/candidates", {"external_id": "NEW-1", "name": "New"}))
    badge = json.loads((DEMO_DIR / "badges.json").read_text("utf-8"))[0]
    holder = _ok(api.get(f"/candidates/by-external-id/{badge['external_id']}"))["id"]
    _ok(api.post(f"/candidates/{holder}/badges", {"credential": badge["credential"]}))
    # A bulk upsert large enough for COPY, updating badge holders (badges are kept).
    bulk = [{"external_id": f"BULK-{n}", "name": f"Bulk {n}",
             "credentials": [{"name": "SQL Badge", "kind": "badge", "skills": ["SQL"]}]}
            for n in range(120)]
    bulk.append({"external_id": badge["external_id"], "name": "Badge Holder"})
    _ok(api.post("/candidates/bulk", {"candidates": bulk}))
    held = _ok(api.get(f"/candidates/{holder}/badges"))["items"]
    _ok(api.delete(f"/candidates/{holder}/badges/{held[0]['credential_id']}"))
    _ok(api.put(f"/candidates/{ids[4]}/demographics", {"sex": "Female"}))
    _ok(api.get(f"/candidates/{ids[4]}/demographics"))
    _ok(api.get(f"/candidates/{ids[5]}/export"))
    _ok(api.post("/imports/json-resume", {"basics": {"name": "Grace", "email": "g@x.example"},
                                          "work": [{"position": "Analyst",
                                                    "startDate": "2020-01-01"}]}))
    return holder


def _drive_jobs(api: Caller, ids: list[int]) -> None:
    """Jobs, rankings (built, then caught up after writes), decisions, audits, erasure."""
    jobs = _ok(api.get("/jobs?limit=20"))["items"]
    job = jobs[0]["id"]
    _ok(api.get(f"/jobs/{job}"))
    _ok(api.get(f"/jobs/by-external-id/{jobs[0]['external_id']}"))
    run = _ok(api.post(f"/jobs/{job}/rankings", {"limit": 10}))
    _ok(api.put(f"/candidates/{ids[6]}", {"external_id": "MOVED", "name": "Moved"}))
    _ok(api.delete(f"/candidates/{ids[7]}"))  # erasure: runs and decisions anonymised
    again = _ok(api.post(f"/jobs/{job}/rankings", {"limit": 10, "mode": "soft"}))
    _ok(api.get(f"/rankings/{run['id']}"))
    _ok(api.get(f"/rankings/{again['id']}?format=csv"))
    top = again["results"][0]["candidate_id"]
    _ok(api.put(f"/jobs/{job}/decisions/{top}", {"decision": "advance", "reason": "Strong"}))
    _ok(api.put(f"/jobs/{job}/decisions/{top}", {"decision": "hold", "reason": "Wait",
                                                  "ranking_id": again["id"]}))
    _ok(api.get(f"/jobs/{job}/decisions"))
    _ok(api.get(f"/jobs/{job}/decisions?history=true"))
    _ok(api.get(f"/jobs/{job}/decisions/{top}"))
    _ok(api.post("/audits/bias", {"job_ids": [job]}))
    _ok(api.get(f"/jobs/{job}/graph?candidate_id={again['results'][1]['candidate_id']}"))
    _ok(api.delete(f"/candidates/{top}"))  # erasure of a decided candidate
    body = {"external_id": "J-NEW", "title": "Analyst", "requirements": [{"skill": "SQL"}]}
    created = _ok(api.post("/jobs", body))
    _ok(api.put(f"/jobs/{created['id']}", {**body, "title": "Senior Analyst"}))
    _ok(api.put("/jobs/by-external-id/J-NEW", {**body, "title": "Lead Analyst"}))
    _ok(api.delete(f"/jobs/{job}"))  # runs and decisions outlive their job


def _drive_registry(api: Caller) -> None:
    """Issuers, catalogue, skills, keys and the audit log."""
    issuers = _ok(api.get("/issuers?limit=50"))["items"]
    _ok(api.get(f"/issuers/{issuers[0]['id']}"))
    _ok(api.patch(f"/issuers/{issuers[0]['id']}", {"industry_recognized": True}))
    added = _ok(api.post("/issuers", {"name": "Plan Academy"}))
    _ok(api.delete(f"/issuers/{added['id']}"))
    offerings = _ok(api.get("/catalog"))["items"]
    _ok(api.get(f"/catalog/{offerings[0]['id']}"))
    offering = _ok(api.post("/catalog", {"name": "SQL", "kind": "micro-credential",
                                         "issuer_id": issuers[0]["id"], "skills": ["SQL"]}))
    _ok(api.delete(f"/catalog/{offering['id']}"))
    skill = _ok(api.post("/skills", {"label": "Plan reading"}))
    _ok(api.get(f"/skills/{skill['id']}"))
    _ok(api.get("/skills?q=sql"))
    _ok(api.post("/skills/resolve", {"names": ["SQL", "Plan reading"]}))
    key = _ok(api.post("/keys", {"name": "plans", "scopes": ["read"]}))
    _ok(api.get("/keys"))
    _ok(api.get(f"/keys/{key['id']}"))
    _ok(api.delete(f"/keys/{key['id']}"))
    _ok(api.get("/audit-log?limit=5"))
    _ok(api.get("/audit-log?action=candidates&resource_type=candidates&method=PUT"
                "&since=2020-01-01T00:00:00Z&until=2100-01-01T00:00:00Z"))
    _ok(api.get("/ready"))


def _drive_pages(client: FlaskClient, session: Session, tenant: Tenant, ids: list[int]) -> None:
    create_user(session, tenant.organization_id, "plans@example.com", "Plans", PASSWORD,
                "admin")
    session.commit()
    sign_in(client, "plans@example.com")
    job = Caller(client, tenant.headers).get("/jobs").get_json()["items"][1]["id"]
    for path in ("/ui/", f"/ui/jobs/{job}/ranking", f"/ui/candidates/{ids[10]}",
                 f"/ui/jobs/{job}/compare?c={ids[10]}&c={ids[11]}", "/ui/audit",
                 "/ui/admin/keys", "/ui/admin/users", f"/ui/jobs/{job}/edit"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)


@NEEDS_POSTGRESQL
@ON_POSTGRESQL
def test_every_query_the_application_issues_has_an_index(
        client: FlaskClient, session: Session, tenant: Tenant, connection: Connection,
        recorded: list[Statement]) -> None:
    load_demo(session, tenant.organization_id)
    session.commit()
    api = Caller(client, tenant.headers)
    ids = [c["id"] for c in api.get("/candidates?limit=50").get_json()["items"]]
    _drive_candidates(api, ids)
    _drive_jobs(api, ids)
    _drive_registry(api)
    _drive_pages(client, session, tenant, ids)

    plans = _explain(connection, recorded)
    assert len(plans) > 100, "the drive above should issue well over 100 distinct queries"
    leads = _index_leads(connection)
    offences = sorted({(problem, table, " ".join(statement.split())[:400])
                       for statement, plan in plans.items()
                       for problem, table in _problems(plan, leads)})
    report = "\n\n".join(f"{problem} on {table}:\n  {statement}"
                         for problem, table, statement in offences)
    assert not offences, f"queries no index serves:\n\n{report}"


def _explain(connection: Connection, statements: list[Statement]) -> dict[str, dict]:
    """The plan of each distinct SELECT / UPDATE / DELETE, with seqscan disabled."""
    plans: dict[str, dict] = {}
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    for statement, parameters in statements:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb not in {"SELECT", "UPDATE", "DELETE", "WITH"} or statement in plans:
            continue
        (row,) = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}",
                                            parameters or {}).one()
        plans[statement] = (json.loads(row) if isinstance(row, str) else row)[0]["Plan"]
    return plans


def _index_leads(connection: Connection) -> dict[str, list[list[str]]]:
    """Per table, the columns (or expressions) of each index, primary and unique key."""
    inspector = inspect(connection)
    leads: dict[str, list[list[str]]] = {}
    for table in TABLES:
        found = [ix.get("expressions") or ix["column_names"]
                 for ix in inspector.get_indexes(table)]
        found += [uq["column_names"] for uq in inspector.get_unique_constraints(table)]
        found.append(inspector.get_pk_constraint(table)["constrained_columns"])
        leads[table] = [[str(part) for part in columns] for columns in found]
    return leads


def _columns(condition: str, table: str) -> set[str]:
    """Columns of ``table`` a plan condition names (string literals left out)."""
    return set(WORD.findall(LITERAL.sub("", condition))) & set(
        models.Base.metadata.tables[table].c.keys())


def _problems(plan: dict, leads: dict[str, list[list[str]]]) -> Iterator[tuple[str, str]]:
    """(problem, table) for each scan node of ``plan`` that no index serves."""
    table = plan.get("Relation Name")
    if table in TABLES and table not in SMALL_TABLES and plan.get("Node Type") == "Seq Scan":
        yield "Seq Scan", table
    condition = plan.get("Index Cond") or plan.get("Recheck Cond")
    if table in TABLES and table not in TENANT_SCANS and condition and plan.get("Filter") \
            and _columns(condition, table) <= {"organization_id"}:
        wanted = _columns(plan["Filter"], table) - {"organization_id"}
        served = any(_columns(" ".join(columns[1:2] if columns[0] == "organization_id"
                                       else columns[:1]), table) & wanted
                     for columns in leads[table])
        if wanted and not served:
            yield f"only the tenant index narrows a filter on {sorted(wanted)}", table
    for child in plan.get("Plans", ()):
        yield from _problems(child, leads)


@pytest.mark.parametrize("database", BACKENDS, indirect=True)
def test_every_foreign_key_leads_an_index(database: tuple[str, Engine]) -> None:
    """Deleting a parent finds its children (CASCADE / SET NULL) through an index."""
    _, engine = database
    inspector = inspect(engine)
    missing = []
    for table in sorted(TABLES):
        leads = [tuple(ix["column_names"]) for ix in inspector.get_indexes(table)]
        leads += [tuple(uq["column_names"]) for uq in inspector.get_unique_constraints(table)]
        leads.append(tuple(inspector.get_pk_constraint(table)["constrained_columns"]))
        for fk in inspector.get_foreign_keys(table):
            columns = tuple(fk["constrained_columns"])
            if not any(lead[:len(columns)] == columns for lead in leads):
                missing.append(f"{table}({', '.join(columns)}) -> {fk['referred_table']}")
    assert not missing, "foreign keys without an index: " + "; ".join(missing)


@NEEDS_POSTGRESQL
@ON_POSTGRESQL
def test_a_bulk_load_keeps_the_planner_statistics_as_the_tables_grow(session: Session) -> None:
    """Autovacuum may lag behind a load (it is off on this test machine), so the loader runs
    ANALYZE as the tables grow: on the statistics of an empty table the planner answered
    each batch's external-id lookup by filtering the whole tenant (425 ms per batch at
    40,000 candidates, more with every batch)."""
    from api.bulk_load import FIRST_ANALYZE, BatchLoader
    from fixtures.generate import generate_candidates
    from tests.conftest import make_tenant

    def estimated() -> float:
        return session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'candidates'"))

    org = make_tenant(session, "Loaded").organization_id
    before = estimated()
    loader = BatchLoader(session, org, "test")
    lines = [json.dumps(body) for body in generate_candidates(FIRST_ANALYZE, seed=21)]
    for start in range(0, len(lines), 1000):
        assert not loader.load(list(enumerate(lines[start:start + 1000], start + 1))).errors
    assert before < FIRST_ANALYZE <= estimated()
