"""``/api/v1/keys``: an admin issues, lists and revokes its organization's API keys.

A new key's plaintext is answered once and stored only as a SHA-256 hash.
Revoking is idempotent (a revoked key stays revoked: 204), except that the
organization's last active admin key cannot be revoked (409), so no
organization can lock itself out of its own key management.
"""

from __future__ import annotations

from flask.views import MethodView

from api.auth import protect, requires
from api.db import get_session
from api.openapi import Blueprint, errors
from api.repositories.organizations import ApiKeyInfo, ApiKeyRepository
from api.schemas.common import PageArgs, page_schema
from api.schemas.keys import KeyCreatedSchema, KeyInSchema, KeyOutSchema
from api.wiring import commit, organization_id

__all__ = ["blp", "key_out"]

blp = Blueprint("keys", __name__, url_prefix="/api/v1",
                description="API keys of the organization (admin scope)")
protect(blp)
KeyPage = page_schema(KeyOutSchema, "KeyPage")


def _keys() -> ApiKeyRepository:
    return ApiKeyRepository(get_session(), organization_id())


def key_out(key: ApiKeyInfo) -> dict:
    return {"id": key.id, "name": key.name, "scopes": list(key.scopes), "prefix": key.prefix,
            "created_at": key.created_at, "revoked_at": key.revoked_at}


@blp.route("/keys")
class Keys(MethodView):
    @requires("admin")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, KeyPage)
    @errors(blp, 403)
    def get(self, page: dict) -> dict:
        """List the organization's keys, revoked ones included, oldest first."""
        items, total = _keys().list(page["limit"], page["offset"])
        return {"items": [key_out(k) for k in items], "total": total, **page}

    @requires("admin")
    @blp.arguments(KeyInSchema)
    @blp.response(201, KeyCreatedSchema)
    @errors(blp, 403)
    def post(self, data: dict) -> dict:
        """Issue a key; its plaintext is in this answer and nowhere else, ever."""
        info, plaintext = _keys().issue(data["name"], tuple(data["scopes"]))
        commit()
        created = key_out(info)
        del created["revoked_at"]
        return {**created, "key": plaintext}


@blp.route("/keys/<id:key_id>")
class KeyById(MethodView):
    @requires("admin")
    @blp.response(200, KeyOutSchema)
    @errors(blp, 403, 404)
    def get(self, key_id: int) -> dict:
        """One key (never its secret)."""
        return key_out(_keys().get(key_id))

    @requires("admin")
    @blp.response(204)
    @errors(blp, 403, 404, 409)
    def delete(self, key_id: int) -> None:
        """Revoke a key: requests with it get 401 from now on.

        Revoking a revoked key changes nothing (204). The last active admin
        key of the organization is a 409: issue another admin key first.
        """
        _keys().revoke(key_id)
        commit()
