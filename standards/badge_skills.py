"""A badge's skills: its alignments, name, tags, field of study and specialization.

An alignment to an ESCO skill concept the taxonomy knows is taken as it is;
other frameworks' terms count by their names. The achievement's name counts
only when the taxonomy knows it (and is not reported otherwise); tags, field of
study and specialization count when known and are reported when not. Each skill
goes into the body by its label, which the API resolves again.

Examples
--------
>>> from matcher.model import Skill
>>> from standards.badge_skills import map_skills
>>> from matcher.skills import SkillResolver
>>> from standards.badge_documents import read_badge
>>> from standards.result import ImportResult
>>> resolver = SkillResolver([Skill("custom:sql", "SQL")])
>>> view = read_badge({"badge": {"name": "SQL", "issuer": "https://ex.org/i",
...                              "tags": ["sql", "knitting"]}}, None, {})
>>> result = ImportResult(body={})
>>> map_skills(view, resolver, result)
['SQL']
>>> [item["path"] for item in result.unrecognised]
['badge.tags.1']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from matcher.skills import SkillResolver
from standards.badge_documents import BadgeView
from standards.badge_values import clean_text, localized, put
from standards.result import ImportResult

__all__ = ["MAX_SKILLS", "map_skills"]

MAX_SKILLS = 100  # the API keeps at most 100 skills a credential
_ESCO_SKILL = re.compile(r"https?://data\.europa\.eu/esco/skill/([^/?#\s]+)/?")


@dataclass
class _Ask:
    """One place in the document that may name a skill."""

    path: str
    value: Any
    names: list[str]
    skill_id: str | None = None  # an ESCO concept the taxonomy knows, taken as it is
    reason: str | None = "No skill in the taxonomy has this name."  # None: quiet if unknown


def map_skills(view: BadgeView, resolver: SkillResolver, result: ImportResult) -> list[str]:
    """The credential body's skill names, at most :data:`MAX_SKILLS`, each reported."""
    asks = [_alignment(item, path, resolver) for item, path in view.alignments]
    asks += [_Ask(path, value, [name], reason=None) for value, path in view.topics
             if (name := clean_text(value, 10_000, path, result))]
    asks += [_Ask(path, value, [name] if (name := clean_text(value, 10_000, path, result))
                  else []) for value, path in view.terms]
    pending = list(dict.fromkeys(n for ask in asks if ask.skill_id is None for n in ask.names))
    matches = {m.input: m.skill_id for m in resolver.resolve_many(pending)}
    chosen: dict[str, int] = {}
    for ask in asks:
        skill_id = ask.skill_id or next(filter(None, map(matches.get, ask.names)), None)
        if skill_id is None:
            if ask.reason:
                result.skip(ask.path, ask.reason, ask.value)
        elif skill_id in chosen:
            result.map(ask.path, f"credential.skills.{chosen[skill_id]}", ask.value)
        elif len(chosen) == MAX_SKILLS:
            result.skip(ask.path, "More than 100 skills: the API keeps 100.", ask.value)
        else:
            chosen[skill_id] = len(chosen)
            put(result, ask.path, f"credential.skills.{chosen[skill_id]}", ask.value)
    return _skill_names(list(chosen), resolver)


def _alignment(item: object, path: str, resolver: SkillResolver) -> _Ask:
    if not isinstance(item, dict):
        return _Ask(path, item, [], reason="An alignment is an object naming its target.")
    value = item.get("targetName") or item.get("targetUrl") or item.get("targetCode")
    uri = next(filter(None, (_esco_uri(item.get(k)) for k in ("targetUrl", "targetCode"))), None)
    names = [n for k in ("targetName", "targetCode")
             if isinstance(n := localized(item.get(k)), str) and n.strip()]
    if uri and resolver.get(uri) is not None:
        return _Ask(path, value, names, skill_id=uri)
    reason = (f"The ESCO concept {uri} is not in the taxonomy, and no skill has the "
              "alignment's name." if uri else
              "No skill in the taxonomy matches the alignment's target name or code.")
    return _Ask(path, value, names, reason=reason)


def _esco_uri(value: object) -> str | None:
    """An ESCO skill concept URI in its canonical form (http, no trailing slash)."""
    found = _ESCO_SKILL.fullmatch(value.strip()) if isinstance(value, str) else None
    return f"http://data.europa.eu/esco/skill/{found.group(1)}" if found else None


def _skill_names(skill_ids: list[str], resolver: SkillResolver) -> list[str]:
    """Each skill's label, or its id where the label would resolve to another skill."""
    labels = [skill.label if (skill := resolver.get(i)) else i for i in skill_ids]
    again = resolver.resolve_many(labels)
    return [label if match.skill_id == skill_id and len(label) <= 200 else skill_id
            for skill_id, label, match in zip(skill_ids, labels, again, strict=True)]
