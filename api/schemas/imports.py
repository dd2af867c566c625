"""Schemas of the importers' answers (their request bodies are the standards' documents)."""

from __future__ import annotations

import marshmallow as ma

from api.schemas.common import Text
from api.schemas.jobs import JobOutSchema

__all__ = ["BadgeImportOutSchema", "BadgeListSchema", "BadgesInSchema", "CtdlImportOutSchema",
           "ImportArgs", "JobImportOutSchema", "ResumeImportOutSchema"]


class ImportArgs(ma.Schema):
    external_id = Text(200, metadata={
        "description": "The HR system's id for a single document (default: for a resume "
                       "basics.email, for a posting its identifier)"})


class MappedSchema(ma.Schema):
    path = ma.fields.String(required=True, metadata={"description": "Where in the document"})
    to = ma.fields.String(required=True, metadata={"description": "What it became"})
    value = ma.fields.Raw(allow_none=True)


class UnrecognisedSchema(ma.Schema):
    path = ma.fields.String(required=True)
    value = ma.fields.Raw(allow_none=True)
    reason = ma.fields.String(required=True)


class _Report(ma.Schema):
    mapped = ma.fields.List(ma.fields.Nested(MappedSchema), required=True)
    unrecognised = ma.fields.List(ma.fields.Nested(UnrecognisedSchema), required=True)


class ResumeResultSchema(_Report):
    index = ma.fields.Integer(required=True)
    external_id = ma.fields.String(required=True)
    id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, metadata={"enum": ["created", "updated"]})
    issuers_added = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "Issuers added to the registry, unreviewed, for this resume"})


class ResumeImportOutSchema(ma.Schema):
    created = ma.fields.Integer(required=True)
    updated = ma.fields.Integer(required=True)
    results = ma.fields.List(ma.fields.Nested(ResumeResultSchema), required=True)


class JobImportOutSchema(_Report):
    job = ma.fields.Nested(JobOutSchema, required=True)
    created = ma.fields.Boolean(required=True)
    to_confirm = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "Requirements found in the posting's text, for a recruiter to confirm"})


class RegistryItemSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    status = ma.fields.String(required=True,
                              metadata={"enum": ["created", "updated", "unchanged"]})
    reviewed = ma.fields.Boolean()
    issuer_id = ma.fields.Integer()
    index = ma.fields.Integer()


class CtdlImportOutSchema(_Report):
    issuers = ma.fields.List(ma.fields.Nested(RegistryItemSchema), required=True)
    offerings = ma.fields.List(ma.fields.Nested(RegistryItemSchema), required=True)


class BadgesInSchema(ma.Schema):
    """One badge (``credential``) or several (``credentials``), with optional status lists."""

    credential = ma.fields.Raw(metadata={
        "description": "An OB 3.0 credential (JSON-LD with a proof, or a VC-JWT string) or an "
                       "OB 2.0 assertion (hosted JSON, or a signed JWS string)"})
    credentials = ma.fields.List(ma.fields.Raw(), validate=ma.validate.Length(min=1, max=50))
    status_lists = ma.fields.Dict(
        keys=Text(2000), values=ma.fields.Raw(), load_default=dict,
        validate=ma.validate.Length(max=20), metadata={
            "description": "Revocation or status lists by URL (OB 2.0 RevocationList, 1EdTech "
                           "revocation list, BitstringStatusList / StatusList2021 credential); "
                           "kept and used for later badges too"})

    linked = ma.fields.Dict(
        keys=Text(2000), values=ma.fields.Dict(), load_default=dict,
        validate=ma.validate.Length(max=50), metadata={
            "description": "Documents a badge names only by URL, by that URL: an OB 2.0 "
                           "BadgeClass or Issuer, an OB 3.0 Achievement or Profile (nothing "
                           "is fetched)"})

    @ma.validates_schema
    def _one_form(self, data: dict, **_: object) -> None:
        if ("credential" in data) == ("credentials" in data):
            raise ma.ValidationError("Give either credential or credentials.", "credential")
        field = "credential" if "credential" in data else "credentials"
        values = [data["credential"]] if field == "credential" else data["credentials"]
        if not all(isinstance(v, dict | str) and v for v in values):
            raise ma.ValidationError("A badge is a JSON object or a compact JWS/JWT string.",
                                     field)
        for url, document in data.get("status_lists", {}).items():
            if not isinstance(document, dict | str):
                raise ma.ValidationError({url: ["A status list is a JSON object or a JWT."]},
                                         "status_lists")


class CheckSchema(ma.Schema):
    name = ma.fields.String(required=True)
    outcome = ma.fields.String(required=True,
                               metadata={"enum": ["passed", "failed", "not-checked", "warning"]})
    detail = ma.fields.String(allow_none=True)


class BadgeVerificationSchema(ma.Schema):
    status = ma.fields.String(required=True,
                              metadata={"enum": ["verified", "unverified", "failed", "revoked"]})
    method = ma.fields.String(allow_none=True)
    detail = ma.fields.String(allow_none=True)
    checked_at = ma.fields.String(required=True)
    format = ma.fields.String(required=True)
    key_id = ma.fields.String(allow_none=True)
    checks = ma.fields.List(ma.fields.Nested(CheckSchema), required=True)


class BadgeIssuerSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    reviewed = ma.fields.Boolean(required=True)
    added = ma.fields.Boolean(required=True, metadata={
        "description": "Added to the registry from the badge's issuer profile (unreviewed)"})


class BadgeResultSchema(_Report):
    credential_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    issuer = ma.fields.Nested(BadgeIssuerSchema, required=True)
    verification = ma.fields.Nested(BadgeVerificationSchema, required=True)


class BadgeImportOutSchema(ma.Schema):
    candidate_id = ma.fields.Integer(required=True)
    results = ma.fields.List(ma.fields.Nested(BadgeResultSchema), required=True)


class HeldBadgeSchema(ma.Schema):
    credential_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    issuer = ma.fields.String(allow_none=True)
    issuer_id = ma.fields.Integer(allow_none=True)
    format = ma.fields.String(allow_none=True)
    verification = ma.fields.Dict(required=True)
    document = ma.fields.Raw(allow_none=True, metadata={
        "description": "The badge as it was submitted (JSON-LD object or compact JWS)"})


class BadgeListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(HeldBadgeSchema), required=True)
