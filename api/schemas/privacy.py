"""The export of everything held about a candidate (``GET /candidates/{id}/export``)."""

from __future__ import annotations

import marshmallow as ma

from api.schemas.candidates import CredentialOutSchema, ExperienceOutSchema
from api.schemas.common import SkillRefSchema

__all__ = ["CandidateExportSchema"]


class ExportCredentialSchema(CredentialOutSchema):
    badge = ma.fields.Raw(allow_none=True, metadata={
        "description": "The Open Badge it came from, as received: format, id and the "
                       "document (null for other credentials)"})


class ExportProfileSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    external_id = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    email = ma.fields.String(allow_none=True)
    location = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)
    credentials = ma.fields.List(ma.fields.Nested(ExportCredentialSchema), required=True)
    experience = ma.fields.List(ma.fields.Nested(ExperienceOutSchema), required=True)
    skills = ma.fields.List(ma.fields.Nested(SkillRefSchema), required=True, metadata={
        "description": "Skills the person declared"})


class ExportDemographicsSchema(ma.Schema):
    sex = ma.fields.String(allow_none=True)
    race_ethnicity = ma.fields.String(allow_none=True)
    updated_at = ma.fields.DateTime(required=True)


class ExportRankingSchema(ma.Schema):
    run_id = ma.fields.Integer(required=True)
    job_id = ma.fields.Integer(allow_none=True, required=True,
                               metadata={"description": "null once the job was deleted"})
    job_title = ma.fields.String(allow_none=True, required=True)
    created_at = ma.fields.DateTime(required=True)
    rank = ma.fields.Integer(allow_none=True, required=True, metadata={
        "description": "null when the run's stored page did not reach them (pool only)"})
    score = ma.fields.Float(required=True)
    qualified = ma.fields.Boolean(required=True)
    trainable = ma.fields.Boolean(allow_none=True, required=True)
    breakdown = ma.fields.Dict(allow_none=True, required=True, metadata={
        "description": "The result as the run stored it, with its explanation"})


class ExportDecisionSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    job_id = ma.fields.Integer(allow_none=True, required=True)
    job_title = ma.fields.String(allow_none=True, required=True)
    ranking_run_id = ma.fields.Integer(allow_none=True, required=True)
    decision = ma.fields.String(required=True)
    reason = ma.fields.String(required=True)
    decided_by = ma.fields.String(required=True)
    decided_at = ma.fields.DateTime(required=True)
    ranked_qualified = ma.fields.Boolean(allow_none=True, required=True)
    ranked_rank = ma.fields.Integer(allow_none=True, required=True)
    ranked_score = ma.fields.Float(allow_none=True, required=True)


class ExportAuditEventSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    at = ma.fields.DateTime(required=True)
    actor = ma.fields.String(required=True)
    action = ma.fields.String(required=True)
    method = ma.fields.String(required=True)
    path = ma.fields.String(required=True)
    resource_type = ma.fields.String(allow_none=True, required=True)
    resource_id = ma.fields.String(allow_none=True, required=True)
    fingerprint = ma.fields.String(allow_none=True, required=True)
    policy_version = ma.fields.String(allow_none=True, required=True)
    detail = ma.fields.Raw(allow_none=True, required=True)


class CandidateExportSchema(ma.Schema):
    exported_at = ma.fields.DateTime(required=True)
    candidate = ma.fields.Nested(ExportProfileSchema, required=True)
    demographics = ma.fields.Nested(ExportDemographicsSchema, allow_none=True, required=True,
                                    metadata={"description": "Self-reported; null if none"})
    rankings = ma.fields.List(ma.fields.Nested(ExportRankingSchema), required=True, metadata={
        "description": "Every stored ranking run that ranked them, oldest run first"})
    decisions = ma.fields.List(ma.fields.Nested(ExportDecisionSchema), required=True, metadata={
        "description": "Recruiters' decisions about them"})
    audit_events = ma.fields.List(ma.fields.Nested(ExportAuditEventSchema), required=True,
                                  metadata={"description": "Audit log entries naming them"})
