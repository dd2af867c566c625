"""Resolving descriptive phrases ("building Power BI dashboards", "vendor relations").

Recruiters and CVs wrap a skill in words about it. Two last-resort stages,
after exact, alias and fuzzy matching failed:

1. **same words**: the phrase and a skill name have the same content words
   once inflections are stripped ("managing stakeholder relationships" and
   "manage relationships with stakeholders");
2. **named inside**: the phrase contains a skill name (found as in free text)
   covering at least a third of its content words; the longest such name
   wins ("Kubernetes cluster administration" is Kubernetes).

Examples
--------
>>> stems("Managing stakeholder relationships")
frozenset({'stakeholder', 'relationship', 'manag'})
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from matcher.mentions import MentionFinder
from matcher.model import Skill, SkillSource

if TYPE_CHECKING:
    from matcher.skills import SkillResolver

__all__ = ["PhraseIndex", "PhraseMatch", "stems"]

MIN_COVERAGE = 1 / 3
_STOPWORDS = frozenset((
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the",
    "to", "with", "within", "using", "use", "via", "skill", "skills", "experience",
    "experienced", "knowledge", "proficiency", "proficient", "advanced", "basic", "strong",
    "solid", "good", "excellent", "expert", "expertise", "working", "familiarity", "hands-on"))
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ers", "er", "es", "ed",
             "s", "e")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def stems(key: str) -> frozenset[str]:
    """The content words of a match key, inflections stripped."""
    return frozenset(_stem(w) for w in key.lower().replace("-", " ").split()
                     if w not in _STOPWORDS)


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    skill_id: str
    score: float


class PhraseIndex:
    """The phrase stages over one resolver layer's own skills."""

    def __init__(self, resolver: SkillResolver, skills: Iterable[Skill],
                 keyer: Callable[[str], str]) -> None:
        skills = list(skills)
        self._finder = MentionFinder(resolver, skills)
        self._same: dict[frozenset[str], tuple[int, str]] = {}
        for skill in skills:
            rank = 0 if skill.source is not SkillSource.ESCO else 1
            for name in (skill.label, *skill.curated_aliases, *skill.aliases):
                words = stems(keyer(name))
                # The first claim wins, unless a curated skill claims after ESCO did.
                if len(words) >= 2 and (words not in self._same
                                        or rank < self._same[words][0]):
                    self._same[words] = (rank, skill.id)

    def match(self, name: str, key: str) -> PhraseMatch | None:
        words = stems(key)
        if len(words) >= 2 and words in self._same:
            return PhraseMatch(self._same[words][1], 0.9)
        mentions = self._finder.find(name)
        if not mentions or not words:
            return None
        best = max(mentions, key=lambda m: (len(stems(m.text)), -m.start))
        coverage = min(1.0, len(stems(best.text)) / len(words))
        if coverage < MIN_COVERAGE:
            return None
        return PhraseMatch(best.skill_id, round(coverage * 0.8, 4))
