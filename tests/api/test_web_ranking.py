"""The recruiter's ranking page, CSV export, decisions and comparison (issue 7)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import get_template_attribute
from sqlalchemy import delete, select

from api import models
from api.web import ranking_pages
from api.web.users import create_user
from tests.api.helpers import (
    accreditation,
    candidate_body,
    credential,
    experience,
    issuer_body,
    job_body,
    offering_body,
    requirement,
    skill_body,
)
from tests.api.web_helpers import csrf_token as _csrf

PASSWORD = "correct horse battery"



def ago(days: int) -> str:
    return (datetime.now(UTC).date() - timedelta(days=days)).isoformat()


@pytest.fixture
def recruiter(session, tenant):
    user = create_user(session, tenant.organization_id, "rita@example.com", "Rita", PASSWORD)
    session.commit()
    return user


@pytest.fixture
def signed_in(client, recruiter):
    response = client.post("/ui/login", data={"email": "rita@example.com", "password": PASSWORD,
                                              "csrf_token": _csrf(client, "/ui/login")})
    assert response.status_code == 302
    return client


@pytest.fixture
def world(api) -> dict:
    """SQL required, storytelling preferred; Cora certified, Erin experienced, Gus trainable."""
    api.create("/skills", skill_body("Dashboard storytelling"))
    api.create("/skills", skill_body("SQL window functions", broader=["SQL"]))
    accredited = api.create("/issuers", issuer_body("Accredited University", accreditations=[
        accreditation("ABET", valid_from="2000-01-01")]))
    api.create("/catalog", offering_body(accredited["id"], name="SQL Intensive",
                                         duration_weeks=4, cost=300, currency="EUR"))
    job = api.create("/jobs", job_body("req-1", "Data Analyst", requirements=[
        requirement("SQL"), requirement("Dashboard storytelling", importance="preferred")]))
    bodies = [
        candidate_body("c-cora", "Cora", credentials=[credential(
            "Database Certification", "certification", issuer="Accredited University",
            skills=["SQL"], issued_on=ago(365), verification={"status": "verified"})],
            experience=[experience("Data Analyst", ago(1100), skills=["SQL"])]),
        candidate_body("c-erin", "Erin", experience=[
            experience("DBA", ago(1100), skills=["SQL window functions"])]),
        candidate_body("c-gus", "Gus", credentials=[credential(
            "Forged SQL Cert", "certification", issuer="Accredited University",
            skills=["SQL"], issued_on=ago(100), verification={"status": "revoked"})]),
    ]
    people = {b["name"]: api.create("/candidates", b) for b in bodies}
    return {"job": job, "people": people}


def _page(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def _items(page: str) -> list[str]:
    return re.findall(r'<li class="ranked-item" id="c(\d+)">', page)


def test_the_ranking_page_shows_candidates_in_order_with_their_evidence(signed_in, world,
                                                                        session):
    job, people = world["job"], world["people"]
    page = _page(signed_in, f"/ui/jobs/{job['id']}/ranking")
    assert _items(page)[0] == str(people["Cora"]["id"])
    assert set(_items(page)) == {str(p["id"]) for p in people.values()}
    assert "✓ Qualified" in page and "Not qualified" in page and "↗ Trainable" in page
    # The score is text, not only a bar.
    assert re.search(r'class="score-text">\d+\.\d<span class="visually-hidden"> out of 100', page)
    assert "Database Certification" in page and "accredited issuer" in page
    assert "verification revoked" in page
    assert re.search(r"Experience:</span> 3\.0 years", page)
    # Erin's narrower skill reaches SQL through the graph.
    assert "SQL window functions" in page and "broader" in page
    assert "SQL Intensive" in page and "4.0 weeks" in page and "300" in page
    # The ranking was stored and audit-logged as the signed-in person.
    run = session.scalars(select(models.RankingRun).order_by(models.RankingRun.id.desc())).first()
    event = session.scalars(select(models.AuditEvent).where(
        models.AuditEvent.resource_id == str(run.id))).one()
    assert event.actor.startswith("user:") and event.policy_version


def test_filters_keep_only_qualified_or_trainable(signed_in, world):
    job, people = world["job"], world["people"]
    qualified = _items(_page(signed_in, f"/ui/jobs/{job['id']}/ranking?qualified=1"))
    trainable = _items(_page(signed_in, f"/ui/jobs/{job['id']}/ranking?trainable=1"))
    both = _items(_page(signed_in, f"/ui/jobs/{job['id']}/ranking?qualified=1&trainable=1"))
    assert str(people["Cora"]["id"]) in qualified and str(people["Gus"]["id"]) not in qualified
    assert trainable and str(people["Cora"]["id"]) not in trainable
    assert set(both) == set(qualified) | set(trainable)


def test_pagination_splits_the_list_and_bad_pages_are_clear(signed_in, world, monkeypatch):
    monkeypatch.setattr(ranking_pages, "PAGE_SIZE", 2)
    job = world["job"]["id"]
    first, second = (_page(signed_in, f"/ui/jobs/{job}/ranking?page={n}") for n in (1, 2))
    assert len(_items(first)) == 2 and len(_items(second)) == 1
    assert not set(_items(first)) & set(_items(second))
    assert "Page 2 of 2" in second and 'rel="prev"' in second
    assert _items(_page(signed_in, f"/ui/jobs/{job}/ranking?page=9")) == _items(second)
    assert "page number" in _page(signed_in, f"/ui/jobs/{job}/ranking?page=abc", 422)
    assert "page number" in _page(signed_in, f"/ui/jobs/{job}/ranking?page=0", 422)
    assert "page number" in _page(signed_in, f"/ui/jobs/{job}/ranking?page=%C2%B2", 422)
    _page(signed_in, "/ui/jobs/99999999999999999999/ranking", 404)


def test_csv_export_is_the_run_shown(signed_in, world):
    page = _page(signed_in, f"/ui/jobs/{world['job']['id']}/ranking")
    run_id = re.search(r"/ui/rankings/(\d+)\.csv", page).group(1)
    response = signed_in.get(f"/ui/rankings/{run_id}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0]["name"] == "Cora" and len(rows) == 3
    assert _page(signed_in, "/ui/rankings/999999.csv", 404)


def test_a_decision_is_recorded_shown_and_audited(signed_in, world, session):
    job, cora = world["job"]["id"], world["people"]["Cora"]["id"]
    path = f"/ui/jobs/{job}/ranking"
    token = _csrf(signed_in, path)
    run_id = re.search(r'name="ranking_id" value="(\d+)"', signed_in.get(path).get_data(
        as_text=True)).group(1)
    response = signed_in.post(f"/ui/jobs/{job}/decisions/{cora}", data={
        "csrf_token": token, "decision": "advance", "reason": "Strong certified SQL",
        "ranking_id": run_id, "qualified": "1", "page": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"qualified=1&page=1#c{cora}")
    saved = session.scalars(select(models.Decision)).one()
    assert (saved.decision, saved.reason, saved.ranking_run_id) == (
        "advance", "Strong certified SQL", int(run_id))
    assert saved.decided_by.startswith("user:") and saved.ranked_qualified is True
    assert session.scalars(select(models.AuditEvent).where(
        models.AuditEvent.resource_id == str(saved.id),
        models.AuditEvent.method == "POST")).one()
    assert "Strong certified SQL" in _page(signed_in, path)


@pytest.mark.parametrize("form, message", [
    ({"decision": "promote", "reason": "x"}, "Choose advance"),
    ({"decision": "reject", "reason": "   "}, "Give a reason"),
    ({"decision": "hold", "reason": "x" * 2001}, "under 2000"),
    ({"decision": "hold", "reason": "x", "ranking_id": "abc"}, "Not a ranking"),
    ({"decision": "hold", "reason": "x", "ranking_id": "9" * 20}, "Not a ranking"),
])
def test_bad_decisions_are_refused_and_change_nothing(signed_in, world, session, form, message):
    job, cora = world["job"]["id"], world["people"]["Cora"]["id"]
    token = _csrf(signed_in, "/ui/")
    response = signed_in.post(f"/ui/jobs/{job}/decisions/{cora}",
                              data={"csrf_token": token, **form})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert session.scalars(select(models.Decision)).all() == []


def test_decisions_need_the_csrf_token_and_known_people(signed_in, world, session, api):
    job, cora = world["job"]["id"], world["people"]["Cora"]["id"]
    data = {"decision": "hold", "reason": "Later"}
    assert signed_in.post(f"/ui/jobs/{job}/decisions/{cora}", data=data).status_code == 400
    token = _csrf(signed_in, "/ui/")
    other = api.create("/jobs", job_body("req-2", "Other job"))
    run = api.post(f"/jobs/{other['id']}/rankings", {}).get_json()["id"]
    for path, extra, status in [(f"/ui/jobs/{job}/decisions/999999", {}, 404),
                                (f"/ui/jobs/999999/decisions/{cora}", {}, 404),
                                (f"/ui/jobs/{job}/decisions/{cora}", {"ranking_id": run}, 422)]:
        response = signed_in.post(path, data={"csrf_token": token, **data, **extra})
        assert response.status_code == status, (path, response.status_code)
    assert session.scalars(select(models.Decision)).all() == []


def test_compare_puts_candidates_side_by_side(signed_in, world):
    job, people = world["job"]["id"], world["people"]
    ids = [people["Erin"]["id"], people["Cora"]["id"]]
    page = _page(signed_in, f"/ui/jobs/{job}/compare?c={ids[0]}&c={ids[1]}")
    header = re.search(r"<thead>(.*?)</thead>", page, re.S).group(1)
    assert header.index("Cora") < header.index("Erin")  # in ranking order
    assert '<th scope="row">SQL</th>' in page
    assert '<th scope="row">Dashboard storytelling</th>' in page
    assert "Database Certification" in page and "SQL window functions" in page
    ranking = _page(signed_in, f"/ui/jobs/{job}/ranking")
    assert 'form="compare-form"' in ranking and f'action="/ui/jobs/{job}/compare"' in ranking


@pytest.mark.parametrize("query, status, message", [
    ("", 422, "two or three"),
    ("?c=1", 422, "two or three"),
    ("?c=1&c=1", 422, "two or three"),
    ("?c=a&c=b", 422, "whole numbers"),
    ("?c=1&c=%C2%B2", 422, "whole numbers"),
    ("?c=1&c=99999999999999999999", 422, "whole numbers"),
    ("?c=1&c=2&c=3&c=4", 422, "two or three"),
])
def test_compare_refuses_bad_picks(signed_in, world, query, status, message):
    page = _page(signed_in, f"/ui/jobs/{world['job']['id']}/compare{query}", status)
    assert message in page


def test_compare_never_shows_another_organizations_people(signed_in, world, other_api):
    stranger = other_api.create("/candidates", candidate_body("x-1", "Stranger"))
    cora = world["people"]["Cora"]["id"]
    page = _page(signed_in, f"/ui/jobs/{world['job']['id']}/compare?c={cora}&c={stranger['id']}",
                 404)
    assert "Stranger" not in page


def test_empty_states(signed_in, api, other_api):
    job = api.create("/jobs", job_body("req-9", "Lonely job"))
    page = _page(signed_in, f"/ui/jobs/{job['id']}/ranking")
    assert "No candidates yet" in page and _items(page) == []
    theirs = other_api.create("/jobs", job_body("req-9", "Their job"))
    assert "Their job" not in _page(signed_in, f"/ui/jobs/{theirs['id']}/ranking", 404)


def test_a_job_without_requirements_says_so_and_ranks_nothing(signed_in, world, session):
    job = world["job"]["id"]
    session.execute(delete(models.Requirement).where(models.Requirement.job_id == job))
    session.commit()
    page = _page(signed_in, f"/ui/jobs/{job}/ranking")
    assert "no requirements yet" in page and _items(page) == []
    assert session.scalars(select(models.RankingRun)).all() == []
    people = world["people"]
    assert "no requirements" in _page(
        signed_in, f"/ui/jobs/{job}/compare?c={people['Cora']['id']}&c={people['Erin']['id']}",
        422)


@pytest.mark.parametrize("status, badge, mark", [
    ("verified", True, "✓ verified badge"),
    ("verified", False, ">verified<"),
    ("failed", True, "✗ verification failed"),
    ("unverified", False, ">unverified<"),
])
def test_credential_marks_say_what_was_verified(app, status, badge, mark):
    evidence = {"name": "SQL Badge", "kind": "badge", "issuer": None, "accredited": False,
                "verification_status": status, "badge": badge, "issued_on": None,
                "factors": {"expired": False}}
    with app.test_request_context():
        html = str(get_template_attribute("_evidence.html", "credential")(evidence))
    assert mark in html and "issuer not accredited" in html and "an unnamed issuer" in html


def test_strangers_are_sent_to_sign_in(client, world):
    response = client.get(f"/ui/jobs/{world['job']['id']}/ranking")
    assert response.status_code == 302 and "/ui/login" in response.headers["Location"]
