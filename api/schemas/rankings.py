"""Ranking request and stored-run schemas (DESIGN.md §5)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from api.schemas.common import Id
from api.schemas.jobs import PolicyOverridesSchema

__all__ = ["RankingArgs", "RankingInSchema", "RankingRunSchema"]


class RankingInSchema(ma.Schema):
    limit = ma.fields.Integer(load_default=50, validate=validate.Range(1, 500))
    offset = ma.fields.Integer(load_default=0, validate=validate.Range(0, 2**31 - 1))
    candidate_ids = ma.fields.List(Id(), validate=validate.Length(min=1, max=10_000),
                                   metadata={"description": "Rank only these candidates"})
    mode = ma.fields.String(validate=validate.OneOf(["hard", "soft"]))
    policy_overrides = ma.fields.Nested(PolicyOverridesSchema, load_default=dict)


class RankingArgs(ma.Schema):
    format = ma.fields.String(validate=validate.OneOf(["json", "csv"]),
                              metadata={"description": "csv: the run as CSV (or Accept: text/csv)"})


class PathStepSchema(ma.Schema):
    skill_id = ma.fields.String(required=True)
    label = ma.fields.String(required=True)
    relation = ma.fields.String(required=True)


class RequirementResultSchema(ma.Schema):
    skill = ma.fields.String(required=True)
    skill_id = ma.fields.String(allow_none=True, required=True)
    label = ma.fields.String(required=True)
    importance = ma.fields.String(required=True)
    weight = ma.fields.Float(required=True)
    match = ma.fields.Float(required=True)
    contribution = ma.fields.Float(required=True)
    met = ma.fields.Boolean(required=True)
    corroborated = ma.fields.Boolean(required=True)
    credential = ma.fields.Dict(allow_none=True, required=True, metadata={
        "description": "The best credential evidence and each factor of its strength"})
    experience = ma.fields.Dict(allow_none=True, required=True, metadata={
        "description": "Years, gap and strength of the best experience evidence"})
    path = ma.fields.List(ma.fields.Nested(PathStepSchema), required=True)


class GapSchema(ma.Schema):
    skill = ma.fields.String(required=True)
    skill_id = ma.fields.String(allow_none=True, required=True)
    label = ma.fields.String(required=True)
    importance = ma.fields.String(required=True)
    offerings = ma.fields.List(ma.fields.Dict(), required=True)


class RankedCandidateSchema(ma.Schema):
    rank = ma.fields.Integer(required=True)
    candidate_id = ma.fields.Integer(required=True, allow_none=True,
                                    metadata={"description": "null once the person is erased"})
    external_id = ma.fields.String(required=True, allow_none=True)
    name = ma.fields.String(required=True, allow_none=True)
    score = ma.fields.Float(required=True)
    qualified = ma.fields.Boolean(required=True)
    trainable = ma.fields.Boolean(required=True)
    required_met = ma.fields.Integer(required=True)
    unmet = ma.fields.List(ma.fields.String(), required=True)
    requirements = ma.fields.List(ma.fields.Nested(RequirementResultSchema), required=True)
    gaps = ma.fields.List(ma.fields.Nested(GapSchema), required=True)
    erased = ma.fields.Boolean(metadata={
        "description": "An erased person's anonymous placeholder: rank and score stay, so the "
                       "run's order and the bias audit stay true; nothing identifies them"})


class RankingRunSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    job_id = ma.fields.Integer(required=True, allow_none=True,
                               metadata={"description": "null once the job was deleted"})
    created_at = ma.fields.DateTime(required=True)
    as_of = ma.fields.Date(required=True)
    mode = ma.fields.String(required=True)
    policy = ma.fields.Dict(required=True, metadata={"description": "version and parameters"})
    fingerprint = ma.fields.String(required=True)
    total = ma.fields.Integer(required=True)
    limit = ma.fields.Integer(required=True)
    offset = ma.fields.Integer(required=True)
    results = ma.fields.List(ma.fields.Nested(RankedCandidateSchema), required=True)
