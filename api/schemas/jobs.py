"""Job schemas: requirements, education and the policy a job may override."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from api.schemas.common import PageArgs, Text
from matcher.model import EducationLevel, Importance, JobStatus

__all__ = ["JobInSchema", "JobListArgs", "JobOutSchema", "PolicyOverridesSchema"]


class RequirementInSchema(ma.Schema):
    skill = Text(200, required=True,
                 metadata={"description": "Skill name as the recruiter writes it"})
    importance = ma.fields.Enum(Importance, by_value=True, load_default=Importance.REQUIRED)
    weight = ma.fields.Float(allow_none=True, load_default=None,
                             validate=validate.Range(0, 100, min_inclusive=False),
                             metadata={"description": "Default: 2 when required, 1 when preferred"})
    min_years = ma.fields.Float(allow_none=True, load_default=None, validate=validate.Range(0, 60))
    to_confirm = ma.fields.Boolean(load_default=False, metadata={
        "description": "Inferred from the posting's text by an importer; a recruiter should "
                       "confirm it (send false). Scored like any other requirement."})


class RequirementOutSchema(ma.Schema):
    skill = ma.fields.String(required=True)
    skill_id = ma.fields.String(allow_none=True)
    importance = ma.fields.String(required=True)
    weight = ma.fields.Float(required=True)
    min_years = ma.fields.Float(allow_none=True)
    to_confirm = ma.fields.Boolean(required=True)


class EducationSchema(ma.Schema):
    level = ma.fields.Enum(EducationLevel, by_value=True, required=True)
    experience_in_place_months = ma.fields.Integer(
        allow_none=True, load_default=None, validate=validate.Range(0, 600),
        metadata={"description": "Months of relevant experience accepted instead (null: none)"})


class PolicyOverridesSchema(ma.Schema):
    """The scoring choices a job (or one ranking request) may make for itself."""

    mode = ma.fields.String(validate=validate.OneOf(["hard", "soft"]), metadata={
        "description": "hard: qualified candidates first; soft: by score alone"})
    match_threshold = ma.fields.Float(validate=validate.Range(0, 1), metadata={
        "description": "A requirement is met at this match (default 0.35)"})
    related_skills = ma.fields.Boolean(metadata={
        "description": "Credit related skills through the skill graph (default true)"})
    trainable_max_weeks = ma.fields.Float(validate=validate.Range(0, 520), metadata={
        "description": "Gaps closable within this many weeks make a candidate trainable "
                       "(default 12)"})


class JobInSchema(ma.Schema):
    external_id = Text(200, required=True)
    title = Text(300, required=True)
    industry = Text(200, allow_none=True, load_default=None)
    description = Text(20_000, allow_none=True, load_default=None, allow_empty=True)
    status = ma.fields.Enum(JobStatus, by_value=True, load_default=JobStatus.OPEN)
    requirements = ma.fields.List(ma.fields.Nested(RequirementInSchema), required=True,
                                  validate=validate.Length(min=1, max=100))
    min_total_years = ma.fields.Float(allow_none=True, load_default=None,
                                      validate=validate.Range(0, 60))
    education = ma.fields.Nested(EducationSchema, allow_none=True, load_default=None)
    policy_overrides = ma.fields.Nested(PolicyOverridesSchema, load_default=dict)


class JobOutSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    external_id = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    industry = ma.fields.String(allow_none=True)
    description = ma.fields.String(allow_none=True)
    status = ma.fields.String(required=True)
    requirements = ma.fields.List(ma.fields.Nested(RequirementOutSchema))
    min_total_years = ma.fields.Float(allow_none=True)
    education = ma.fields.Nested(EducationSchema, allow_none=True)
    policy_overrides = ma.fields.Dict()


class JobListArgs(PageArgs):
    status = ma.fields.Enum(JobStatus, by_value=True, metadata={"description": "open or closed"})
