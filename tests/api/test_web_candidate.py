"""The candidate page (profile, credentials, timeline, evidence graph) and the bias-audit page."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from api import models
from api.web.users import create_user
from tests.api.helpers import Caller
from tests.api.web_helpers import PASSWORD
from tests.api.web_helpers import sign_in as _login


@pytest.fixture
def recruiter(session, tenant, client):
    user = create_user(session, tenant.organization_id, "rita@example.com", "Rita", PASSWORD)
    session.commit()
    return user


@pytest.fixture
def admin(session, tenant):
    user = create_user(session, tenant.organization_id, "adam@example.com", "Adam", PASSWORD,
                       "admin")
    session.commit()
    return user


@pytest.fixture
def person(api: Caller, session) -> dict:
    """A candidate (skills resolved by the API) with a verified badge and a plain certificate."""
    body = api.create("/candidates", {
        "external_id": "ats-7", "name": "Grace Hopper", "email": "grace@example.com",
        "location": "Arlington", "skills": ["Python"],
        "credentials": [{"name": "SQL Fundamentals", "kind": "badge", "skills": ["SQL"],
                         "issuer": "Northwind Academy", "issued_on": "2023-05-01"},
                        {"name": "Excel Basics", "kind": "certificate", "issuer": "Paper Mill"}],
        "experience": [{"title": "Junior Analyst", "start_date": "2015-01-01",
                        "end_date": "2018-06-30", "employer": "Initech", "skills": ["SQL"]},
                       {"title": "Data Analyst", "start_date": "2018-07-01",
                        "employer": "Globex", "skills": ["SQL"]}]})
    # As if it came through POST /candidates/{id}/badges (its own tests sign real badges).
    row = session.scalar(select(models.Credential).where(
        models.Credential.name == "SQL Fundamentals"))
    row.badge, row.verification_status = {"type": ["OpenBadgeCredential"]}, "verified"
    row.verification_method = "open-badge"
    session.commit()
    return body


def test_the_candidate_page_shows_profile_credentials_and_timeline(
        client, recruiter, person) -> None:
    _login(client, "rita@example.com")
    response = client.get(f"/ui/candidates/{person['id']}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Grace Hopper" in page and "Arlington" in page and "ats-7" in page
    assert "Verified badge" in page and "status-verified" in page
    assert "status-unverified" in page and "Paper Mill" in page
    # Newest role first, and it is marked current.
    assert page.index("Data Analyst") < page.index("Junior Analyst")
    assert page.count("Current role") == 1
    assert "Python" in page  # declared skill
    assert "no jobs yet" in page and "<svg" not in page


def test_the_evidence_graph_is_drawn_for_a_chosen_job(client, api: Caller, recruiter,
                                                      person) -> None:
    job = api.create("/jobs", {"external_id": "J1", "title": "SQL Analyst",
                               "requirements": [{"skill": "SQL"}, {"skill": "Tableau"}]})
    _login(client, "rita@example.com")
    response = client.get(f"/ui/candidates/{person['id']}?job={job['id']}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg
    assert "Evidence of Grace Hopper for SQL Analyst" in svg
    for label in ("Grace Hopper", "SQL Fundamentals", "Data Analyst", "SQL", "Tableau",
                  "SQL Analyst"):
        assert label in svg
    # The text fallback says the same thing in sentences.
    assert "credential “SQL Fundamentals” evidences skill “SQL”" in page
    assert "job “SQL Analyst” requires requirement “Tableau”" in page
    assert f'value="{job["id"]}" selected' in page


def test_bad_or_foreign_choices_are_clear_errors(client, api, other_api, recruiter,
                                                 person) -> None:
    theirs = other_api.create("/jobs", {"external_id": "T", "title": "Their Job",
                                        "requirements": [{"skill": "SQL"}]})
    foreign_person = other_api.create("/candidates", {"external_id": "x", "name": "Xavier"})
    _login(client, "rita@example.com")
    response = client.get(f"/ui/candidates/{person['id']}?job={theirs['id']}")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "no such job" in page and "<svg" not in page and "Their Job" not in page
    bad = client.get(f"/ui/candidates/{person['id']}?job=abc")
    assert bad.status_code == 400 and "Choose a job" in bad.get_data(as_text=True)
    missing = client.get(f"/ui/candidates/{foreign_person['id']}")
    assert missing.status_code == 404
    assert "Xavier" not in missing.get_data(as_text=True)


def test_strangers_are_sent_to_sign_in(client, person) -> None:
    response = client.get(f"/ui/candidates/{person['id']}")
    assert response.status_code == 302 and "/ui/login" in response.headers["Location"]


# -- the bias audit -----------------------------------------------------------------------

def _hiring(api: Caller) -> dict:
    """Six candidates, half with SQL experience, with demographics; one ranking run."""
    job = api.create("/jobs", {"external_id": "J", "title": "Analyst",
                               "requirements": [{"skill": "SQL"}]})
    for i in range(6):
        person = api.create("/candidates", {
            "external_id": f"C{i}", "name": f"P{i}",
            "experience": [{"title": "Analyst", "start_date": "2016-01-01",
                            "skills": ["SQL"] if i % 2 == 0 else ["Knitting"]}]})
        api.put(f"/candidates/{person['id']}/demographics",
                {"sex": "Female" if i < 3 else "Male", "race_ethnicity": "Asian"})
    assert api.post(f"/jobs/{job['id']}/rankings", {"limit": 3}).status_code in (200, 201)
    return job


def test_recruiters_may_not_open_the_audit(client, recruiter) -> None:
    _login(client, "rita@example.com")
    assert client.get("/ui/audit").status_code == 403
    assert client.get("/ui/audit.csv").status_code == 403


def test_the_audit_page_shows_the_ll144_tables(client, api, session, admin) -> None:
    job = _hiring(api)
    _login(client, "adam@example.com")
    first = client.get("/ui/audit")
    assert first.status_code == 200 and "run the audit" in first.get_data(as_text=True)
    response = client.get(f"/ui/audit?job={job['id']}&shortlist=&run=1")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert "6 people assessed in 1 ranking run;" in page
    for heading in ("Sex", "Race/ethnicity", "Intersectional"):
        assert f">{heading}" in page
    assert '<th scope="row">Female</th>' in page and "Unknown (excluded)" in page
    assert "Selected means the recruiter" in page
    # Running the audit is on the record, under the person's name.
    actors = session.scalars(select(models.AuditEvent.actor).where(
        models.AuditEvent.action.like("GET %audit%"))).all()
    assert actors == [f"user:{admin.id}"]
    link = re.search(r'href="(/ui/audit\.csv\?[^"]+)"', page).group(1).replace("&amp;", "&")
    download = client.get(link)
    assert download.status_code == 200 and download.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert rows[0][:2] == ["sample_size", "6"]
    female = next(r for r in rows[2:] if r[:2] == ["sex", "Female"])
    assert female[2] == "3"


@pytest.mark.parametrize(("query", "message"), [
    ("since=2026-02-01&until=2026-01-01", "Must not be before since."),
    ("since=yesterday", "Not a valid date."),
    ("shortlist=0", "greater than or equal to 1"),
    ("job=abc", "Choose a job from the list."),
])
def test_bad_audit_forms_say_what_is_wrong(client, admin, query, message) -> None:
    _login(client, "adam@example.com")
    response = client.get(f"/ui/audit?{query}&run=1")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page and "The audit was not run" in page and "people assessed" not in page
    assert client.get(f"/ui/audit.csv?{query}").status_code == 400


def test_another_organizations_job_is_not_audited(client, other_api, admin) -> None:
    theirs = other_api.create("/jobs", {"external_id": "T", "title": "Their Job",
                                        "requirements": [{"skill": "SQL"}]})
    _login(client, "adam@example.com")
    response = client.get(f"/ui/audit?job={theirs['id']}&run=1")
    assert response.status_code == 404
    assert "no such job" in response.get_data(as_text=True)
