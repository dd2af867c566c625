"""Skill-name normalisation and resolution to canonical skill ids.

Every skill name that enters the system (job requirements, credential and
experience skills, catalogue offerings) goes through :class:`SkillResolver`,
so that the raw string is kept as written and the canonical id is decided in
one place. Resolution runs in stages:

1. **exact**: the name's match key equals a preferred label (or a canonical id);
2. **alias**: it equals an alternative label (curated aliases of the extension
   vocabulary and of the organization before the taxonomy's own, hidden
   misspellings last);
3. **fuzzy**: typos, missing spaces, word order (see :mod:`matcher.fuzzy`);
4. **unknown**: nothing matched; the name is kept, ``skill_id`` is ``None``.

Match keys fold case, Unicode forms, US/UK spellings and a few abbreviations
(``mgmt``), so "Data Visualization" and "data visualisation" are one name.

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from matcher.fuzzy import FuzzyIndex
from matcher.model import Skill, SkillRef, SkillSource

if TYPE_CHECKING:
    from matcher.phrases import PhraseIndex, PhraseMatch

__all__ = ["ResolvedNames", "SkillMatch", "SkillResolver", "match_key", "normalise_skill_name"]

_PUNCTUATION = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                              "\u2014": "-", "\u2019": "'", "\u2018": "'",
                              "\u201c": '"', "\u201d": '"'})
# Punctuation that decorates a name without changing it; '+', '#' and '.' are
# kept because they distinguish C, C++, C# and .NET.
_EDGE_PUNCTUATION = " \t,;:!?\"'()[]{}*\u2022-"
# US spellings fold to UK ones (ESCO writes British English), on both sides,
# in one pass: each alternative names the group its replacement keeps.
_US_UK = re.compile(
    r"(?P<iz>(?<=\w{3})iz(?=(?:e|es|ed|ing|ation|ations|ational|er|ers|able)\b))"
    r"|(?P<yz>(?<=\w{2})yz(?=(?:e|es|ed|ing|er|ers)\b))"
    r"|\b(?P<ll>model|label|travel|cancel|level)(?=ing\b|ed\b|er\b|ers\b)"
    r"|\b(?P<our>behavio|colo|favo|hono|labo)r(?=(?:s|al|ally|ed|ing)?\b)"
    r"|\b(?P<re>cent|met|theat)er\b"
    r"|\b(?P<catalog>catalog)\b|\b(?P<defense>defense)\b")
# Substrings without which no rule above can apply: checking them is cheaper
# than running the expression on every name.
_US_TRIGGERS = ("iz", "yz", "model", "label", "travel", "cancel", "level", "vior", "olor",
                "avor", "onor", "abor", "cent", "meter", "theater", "catalog", "defense")
_UK = {"iz": lambda m: "is", "yz": lambda m: "ys", "ll": lambda m: m.group("ll") + "l",
       "our": lambda m: m.group("our") + "ur", "re": lambda m: m.group("re") + "re",
       "catalog": lambda m: "catalogue", "defense": lambda m: "defence"}


def _to_uk(match: re.Match) -> str:
    assert match.lastgroup is not None
    return _UK[match.lastgroup](match)


_ABBREVIATIONS = {"mgmt": "management", "mgt": "management", "mngmt": "management",
                  "dev": "development", "admin": "administration", "mktg": "marketing",
                  "eng": "engineering", "engg": "engineering", "svc": "service",
                  "svcs": "services", "&": "and"}
_TIERS = {  # lower wins: an organization's names, then curated ones, then ESCO's
    (SkillSource.ORGANIZATION, "label"): 0, (SkillSource.ORGANIZATION, "alias"): 1,
    (SkillSource.EXTENSION, "label"): 2, (SkillSource.EXTENSION, "alias"): 3,
    (SkillSource.ESCO, "curated"): 3, (SkillSource.ESCO, "label"): 4,
    (SkillSource.ESCO, "alias"): 5, (SkillSource.ESCO, "hidden"): 6,
}


def normalise_skill_name(name: str) -> str:
    """Fold a skill name to its display-independent form.

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
    if not name.isascii():
        name = unicodedata.normalize("NFKC", name).translate(_PUNCTUATION)
    return " ".join(name.casefold().split()).strip(_EDGE_PUNCTUATION)


def match_key(name: str) -> str:
    """The key names are compared by: normalised, UK spelling, abbreviations expanded.

    Examples
    --------
    >>> match_key("Data Visualization")
    'data visualisation'
    >>> match_key("Project Mgmt")
    'project management'
    """
    key = normalise_skill_name(name)
    if any(trigger in key for trigger in _US_TRIGGERS):
        key = _US_UK.sub(_to_uk, key)
    tokens = key.split(" ")
    if any(t in _ABBREVIATIONS for t in tokens):
        key = " ".join(_ABBREVIATIONS.get(t, t) for t in tokens)
    return key


@dataclass(frozen=True, slots=True)
class SkillMatch:
    """The outcome of resolving one name.

    ``method`` is ``exact``, ``alias``, ``fuzzy`` or ``unknown``; ``score`` is
    1 for exact and alias matches and the string similarity for fuzzy ones;
    ``alternatives`` lists other skills the name could mean, best first.
    """

    input: str
    skill_id: str | None
    label: str | None
    score: float
    method: str
    alternatives: tuple[tuple[str, str], ...] = ()

    def to_ref(self) -> SkillRef:
        return SkillRef(self.input, self.skill_id)


@dataclass(frozen=True, slots=True)
class _Entry:
    tier: int
    order: int
    skill_id: str


class SkillResolver:
    """Resolve skill names against a set of skills.

    Parameters
    ----------
    skills : iterable of Skill
        In priority order within a tier: when two skills claim the same name
        at the same tier, the first wins and the others become alternatives.
    fuzzy : bool
        Build the fuzzy index (a few hundred milliseconds for all of ESCO).
    base : SkillResolver, optional
        A resolver to fall back on: :meth:`with_skills` layers an
        organization's skills over the shared taxonomy without rebuilding it.
    """

    def __init__(self, skills: Iterable[Skill], *, fuzzy: bool = True,
                 base: SkillResolver | None = None):
        self._base = base
        self._skills: dict[str, Skill] = {}
        self._names: dict[str, list[_Entry]] = {}
        for order, skill in enumerate(skills):
            if skill.id in self._skills:
                continue
            self._skills[skill.id] = skill
            for field, names in (("label", (skill.label,)), ("alias", skill.aliases),
                                 ("curated", skill.curated_aliases),
                                 ("hidden", skill.hidden_labels)):
                tier = _TIERS.get((skill.source, field), _TIERS.get((skill.source, "alias"), 5))
                for name in names:
                    entries = self._names.setdefault(match_key(name), [])
                    if all(e.skill_id != skill.id for e in entries):
                        entries.append(_Entry(tier, order, skill.id))
        for entries in self._names.values():
            entries.sort(key=lambda e: (e.tier, e.order))
        self._fuzzy = FuzzyIndex(list(self._names)) if fuzzy else None
        self._phrases: PhraseIndex | None = None  # built on first need

    def with_skills(self, skills: Sequence[Skill]) -> SkillResolver:
        """A resolver that knows ``skills`` too, and prefers them on a tie."""
        return SkillResolver(skills, fuzzy=bool(skills), base=self) if skills else self

    def __len__(self) -> int:
        return len(self._skills) + (len(self._base) if self._base else 0)

    def __contains__(self, skill_id: object) -> bool:
        return self.get(str(skill_id)) is not None

    def get(self, skill_id: str) -> Skill | None:
        """The skill with this canonical id, or ``None``."""
        found = self._skills.get(skill_id)
        if found is None and self._base is not None:
            return self._base.get(skill_id)
        return found

    def skills(self) -> Iterable[Skill]:
        """Every skill this resolver knows (its own first)."""
        yield from self._skills.values()
        if self._base is not None:
            yield from (s for s in self._base.skills() if s.id not in self._skills)

    def lookup(self, key: str) -> list[_Entry]:
        """Entries for an exact match key, across layers, best first."""
        own = self._names.get(key, [])
        if self._base is None:
            return own
        return sorted([*own, *self._base.lookup(key)], key=lambda e: (e.tier, e.order))

    def resolve(self, name: str) -> SkillMatch:
        """Resolve one name; unknown names come back with ``skill_id=None``."""
        return self.resolve_many([name])[0]

    def resolve_many(self, names: Sequence[str]) -> list[SkillMatch]:
        """Resolve several names, keeping their order (fuzzy work is batched)."""
        results: list[SkillMatch | None] = []
        pending: dict[str, list[int]] = {}
        for position, name in enumerate(names):
            key = match_key(name)
            exact = self._exact(name, key)
            results.append(exact)
            if exact is None and key:
                pending.setdefault(key, []).append(position)
        if pending:
            for key, (skill_id, score, others) in zip(
                    pending, self._fuzzy_many(list(pending)), strict=True):
                for position in pending[key]:
                    results[position] = self._fuzzy_match(names[position], skill_id, score,
                                                          others)
            for key, positions in pending.items():
                if results[positions[0]] is None:
                    phrase = self._phrase(names[positions[0]], key)
                    if phrase is None:
                        continue
                    for position in positions:
                        results[position] = self._fuzzy_match(
                            names[position], phrase.skill_id, phrase.score, [])
        return [r if r is not None else SkillMatch(n, None, None, 0.0, "unknown")
                for r, n in zip(results, names, strict=True)]

    def ref(self, name: str) -> SkillRef:
        """The :class:`SkillRef` for a name as written."""
        return self.resolve(name).to_ref()

    def refs(self, names: Sequence[str]) -> tuple[SkillRef, ...]:
        return tuple(m.to_ref() for m in self.resolve_many(names))

    def search(self, query: str, limit: int = 20) -> list[tuple[Skill, float, str]]:
        """Skills for a search box: ``(skill, score, method)``, best first.

        Exact and alias matches come first, then names that start with the
        query (search as you type), then fuzzy matches (typos), then names
        sharing the most trigrams with it.
        """
        key = match_key(query)
        if not key:
            return []
        ranked: dict[str, tuple[tuple, float, str]] = {}

        def offer(skill_id: str, rank: tuple, score: float, method: str) -> None:
            if skill_id not in ranked or rank < ranked[skill_id][0]:
                ranked[skill_id] = (rank, score, method)

        for entry in self.lookup(key):
            offer(entry.skill_id, (0, entry.tier, entry.order), 1.0,
                  "exact" if entry.tier in (0, 2, 4) else "alias")
        for layer in self._layers():
            if layer._fuzzy is None:
                continue
            for hit in layer._fuzzy.search(key):
                for entry in layer._names[hit.key]:
                    offer(entry.skill_id, (2, hit.distance, entry.tier, -hit.similarity),
                          hit.similarity, "fuzzy")
            for name, dice in layer._fuzzy.similar(key, limit * 3):
                prefix = name.startswith(key)
                for entry in layer._names[name]:
                    offer(entry.skill_id, (1 if prefix else 3, -dice, entry.tier, len(name)),
                          round(dice, 4), "prefix" if prefix else "partial")
        best = sorted(ranked.items(), key=lambda item: item[1][0])[:limit]
        return [(skill, score, method) for skill_id, (_, score, method) in best
                if (skill := self.get(skill_id)) is not None]

    def _exact(self, name: str, key: str) -> SkillMatch | None:
        skill = self.get(name.strip()) or self.get(key)
        if skill is not None:  # a canonical id given directly
            return SkillMatch(name, skill.id, skill.label, 1.0, "exact")
        entries = self.lookup(key)
        if not entries:
            return None
        best = entries[0]
        skill = self.get(best.skill_id)
        assert skill is not None
        method = "exact" if best.tier in (0, 2, 4) else "alias"
        others = self._labelled(e.skill_id for e in entries[1:])
        return SkillMatch(name, skill.id, skill.label, 1.0, method, others)

    def _fuzzy_many(self, keys: list[str]) -> list[tuple[str | None, float, list[str]]]:
        """Best fuzzy candidate per key across layers: (skill_id, score, other ids)."""
        layers = [r for r in self._layers() if r._fuzzy is not None]
        best: list[tuple[str | None, float, list[str]]] = [(None, 0.0, []) for _ in keys]
        ranked: list[list[tuple[tuple, str]]] = [[] for _ in keys]
        for layer in layers:
            assert layer._fuzzy is not None
            for i, hits in enumerate(layer._fuzzy.search_many(keys)):
                for hit in hits:
                    for entry in layer._names[hit.key]:
                        ranked[i].append(((hit.distance, entry.tier, -hit.similarity,
                                           entry.order), entry.skill_id))
        for i, candidates in enumerate(ranked):
            if not candidates:
                continue
            candidates.sort()
            ids = list(dict.fromkeys(skill_id for _, skill_id in candidates))
            similarity = -candidates[0][0][2]
            best[i] = (ids[0], similarity, ids[1:4])
        return best

    def _phrase(self, name: str, key: str) -> PhraseMatch | None:
        """The phrase stages (matcher.phrases), the organization's skills first."""
        for layer in self._layers():
            if layer._fuzzy is None:
                continue
            if layer._phrases is None:
                from matcher.phrases import PhraseIndex  # it builds on this module

                layer._phrases = PhraseIndex(layer, layer._skills.values(), match_key)
            found = layer._phrases.match(name, key)
            if found is not None:
                return found
        return None

    def _fuzzy_match(self, name: str, skill_id: str | None, score: float,
                     others: list[str]) -> SkillMatch | None:
        if skill_id is None:
            return None
        skill = self.get(skill_id)
        assert skill is not None
        return SkillMatch(name, skill_id, skill.label, round(score, 4), "fuzzy",
                          self._labelled(others))

    def _labelled(self, ids: Iterable[str]) -> tuple[tuple[str, str], ...]:
        found = (self.get(i) for i in dict.fromkeys(ids))
        return tuple((s.id, s.label) for s in found if s is not None)

    def _layers(self) -> list[SkillResolver]:
        layers: list[SkillResolver] = []
        layer: SkillResolver | None = self
        while layer is not None:
            layers.append(layer)
            layer = layer._base
        return layers


class ResolvedNames:
    """Names resolved once, in one batch, then looked up many times.

    A bulk import mentions the same few thousand names tens of thousands of
    times; resolving each distinct name once keeps it fast.

    Examples
    --------
    >>> from matcher.model import Skill
    >>> names = ResolvedNames(SkillResolver([Skill("custom:sql", "SQL")]), ["sql", "SQL", "x"])
    >>> [r.skill_id for r in names.refs(["SQL", "x", "sql"])]
    ['custom:sql', None, 'custom:sql']
    """

    def __init__(self, resolver: SkillResolver, names: Iterable[str]):
        self.resolver = resolver
        unique = list(dict.fromkeys(names))
        self._refs = {m.input: m.to_ref() for m in resolver.resolve_many(unique)}

    def refs(self, names: Sequence[str]) -> tuple[SkillRef, ...]:
        missing = [n for n in names if n not in self._refs]
        if missing:
            self._refs.update((m.input, m.to_ref()) for m in self.resolver.resolve_many(missing))
        return tuple(self._refs[n] for n in names)

    def ref(self, name: str) -> SkillRef:
        return self.refs([name])[0]
