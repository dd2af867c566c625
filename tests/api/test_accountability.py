"""Demographics apart from scoring, human decisions, and the audit log (issue 6)."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from api import models
from tests.api.conftest import key_for
from tests.api.helpers import Caller, assert_invalid, assert_problem

ROOT = Path(__file__).resolve().parents[2]


def _people(api: Caller) -> tuple[dict, list[dict]]:
    job = api.create("/jobs", {"external_id": "J", "title": "Analyst",
                               "requirements": [{"skill": "SQL"}, {"skill": "Python"}]})
    people = [api.create("/candidates", {
        "external_id": f"C{i}", "name": f"Person {i}",
        "experience": [{"title": "Analyst", "start_date": f"{2024 - i}-01-01",
                        "skills": ["SQL", "Python"][: 1 + i % 2]}]}) for i in range(4)]
    return job, people


# -- demographics ---------------------------------------------------------------------------

def test_demographics_are_stored_in_the_rules_categories(api: Caller) -> None:
    person = api.create("/candidates", {"external_id": "D", "name": "D"})
    response = api.put(f"/candidates/{person['id']}/demographics",
                       {"sex": "F", "race_ethnicity": "Native Hawaiian or Other Pacific Islander"})
    assert response.status_code == 200, response.get_json()
    stored = api.get(f"/candidates/{person['id']}/demographics").get_json()
    assert (stored["sex"], stored["race_ethnicity"]) == (
        "Female", "Native Hawaiian or Pacific Islander")
    api.put(f"/candidates/{person['id']}/demographics", {"sex": "Declined"})
    stored = api.get(f"/candidates/{person['id']}/demographics").get_json()
    assert (stored["sex"], stored["race_ethnicity"]) == ("declined", None)


@pytest.mark.parametrize(("body", "field"), [
    ({"sex": "robot"}, "sex"), ({"race_ethnicity": "Martian"}, "race_ethnicity"),
    ({"sex": 5}, "sex"), ({"sex": "x" * 60}, "sex"),
])
def test_values_outside_the_categories_are_refused(api: Caller, body: dict, field: str) -> None:
    person = api.create("/candidates", {"external_id": "D", "name": "D"})
    assert_invalid(api.put(f"/candidates/{person['id']}/demographics", body), field)
    assert_problem(api.get(f"/candidates/{person['id']}/demographics"), 404)


def test_demographics_need_admin_to_read_and_stay_in_the_organization(
        api: Caller, other_api: Caller, client, session, tenant) -> None:
    person = api.create("/candidates", {"external_id": "D", "name": "D"})
    api.put(f"/candidates/{person['id']}/demographics", {"sex": "Male"})
    recruiter = Caller(client, key_for(session, tenant, "read", "write"))
    assert_problem(recruiter.get(f"/candidates/{person['id']}/demographics"), 403)
    assert recruiter.put(f"/candidates/{person['id']}/demographics",
                         {"sex": "Female"}).status_code == 200
    assert_problem(other_api.get(f"/candidates/{person['id']}/demographics"), 404)
    assert_problem(other_api.put(f"/candidates/{person['id']}/demographics",
                                 {"sex": "Male"}), 404)


def test_no_module_of_matcher_can_reach_demographics() -> None:
    """matcher/ imports nothing of api/ (the layer test) and names no demographic field."""
    for module in sorted((ROOT / "matcher").rglob("*.py")):
        if module.name == "fairness.py":
            continue  # the audit arithmetic: it reads records it is given, not the table
        tree = ast.parse(module.read_text("utf-8"))
        names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {
            n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        assert not names & {"Demographics", "demographics", "race_ethnicity", "sex"}, module
    index_source = (ROOT / "api" / "ranking.py").read_text("utf-8")
    assert "emographic" not in index_source
    scoring = _matcher_imports({"matcher.scoring", "matcher.index", "matcher.evidence",
                                "matcher.segment", "matcher.policy"})
    assert "matcher.scoring" in scoring and "matcher.fairness" not in scoring


def _matcher_imports(start: set[str]) -> set[str]:
    """Every matcher module the ``start`` modules import, directly or not."""
    seen, todo = set(), list(start)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = ROOT / (name.replace(".", "/") + ".py")
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            found = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            todo += [m for m in found if m.startswith("matcher.")]
    return seen


def test_scores_do_not_change_when_demographics_change(api: Caller) -> None:
    job, people = _people(api)

    def scores() -> dict[int, tuple]:
        run = api.post(f"/jobs/{job['id']}/rankings", {"limit": 10}).get_json()
        return {r["candidate_id"]: (r["rank"], r["score"], r["qualified"])
                for r in run["results"]}

    before = scores()
    for i, person in enumerate(people):
        api.put(f"/candidates/{person['id']}/demographics",
                {"sex": ["Male", "Female"][i % 2], "race_ethnicity": "Asian"})
    assert scores() == before
    for person in people:
        api.put(f"/candidates/{person['id']}/demographics",
                {"sex": "declined", "race_ethnicity": "White"})
    assert scores() == before


# -- decisions ------------------------------------------------------------------------------

def test_decisions_record_what_the_ranking_said_and_overrules(api: Caller) -> None:
    job, _others = _people(api)
    run = api.post(f"/jobs/{job['id']}/rankings", {"limit": 10}).get_json()
    unqualified = next(r for r in run["results"] if not r["qualified"])
    qualified = next(r for r in run["results"] if r["qualified"])
    advanced = api.put(f"/jobs/{job['id']}/decisions/{unqualified['candidate_id']}",
                       {"decision": "advance", "reason": "Strong portfolio seen in interview"})
    assert advanced.status_code == 200, advanced.get_json()
    body = advanced.get_json()
    assert body["ranking_id"] == run["id"]
    assert body["ranked"] == {"qualified": False, "rank": unqualified["rank"],
                              "score": pytest.approx(unqualified["score"], abs=1e-2)}
    assert body["overrides_ranking"] is True
    held = api.put(f"/jobs/{job['id']}/decisions/{qualified['candidate_id']}",
                   {"decision": "hold", "reason": "Waiting for references",
                    "ranking_id": run["id"]}).get_json()
    assert held["overrides_ranking"] is False
    api.put(f"/jobs/{job['id']}/decisions/{qualified['candidate_id']}",
            {"decision": "reject", "reason": "Withdrew"})
    current = api.get(f"/jobs/{job['id']}/decisions").get_json()
    assert {(d["candidate_id"], d["decision"]) for d in current["items"]} == {
        (unqualified["candidate_id"], "advance"), (qualified["candidate_id"], "reject")}
    history = api.get(f"/jobs/{job['id']}/decisions/{qualified['candidate_id']}").get_json()
    assert [d["decision"] for d in history["items"]] == ["reject", "hold"]
    assert api.get(f"/jobs/{job['id']}/decisions?history=true").get_json()["total"] == 3


def test_a_decision_before_any_ranking_has_no_ranked_state(api: Caller) -> None:
    job, people = _people(api)
    body = api.put(f"/jobs/{job['id']}/decisions/{people[0]['id']}",
                   {"decision": "reject", "reason": "Not eligible to work here"}).get_json()
    assert (body["ranking_id"], body["ranked"], body["overrides_ranking"]) == (None, None, False)


@pytest.mark.parametrize("body", [
    {"decision": "maybe", "reason": "x"}, {"decision": "advance"},
    {"decision": "advance", "reason": "   "}, {"decision": "advance", "reason": "x",
                                               "ranking_id": 999999}])
def test_bad_decisions_are_refused_and_change_nothing(api: Caller, body: dict) -> None:
    job, people = _people(api)
    response = api.put(f"/jobs/{job['id']}/decisions/{people[0]['id']}", body)
    assert response.status_code in (404, 422), response.get_json()
    assert api.get(f"/jobs/{job['id']}/decisions").get_json()["total"] == 0


def test_a_ranking_of_another_job_is_422(api: Caller) -> None:
    job, people = _people(api)
    other = api.create("/jobs", {"external_id": "J2", "title": "Other",
                                 "requirements": [{"skill": "SQL"}]})
    run = api.post(f"/jobs/{other['id']}/rankings", {}).get_json()
    assert_invalid(api.put(f"/jobs/{job['id']}/decisions/{people[0]['id']}",
                           {"decision": "advance", "reason": "x", "ranking_id": run["id"]}),
                   "ranking_id")


def test_decisions_on_foreign_jobs_or_candidates_are_404(api: Caller, other_api: Caller) -> None:
    job, _others = _people(api)
    theirs = other_api.create("/candidates", {"external_id": "T", "name": "T"})
    body = {"decision": "advance", "reason": "x"}
    assert_problem(api.put(f"/jobs/{job['id']}/decisions/{theirs['id']}", body), 404)
    assert_problem(other_api.put(f"/jobs/{job['id']}/decisions/{theirs['id']}", body), 404)
    assert_problem(other_api.get(f"/jobs/{job['id']}/decisions"), 404)


# -- audit log ------------------------------------------------------------------------------

def test_every_write_and_ranking_is_in_the_audit_log(api: Caller, tenant) -> None:
    job, people = _people(api)
    run = api.post(f"/jobs/{job['id']}/rankings", {"limit": 5}).get_json()
    api.put(f"/jobs/{job['id']}/decisions/{people[0]['id']}",
            {"decision": "advance", "reason": "x"})
    api.delete(f"/candidates/{people[3]['id']}")
    api.post("/candidates", {"external_id": "bad"})  # 422: nothing changed, nothing logged
    log = api.get("/audit-log?limit=500").get_json()
    actions = [e["action"] for e in log["items"]]
    assert actions.count("POST /candidates") == 4
    assert actions.count("POST /jobs") == 1
    assert "POST /jobs/{job_id}/rankings" in actions
    assert "PUT /jobs/{job_id}/decisions/{candidate_id}" in actions
    assert "DELETE /candidates/{candidate_id}" in actions
    assert log["total"] == len(actions) == 8
    ranking = next(e for e in log["items"] if e["action"].endswith("/rankings"))
    assert ranking["resource_id"] == str(run["id"])
    assert ranking["policy_version"] == run["policy"]["version"]
    assert ranking["detail"]["fingerprint"] == run["fingerprint"]
    assert all(e["actor"].startswith("key:") and len(e["fingerprint"]) == 64
               for e in log["items"])
    assert [e["id"] for e in log["items"]] == sorted((e["id"] for e in log["items"]),
                                                     reverse=True)


def test_the_fingerprint_identifies_the_input(api: Caller) -> None:
    api.create("/candidates", {"external_id": "A", "name": "A"})
    api.put("/candidates/by-external-id/B", {"external_id": "B", "name": "B"})
    api.put("/candidates/by-external-id/B", {"external_id": "B", "name": "B"})
    api.put("/candidates/by-external-id/B", {"external_id": "B", "name": "Bea"})
    prints = [e["fingerprint"] for e in api.get("/audit-log").get_json()["items"]]
    assert prints[1] == prints[2] and len(set(prints)) == 3


def test_the_audit_log_filters_and_pages(api: Caller) -> None:
    _job, _others = _people(api)
    page = api.get("/audit-log?resource_type=candidates&limit=2&offset=1").get_json()
    assert (page["total"], len(page["items"]), page["offset"]) == (4, 2, 1)
    by_action = api.get("/audit-log?action=jobs").get_json()
    assert [e["action"] for e in by_action["items"]] == ["POST /jobs"]
    later = datetime.now(UTC) + timedelta(minutes=1)
    assert api.get("/audit-log", query_string={"since": later.isoformat()}).get_json()[
        "total"] == 0
    assert api.get("/audit-log", query_string={"until": later.isoformat()}).get_json()[
        "total"] == 5
    assert_invalid(api.get("/audit-log?since=yesterday"), "query.since")


def test_the_audit_log_is_for_admins_of_the_organization(api: Caller, other_api: Caller,
                                                        client, session, tenant) -> None:
    api.create("/candidates", {"external_id": "A", "name": "A"})
    assert other_api.get("/audit-log").get_json()["total"] == 0
    recruiter = Caller(client, key_for(session, tenant, "read", "write"))
    assert_problem(recruiter.get("/audit-log"), 403)


def test_purge_keeps_the_retention_period(api: Caller, runner, session, monkeypatch) -> None:
    api.create("/candidates", {"external_id": "A", "name": "A"})
    api.create("/candidates", {"external_id": "B", "name": "B"})
    oldest = session.scalar(select(models.AuditEvent.id).order_by(models.AuditEvent.id))
    session.execute(update(models.AuditEvent).where(models.AuditEvent.id == oldest)
                    .values(at=datetime.now(UTC) - timedelta(days=401)))
    session.commit()
    result = runner.invoke(args=["audit", "purge"])
    assert result.exit_code == 0, result.output
    assert "1 audit events older than 400 days deleted" in result.output
    assert api.get("/audit-log").get_json()["total"] == 1
    monkeypatch.setenv("TALENTMATCH_AUDIT_RETENTION_DAYS", "200")
    assert "0 audit events older than 200 days" in runner.invoke(args=["audit", "purge"]).output
    assert api.get("/audit-log").get_json()["total"] == 1
    monkeypatch.setenv("TALENTMATCH_AUDIT_RETENTION_DAYS", "90")
    refused = runner.invoke(args=["audit", "purge"])
    assert refused.exit_code == 2 and "at least 183" in refused.output
    assert runner.invoke(args=["audit", "purge", "--days", "30"]).exit_code == 2
    assert api.get("/audit-log").get_json()["total"] == 1
