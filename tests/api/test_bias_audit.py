"""``POST /audits/bias``: an LL144 table in one call, from records or stored rankings."""

from __future__ import annotations

import csv
import io

import pytest

from tests.api.conftest import key_for
from tests.api.helpers import Caller, assert_invalid, assert_problem


def _records(race: str, selected: int, n: int = 100, sex: str | None = None) -> list[dict]:
    return [{"score": float(i), "selected": i < selected, "sex": sex, "race_ethnicity": race}
            for i in range(n)]


def _row(body: dict, axis: str, category: str) -> dict:
    return next(c for c in body["axes"][axis]["categories"] if c["category"] == category)


def test_supplied_records_reproduce_the_eeoc_example(api: Caller) -> None:
    records = (_records("White", 60) + _records("Black or African American", 45)
               + _records("Hispanic or Latino", 48) + _records("Asian", 51))
    response = api.post("/audits/bias", {"records": records})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["source"], body["sample_size"]) == ("records", 400)
    ratios = {c: round(_row(body, "race_ethnicity", c)["selection_impact_ratio"], 2)
              for c in ("White", "Black or African American", "Hispanic or Latino", "Asian")}
    assert ratios == {"White": 1.0, "Black or African American": 0.75,
                      "Hispanic or Latino": 0.8, "Asian": 0.85}
    flagged = [c["category"] for c in body["axes"]["race_ethnicity"]["categories"]
               if c["below_four_fifths_selection"]]
    assert flagged == ["Black or African American"]
    assert body["axes"]["sex"]["unknown"] == 400


def test_the_audit_comes_as_csv(api: Caller) -> None:
    records = _records("White", 10, sex="Male") + _records("Asian", 5, sex="F")
    response = api.post("/audits/bias?format=csv", {"records": records})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:2] == ["sample_size", "200"]
    header = rows[1]
    table = [dict(zip(header, r, strict=True)) for r in rows[2:]]
    female = next(r for r in table if r["axis"] == "sex" and r["category"] == "Female")
    assert (female["count"], female["selection_rate"]) == ("100", "0.05")
    accept = api.post("/audits/bias", {"records": records}, headers={"Accept": "text/csv"})
    assert accept.mimetype == "text/csv"


@pytest.mark.parametrize(("body", "field"), [
    ({"records": []}, "records"),
    ({"records": [{"score": 1, "selected": True, "sex": "robot"}]}, "records.0.sex"),
    ({"records": [{"score": "high", "selected": True}]}, "records.0.score"),
    ({"records": [{"score": 1}]}, "records.0.selected"),
    ({"records": [{"score": 1, "selected": True}], "job_ids": [1]}, "records"),
    ({"since": "2026-02-01", "until": "2026-01-01"}, "until"),
    ({"small_share": 2}, "small_share"),
])
def test_bad_audit_requests_are_422(api: Caller, body: dict, field: str) -> None:
    errors = assert_invalid(api.post("/audits/bias", body))
    assert any(key.startswith(field) for key in errors), errors


def test_bias_audits_are_for_admins(client, session, tenant) -> None:
    recruiter = Caller(client, key_for(session, tenant, "read", "write"))
    assert_problem(recruiter.post("/audits/bias", {"records": _records("White", 1, 2)}), 403)


def _hiring(api: Caller) -> tuple[dict, list[dict], dict]:
    """Ten candidates, half with SQL; half report Female; one ranking."""
    job = api.create("/jobs", {"external_id": "J", "title": "Analyst",
                               "requirements": [{"skill": "SQL"}]})
    people = []
    for i in range(10):
        skills = ["SQL"] if i % 2 == 0 else ["Knitting"]
        person = api.create("/candidates", {
            "external_id": f"C{i}", "name": f"P{i}",
            "experience": [{"title": "Analyst", "start_date": f"{2015 + i % 5}-01-01",
                            "skills": skills}]})
        people.append(person)
        if i < 8:  # two never answer: unknown
            api.put(f"/candidates/{person['id']}/demographics",
                    {"sex": "Female" if i < 4 else "Male",
                     "race_ethnicity": "Asian" if i % 3 else "White"})
    run = api.post(f"/jobs/{job['id']}/rankings", {"limit": 3}).get_json()
    return job, people, run


def test_stored_rankings_are_audited_over_everyone_ranked(api: Caller) -> None:
    job, people, run = _hiring(api)
    assert len(run["results"]) == 3 and run["total"] == 10
    body = api.post("/audits/bias", {"job_ids": [job["id"]]}).get_json()
    assert (body["source"], body["ranking_ids"], body["sample_size"]) == (
        "rankings", [run["id"]], 10)
    sex = body["axes"]["sex"]
    assert sex["unknown"] == 2
    qualified = {p["id"] for p in people[::2]}
    female = {p["id"] for p in people[:4]}
    male = {p["id"] for p in people[4:8]}
    assert _row(body, "sex", "Female")["selected"] == len(female & qualified)
    assert _row(body, "sex", "Male")["selected"] == len(male & qualified)


def test_decisions_are_what_counts_as_selected(api: Caller) -> None:
    job, people, _run = _hiring(api)
    before = _row(api.post("/audits/bias", {"job_ids": [job["id"]]}).get_json(),
                  "sex", "Female")["selected"]
    # An unqualified woman advanced, a qualified woman rejected: overrules count.
    api.put(f"/jobs/{job['id']}/decisions/{people[1]['id']}",
            {"decision": "advance", "reason": "Retrained"})
    api.put(f"/jobs/{job['id']}/decisions/{people[3]['id']}",
            {"decision": "advance", "reason": "Retrained"})
    api.put(f"/jobs/{job['id']}/decisions/{people[0]['id']}",
            {"decision": "reject", "reason": "Withdrew"})
    after = api.post("/audits/bias", {"job_ids": [job["id"]]}).get_json()
    assert _row(after, "sex", "Female")["selected"] == before + 2 - 1


def test_a_shortlist_cut_off_selects_the_first_n(api: Caller) -> None:
    job, _people, _run = _hiring(api)
    body = api.post("/audits/bias", {"job_ids": [job["id"]], "shortlist": 2}).get_json()
    total_selected = sum(c["selected"] for c in body["axes"]["sex"]["categories"])
    assert total_selected <= 2
    assert "within the first 2" in body["selection"]


def test_dates_and_other_organizations_narrow_the_sample(api: Caller, other_api: Caller) -> None:
    job, _people, run = _hiring(api)
    none = api.post("/audits/bias", {"since": "2099-01-01"}).get_json()
    assert none["sample_size"] == 0 and none["ranking_ids"] == []
    assert other_api.post("/audits/bias", {"job_ids": [job["id"]]}).get_json()[
        "sample_size"] == 0
    every = api.post("/audits/bias", {}).get_json()
    assert every["ranking_ids"] == [run["id"]]


def test_a_bias_audit_is_logged(api: Caller) -> None:
    api.post("/audits/bias", {"records": _records("White", 1, 2)})
    (event,) = api.get("/audit-log?action=audits").get_json()["items"]
    assert event["detail"] == {"source": "records", "runs": 0, "sample_size": 2}
