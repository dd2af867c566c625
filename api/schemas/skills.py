"""Skill schemas: organization skills, taxonomy search and batch resolution."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from api.schemas.common import PageArgs, Text
from matcher.model import SkillKind

__all__ = ["ResolveInSchema", "ResolveOutSchema", "SkillInSchema", "SkillListArgs",
           "SkillOutSchema"]


class SkillInSchema(ma.Schema):
    label = Text(200, required=True)
    slug = ma.fields.String(
        validate=validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*\Z"),
        metadata={"pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
                  "description": "Id becomes custom:<slug>; default: from the label"})
    kind = ma.fields.Enum(SkillKind, by_value=True, load_default=SkillKind.SKILL)
    description = Text(2000, allow_none=True, load_default=None)
    aliases = ma.fields.List(Text(200), load_default=list, validate=validate.Length(max=50))
    broader = ma.fields.List(Text(300), load_default=list, validate=validate.Length(max=10),
                             metadata={"description": "Parent skills (ids or names); an "
                                                      "organization skill joins the graph "
                                                      "through them"})
    related = ma.fields.List(Text(300), load_default=list, validate=validate.Length(max=20))


class SkillLinkSchema(ma.Schema):
    skill_id = ma.fields.String(required=True)
    label = ma.fields.String(required=True)


class SearchMatchSchema(ma.Schema):
    score = ma.fields.Float(required=True)
    method = ma.fields.String(required=True, metadata={
        "enum": ["exact", "alias", "prefix", "fuzzy", "partial"]})


class SkillOutSchema(ma.Schema):
    id = ma.fields.String(required=True)
    label = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    source = ma.fields.String(required=True, metadata={"enum": ["organization", "extension",
                                                                 "esco"]})
    description = ma.fields.String(allow_none=True)
    aliases = ma.fields.List(ma.fields.String())
    broader = ma.fields.List(ma.fields.Nested(SkillLinkSchema))
    narrower = ma.fields.List(ma.fields.Nested(SkillLinkSchema))
    related = ma.fields.List(ma.fields.Nested(SkillLinkSchema))
    groups = ma.fields.List(ma.fields.Nested(SkillLinkSchema))
    reuse_level = ma.fields.String(allow_none=True)
    digital = ma.fields.Boolean()
    transversal = ma.fields.Boolean()
    match = ma.fields.Nested(SearchMatchSchema, metadata={"description": "Search results only"})


class SkillListArgs(PageArgs):
    q = Text(200, metadata={"description": "Search the whole taxonomy (labels, aliases, "
                                           "typos); without q: the organization's skills"})


class ResolveInSchema(ma.Schema):
    names = ma.fields.List(Text(200), required=True, validate=validate.Length(min=1, max=1000))


class ResolutionSchema(ma.Schema):
    input = ma.fields.String(required=True)
    skill_id = ma.fields.String(allow_none=True, required=True)
    label = ma.fields.String(allow_none=True, required=True)
    score = ma.fields.Float(required=True)
    method = ma.fields.String(required=True,
                              metadata={"enum": ["exact", "alias", "fuzzy", "unknown"]})
    alternatives = ma.fields.List(ma.fields.Nested(SkillLinkSchema), required=True)


class ResolveOutSchema(ma.Schema):
    results = ma.fields.List(ma.fields.Nested(ResolutionSchema), required=True)
