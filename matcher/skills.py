"""Skill-name normalisation and resolution to canonical skill ids.

Every skill name that enters the system (job requirements, credential and
experience skills, catalogue offerings) goes through :class:`SkillResolver`,
so that the raw string is kept as written and the canonical id is decided in
one place. Matching here is exact on normalised preferred labels, then on
aliases; fuzzy matching joins with the taxonomy.

Examples
--------
>>> from matcher.model import Skill
>>> resolver = SkillResolver([Skill("custom:sql", "SQL", aliases=("structured query language",))])
>>> resolver.resolve("  sql ").method
'exact'
>>> resolver.resolve("Structured Query  Language").skill_id
'custom:sql'
>>> resolver.resolve("Cobol").skill_id is None
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from matcher.model import Skill, SkillRef

__all__ = ["SkillMatch", "SkillResolver", "normalise_skill_name"]

_SPACE = re.compile(r"\s+")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                         "\u2014": "-", "\u2019": "'", "\u2018": "'",
                         "\u201c": "\"", "\u201d": "\""})
# Punctuation that decorates a name without changing it; '+', '#' and '.' are
# kept because they distinguish C, C++, C# and .NET.
_EDGE_PUNCTUATION = " \t,;:!?\"'()[]{}*\u2022-"


def normalise_skill_name(name: str) -> str:
    """Fold a skill name to the form used for matching.

    Unicode compatibility forms are unified (NFKC), case is folded, dashes and
    quotes are unified, runs of white space collapse to one space and
    decorative punctuation at either end is removed.

    Examples
    --------
    >>> normalise_skill_name("  Project\\u00a0Management; ")
    'project management'
    >>> normalise_skill_name("C++")
    'c++'
    """
    folded = unicodedata.normalize("NFKC", name).translate(_DASHES).casefold()
    return _SPACE.sub(" ", folded).strip(_EDGE_PUNCTUATION)


@dataclass(frozen=True, slots=True)
class SkillMatch:
    """The outcome of resolving one name.

    ``method`` is ``exact`` (a preferred label), ``alias`` (an alternative
    label) or ``unknown``; ``alternatives`` lists other skills the name could
    also mean, so that a person can correct an ambiguous match.
    """

    input: str
    skill_id: str | None
    label: str | None
    score: float
    method: str
    alternatives: tuple[tuple[str, str], ...] = ()

    def to_ref(self) -> SkillRef:
        return SkillRef(self.input, self.skill_id)


class SkillResolver:
    """Resolve skill names against a fixed set of skills.

    Parameters
    ----------
    skills : iterable of Skill
        In priority order: when two skills claim the same label, the first
        one wins and the others become alternatives. Callers put an
        organization's own skills first, so its vocabulary overrides the
        shared taxonomy.
    """

    def __init__(self, skills: Iterable[Skill]):
        self._skills: dict[str, Skill] = {}
        self._labels: dict[str, list[Skill]] = {}
        self._aliases: dict[str, list[Skill]] = {}
        for skill in skills:
            if skill.id in self._skills:
                continue
            self._skills[skill.id] = skill
            self._labels.setdefault(normalise_skill_name(skill.label), []).append(skill)
            for alias in skill.aliases:
                self._aliases.setdefault(normalise_skill_name(alias), []).append(skill)

    def __len__(self) -> int:
        return len(self._skills)

    def __contains__(self, skill_id: object) -> bool:
        return skill_id in self._skills

    def get(self, skill_id: str) -> Skill | None:
        """The skill with this canonical id, or ``None``."""
        return self._skills.get(skill_id)

    def resolve(self, name: str) -> SkillMatch:
        """Resolve one name; unknown names come back with ``skill_id=None``."""
        key = normalise_skill_name(name)
        if key in self._skills:  # a canonical id given directly
            return self._match(name, [self._skills[key]], "exact")
        for method, table in (("exact", self._labels), ("alias", self._aliases)):
            found = table.get(key)
            if found:
                return self._match(name, found, method)
        return SkillMatch(name, None, None, 0.0, "unknown")

    def resolve_many(self, names: Iterable[str]) -> list[SkillMatch]:
        """Resolve several names, keeping their order."""
        return [self.resolve(name) for name in names]

    def ref(self, name: str) -> SkillRef:
        """The :class:`SkillRef` for a name as written."""
        return self.resolve(name).to_ref()

    @staticmethod
    def _match(name: str, found: list[Skill], method: str) -> SkillMatch:
        best, *others = found
        return SkillMatch(name, best.id, best.label, 1.0, method,
                          tuple((s.id, s.label) for s in others))
