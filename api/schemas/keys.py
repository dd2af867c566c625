"""API key schemas: what an admin sends to issue a key, and what it sees of keys."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from api.repositories.organizations import SCOPES
from api.schemas.common import Text

__all__ = ["KeyCreatedSchema", "KeyInSchema", "KeyOutSchema"]


class KeyInSchema(ma.Schema):
    name = Text(200, required=True, metadata={
        "description": "What the key is for, e.g. the HR system that holds it"})
    scopes = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(SCOPES)), required=True,
        validate=validate.Length(min=1, max=len(SCOPES)),
        metadata={"description": "read, write and/or admin (independent of each other)",
                  "uniqueItems": True})

    @ma.validates("scopes")
    def _distinct(self, scopes: list[str], **_: object) -> None:
        if len(set(scopes)) != len(scopes):
            raise ma.ValidationError("Name each scope once.")


class KeyOutSchema(ma.Schema):
    """A key as listed: never its secret or its hash."""

    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    scopes = ma.fields.List(ma.fields.String(metadata={"enum": list(SCOPES)}), required=True)
    prefix = ma.fields.String(required=True, metadata={
        "description": "The key's public lookup prefix (tm_<prefix>_...), to tell keys apart"})
    created_at = ma.fields.DateTime(required=True)
    revoked_at = ma.fields.DateTime(allow_none=True, required=True, metadata={
        "description": "When it was revoked; null while it works"})


class KeyCreatedSchema(KeyOutSchema):
    """A new key, with its plaintext: shown this once, stored only as a SHA-256 hash."""

    class Meta:
        exclude = ("revoked_at",)

    key = ma.fields.String(required=True, metadata={
        "description": "Send as Authorization: Bearer <key>; it cannot be shown again"})
