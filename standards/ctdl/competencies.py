"""CTDL competencies -> talentmatch skills.

A resource's competencies are what it ``teaches``, ``assesses`` or
``requires``, directly or through condition profiles' ``targetCompetency``. One
resolves by its ESCO skill URI, else by its name or statement (a verb phrase
such as "Demonstrate a good knowledge of X" is tried without its lead-in). The
catalogue only serves to close skill gaps, so a competency no skill matches is
reported, not sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from standards.ctdl.graph import Graph
from standards.ctdl.terms import as_list, values_of
from standards.errors import DocumentError
from standards.result import join

__all__ = ["MAX_SKILLS", "CompetencyReader"]

MAX_SKILLS = 100  # OfferingInSchema's skill list limit
_ESCO_SKILL = re.compile(r"https?://data\.europa\.eu/esco/skill/[0-9a-f-]{36}")
# Competency statements wrap a skill in a verb phrase: "Demonstrate a good knowledge of X".
_LEAD_IN = re.compile(r"^(?:(?:demonstrate|show|apply|use|have)\s+)?(?:(?:an?|the)\s+)?"
                      r"(?:(?:good|sound|basic|solid|strong|working|thorough)\s+)?"
                      r"(?:knowledge|understanding|command|mastery)\s+of\s+"
                      r"|^(?:the\s+)?ability\s+to\s+|^proficiency\s+(?:in|with)\s+", re.IGNORECASE)


class CompetencyReader(Graph):
    """Resolves a resource's competencies to skills."""

    def _skills(self, node: dict, where: str) -> list[tuple[str, str, str]]:
        """(label, path, how) of the skills the resource's competencies resolve to, once each."""
        found: dict[str, tuple[str, str, str]] = {}
        for term in ("teaches", "assesses", "requires"):
            at = join(where, f"ceterms:{term}")
            for competency, spot in self._competencies(self._get(node, term), at, set()):
                match = self._resolve(competency, spot)
                if match is not None and match[0] not in found and len(found) < MAX_SKILLS:
                    found[match[0]] = (match[1], spot, match[2])
        return list(found.values())

    def _competencies(self, value: Any, where: str, seen: set[str]
                      ) -> Iterator[tuple[Any, str]]:
        """Competency nodes (or bare ids) in ``value``, through condition profiles."""
        for item, spot in values_of(value, where):
            ref = self._expand(item) if isinstance(item, str) else None
            if ref in self.nodes and ref not in seen:
                seen.add(ref)
                item = self.nodes[ref][0]
            if isinstance(item, dict) and self._get(item, "targetCompetency") is not None:
                yield from self._competencies(self._get(item, "targetCompetency"),
                                              join(spot, "ceterms:targetCompetency"), seen)
            elif isinstance(item, dict | str):
                yield item, spot
            else:
                raise DocumentError(spot, "A competency is an id or an object.")

    def _resolve(self, competency: Any, where: str) -> tuple[str, str, str] | None:
        """(skill id, label, how) of a competency: by ESCO URI, by name, then by statement."""
        node = competency if isinstance(competency, dict) else {}
        uris = [competency] if isinstance(competency, str) else [self._id(node)]
        uris += [self._get(node, "targetNode"), node.get("ceasn:exactAlignment")]
        for uri in (u for value in uris for u in as_list(value) if isinstance(u, str)):
            uri = self._expand(uri).replace("https://", "http://", 1)
            skill = self.resolver.get(uri) if _ESCO_SKILL.fullmatch(uri) else None
            if skill is not None:
                return skill.id, skill.label, "ESCO URI"
        names = [self._text(node, "targetNodeName", where), self._lang(
            node.get("ceasn:competencyLabel"), where), self._text(node, "name", where),
            self._lang(node.get("ceasn:competencyText"), where)]
        for name in filter(None, names):
            for candidate in dict.fromkeys([name, _LEAD_IN.sub("", name).strip(" .\u2026")]):
                match = self.resolver.resolve(candidate) if candidate else None
                if match is not None and match.skill_id is not None:
                    skill = self.resolver.get(match.skill_id)
                    how = f"{match.method} match of {candidate!r}"
                    return match.skill_id, skill.label if skill else candidate, how
        written = next(filter(None, names), None)
        if written:
            self._skip(where, "no talentmatch skill matches this competency", written)
        else:
            self._skip(where, "a competency known only by its id, which the document does not "
                              "describe", competency if isinstance(competency, str)
                       else self._id(node))
        return None
