"""Admin pages: the organization's API keys and users; recruiters are refused (403)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from api import models
from api.repositories.organizations import authenticate
from api.web.users import authenticate_user, create_user
from tests.api.web_helpers import PASSWORD
from tests.api.web_helpers import csrf_token as _csrf
from tests.api.web_helpers import sign_in as _login


@pytest.fixture
def admin(session, tenant, client):
    user = create_user(session, tenant.organization_id, "adam@example.com", "Adam", PASSWORD,
                       "admin")
    session.commit()
    _login(client, "adam@example.com")
    return user


def _post(client, path: str, **form: object):
    return client.post(path, data={**form, "csrf_token": _csrf(client, path)})


def _keys(session, organization_id: int) -> int:
    return session.scalar(select(func.count()).select_from(models.ApiKey).where(
        models.ApiKey.organization_id == organization_id))


def test_recruiters_get_403_on_admin_pages(client, session, tenant) -> None:
    create_user(session, tenant.organization_id, "rita@example.com", "Rita", PASSWORD)
    session.commit()
    _login(client, "rita@example.com")
    for path in ("/ui/admin/keys", "/ui/admin/users"):
        assert client.get(path).status_code == 403
    token = _csrf(client, "/ui/")
    refused = client.post("/ui/admin/keys", data={"action": "create", "name": "x",
                                                  "scopes": "read", "csrf_token": token})
    assert refused.status_code == 403
    assert _keys(session, tenant.organization_id) == 1


def test_a_new_key_is_shown_once_and_works(client, session, tenant, admin) -> None:
    listed = client.get("/ui/admin/keys").get_data(as_text=True)
    assert "Keys of your organization" in listed and "default" in listed
    response = _post(client, "/ui/admin/keys", action="create", name="HR system",
                     scopes=["read", "write"])
    page = response.get_data(as_text=True)
    assert response.status_code == 201
    key = re.search(r'id="new-key"[^>]*value="(tm_[^"]+)"', page).group(1)
    principal = authenticate(session, key)
    assert principal.organization_id == tenant.organization_id
    assert principal.scopes == {"read", "write"}
    again = client.get("/ui/admin/keys").get_data(as_text=True)
    assert "HR system" in again and key not in again
    # The issue is on the record under the admin's name.
    actor = session.scalar(select(models.AuditEvent.actor).where(
        models.AuditEvent.action == "POST /ui/admin/keys"))
    assert actor == f"user:{admin.id}"


@pytest.mark.parametrize(("form", "message"), [
    ({"name": "", "scopes": ["read"]}, "name-error"),
    ({"name": "No scopes"}, "scopes-error"),
    ({"name": "Root", "scopes": ["root"]}, "scopes-error"),
])
def test_bad_key_requests_change_nothing(client, session, tenant, admin, form,
                                         message) -> None:
    response = _post(client, "/ui/admin/keys", action="create", **form)
    assert response.status_code == 400
    assert f'id="{message}"' in response.get_data(as_text=True)
    assert _keys(session, tenant.organization_id) == 1


def test_keys_are_revoked_but_never_the_last_admin_key(client, session, tenant,
                                                       admin) -> None:
    only = session.scalar(select(models.ApiKey.id).where(
        models.ApiKey.organization_id == tenant.organization_id))
    refused = _post(client, "/ui/admin/keys", action="revoke", key_id=only)
    assert refused.status_code == 409
    assert "last active admin key" in refused.get_data(as_text=True)
    assert authenticate(session, tenant.key) is not None
    _post(client, "/ui/admin/keys", action="create", name="Spare", scopes=["admin"])
    revoked = _post(client, "/ui/admin/keys", action="revoke", key_id=only)
    assert revoked.status_code == 200 and "is revoked" in revoked.get_data(as_text=True)
    session.expire_all()
    assert authenticate(session, tenant.key) is None


def test_other_organizations_keys_cannot_be_revoked(client, session, other_tenant,
                                                    admin) -> None:
    theirs = session.scalar(select(models.ApiKey.id).where(
        models.ApiKey.organization_id == other_tenant.organization_id))
    response = _post(client, "/ui/admin/keys", action="revoke", key_id=theirs)
    assert response.status_code == 404
    for bad in ("abc", ""):
        assert _post(client, "/ui/admin/keys", action="revoke",
                     key_id=bad).status_code == 400
    assert authenticate(session, other_tenant.key) is not None


def test_forms_without_csrf_are_refused(client, session, tenant, admin) -> None:
    response = client.post("/ui/admin/keys", data={"action": "create", "name": "x",
                                                   "scopes": "read"})
    assert response.status_code == 400
    assert _keys(session, tenant.organization_id) == 1


def test_admins_add_users_who_can_then_sign_in(client, session, admin) -> None:
    response = _post(client, "/ui/admin/users", email="Nina@Example.com", name="Nina",
                     role="recruiter", password="a long passphrase")
    page = response.get_data(as_text=True)
    assert response.status_code == 201 and "can now sign in as recruiter" in page
    assert "Nina@Example.com" in page and "adam@example.com" in page
    user = authenticate_user(session, "nina@example.com", "a long passphrase")
    assert user is not None and user.role == "recruiter"
    assert "a long passphrase" not in page


@pytest.mark.parametrize(("form", "status", "field"), [
    ({"email": "nina@example.com", "password": "short"}, 400, "password"),
    ({"email": "not-an-address", "password": "a long passphrase"}, 400, "email"),
    ({"email": "nina@example.com", "password": "a long passphrase", "role": "boss"}, 400,
     "role"),
    ({"email": "ADAM@example.com", "password": "a long passphrase"}, 409, "email"),
    ({"email": "nina@example.com", "password": "a long passphrase", "name": "N" * 201}, 400,
     "name"),
])
def test_bad_users_are_refused_with_a_message(client, session, admin, form, status,
                                              field) -> None:
    before = session.scalar(select(func.count()).select_from(models.User))
    response = _post(client, "/ui/admin/users", **{"role": "recruiter", "name": "Nina",
                                                   **form})
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert f'id="{field}-error"' in page and "The user was not added" in page
    assert session.scalar(select(func.count()).select_from(models.User)) == before


def test_users_of_other_organizations_are_not_listed(client, session, other_tenant,
                                                     admin) -> None:
    create_user(session, other_tenant.organization_id, "zed@example.com", "Zed", PASSWORD)
    session.commit()
    page = client.get("/ui/admin/users").get_data(as_text=True)
    assert "adam@example.com" in page and "zed@example.com" not in page
