"""Skill-name normalisation and resolution: tiers, fuzzy matching, overlays, search."""

from __future__ import annotations

import pytest

from graph.taxonomy import load_taxonomy, taxonomy_resolver
from matcher.fuzzy import allowed_edits
from matcher.model import Skill, SkillSource
from matcher.skills import SkillResolver, match_key, normalise_skill_name

ESCO, EXT, ORG = SkillSource.ESCO, SkillSource.EXTENSION, SkillSource.ORGANIZATION


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


@pytest.mark.parametrize(("us", "uk"), [
    ("data visualization", "data visualisation"), ("optimizing", "optimising"),
    ("analyze data", "analyse data"), ("data modeling", "data modelling"),
    ("color theory", "colour theory"), ("organizational behavior", "organisational behaviour"),
    ("theater", "theatre"), ("product catalog", "product catalogue"),
])
def test_us_and_uk_spellings_share_a_key(us: str, uk: str) -> None:
    assert match_key(us) == match_key(uk)


@pytest.mark.parametrize("word", ["size", "prize", "laboratory", "order", "motor", "enter"])
def test_spelling_folding_leaves_other_words_alone(word: str) -> None:
    assert match_key(word) == word


def test_abbreviations_expand_inside_keys() -> None:
    assert match_key("Stakeholder Mgmt") == "stakeholder management"
    assert match_key("Web Dev") == "web development"


def resolver() -> SkillResolver:
    return SkillResolver([
        Skill("custom:sql", "SQL", aliases=("structured query language",), source=EXT),
        Skill("esco:sql", "SQL", aliases=("sequel",), source=ESCO),
        Skill("esco:db", "database management systems", aliases=("SQL",), source=ESCO),
        Skill("custom:kubernetes", "Kubernetes", aliases=("k8s",), source=EXT),
        Skill("custom:java", "Java", source=EXT),
        Skill("custom:power-bi", "Power BI", source=EXT),
        Skill("esco:pm", "project management", source=ESCO),
    ])


def test_tiers_decide_between_skills_sharing_a_name() -> None:
    match = resolver().resolve("sql")
    assert (match.skill_id, match.method) == ("custom:sql", "exact")
    assert [a[0] for a in match.alternatives] == ["esco:sql", "esco:db"]
    assert resolver().resolve("Structured query language").method == "alias"
    assert resolver().resolve("custom:kubernetes").skill_id == "custom:kubernetes"


def test_an_organizations_names_win_over_the_taxonomy() -> None:
    own = resolver().with_skills([Skill("custom:acme-sql", "SQL", source=ORG)])
    assert own.resolve("SQL").skill_id == "custom:acme-sql"
    assert own.resolve("k8s").skill_id == "custom:kubernetes"  # the base still answers
    assert own.get("esco:pm") is not None and "custom:acme-sql" in own


@pytest.mark.parametrize(("typo", "expected"), [
    ("kubernets", "custom:kubernetes"),      # deletion
    ("Kuberentes", "custom:kubernetes"),     # transposition
    ("powerbi", "custom:power-bi"),          # missing space
    ("management project", "esco:pm"),       # word order
    ("project managment", "esco:pm"),
])
def test_fuzzy_matches_typos_spaces_and_word_order(typo: str, expected: str) -> None:
    match = resolver().resolve(typo)
    assert (match.skill_id, match.method) == (expected, "fuzzy")
    assert 0 < match.score < 1


@pytest.mark.parametrize("name", ["Jav", "Lava", "Underwater welding", "hard working team player",
                                  ""])
def test_short_or_distant_names_stay_unknown(name: str) -> None:
    match = resolver().resolve(name)
    assert (match.skill_id, match.method, match.score) == (None, "unknown", 0.0)
    assert match.to_ref().name == name


def test_allowed_edits_grow_with_length() -> None:
    assert [allowed_edits(n) for n in (3, 4, 8, 9, 15, 16)] == [0, 1, 1, 2, 2, 3]


def test_resolve_many_keeps_order_and_batches_duplicates() -> None:
    names = ["kubernets", "SQL", "kubernets", "nothing at all"]
    assert [m.skill_id for m in resolver().resolve_many(names)] == [
        "custom:kubernetes", "custom:sql", "custom:kubernetes", None]


def test_search_ranks_exact_then_prefix_then_fuzzy() -> None:
    hits = resolver().search("kube")
    assert hits[0][0].id == "custom:kubernetes" and hits[0][2] == "prefix"
    assert resolver().search("SQL")[0][2] == "exact"
    assert resolver().search("kubernets")[0][0].id == "custom:kubernetes"


def test_every_curated_name_resolves_to_its_skill_or_a_stronger_claim() -> None:
    taxonomy = load_taxonomy()
    full = taxonomy_resolver()
    curated = [s for s in taxonomy.skills if s.source is EXT or s.curated_aliases]
    assert len([s for s in curated if s.source is EXT]) >= 150
    for skill in curated:
        for name in (skill.label, *skill.aliases, *skill.curated_aliases):
            match = full.resolve(name.upper())
            assert match.skill_id is not None, name
            if match.skill_id != skill.id:  # only a same-tier earlier claim may take it
                assert skill.id in [a[0] for a in match.alternatives], name
