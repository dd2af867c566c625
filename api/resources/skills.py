"""``/api/v1/skills``: organization skills, taxonomy search and batch resolution."""

from __future__ import annotations

import re
import unicodedata

from flask.views import MethodView

from api import wiring
from api.auth import protect
from api.openapi import Blueprint, errors
from api.schemas.common import page_schema
from api.schemas.skills import (
    ResolveInSchema,
    ResolveOutSchema,
    SkillInSchema,
    SkillListArgs,
    SkillOutSchema,
)
from graph.skillgraph import SkillGraph
from matcher import model
from matcher.errors import Conflict, InvalidInput, NotFound

blp = Blueprint("skills", __name__, url_prefix="/api/v1/skills",
                description="The skill taxonomy (ESCO, extension, organization skills)")
protect(blp)
SkillPage = page_schema(SkillOutSchema, "SkillPage")
SEARCH_CAP = 200


def _link(graph: SkillGraph, skill_id: str) -> dict:
    skill = graph.skill(skill_id)
    return {"skill_id": skill_id, "label": skill.label if skill else skill_id}


def skill_out(skill: model.Skill, graph: SkillGraph) -> dict:
    narrower = graph.narrower(skill.id)
    return {
        "id": skill.id, "label": skill.label, "kind": skill.kind.value,
        "source": skill.source.value, "description": skill.description,
        "aliases": list(dict.fromkeys([*skill.curated_aliases, *skill.aliases])),
        "broader": [_link(graph, b) for b in skill.broader],
        "narrower": [_link(graph, n) for n in narrower],
        "related": [_link(graph, r) for r in skill.related],
        "groups": [{"skill_id": gid, "label": graph.groups.get(gid, gid)} for gid in skill.groups],
        "reuse_level": skill.reuse_level, "digital": skill.digital,
        "transversal": skill.transversal,
    }


def slugify(label: str) -> str:
    """``custom:<slug>`` ids: ASCII, lower case, words joined by hyphens."""
    text = label.replace("++", " plus plus").replace("#", " sharp").replace(".", " dot ")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")


def _links(data: dict, *fields: str) -> dict[str, tuple[str, ...]]:
    """Skill ids for parent/related names; they must name known skills exactly."""
    resolver = wiring.skill_resolver()
    links, problems = {}, {}
    for field in fields:
        found = []
        for i, match in enumerate(resolver.resolve_many(data[field])):
            if match.skill_id is None or match.method == "fuzzy":
                hint = f" Did you mean {match.label!r}?" if match.label else ""
                problems[f"{field}.{i}"] = [f"No skill named {match.input!r}.{hint}"]
            else:
                found.append(match.skill_id)
        links[field] = tuple(dict.fromkeys(found))
    if problems:
        raise InvalidInput("The request names unknown skills.", problems)
    return links


@blp.route("")
class Skills(MethodView):
    @blp.arguments(SkillListArgs, location="query")
    @blp.response(200, SkillPage)
    def get(self, args: dict) -> dict:
        """The organization's skills, or with ``q`` a search of the whole taxonomy."""
        limit, offset = args["limit"], args["offset"]
        graph = wiring.skill_graph()
        if "q" not in args:
            items, total = wiring.skills().list(limit, offset)
            return {"items": [skill_out(s, graph) for s in items], "total": total,
                    "limit": limit, "offset": offset}
        # One fixed pool, so that pages are slices of one ordering.
        hits = wiring.skill_resolver().search(args["q"], SEARCH_CAP)
        items = [{**skill_out(s, graph), "match": {"score": score, "method": method}}
                 for s, score, method in hits[offset:offset + limit]]
        return {"items": items, "total": len(hits), "limit": limit, "offset": offset}

    @blp.arguments(SkillInSchema)
    @blp.response(201, SkillOutSchema)
    @errors(blp, 409)
    def post(self, data: dict) -> dict:
        """Add an organization skill; it joins the graph through its broader skills."""
        slug = data.get("slug") or slugify(data["label"])
        if not slug:
            raise InvalidInput("Give a slug for this label.", {"slug": ["Required here."]})
        skill_id = f"custom:{slug}"
        if wiring.skill_resolver().get(skill_id) is not None:
            raise Conflict(f"The skill {skill_id} exists already; choose another slug.")
        links = _links(data, "broader", "related")
        skill = model.Skill(
            id=skill_id, label=data["label"], kind=data["kind"],
            aliases=tuple(data["aliases"]), description=data.get("description"),
            broader=links["broader"], related=links["related"],
            source=model.SkillSource.ORGANIZATION)
        saved = wiring.skills().add(skill)
        wiring.commit()
        return skill_out(saved, wiring.skill_graph())


@blp.route("/resolve")
class Resolve(MethodView):
    @blp.arguments(ResolveInSchema)
    @blp.response(200, ResolveOutSchema)
    def post(self, data: dict) -> dict:
        """Resolve up to 1,000 names to canonical skills (exact, alias, fuzzy or unknown)."""
        matches = wiring.skill_resolver().resolve_many(data["names"])
        return {"results": [
            {"input": m.input, "skill_id": m.skill_id, "label": m.label, "score": m.score,
             "method": m.method,
             "alternatives": [{"skill_id": i, "label": label} for i, label in m.alternatives]}
            for m in matches]}


@blp.route("/<path:skill_id>", merge_slashes=False)
class SkillById(MethodView):
    @blp.response(200, SkillOutSchema)
    @errors(blp, 404)
    def get(self, skill_id: str) -> dict:
        """One skill (ESCO URI, custom:<slug>) with its links."""
        graph = wiring.skill_graph()
        skill = graph.skill(skill_id)
        if skill is None:
            raise NotFound(f"No skill {skill_id!r}.")
        return skill_out(skill, graph)
