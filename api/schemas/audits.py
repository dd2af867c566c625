"""Schemas of the audit log and of bias audits."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from api.schemas.common import PageArgs, Text

__all__ = ["AuditEventSchema", "AuditLogArgs"]


class AuditLogArgs(PageArgs):
    actor = Text(200, metadata={"description": "e.g. key:12"})
    action = Text(200, metadata={"description": "Part of the action, e.g. 'rankings' or 'POST'"})
    method = ma.fields.String(validate=validate.OneOf(["POST", "PUT", "PATCH", "DELETE"]))
    resource_type = Text(50, metadata={"description": "e.g. candidates, jobs, rankings"})
    resource_id = Text(200)
    since = ma.fields.AwareDateTime(default_timezone=None, metadata={
        "description": "From this moment (ISO 8601 with a time zone)"})
    until = ma.fields.AwareDateTime(default_timezone=None,
                                    metadata={"description": "Before this moment"})


class AuditEventSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    at = ma.fields.DateTime(required=True)
    actor = ma.fields.String(required=True, metadata={"description": "key:<id> of the caller"})
    action = ma.fields.String(required=True, metadata={"description": "METHOD /route"})
    method = ma.fields.String(required=True)
    path = ma.fields.String(required=True)
    resource_type = ma.fields.String(allow_none=True)
    resource_id = ma.fields.String(allow_none=True)
    fingerprint = ma.fields.String(allow_none=True, metadata={
        "description": "SHA-256 of the query string and body as received"})
    policy_version = ma.fields.String(allow_none=True)
    detail = ma.fields.Dict(allow_none=True)


class AuditRecordSchema(ma.Schema):
    score = ma.fields.Float(required=True, allow_nan=False)
    selected = ma.fields.Boolean(required=True)
    sex = ma.fields.String(allow_none=True, load_default=None,
                           validate=validate.Length(max=100))
    race_ethnicity = ma.fields.String(allow_none=True, load_default=None,
                                      validate=validate.Length(max=100))


class BiasAuditInSchema(ma.Schema):
    """Either ``records`` (data from any system), or which stored rankings to audit."""

    records = ma.fields.List(ma.fields.Nested(AuditRecordSchema),
                             validate=validate.Length(min=1, max=200_000), metadata={
                                 "description": "score, selected, sex, race_ethnicity; a "
                                                "missing or declined category is unknown"})
    job_ids = ma.fields.List(ma.fields.Integer(validate=validate.Range(1, 2**31 - 1)),
                             load_default=list, validate=validate.Length(max=1000))
    ranking_ids = ma.fields.List(ma.fields.Integer(validate=validate.Range(1, 2**31 - 1)),
                                 load_default=list, validate=validate.Length(max=1000))
    since = ma.fields.Date(load_default=None, metadata={"description": "Runs from this date"})
    until = ma.fields.Date(load_default=None, metadata={"description": "Runs up to this date"})
    shortlist = ma.fields.Integer(load_default=None, validate=validate.Range(1, 10_000_000),
                                  metadata={"description": "Selected = within the first N "
                                                           "(default: qualified)"})
    small_share = ma.fields.Float(load_default=0.02, validate=validate.Range(0, 1))
    exclude_small = ma.fields.Boolean(load_default=False, metadata={
        "description": "Leave categories under small_share out of the impact ratios "
                       "(6 RCNY §5-301(d))"})

    @ma.validates_schema
    def _one_source(self, data: dict, **_: object) -> None:
        ranking_filters = [k for k in ("job_ids", "ranking_ids", "since", "until", "shortlist")
                           if data.get(k)]
        if "records" in data and ranking_filters:
            raise ma.ValidationError(
                f"Give records, or {', '.join(ranking_filters)}, not both.", "records")
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise ma.ValidationError("Must not be before since.", "until")


class BiasAuditArgs(ma.Schema):
    format = ma.fields.String(validate=validate.OneOf(["json", "csv"]), metadata={
        "description": "csv for the tables as CSV (or send Accept: text/csv)"})
