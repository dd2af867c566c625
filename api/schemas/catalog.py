"""Credential catalogue (upskilling offerings) schemas."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import validate

from api.schemas.common import Code, Id, SkillRefSchema, Text, Url
from matcher.model import CredentialKind, Delivery

__all__ = ["SKILL_LIST", "OfferingInSchema", "OfferingOutSchema"]


def SKILL_LIST(**kwargs: Any) -> ma.fields.List:
    """Skill names as people write them; resolved to canonical ids on write."""
    return ma.fields.List(Text(200), validate=validate.Length(max=100), **kwargs)


class OfferingInSchema(ma.Schema):
    name = Text(300, required=True)
    issuer_id = Id(metadata={"description": "Registry id of the issuer (or give `issuer`)"})
    issuer = Text(200, metadata={"description": "Registry name of the issuer, any case"})
    kind = ma.fields.Enum(CredentialKind, by_value=True, required=True)
    skills = SKILL_LIST(required=True)
    duration_weeks = ma.fields.Float(allow_none=True, load_default=None,
                                     validate=validate.Range(0, 520, min_inclusive=False))
    cost = ma.fields.Float(allow_none=True, load_default=None,
                           validate=validate.Range(0, 1_000_000_000))
    currency = Code(3, load_default="USD", metadata={"description": "ISO 4217 code"})
    delivery = ma.fields.Enum(Delivery, by_value=True, load_default=Delivery.ONLINE)
    url = Url(allow_none=True, load_default=None)

    @ma.validates_schema
    def _issuer_given(self, data: dict, **_: Any) -> None:
        if data.get("issuer_id") is None and not data.get("issuer"):
            raise ma.ValidationError("Give issuer_id or issuer.", "issuer_id")


class OfferingOutSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    issuer_id = ma.fields.Integer(required=True)
    issuer = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    skills = ma.fields.List(ma.fields.Nested(SkillRefSchema))
    duration_weeks = ma.fields.Float(allow_none=True)
    cost = ma.fields.Float(allow_none=True)
    currency = ma.fields.String()
    delivery = ma.fields.String()
    url = ma.fields.String(allow_none=True)
