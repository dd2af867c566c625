"""Skill-name normalisation and exact/alias resolution."""

from __future__ import annotations

import pytest

from graph.taxonomy import load_vocabulary
from matcher.model import Skill
from matcher.skills import SkillResolver, normalise_skill_name


@pytest.mark.parametrize(("raw", "expected"), [
    ("  SQL ", "sql"),
    ("Project\u00a0\u00a0Management", "project management"),
    ("C++", "c++"),
    ("C#", "c#"),
    (".NET", ".net"),
    ("\u201cExcel\u201d;", "excel"),
    ("Front\u2013end", "front-end"),
    ("\uff33\uff31\uff2c", "sql"),  # full-width forms fold through NFKC
])
def test_normalisation(raw: str, expected: str) -> None:
    assert normalise_skill_name(raw) == expected


def test_exact_alias_unknown_and_priority() -> None:
    taxonomy = [Skill("custom:sql", "SQL", aliases=("structured query language",)),
                Skill("custom:excel", "Microsoft Excel", aliases=("excel", "ms excel"))]
    own = [Skill("custom:acme-sql", "SQL", aliases=("acme sql",))]
    resolver = SkillResolver([*own, *taxonomy])
    match = resolver.resolve("sql")
    assert (match.skill_id, match.method) == ("custom:acme-sql", "exact")
    assert match.alternatives == (("custom:sql", "SQL"),)
    assert resolver.resolve("MS  Excel").skill_id == "custom:excel"
    assert resolver.resolve("MS  Excel").method == "alias"
    unknown = resolver.resolve("Underwater basket weaving")
    assert (unknown.skill_id, unknown.method, unknown.score) == (None, "unknown", 0.0)
    assert unknown.to_ref().name == "Underwater basket weaving"


def test_canonical_ids_resolve_to_themselves() -> None:
    resolver = SkillResolver([Skill("custom:sql", "SQL")])
    assert resolver.resolve("custom:sql").skill_id == "custom:sql"


def test_every_bundled_label_and_alias_resolves_to_its_skill() -> None:
    skills = load_vocabulary()
    resolver = SkillResolver(skills)
    assert len(resolver) == len(skills) >= 150
    for skill in skills:
        for name in (skill.label, *skill.aliases):
            assert resolver.resolve(name.upper()).skill_id == skill.id, name
