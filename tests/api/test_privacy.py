"""Privacy (issue 6 item 5): export everything held about a person; erase them everywhere.

The central test fills every table that can hold a person's data, with marker strings
in every field a person supplies, erases them, and then reads every row of every table
of the database: no marker and no reference to their id may remain, except the
anonymous placeholders docs/privacy.md names.
"""

from __future__ import annotations

import contextlib
import json
import re
import zlib
from typing import Any

import pytest
import schemathesis
from flask import Flask
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from api import models
from api import privacy as privacy_module
from api.privacy import ERASED, PLACEHOLDER_ID
from api.repositories.rankings import decode_ids
from tests.api.conftest import key_for
from tests.api.helpers import Caller, assert_problem
from tests.unit.standards.signing import issuer, ob3_credential, sign_di
from tests.unit.standards.signing import offline as offline  # autouse: no network access

# Every field the person supplies carries this token (lower case: searched case-insensitively).
MARK = "zq7"
EXT = "ATS-ZQ7-0042"
SIGNER = issuer("Ed25519", url="https://badges.example/issuer")


def person_body(external_id: str = EXT) -> dict:
    return {
        "external_id": external_id, "name": "Zq7 Quillon Marker", "email": "zq7.mail@example.org",
        "location": "Zq7ville, Nowhere",
        "credentials": [{"name": "Zq7 Data Certificate", "kind": "certification",
                         "issuer": "Northwind Academy", "issued_on": "2024-01-10",
                         "skills": ["SQL", "zq7 private skill"]}],
        "experience": [{"title": "Zq7 Chief Analyst", "employer": "Zq7 Employer Ltd",
                        "industry": "Zq7 industry", "start_date": "2019-01-01",
                        "skills": ["SQL", "zq7 in-house tool"]}],
        "skills": ["zq7 declared skill"],
    }


def badge() -> dict:
    credential = ob3_credential(SIGNER.did, id="urn:uuid:zq7-badge-0001")
    credential["name"] = "Zq7 badge"
    subject = credential["credentialSubject"]
    subject["id"] = "did:example:zq7-holder"
    subject["achievement"]["name"] = "Zq7 Badge Achievement"
    return sign_di(credential, SIGNER, SIGNER.did_key_method)


def put_person(api: Caller, body: dict) -> dict:
    response = api.put(f"/candidates/by-external-id/{body['external_id']}", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def build_world(api: Caller, session: Session) -> dict:
    """A person in every table, a colleague who stays, a job, a ranking and a decision."""
    person = put_person(api, person_body())
    keeper = put_person(api, {"external_id": "ATS-KEEP", "name": "Kept Person",
                              "experience": [{"title": "Analyst", "start_date": "2015-01-01",
                                              "skills": ["SQL"]}]})
    added = api.post(f"/candidates/{person['id']}/badges", {"credential": badge()})
    assert added.status_code == 201, added.get_json()
    assert api.put(f"/candidates/{person['id']}/demographics",
                   {"sex": "Female", "race_ethnicity": "Asian"}).status_code == 200
    job = api.create("/jobs", {"external_id": "REQ-1", "title": "Data Analyst",
                               "requirements": [{"skill": "SQL"}]})
    run = api.create(f"/jobs/{job['id']}/rankings",
                     {"limit": 10, "candidate_ids": [person["id"], keeper["id"]]})
    decided = api.put(f"/jobs/{job['id']}/decisions/{person['id']}",
                      {"decision": "advance", "reason": "Zq7 reason: strong interview"})
    assert decided.status_code == 200, decided.get_json()
    # An event whose detail names them in free text and in a list, as an import might.
    session.add(models.AuditEvent(
        organization_id=person_organization(session, person["id"]), actor="key:0",
        action="POST /imports", method="POST", path="/api/v1/imports", resource_type="imports",
        detail={"note": f"imported {EXT} from Workday", "external_ids": [EXT, "ATS-KEEP"]}))
    session.commit()
    return {"person": person, "keeper": keeper, "job": job, "run": run}


def person_organization(session: Session, candidate_id: int) -> int:
    return session.get(models.Candidate, candidate_id).organization_id


def conforms(app: Flask, response: TestResponse, label: str) -> None:
    """``response`` is what the OpenAPI document says operation ``label`` answers."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = {op.label: op for op in (r.ok() for r in schema.get_all_operations())}
    operations[label].validate_response(response)


def export_of(api: Caller, candidate_id: int) -> dict:
    """The export, less the events of earlier exports (each export is itself logged)."""
    response = api.get(f"/candidates/{candidate_id}/export")
    assert response.status_code == 200, response.get_json()
    export = response.get_json()
    export["audit_events"] = [e for e in export["audit_events"]
                              if not e["action"].endswith("/export")]
    return export


# -- reading every row of every table ------------------------------------------------------

def blob_text(table: str, column: str, blob: bytes) -> tuple[str, list[int]]:
    """A stored blob as text to search, and the ids it holds (ranked pools)."""
    if (table, column) == ("ranking_scores", "candidate_ids"):
        ids = decode_ids(blob).tolist()
        return json.dumps(ids), ids
    with contextlib.suppress(zlib.error):  # else stored raw
        blob = zlib.decompress(blob)
    return blob.decode("latin-1"), []


def json_ids(value: Any) -> list[int]:
    """Candidate ids a JSON document holds under candidate id keys."""
    found: list[int] = []
    if isinstance(value, dict):
        for key, member in value.items():
            if key == "candidate_id" and isinstance(member, int):
                found.append(member)
            elif key == "candidate_ids" and isinstance(member, list):
                found.extend(i for i in member if isinstance(i, int))
            else:
                found.extend(json_ids(member))
    elif isinstance(value, list):
        for member in value:
            found.extend(json_ids(member))
    return found


def refers_to_candidates(column) -> bool:
    return column.name == "candidate_id" or any(
        fk.column.table.name == "candidates" for fk in column.foreign_keys)


def audit_names(row: dict, candidate_id: int) -> bool:
    """An audit event whose route or resource is the candidate, by internal id."""
    route = re.search(rf"/(candidates|decisions)/{candidate_id}(?=[/?]|$)", row["path"])
    return route is not None or (row["resource_id"] == str(candidate_id)
                                 and row["resource_type"] in ("candidates", "badges",
                                                              "demographics"))


def traces(connection: Connection, candidate_id: int) -> list[tuple[str, str, dict]]:
    """Every (what, table.column, row) in the database that still holds the marker or the
    candidate's id."""
    found = []
    for table in models.Base.metadata.sorted_tables:
        for row in connection.execute(select(table)).mappings():
            row = dict(row)
            if table.name == "audit_events" and audit_names(row, candidate_id):
                found.append(("id", "audit_events.path", row))
            for column in table.columns:
                value = row[column.name]
                ids: list[int] = []
                if isinstance(value, bytes):
                    value, ids = blob_text(table.name, column.name, value)
                elif isinstance(value, dict | list):
                    ids = json_ids(value)
                    value = json.dumps(value, ensure_ascii=False)
                elif refers_to_candidates(column) and value == candidate_id:
                    ids = [value]
                where = f"{table.name}.{column.name}"
                if MARK in str(value).lower():
                    found.append(("marker", where, row))
                if candidate_id in ids:
                    found.append(("id", where, row))
    return found


def allowed(trace: tuple[str, str, dict], candidate_id: int) -> bool:
    """The placeholders docs/privacy.md keeps: the deletion note for other processes'
    indexes, and the erasure's own audit event (who erased which id, when)."""
    what, where, row = trace
    if (what, where) == ("id", "candidate_deletions.candidate_id"):
        return True
    return (what, where) == ("id", "audit_events.path") and row["method"] == "DELETE" and \
        row["path"] == f"/api/v1/candidates/{candidate_id}"


# -- the whole round trip ---------------------------------------------------------------------

def test_export_holds_everything_and_erasure_leaves_no_trace(api, session, connection):
    world = build_world(api, session)
    cid, run = world["person"]["id"], world["run"]
    before = export_of(api, cid)
    text = json.dumps(before, ensure_ascii=False).lower()
    for marker in ("zq7 quillon marker", "zq7.mail@example.org", EXT.lower(), "zq7ville",
                   "zq7 data certificate", "zq7 private skill", "zq7 chief analyst",
                   "zq7 employer ltd", "zq7 industry", "zq7 in-house tool", "zq7 declared skill",
                   "did:example:zq7-holder", "zq7 badge achievement", "zq7 reason"):
        assert marker in text, marker
    ranked = {r["candidate_id"]: r for r in run["results"]}[cid]
    assert before["rankings"] == [{
        "run_id": run["id"], "job_id": world["job"]["id"], "job_title": "Data Analyst",
        "created_at": run["created_at"], "rank": ranked["rank"], "score": ranked["score"],
        "qualified": ranked["qualified"], "trainable": ranked["trainable"],
        "breakdown": ranked}]
    held = {where for _, where, _ in traces(connection, cid)}
    assert {"candidates.name", "credentials.badge", "credential_skills.name", "experiences.title",
            "experience_skills.name", "candidate_skills.name",
            "candidate_demographics.candidate_id", "ranking_results.breakdown",
            "ranking_scores.candidate_ids", "ranking_runs.request", "decisions.reason",
            "audit_events.path", "audit_events.resource_id", "audit_events.detail"} <= held

    response = api.delete(f"/candidates/{cid}")
    assert response.status_code == 204

    left = [t for t in traces(connection, cid) if not allowed(t, cid)]
    assert left == []
    assert_problem(api.get(f"/candidates/{cid}/export"), 404)


def test_erasure_keeps_anonymous_placeholders_that_audits_need(api, session, connection):
    world = build_world(api, session)
    cid, run, keeper = world["person"]["id"], world["run"], world["keeper"]["id"]
    ranked = {r["candidate_id"]: r for r in run["results"]}
    pool_before = decode_ids(session.get(models.RankingScores, run["id"]).candidate_ids)
    assert api.delete(f"/candidates/{cid}").status_code == 204
    session.expire_all()

    results = {r.rank: r for r in session.scalars(
        select(models.RankingResult).where(models.RankingResult.run_id == run["id"]))}
    erased = results[ranked[cid]["rank"]]
    assert erased.candidate_id is None and erased.score == ranked[cid]["score"]
    assert erased.breakdown["erased"] is True
    assert {k: erased.breakdown[k] for k in ("rank", "score", "qualified", "trainable")} == {
        k: ranked[cid][k] for k in ("rank", "score", "qualified", "trainable")}
    assert results[ranked[keeper]["rank"]].breakdown == ranked[keeper]  # the colleague stays
    pool = decode_ids(session.get(models.RankingScores, run["id"]).candidate_ids)
    assert pool.tolist() == [PLACEHOLDER_ID if i == cid else i for i in pool_before.tolist()]
    assert session.get(models.RankingRun, run["id"]).request["candidate_ids"] == [
        PLACEHOLDER_ID, keeper]
    (decision,) = session.scalars(select(models.Decision)).all()
    assert (decision.candidate_id, decision.reason, decision.decision) == (
        None, ERASED, "advance")
    paths = set(session.scalars(select(models.AuditEvent.path)))
    assert {f"/api/v1/candidates/by-external-id/{ERASED}", f"/api/v1/candidates/{ERASED}/badges",
            f"/api/v1/jobs/{world['job']['id']}/decisions/{ERASED}"} <= paths
    assert f"/api/v1/candidates/{cid}" in paths  # the erasure's own event
    assert session.scalar(select(models.CandidateDeletion.candidate_id)) == cid
    # Stored runs still read, as JSON and CSV, without the person.
    stored = api.get(f"/rankings/{run['id']}")
    assert stored.status_code == 200 and MARK not in stored.get_data(as_text=True).lower()
    as_csv = api.get(f"/rankings/{run['id']}?format=csv")
    assert as_csv.status_code == 200 and MARK not in as_csv.get_data(as_text=True).lower()
    # The ranking index drops them too.
    again = api.create(f"/jobs/{world['job']['id']}/rankings", {"limit": 10})
    assert [r["candidate_id"] for r in again["results"]] == [keeper]


def test_export_is_a_download_and_documents_demographics_and_pool_entries(api, session, app):
    world = build_world(api, session)
    cid = world["person"]["id"]
    response = api.get(f"/candidates/{cid}/export")
    assert response.status_code == 200
    conforms(app, response, "GET /api/v1/candidates/{candidate_id}/export")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="candidate-{cid}-export.json"')
    body = response.get_json()
    assert body["demographics"]["sex"] == "Female"
    assert body["demographics"]["race_ethnicity"] == "Asian"
    (held,) = [k for k in body["candidate"]["credentials"] if k["badge"] is not None]
    assert held["badge"]["document"]["credentialSubject"]["id"] == "did:example:zq7-holder"
    assert held["verification"]["status"] == "verified"
    (decision,) = body["decisions"]
    assert (decision["decision"], decision["job_title"]) == ("advance", "Data Analyst")
    actions = {e["action"] for e in body["audit_events"]}
    assert {"PUT /candidates/by-external-id/{external_id}",
            "POST /candidates/{candidate_id}/badges", "PUT /candidates/{candidate_id}/demographics",
            "PUT /jobs/{job_id}/decisions/{candidate_id}", "POST /imports"} <= actions
    # Not the colleague's own events.
    assert all("ATS-KEEP" not in e["path"] for e in body["audit_events"])
    # A run whose stored page did not reach them still counts: their pool entry.
    deep = api.create(f"/jobs/{world['job']['id']}/rankings", {"limit": 1, "offset": 5})
    assert deep["results"] == []
    entry = {r["run_id"]: r for r in export_of(api, cid)["rankings"]}[deep["id"]]
    ranked = {r["candidate_id"]: r for r in world["run"]["results"]}[cid]
    assert (entry["rank"], entry["breakdown"], entry["trainable"]) == (None, None, None)
    assert entry["score"] == pytest.approx(ranked["score"], abs=1e-3)
    assert entry["qualified"] == ranked["qualified"]


def test_no_demographics_export_as_null_and_unknown_or_foreign_ids_are_404(
        api, other_api, session, tenant):
    plain = put_person(api, {"external_id": "ATS-PLAIN", "name": "Plain"})
    body = export_of(api, plain["id"])
    assert body["demographics"] is None
    assert (body["rankings"], body["decisions"]) == ([], [])
    assert_problem(other_api.get(f"/candidates/{plain['id']}/export"), 404)
    assert_problem(api.get("/candidates/2147483647/export"), 404)
    # Admin only: the export holds demographics and the audit log, both admin-only elsewhere.
    for scopes in (("read",), ("read", "write")):
        caller = Caller(api.client, key_for(session, tenant, *scopes))
        assert_problem(caller.get(f"/candidates/{plain['id']}/export"), 403)


def test_erasure_in_one_organization_leaves_another_alone(api, other_api, session):
    mine = build_world(api, session)
    theirs = build_world(other_api, session)
    their_export = export_of(other_api, theirs["person"]["id"])
    assert api.delete(f"/candidates/{mine['person']['id']}").status_code == 204
    after = export_of(other_api, theirs["person"]["id"])
    assert {**after, "exported_at": None} == {**their_export, "exported_at": None}
    stored = other_api.get(f"/rankings/{theirs['run']['id']}").get_json()
    assert stored["results"] == theirs["run"]["results"]


def unrelated_events(session: Session) -> list[tuple]:
    session.expire_all()
    return sorted((e.path, e.resource_id, json.dumps(e.detail)) for e in session.scalars(
        select(models.AuditEvent).where(~models.AuditEvent.path.contains("/candidates"))))


def test_a_short_external_id_erases_only_where_it_names_the_person(api, session):
    person = put_person(api, {"external_id": "1", "name": "Short Id"})
    job = api.put("/jobs/by-external-id/1", {"external_id": "1", "title": "Job One",
                                               "requirements": [{"skill": "SQL"}]})
    assert job.status_code == 201
    before = unrelated_events(session)
    assert ("/api/v1/jobs/by-external-id/1", "1", "null") in before
    assert api.delete(f"/candidates/{person['id']}").status_code == 204
    assert unrelated_events(session) == before
    assert session.scalars(select(models.AuditEvent.path).where(
        models.AuditEvent.resource_id == ERASED)).all() == [
        f"/api/v1/candidates/by-external-id/{ERASED}"]


def test_erasure_is_all_or_nothing(api, session, monkeypatch):
    world = build_world(api, session)
    cid = world["person"]["id"]
    before = export_of(api, cid)

    def fail(*_args: object) -> None:
        raise RuntimeError("disk full while scrubbing the audit log")

    # The audit log is scrubbed last, after results, pools and decisions were changed.
    monkeypatch.setattr(privacy_module, "_scrub_events", fail)
    assert_problem(api.delete(f"/candidates/{cid}"), 500)
    monkeypatch.undo()
    after = export_of(api, cid)
    assert {**after, "exported_at": None} == {**before, "exported_at": None}
    assert api.get(f"/rankings/{world['run']['id']}").get_json()["results"] == \
        world["run"]["results"]
    assert api.delete(f"/candidates/{cid}").status_code == 204


def test_an_export_is_itself_in_the_audit_log(api: Caller) -> None:
    person = api.create("/candidates", {"external_id": "X-1", "name": "X"})
    export_of(api, person["id"])
    events = api.get("/audit-log?action=export").get_json()["items"]
    assert [e["resource_id"] for e in events] == [str(person["id"])]
