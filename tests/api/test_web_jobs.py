"""The job pages: post, edit and import jobs in a browser form; skill suggestions."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from api import models
from api.web.users import create_user
from tests.api.helpers import skill_id
from tests.api.test_imports import POSTING
from tests.api.web_helpers import csrf_token as _csrf

PASSWORD = "correct horse battery"



@pytest.fixture
def signed_in(client, session, tenant):
    """A recruiter of ``tenant`` signed in on ``client``."""
    create_user(session, tenant.organization_id, "rita@example.com", "Rita", PASSWORD)
    session.commit()
    client.post("/ui/login", data={"email": "rita@example.com", "password": PASSWORD,
                                   "csrf_token": _csrf(client, "/ui/login")})
    return client


def _job_form(client, path: str = "/ui/jobs/new", **fields: str) -> dict[str, str]:
    data = {"csrf_token": _csrf(client, path), "external_id": "J-1", "title": "Data Analyst",
            "industry": "", "description": "Analyse data.", "status": "open",
            "min_total_years": "", "education_level": "", "education_months": "",
            "req-0-skill": "SQL", "req-0-importance": "required", "req-0-weight": "",
            "req-0-min_years": "2", "req-1-skill": "Python", "req-1-importance": "preferred",
            "req-1-weight": "", "req-1-min_years": "", "req-2-skill": "",
            "req-2-importance": "required", "req-2-weight": "", "req-2-min_years": ""}
    data.update(fields)
    return data


def _jobs(session) -> list[models.Job]:
    return list(session.scalars(select(models.Job).order_by(models.Job.id)))


def _audit_count(session) -> int:
    return session.scalar(select(func.count()).select_from(models.AuditEvent))


def test_the_job_pages_need_a_signed_in_user(client) -> None:
    for path in ("/ui/jobs/new", "/ui/jobs/import", "/ui/skills/suggest?q=sql"):
        response = client.get(path)
        assert response.status_code == 302 and "/ui/login" in response.headers["Location"]


def test_the_jobs_list_links_to_new_and_import(signed_in, api) -> None:
    page = signed_in.get("/ui/").get_data(as_text=True)
    assert 'href="/ui/jobs/new"' in page and 'href="/ui/jobs/import"' in page
    assert "No jobs yet" in page
    job = api.create("/jobs", {"external_id": "X-1", "title": "Listed Analyst",
                               "requirements": [{"skill": "SQL"}]})
    page = signed_in.get("/ui/").get_data(as_text=True)
    assert f"/ui/jobs/{job['id']}" in page and "Listed Analyst" in page


def test_the_new_job_form_works_without_javascript(signed_in) -> None:
    page = signed_in.get("/ui/jobs/new").get_data(as_text=True)
    # Five spare requirement rows, each control labelled.
    assert len(re.findall(r'name="req-\d+-skill"', page)) == 5
    for field in ("external_id", "title", "description", "status", "req-0-skill",
                  "req-0-weight", "req-0-min_years", "min_total_years", "education_level",
                  "education_months"):
        assert f'<label for="{field}"' in page, field
    assert 'list="skill-options"' in page and "jobs.js" in page


def test_posting_a_job_saves_it_through_the_api_rules(signed_in, session, api) -> None:
    response = signed_in.post("/ui/jobs/new", data=_job_form(
        signed_in, education_level="bachelor", education_months="36", min_total_years="3"))
    assert response.status_code == 302, response.get_data(as_text=True)
    [job] = _jobs(session)
    assert response.headers["Location"].endswith(f"/ui/jobs/{job.id}/edit")
    stored = api.get(f"/jobs/{job.id}").get_json()
    assert stored["title"] == "Data Analyst" and stored["min_total_years"] == 3
    assert stored["education"] == {"level": "bachelor", "experience_in_place_months": 36}
    sql, python = stored["requirements"]
    assert (sql["skill_id"], sql["importance"], sql["weight"], sql["min_years"]) == (
        skill_id("SQL"), "required", 2, 2)
    assert (python["skill_id"], python["importance"], python["weight"]) == (
        skill_id("Python"), "preferred", 1)
    event = session.scalars(select(models.AuditEvent)).all()[-1]
    assert event.actor.startswith("user:") and event.resource_id == str(job.id)
    assert "saved" in signed_in.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"title": ""}, "title", "Length must be between 1"),
    ({"req-1-weight": "heavy"}, "req-1-weight", "Not a valid number"),
    ({"req-0-min_years": "99"}, "req-0-min_years", "less than or equal to 60"),
    ({"req-0-skill": "", "req-1-skill": ""}, "requirements", "Length must be between 1"),
    ({"education_months": "12"}, "education_months", "Choose an education level"),
    ({"status": "paused"}, "status", "Must be one of"),
])
def test_bad_input_is_shown_next_to_its_field_and_saves_nothing(
        signed_in, session, fields, field, message) -> None:
    before = _audit_count(session)
    response = signed_in.post("/ui/jobs/new", data=_job_form(signed_in, **fields))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(rf'id="{field}-error">([^<]*)<', page)
    assert error and message in error.group(1), page
    assert "was not saved" in page
    assert _jobs(session) == [] and _audit_count(session) == before
    # What was typed is kept.
    assert 'value="Data Analyst"' in page or fields.get("title") == ""


def test_a_taken_external_id_is_a_409_on_its_field(signed_in, session, api) -> None:
    api.create("/jobs", {"external_id": "J-1", "title": "First",
                         "requirements": [{"skill": "SQL"}]})
    response = signed_in.post("/ui/jobs/new", data=_job_form(signed_in))
    assert response.status_code == 409
    assert "Another job already has this external id" in response.get_data(as_text=True)
    assert [j.title for j in _jobs(session)] == ["First"]


def test_editing_replaces_the_job_and_keeps_its_policy(signed_in, api) -> None:
    job = api.create("/jobs", {"external_id": "E-1", "title": "Old title",
                               "requirements": [{"skill": "SQL"}, {"skill": "Excel"}],
                               "policy_overrides": {"mode": "soft"}})
    path = f"/ui/jobs/{job['id']}/edit"
    page = signed_in.get(path).get_data(as_text=True)
    assert 'value="Old title"' in page and 'value="Excel"' in page
    # The two rows of the job and three spare ones.
    assert len(re.findall(r'name="req-\d+-skill"', page)) == 5
    data = _job_form(signed_in, path, external_id="E-1", title="New title",
                     **{"req-1-skill": ""})
    response = signed_in.post(path, data=data)
    assert response.status_code == 302
    stored = api.get(f"/jobs/{job['id']}").get_json()
    assert stored["title"] == "New title"
    assert [r["skill_id"] for r in stored["requirements"]] == [skill_id("SQL")]
    assert stored["policy_overrides"] == {"mode": "soft"}


def test_another_organizations_job_cannot_be_edited(signed_in, other_api) -> None:
    job = other_api.create("/jobs", {"external_id": "T-1", "title": "Theirs",
                                     "requirements": [{"skill": "SQL"}]})
    path = f"/ui/jobs/{job['id']}/edit"
    assert signed_in.get(path).status_code == 404
    data = _job_form(signed_in, "/ui/jobs/new", external_id="T-1", title="Hijacked")
    assert signed_in.post(path, data=data).status_code == 404
    assert other_api.get(f"/jobs/{job['id']}").get_json()["title"] == "Theirs"


def test_a_post_without_the_csrf_token_is_refused(signed_in, session) -> None:
    data = _job_form(signed_in)
    del data["csrf_token"]
    assert signed_in.post("/ui/jobs/new", data=data).status_code == 400
    assert _jobs(session) == []


def test_an_imported_posting_opens_in_the_editor_with_inferred_rows_highlighted(
        signed_in, session, api) -> None:
    data = {"csrf_token": _csrf(signed_in, "/ui/jobs/import"), "external_id": "",
            "document": json.dumps(POSTING)}
    response = signed_in.post("/ui/jobs/import", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    [job] = _jobs(session)
    assert job.external_id == "GX-77"
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "your confirmation (highlighted below)" in page
    highlighted = re.findall(r'class="req-row to-confirm" data-row="(\d+)"', page)
    inferred = [r for r in api.get(f"/jobs/{job.id}").get_json()["requirements"]
                if r["to_confirm"]]
    assert highlighted and len(highlighted) == len(inferred)
    assert f'id="req-{highlighted[0]}-to_confirm"' in page

    # Confirming: submit the rows as shown, the to-confirm boxes unticked.
    form = {k: v for k, v in _form_fields(page).items() if not k.endswith("-to_confirm")}
    assert signed_in.post(f"/ui/jobs/{job.id}/edit", data=form).status_code == 302
    stored = api.get(f"/jobs/{job.id}").get_json()["requirements"]
    assert len(stored) == len(inferred) + 2 and not any(r["to_confirm"] for r in stored)


def _form_fields(page: str) -> dict[str, str]:
    """The values a browser would submit for the editor's inputs, selects and textarea."""
    fields = {m.group(1): m.group(2) for m in re.finditer(
        r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)}
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"\s*selected', body)
        first = re.search(r'<option value="([^"]*)"', body)
        fields[name] = (chosen or first).group(1)
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        fields[name] = text
    return fields


@pytest.mark.parametrize(("document", "shown"), [
    ("{not json", "not valid JSON"),
    (json.dumps({**POSTING, "title": None}), "title"),
    ("[1, 2]", "document"),
])
def test_a_bad_document_is_explained_and_imports_nothing(signed_in, session, document,
                                                         shown) -> None:
    data = {"csrf_token": _csrf(signed_in, "/ui/jobs/import"), "document": document}
    response = signed_in.post("/ui/jobs/import", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "role=\"alert\"" in page and shown in page
    assert _jobs(session) == []
    assert "{not json" in page or document != "{not json"  # the paste is kept to fix


def test_skill_suggestions_come_from_the_resolver(signed_in) -> None:
    found = signed_in.get("/ui/skills/suggest?q=pyth").get_json()
    assert found and found[0]["id"] == skill_id("Python") and found[0]["label"]
    assert len(found) <= 10
    assert signed_in.get("/ui/skills/suggest?q=").get_json() == []
    assert signed_in.get("/ui/skills/suggest?q=" + "x" * 5000).status_code == 200
