"""The recruiter interface's sign-in: hashed passwords, sessions, CSRF, roles."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from api import models
from api.web.users import authenticate_user, create_user
from matcher.errors import Conflict, InvalidInput
from tests.api.web_helpers import csrf_token as _csrf

PASSWORD = "correct horse battery"



@pytest.fixture
def recruiter(session, tenant):
    user = create_user(session, tenant.organization_id, "Rita@Example.com", "Rita", PASSWORD)
    session.commit()
    return user


def _login(client, email: str = "rita@example.com", password: str = PASSWORD):
    return client.post("/ui/login", data={"email": email, "password": password,
                                          "csrf_token": _csrf(client)})


def test_passwords_are_only_kept_hashed(session, recruiter) -> None:
    stored = session.scalar(select(models.User.password_hash).where(
        models.User.id == recruiter.id))
    assert PASSWORD not in stored and stored.startswith(("scrypt:", "pbkdf2:"))
    assert authenticate_user(session, "RITA@example.com", PASSWORD) == recruiter
    assert authenticate_user(session, "rita@example.com", "wrong password!") is None


def test_accounts_are_checked(session, tenant, recruiter) -> None:
    with pytest.raises(Conflict):
        create_user(session, tenant.organization_id, "rita@example.COM", "R", PASSWORD)
    with pytest.raises(InvalidInput):
        create_user(session, tenant.organization_id, "x@example.com", "X", "short")
    with pytest.raises(InvalidInput):
        create_user(session, tenant.organization_id, "x@example.com", "X", PASSWORD, "boss")


def test_pages_need_a_signed_in_user(client, recruiter) -> None:
    response = client.get("/ui/")
    assert response.status_code == 302 and "/ui/login" in response.headers["Location"]
    assert _login(client).status_code == 302
    page = client.get("/ui/")
    assert page.status_code == 200 and "Jobs" in page.get_data(as_text=True)


def test_a_wrong_password_is_refused_without_saying_which_part(client, recruiter) -> None:
    response = _login(client, password="not the password")
    assert response.status_code == 401
    assert "do not match" in response.get_data(as_text=True)
    assert client.get("/ui/").status_code == 302


def test_forms_without_the_csrf_token_are_refused(client, recruiter) -> None:
    response = client.post("/ui/login", data={"email": "rita@example.com",
                                              "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/ui/").status_code == 302


def test_signing_out_ends_the_session(client, recruiter) -> None:
    _login(client)
    token = _csrf(client, "/ui/")
    assert client.post("/ui/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/ui/").status_code == 302


def test_the_next_parameter_never_leaves_the_site(client, recruiter) -> None:
    token = _csrf(client)
    response = client.post("/ui/login?next=https://evil.example/",
                           data={"email": "rita@example.com", "password": PASSWORD,
                                 "csrf_token": token})
    assert response.headers["Location"].endswith("/ui/")


def test_jobs_are_the_users_organization_only(client, api, other_api, recruiter) -> None:
    api.create("/jobs", {"external_id": "MINE", "title": "Mine Analyst",
                         "requirements": [{"skill": "SQL"}]})
    other_api.create("/jobs", {"external_id": "THEIRS", "title": "Their Analyst",
                               "requirements": [{"skill": "SQL"}]})
    _login(client)
    page = client.get("/ui/").get_data(as_text=True)
    assert "Mine Analyst" in page and "Their Analyst" not in page


def test_errors_on_pages_are_pages(client, recruiter) -> None:
    _login(client)
    response = client.post("/ui/logout", data={})  # no CSRF token
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "Back to the jobs" in response.get_data(as_text=True)
