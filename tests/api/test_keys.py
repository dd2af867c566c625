"""``/api/v1/keys``: admins issue, list and revoke their organization's API keys."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from api import models
from tests.api.conftest import key_for
from tests.api.helpers import Caller, assert_invalid, assert_problem

KEY_FIELDS = {"id", "name", "scopes", "prefix", "created_at", "revoked_at"}


def issue(api: Caller, name: str = "ATS export", scopes: list[str] | None = None) -> dict:
    return api.create("/keys", {"name": name, "scopes": scopes or ["read"]})


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def own_key_id(api: Caller, session, tenant) -> int:
    prefix = tenant.key.split("_")[1]
    return session.scalar(select(models.ApiKey.id).where(models.ApiKey.prefix == prefix))


# -- create -------------------------------------------------------------------------------

def test_create_shows_the_key_once_and_it_works_for_its_scopes(api, client):
    created = issue(api, "Workday sync", ["read"])
    assert set(created) == KEY_FIELDS - {"revoked_at"} | {"key"}
    assert created["name"] == "Workday sync" and created["scopes"] == ["read"]
    assert created["key"].startswith(f"tm_{created['prefix']}_")
    reader = Caller(client, bearer(created["key"]))
    assert reader.get("/candidates").status_code == 200
    assert_problem(reader.post("/issuers", {"name": "Northwind"}), 403)
    assert api.total("/issuers") == 0
    # The plaintext is never answered again.
    shown = api.get(f"/keys/{created['id']}")
    assert shown.status_code == 200 and created["key"] not in shown.get_data(as_text=True)
    assert set(shown.get_json()) == KEY_FIELDS


def test_only_the_hash_is_stored(api, session):
    created = issue(api)
    row = session.scalar(select(models.ApiKey).where(models.ApiKey.id == created["id"]))
    assert row.key_hash == hashlib.sha256(created["key"].encode()).hexdigest()
    # tm_<prefix>_<secret>: the secret itself may contain "_", so cut at the prefix.
    secret = created["key"].removeprefix(f"tm_{row.prefix}_")
    assert len(secret) == 43
    stored = [row.name, row.prefix, row.key_hash, row.scopes]
    assert not any(secret in value for value in stored)


def test_scopes_are_answered_in_a_fixed_order_and_an_admin_key_can_manage_keys(api, client):
    created = issue(api, "Second admin", ["admin", "read"])
    assert created["scopes"] == ["read", "admin"]
    admin = Caller(client, bearer(created["key"]))
    assert admin.total("/keys") == 2
    assert_problem(admin.post("/issuers", {"name": "Northwind"}), 403)


@pytest.mark.parametrize("body, path", [
    ({"scopes": ["read"]}, "name"),
    ({"name": "x"}, "scopes"),
    ({"name": "x", "scopes": []}, "scopes"),
    ({"name": "x", "scopes": ["root"]}, "scopes.0"),
    ({"name": "x", "scopes": ["read", "read"]}, "scopes"),
    ({"name": "x", "scopes": "read"}, "scopes"),
    ({"name": "   ", "scopes": ["read"]}, "name"),
    ({"name": "x" * 201, "scopes": ["read"]}, "name"),
    ({"name": "x", "scopes": ["read"], "key": "tm_mine"}, "key"),
])
def test_invalid_requests_are_422_and_issue_nothing(api, body, path):
    assert_invalid(api.post("/keys", body), path)
    assert api.total("/keys") == 1


# -- list and read ------------------------------------------------------------------------

def test_list_pages_through_keys_without_secrets(api, tenant):
    created = [issue(api, f"key {i}") for i in range(3)]
    response = api.get("/keys?limit=2&offset=1")
    assert response.status_code == 200
    page = response.get_json()
    assert (page["total"], page["limit"], page["offset"]) == (4, 2, 1)
    assert [k["id"] for k in page["items"]] == [created[0]["id"], created[1]["id"]]
    assert all(set(item) == KEY_FIELDS for item in page["items"])
    everything = api.get("/keys?limit=500").get_data(as_text=True)
    for key in [tenant.key] + [c["key"] for c in created]:
        # tm_<hex prefix>_<secret>: the secret itself may contain "_".
        assert key.split("_", 2)[2] not in everything
    assert "hash" not in everything


def test_another_organizations_key_is_404(api, other_api, client):
    theirs = issue(other_api, "Globex ATS")
    assert_problem(api.get(f"/keys/{theirs['id']}"), 404)
    assert_problem(api.delete(f"/keys/{theirs['id']}"), 404)
    assert theirs["id"] not in [k["id"] for k in api.get("/keys").get_json()["items"]]
    assert Caller(client, bearer(theirs["key"])).get("/candidates").status_code == 200


def test_an_unknown_key_is_404(api):
    assert_problem(api.get("/keys/2147483647"), 404)
    assert_problem(api.delete("/keys/2147483647"), 404)


# -- revoke -------------------------------------------------------------------------------

def test_revoke_then_the_key_is_401_and_revoking_again_changes_nothing(api, client):
    created = issue(api, "Old ATS", ["read", "write"])
    holder = Caller(client, bearer(created["key"]))
    assert holder.get("/candidates").status_code == 200
    assert api.delete(f"/keys/{created['id']}").status_code == 204
    assert_problem(holder.get("/candidates"), 401)
    assert_problem(holder.post("/issuers", {"name": "Northwind"}), 401)
    revoked_at = api.get(f"/keys/{created['id']}").get_json()["revoked_at"]
    assert revoked_at is not None
    assert api.delete(f"/keys/{created['id']}").status_code == 204
    assert api.get(f"/keys/{created['id']}").get_json()["revoked_at"] == revoked_at
    assert api.total("/keys") == 2  # revoked keys stay listed, for the record


def test_the_last_active_admin_key_cannot_be_revoked(api, client, session, tenant):
    own = own_key_id(api, session, tenant)
    body = assert_problem(api.delete(f"/keys/{own}"), 409)
    assert "admin" in body["detail"]
    assert api.get(f"/keys/{own}").get_json()["revoked_at"] is None
    # With a second admin key the first may go, and then the second is the last.
    second = issue(api, "Break glass", ["admin"])
    assert api.delete(f"/keys/{own}").status_code == 204
    assert_problem(api.get("/keys"), 401)
    admin = Caller(client, bearer(second["key"]))
    assert_problem(admin.delete(f"/keys/{second['id']}"), 409)
    assert admin.get(f"/keys/{second['id']}").get_json()["revoked_at"] is None


def test_a_non_admin_key_may_be_revoked_while_one_admin_key_remains(api):
    reader = issue(api, "Reader", ["read"])
    assert api.delete(f"/keys/{reader['id']}").status_code == 204


# -- authorization ------------------------------------------------------------------------

def test_keys_need_the_admin_scope(api, client, session, tenant):
    own = own_key_id(api, session, tenant)
    worker = Caller(client, key_for(session, tenant, "read", "write"))
    assert_problem(worker.get("/keys"), 403)
    assert_problem(worker.get(f"/keys/{own}"), 403)
    assert_problem(worker.post("/keys", {"name": "Escalate", "scopes": ["admin"]}), 403)
    assert_problem(worker.delete(f"/keys/{own}"), 403)
    assert api.total("/keys") == 2
    assert api.get(f"/keys/{own}").get_json()["revoked_at"] is None


def test_keys_need_a_key(anonymous):
    assert_problem(anonymous.get("/keys"), 401)
    assert_problem(anonymous.post("/keys", {"name": "x", "scopes": ["admin"]}), 401)
