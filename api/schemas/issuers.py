"""Issuer registry schemas."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import validate

from api.schemas.common import CONTROL, Code, DateField, Text, Url
from matcher.model import AccreditationStatus

__all__ = ["AccreditationSchema", "IssuerInSchema", "IssuerOutSchema", "IssuerPatchSchema"]


class AccreditationSchema(ma.Schema):
    accrediting_body = Text(200, required=True)
    status = ma.fields.Enum(AccreditationStatus, by_value=True, required=True)
    valid_from = DateField(allow_none=True, load_default=None)
    valid_until = DateField(allow_none=True, load_default=None)
    scope = Text(500, allow_none=True, load_default=None)

    @ma.validates_schema
    def _ordered(self, data: dict, **_: Any) -> None:
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            raise ma.ValidationError("Must not be before valid_from.", "valid_until")


class Jwk(ma.fields.Dict):
    """A JSON Web Key: short member names, string (or string-list) values."""

    def __init__(self, **kwargs: Any):
        super().__init__(
            keys=ma.fields.String(validate=validate.Regexp(r"^[A-Za-z0-9_]{1,50}\Z")),
            **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dict:
        jwk = super()._deserialize(value, attr, data, **kwargs)
        if len(jwk) > 30:
            raise ma.ValidationError("A JWK has at most 30 members.")
        for member, item in jwk.items():
            items = item if isinstance(item, list) else [item]
            if not all(isinstance(i, str) and len(i) <= 5000 and not CONTROL.search(i)
                       for i in items) or len(items) > 30:
                raise ma.ValidationError(
                    f"Member {member!r} must be a string or a list of strings.")
        return jwk


class PublicKeySchema(ma.Schema):
    """A verification key the issuer signs with (JWK, multibase or PEM)."""

    id = Text(500, required=True)
    type = Text(100, load_default="JsonWebKey")
    public_key_jwk = Jwk()
    public_key_multibase = Text(200)
    public_key_pem = Text(5000)

    @ma.validates_schema
    def _one_form(self, data: dict, **_: Any) -> None:
        forms = [k for k in ("public_key_jwk", "public_key_multibase", "public_key_pem")
                 if data.get(k) is not None]
        if len(forms) != 1:
            raise ma.ValidationError(
                "Give exactly one of public_key_jwk, public_key_multibase, public_key_pem.")


class IssuerInSchema(ma.Schema):
    name = Text(200, required=True)
    url = Url(allow_none=True, load_default=None)
    country = Code(2, allow_none=True, load_default=None,
                   metadata={"description": "ISO 3166-1 alpha-2 code"})
    did = Text(500, allow_none=True, load_default=None)
    public_keys = ma.fields.List(ma.fields.Nested(PublicKeySchema), load_default=list,
                                 validate=validate.Length(max=20))
    industry_recognized = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "The employer accepts this issuer in its industry (+0.15 trust)"})
    accreditations = ma.fields.List(ma.fields.Nested(AccreditationSchema), load_default=list,
                                    validate=validate.Length(max=50))


class IssuerPatchSchema(IssuerInSchema):
    """Any subset of the issuer's fields (load it with ``partial=True``).

    ``accreditations`` and ``public_keys`` replace their lists.
    """

    reviewed = ma.fields.Boolean(
        metadata={"description": "Mark an importer-added issuer as reviewed"})


class IssuerOutSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    url = ma.fields.String(allow_none=True)
    country = ma.fields.String(allow_none=True)
    did = ma.fields.String(allow_none=True)
    public_keys = ma.fields.List(ma.fields.Dict())
    industry_recognized = ma.fields.Boolean()
    reviewed = ma.fields.Boolean()
    accreditations = ma.fields.List(ma.fields.Nested(AccreditationSchema))
