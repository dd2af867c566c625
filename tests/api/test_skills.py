"""/api/v1/skills: organization skills, taxonomy search and batch resolution (DESIGN.md §5).

Facts about the bundled taxonomy are read from ``graph.taxonomy.load_taxonomy()`` in
the tests (the extension vocabulary is edited independently of these tests); only
ESCO's own identifiers and labels are taken as fixed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import cycle, islice

import pytest

from graph.taxonomy import Taxonomy, load_taxonomy, load_vocabulary
from matcher.model import Skill, SkillSource
from matcher.skills import match_key
from tests.api.helpers import (
    ESCO_SQL,
    UNKNOWN_SKILL,
    Caller,
    assert_invalid,
    assert_problem,
    candidate_body,
    credential,
    experience,
    job_body,
    requirement,
    skill_body,
    skill_link,
)

WINDOW_FUNCTIONS = "SQL window functions"
WINDOW_FUNCTIONS_ID = "custom:sql-window-functions"
METHODS = {"exact", "alias", "fuzzy", "unknown"}
# Search order (matcher.skills.SkillResolver.search): exact and alias matches, then
# names starting with the query, then typos, then names sharing trigrams.
SEARCH_RANK = {"exact": 0, "alias": 0, "prefix": 1, "fuzzy": 2, "partial": 3}


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


# -- taxonomy facts, derived -------------------------------------------------------------

def names_of(skill: Skill) -> list[str]:
    return [skill.label, *skill.aliases, *skill.curated_aliases, *skill.hidden_labels]


def claims(taxonomy: Taxonomy) -> dict[str, set[str]]:
    """Match key -> ids of the skills that use it as a label or alias."""
    found: dict[str, set[str]] = {}
    for skill in taxonomy.skills:
        for name in names_of(skill):
            found.setdefault(match_key(name), set()).add(skill.id)
    return found


def extension_skill(taxonomy: Taxonomy, label: str) -> Skill:
    """The extension vocabulary's skill with this label."""
    found = [s for s in taxonomy.skills
             if s.source == SkillSource.EXTENSION and s.label == label]
    assert len(found) == 1, (label, found)
    return found[0]


def unique_extension_alias(taxonomy: Taxonomy) -> tuple[Skill, str]:
    """An alias of an extension skill that no other skill uses as a name."""
    claimed = claims(taxonomy)
    for skill in taxonomy.skills:
        if skill.source != SkillSource.EXTENSION:
            continue
        for alias in skill.aliases:
            key = match_key(alias)
            if claimed[key] == {skill.id} and key != match_key(skill.label):
                return skill, alias
    raise AssertionError("no extension skill has an alias of its own")


def contested_curated_name(taxonomy: Taxonomy) -> tuple[str, Skill, set[str]]:
    """A curated name (an extension label, or an alias the vocabulary adds to an ESCO
    concept) that ESCO's own labels or aliases give to other concepts too:
    ``(name, curated skill, ids of the other skills)``."""
    claimed = claims(taxonomy)
    curated_keys: dict[str, set[str]] = {}
    for skill in taxonomy.skills:
        names = (skill.label,) if skill.source == SkillSource.EXTENSION else (
            skill.curated_aliases)
        for name in names:
            curated_keys.setdefault(match_key(name), set()).add(skill.id)
    for skill in taxonomy.skills:
        names = (skill.label,) if skill.source == SkillSource.EXTENSION else (
            skill.curated_aliases)
        for name in names:
            key = match_key(name)
            others = claimed[key] - {skill.id}
            if others and curated_keys[key] == {skill.id}:
                return name, skill, others
    raise AssertionError("no curated name is also an ESCO name")


def sql_parent(taxonomy: Taxonomy) -> Skill:
    """ESCO's broader skill of SQL ("query languages")."""
    sql = taxonomy.get(ESCO_SQL)
    assert sql is not None and sql.label == "SQL"
    assert len(sql.broader) == 1
    parent = taxonomy.get(sql.broader[0])
    assert parent is not None and parent.source == SkillSource.ESCO
    return parent


def slug_of(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def links(taxonomy: Taxonomy, ids: Iterable[str]) -> list[dict]:
    return [skill_link(i, taxonomy.get(i).label) for i in ids]


def by_id(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda link: link["skill_id"])


def resolve(api: Caller, *names: str) -> list[dict]:
    response = api.post("/skills/resolve", {"names": list(names)})
    assert response.status_code == 200, response.get_data(as_text=True)
    results = response.get_json()["results"]
    assert [r["input"] for r in results] == list(names)
    return results


def search(api: Caller, q: str, **params: object) -> dict:
    response = api.get("/skills", query_string={"q": q, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def window_functions(api: Caller, taxonomy: Taxonomy, **fields: object) -> dict:
    """An organization skill under ESCO's SQL, related to ESCO's "query languages"."""
    body = skill_body(WINDOW_FUNCTIONS, aliases=["window queries", "analytic SQL functions"],
                      description="OVER (PARTITION BY ...) clauses.",
                      broader=[ESCO_SQL], related=[sql_parent(taxonomy).label])
    return api.create("/skills", {**body, **fields})


# -- POST /skills -------------------------------------------------------------------------

def test_create_an_organization_skill(api, taxonomy):
    before = resolve(api, WINDOW_FUNCTIONS, "window queries")
    assert all(r["method"] in {"fuzzy", "unknown"} for r in before), before

    response = api.post("/skills", skill_body(
        WINDOW_FUNCTIONS, aliases=["window queries", "analytic SQL functions"],
        description="OVER (PARTITION BY ...) clauses.",
        broader=[ESCO_SQL], related=[sql_parent(taxonomy).label]))

    assert response.status_code == 201, response.get_data(as_text=True)
    skill = response.get_json()
    assert skill["id"] == WINDOW_FUNCTIONS_ID
    assert (skill["label"], skill["kind"], skill["source"]) == (
        WINDOW_FUNCTIONS, "skill", "organization")
    assert skill["description"] == "OVER (PARTITION BY ...) clauses."
    assert skill["aliases"] == ["window queries", "analytic SQL functions"]
    assert skill["broader"] == [skill_link(ESCO_SQL, "SQL")]
    assert skill["related"] == links(taxonomy, [sql_parent(taxonomy).id])
    assert (skill["narrower"], skill["groups"]) == ([], [])
    assert api.get(f"/skills/{WINDOW_FUNCTIONS_ID}").get_json() == skill


def test_create_with_a_kind_and_an_explicit_slug(api, taxonomy):
    assert "custom:acme-bi-stack" not in taxonomy
    skill = api.create("/skills", skill_body("Acme's BI stack", slug="acme-bi-stack",
                                             kind="tool"))
    assert (skill["id"], skill["label"], skill["kind"]) == (
        "custom:acme-bi-stack", "Acme's BI stack", "tool")
    assert (skill["aliases"], skill["broader"], skill["related"]) == ([], [], [])
    assert api.get("/skills/custom:acme-bi-stack").get_json() == skill


@pytest.mark.parametrize(("label", "slug"), [
    ("Réseau Design & Ops", "reseau-design-ops"),
    ("  Customer   Churn Modelling ", "customer-churn-modelling"),
    ("Omnichannel Merchandising (2024)", "omnichannel-merchandising-2024"),
])
def test_the_default_slug_is_ascii_lower_case_and_hyphenated(api, taxonomy, label, slug):
    assert f"custom:{slug}" not in taxonomy
    skill = api.create("/skills", skill_body(label))
    assert skill["id"] == f"custom:{slug}"
    assert skill["label"] == label.strip()


def test_a_label_without_ascii_letters_needs_a_slug(api):
    assert_invalid(api.post("/skills", skill_body("日本語")), "slug")
    assert api.total("/skills") == 0
    skill = api.create("/skills", skill_body("日本語", slug="japanese-language"))
    assert (skill["id"], skill["label"]) == ("custom:japanese-language", "日本語")


@pytest.mark.parametrize("body", [
    {},
    {"label": ""},
    {"label": "   "},
    {"label": "x" * 201},
    {"label": "Window functions", "slug": "Window Functions"},
    {"label": "Window functions", "slug": "custom:window-functions"},
    {"label": "Window functions", "slug": "-window"},
    {"label": "Window functions", "slug": "window--functions"},
    {"label": "Window functions", "slug": "window-functions\n"},
    {"label": "Window functions", "kind": "talent"},
    {"label": "Window functions", "broader": "SQL"},
    {"label": "Window functions", "aliases": ["   "]},
], ids=["no-label", "empty-label", "blank-label", "long-label", "upper-slug", "prefixed-slug",
        "leading-hyphen", "double-hyphen", "newline-slug", "bad-kind", "broader-not-a-list",
        "blank-alias"])
def test_an_invalid_skill_is_422(api, body):
    assert_invalid(api.post("/skills", body))
    assert api.total("/skills") == 0


def test_parents_named_by_label_alias_or_id_resolve_to_existing_skills(api, taxonomy):
    parent = sql_parent(taxonomy)
    sql = taxonomy.get(ESCO_SQL)
    assert "SEQUEL" in sql.aliases and claims(taxonomy)[match_key("SEQUEL")] == {ESCO_SQL}
    skill = api.create("/skills", skill_body(
        "Recursive CTEs", broader=["sequel", parent.id], related=[parent.label.upper()]))
    assert skill["broader"] == [skill_link(ESCO_SQL, "SQL"), skill_link(parent.id, parent.label)]
    assert skill["related"] == [skill_link(parent.id, parent.label)]


def test_a_parent_may_be_an_earlier_organization_skill(api, taxonomy):
    parent = window_functions(api, taxonomy)
    created = api.create("/skills", skill_body("Running totals",
                                               broader=[WINDOW_FUNCTIONS.lower()]))
    assert created["broader"] == [skill_link(parent["id"], parent["label"])]
    assert api.get(f"/skills/{created['id']}").get_json() == created
    narrower = api.get(f"/skills/{parent['id']}").get_json()["narrower"]
    assert narrower == [skill_link(created["id"], "Running totals")]
    related = api.create("/skills", skill_body("Moving averages", related=["window queries"]))
    assert related["related"] == [skill_link(parent["id"], parent["label"])]


def test_a_child_that_is_also_related_is_still_narrower(api, taxonomy):
    parent = window_functions(api, taxonomy)
    child = api.create("/skills", skill_body("Running totals", broader=[parent["id"]],
                                             related=[parent["id"]]))
    assert child["broader"] == child["related"] == [skill_link(parent["id"], parent["label"])]
    narrower = api.get(f"/skills/{parent['id']}").get_json()["narrower"]
    assert narrower == [skill_link(child["id"], "Running totals")]


def test_unknown_parents_are_422_naming_each_position(api, taxonomy):
    errors = assert_invalid(
        api.post("/skills", skill_body("Window functions",
                                       broader=[ESCO_SQL, UNKNOWN_SKILL, "custom:no-such-skill"])),
        "broader.1", "broader.2")
    assert "broader.0" not in errors
    errors = assert_invalid(
        api.post("/skills", skill_body("Window functions", broader=[ESCO_SQL],
                                       related=[sql_parent(taxonomy).id, UNKNOWN_SKILL])),
        "related.1")
    assert set(errors) == {"related.1"}
    assert api.total("/skills") == 0


def test_a_parent_that_only_matches_fuzzily_is_422(api, taxonomy):
    kubernetes = extension_skill(taxonomy, "Kubernetes")
    [typo] = resolve(api, "kubernets")
    assert (typo["skill_id"], typo["method"]) == (kubernetes.id, "fuzzy")
    errors = assert_invalid(api.post("/skills", skill_body(
        "Helm charts", broader=[kubernetes.label, "kubernets"])), "broader.1")
    assert "broader.0" not in errors
    assert_invalid(api.post("/skills", skill_body("Helm charts", related=["kubernets"])),
                   "related.0")
    assert api.total("/skills") == 0


def test_a_slug_of_the_extension_vocabulary_is_409(api, taxonomy):
    entries = [e for e in load_vocabulary() if e["id"].startswith("custom:")]
    assert entries
    for entry in (entries[0], entries[-1]):
        slug = entry["id"].removeprefix("custom:")
        assert_problem(api.post("/skills", skill_body("Something else", slug=slug)), 409)
    # a label whose default slug is the id of an extension skill
    entry = next(e for e in entries if e["id"] == f"custom:{slug_of(e['label'])}")
    assert_problem(api.post("/skills", skill_body(entry["label"])), 409)
    assert_problem(api.post("/skills", skill_body(entry["label"].upper())), 409)
    assert api.total("/skills") == 0


def test_a_slug_the_organization_used_before_is_409(api, taxonomy):
    first = window_functions(api, taxonomy)
    assert_problem(api.post("/skills", skill_body(WINDOW_FUNCTIONS)), 409)
    assert_problem(api.post("/skills", skill_body("SQL Window Functions!")), 409)
    assert_problem(api.post("/skills", skill_body(
        "Analytic functions", slug=WINDOW_FUNCTIONS_ID.removeprefix("custom:"))), 409)
    listing = api.get("/skills").get_json()
    assert (listing["total"], listing["items"]) == (1, [first])


def test_new_skill_resolves_in_jobs_and_candidates(api, taxonomy):
    skill = window_functions(api, taxonomy)
    job = api.create("/jobs", job_body(requirements=[
        requirement("sql window functions"), requirement("Analytic SQL Functions")]))
    assert [r["skill_id"] for r in job["requirements"]] == [skill["id"]] * 2
    candidate = api.create("/candidates", candidate_body(
        credentials=[credential(skills=["Window queries", UNKNOWN_SKILL])],
        experience=[experience(skills=[WINDOW_FUNCTIONS])]))
    assert candidate["credentials"][0]["skills"] == [
        {"name": "Window queries", "skill_id": skill["id"]},
        {"name": UNKNOWN_SKILL, "skill_id": None}]
    assert candidate["experience"][0]["skills"] == [
        {"name": WINDOW_FUNCTIONS, "skill_id": skill["id"]}]


def test_the_parent_lists_the_new_skill_as_narrower(api, taxonomy):
    existing = [s.id for s in taxonomy.skills if ESCO_SQL in s.broader]
    before = api.get(f"/skills/{ESCO_SQL}").get_json()
    assert by_id(before["narrower"]) == by_id(links(taxonomy, existing))

    skill = window_functions(api, taxonomy)

    after = api.get(f"/skills/{ESCO_SQL}").get_json()
    assert by_id(after["narrower"]) == by_id(
        [*links(taxonomy, existing), skill_link(skill["id"], skill["label"])])
    assert {k: v for k, v in after.items() if k != "narrower"} == (
        {k: v for k, v in before.items() if k != "narrower"})


# -- GET /skills --------------------------------------------------------------------------

def test_list_is_the_organizations_own_skills_paginated(api, taxonomy):
    assert api.get("/skills").get_json() == {"items": [], "total": 0, "limit": 50, "offset": 0}
    created = [window_functions(api, taxonomy),
               api.create("/skills", skill_body("Running totals", broader=[WINDOW_FUNCTIONS])),
               api.create("/skills", skill_body("Acme dashboards", kind="tool"))]
    listing = api.get("/skills").get_json()
    assert (listing["total"], listing["limit"], listing["offset"]) == (3, 50, 0)
    assert sorted(listing["items"], key=lambda s: s["id"]) == sorted(
        [api.get(f"/skills/{s['id']}").get_json() for s in created], key=lambda s: s["id"])
    assert {s["source"] for s in listing["items"]} == {"organization"}

    first = api.get("/skills", query_string={"limit": 2}).get_json()
    rest = api.get("/skills", query_string={"limit": 2, "offset": 2}).get_json()
    assert (first["total"], first["limit"], len(first["items"])) == (3, 2, 2)
    assert (rest["total"], rest["offset"], len(rest["items"])) == (3, 2, 1)
    assert first["items"] + rest["items"] == listing["items"]


@pytest.mark.parametrize("query", [{"limit": 0}, {"limit": 501}, {"offset": -1},
                                   {"limit": "ten"}, {"q": "   "}, {"q": "x" * 201}])
def test_list_rejects_bad_arguments(api, query):
    assert_invalid(api.get("/skills", query_string=query), *(f"query.{k}" for k in query))


def test_search_puts_exact_labels_first(api, taxonomy):
    body = search(api, "SQL")
    items = body["items"]
    exact_ids = claims(taxonomy)[match_key("SQL")]
    assert ESCO_SQL in exact_ids
    assert match_key(items[0]["label"]) == "sql"
    assert items[0]["match"] == {"method": "exact", "score": 1.0}
    leading = [i["id"] for i in items[:len(exact_ids)]]
    assert set(leading) == exact_ids, (leading, exact_ids)
    ranks = [SEARCH_RANK[i["match"]["method"]] for i in items]
    assert ranks == sorted(ranks)
    assert ranks[-1] > 0  # more than the exact names are offered
    for item in items:
        assert 0 < item["match"]["score"] <= 1
    sql = next(i for i in items if i["id"] == ESCO_SQL)
    assert sql == {**api.get(f"/skills/{ESCO_SQL}").get_json(), "match": sql["match"]}


def test_search_finds_a_typo(api, taxonomy):
    kubernetes = extension_skill(taxonomy, "Kubernetes")
    items = search(api, "kubernets")["items"]
    assert items[0]["id"] == kubernetes.id
    assert items[0]["label"] == kubernetes.label
    assert items[0]["match"]["method"] == "fuzzy"
    assert 0.5 < items[0]["match"]["score"] < 1


def test_search_as_you_type_finds_a_prefix(api, taxonomy):
    tableau = extension_skill(taxonomy, "Tableau")
    items = search(api, "tabl")["items"]
    assert (items[0]["id"], items[0]["label"]) == (tableau.id, tableau.label)
    assert items[0]["match"]["method"] == "prefix"
    assert 0 < items[0]["match"]["score"] < 1


def test_search_pages_consistently(api):
    full = search(api, "data", limit=20)
    page = search(api, "data", limit=5, offset=5)
    assert (page["limit"], page["offset"]) == (5, 5)
    assert page["items"] == full["items"][5:10]
    # total counts the matches, not the page size
    assert page["total"] == full["total"] == search(api, "data", limit=1)["total"]
    assert full["total"] >= len(full["items"]) == 20


def test_search_covers_the_organizations_skills(api, taxonomy):
    skill = window_functions(api, taxonomy)
    items = search(api, WINDOW_FUNCTIONS.upper())["items"]
    assert items[0] == {**api.get(f"/skills/{skill['id']}").get_json(),
                        "match": {"method": "exact", "score": 1.0}}
    by_alias = search(api, "window queries")["items"]
    assert by_alias[0]["id"] == skill["id"]
    assert by_alias[0]["match"]["method"] == "alias"


# -- GET /skills/{id} ---------------------------------------------------------------------

def test_get_an_esco_skill(api, taxonomy):
    sql = taxonomy.get(ESCO_SQL)
    response = api.get(f"/skills/{ESCO_SQL}")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["id"], body["label"], body["kind"], body["source"]) == (
        ESCO_SQL, "SQL", "knowledge", "esco")
    assert body["broader"] == links(taxonomy, sql.broader) == [
        skill_link(sql_parent(taxonomy).id, "query languages")]
    assert by_id(body["narrower"]) == by_id(links(
        taxonomy, [s.id for s in taxonomy.skills if ESCO_SQL in s.broader]))
    assert by_id(body["related"]) == by_id(links(taxonomy, sql.related))
    assert body["groups"] == [skill_link(g, taxonomy.groups[g]) for g in sql.groups]
    assert body["groups"], "ESCO files SQL under a skill group"
    assert set(sql.aliases) <= set(body["aliases"])
    assert (body["reuse_level"], body["digital"], body["transversal"]) == (
        sql.reuse_level, sql.digital, sql.transversal)


def test_a_parent_lists_its_esco_children(api, taxonomy):
    parent = sql_parent(taxonomy)
    body = api.get(f"/skills/{parent.id}").get_json()
    assert skill_link(ESCO_SQL, "SQL") in body["narrower"]
    assert by_id(body["narrower"]) == by_id(links(
        taxonomy, [s.id for s in taxonomy.skills if parent.id in s.broader]))


def test_get_an_extension_skill(api, taxonomy):
    kubernetes = extension_skill(taxonomy, "Kubernetes")
    body = api.get(f"/skills/{kubernetes.id}").get_json()
    assert (body["id"], body["label"], body["kind"], body["source"]) == (
        kubernetes.id, "Kubernetes", kubernetes.kind.value, "extension")
    assert set(kubernetes.aliases) <= set(body["aliases"])
    assert body["broader"] == links(taxonomy, kubernetes.broader)
    assert by_id(body["narrower"]) == by_id(links(
        taxonomy, [s.id for s in taxonomy.skills if kubernetes.id in s.broader]))


@pytest.mark.parametrize("skill_id", [
    "custom:no-such-skill",
    "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000",
    "sql",
    "SQL",
    "resolve",
])
def test_an_unknown_skill_is_404(api, skill_id):
    assert_problem(api.get(f"/skills/{skill_id}"), 404)


# -- POST /skills/resolve -----------------------------------------------------------------

def test_resolve_answers_each_method_in_input_order(api, taxonomy):
    kubernetes = extension_skill(taxonomy, "Kubernetes")
    alias_owner, alias = unique_extension_alias(taxonomy)
    parent = sql_parent(taxonomy)
    assert claims(taxonomy)[match_key(parent.label)] == {parent.id}
    names = ["Kubernetes", alias.upper(), "kubernets", UNKNOWN_SKILL, parent.label, "SEQUEL",
             "kubernetes"]

    results = resolve(api, *names)

    for result in results:
        assert set(result) == {"input", "skill_id", "label", "score", "method", "alternatives"}
        assert result["method"] in METHODS
        for alternative in result["alternatives"]:
            assert set(alternative) == {"skill_id", "label"}
            assert alternative["skill_id"] != result["skill_id"]
    exact, by_alias, fuzzy, unknown, esco, esco_alias, folded = results
    assert {k: exact[k] for k in ("skill_id", "label", "score", "method")} == {
        "skill_id": kubernetes.id, "label": "Kubernetes", "score": 1.0, "method": "exact"}
    assert {k: by_alias[k] for k in ("skill_id", "label", "score", "method")} == {
        "skill_id": alias_owner.id, "label": alias_owner.label, "score": 1.0, "method": "alias"}
    assert (fuzzy["skill_id"], fuzzy["label"], fuzzy["method"]) == (
        kubernetes.id, "Kubernetes", "fuzzy")
    assert 0.5 < fuzzy["score"] < 1
    assert unknown == {"input": UNKNOWN_SKILL, "skill_id": None, "label": None, "score": 0.0,
                       "method": "unknown", "alternatives": []}
    assert (esco["skill_id"], esco["label"], esco["method"], esco["score"]) == (
        parent.id, parent.label, "exact", 1.0)
    assert (esco_alias["skill_id"], esco_alias["label"], esco_alias["method"]) == (
        ESCO_SQL, "SQL", "alias")
    assert {k: v for k, v in folded.items() if k != "input"} == (
        {k: v for k, v in exact.items() if k != "input"})


def test_a_curated_name_wins_over_esco_and_lists_the_others(api, taxonomy):
    name, curated, others = contested_curated_name(taxonomy)
    [result] = resolve(api, name.upper())
    assert (result["skill_id"], result["label"], result["score"]) == (
        curated.id, curated.label, 1.0)
    assert result["method"] == ("exact" if match_key(name) == match_key(curated.label)
                                else "alias")
    assert {a["skill_id"] for a in result["alternatives"]} >= others
    assert by_id(result["alternatives"]) == by_id(
        links(taxonomy, {a["skill_id"] for a in result["alternatives"]}))


def test_an_organization_skill_wins_its_own_label(api, taxonomy):
    kubernetes = extension_skill(taxonomy, "Kubernetes")
    mine = api.create("/skills", skill_body("Kubernetes", slug="acme-kubernetes",
                                            aliases=["our k8s"]))
    label, alias = resolve(api, "Kubernetes", "Our K8s")
    assert (label["skill_id"], label["label"], label["method"]) == (
        mine["id"], "Kubernetes", "exact")
    assert skill_link(kubernetes.id, kubernetes.label) in label["alternatives"]
    assert (alias["skill_id"], alias["method"]) == (mine["id"], "alias")


def test_resolve_takes_a_thousand_names(api, taxonomy):
    names = list(islice(cycle(["SQL", "kubernets", UNKNOWN_SKILL, "Tableau"]), 1000))
    results = resolve(api, *names)
    assert len(results) == 1000
    assert results[0] == results[4] and results[2] == results[998]


@pytest.mark.parametrize(("body", "path"), [
    ({"names": []}, "names"),
    ({"names": ["SQL"] * 1001}, "names"),
    ({}, "names"),
    ({"names": "SQL"}, "names"),
    ({"names": ["SQL", "   "]}, "names.1"),
    ({"names": ["", "SQL"]}, "names.0"),
    ({"names": ["SQL", None]}, "names.1"),
    ({"names": [42]}, "names.0"),
    ({"names": ["x" * 201]}, "names.0"),
], ids=["empty", "1001", "missing", "not-a-list", "blank", "empty-name", "null", "number",
        "too-long"])
def test_resolve_rejects_bad_input(api, body, path):
    assert_invalid(api.post("/skills/resolve", body), path)


# -- tenancy ------------------------------------------------------------------------------

def test_an_organization_skill_is_invisible_to_other_organizations(api, other_api, taxonomy):
    mine = window_functions(api, taxonomy)

    foreign = assert_problem(other_api.get(f"/skills/{mine['id']}"), 404)
    missing = assert_problem(other_api.get("/skills/custom:sql-window-functionz"), 404)
    assert (foreign["type"], foreign["title"]) == (missing["type"], missing["title"])
    assert other_api.get("/skills").get_json()["total"] == 0
    for result in resolve(other_api, WINDOW_FUNCTIONS, "window queries", mine["id"]):
        assert result["skill_id"] != mine["id"]
        assert mine["id"] not in {a["skill_id"] for a in result["alternatives"]}
    assert mine["id"] not in {i["id"] for i in search(other_api, WINDOW_FUNCTIONS)["items"]}
    job = other_api.create("/jobs", job_body(requirements=[requirement(WINDOW_FUNCTIONS)]))
    assert job["requirements"][0]["skill_id"] != mine["id"]
    parent = other_api.get(f"/skills/{ESCO_SQL}").get_json()
    assert mine["id"] not in {n["skill_id"] for n in parent["narrower"]}
    # the other organization cannot use it as a parent either
    assert_invalid(other_api.post("/skills", skill_body("Running totals",
                                                        broader=[mine["id"]])), "broader.0")


def test_organizations_choose_slugs_independently(api, other_api, taxonomy):
    mine = window_functions(api, taxonomy)
    theirs = other_api.create("/skills", skill_body("SQL Window Functions",
                                                    description="Theirs."))
    assert theirs["id"] == mine["id"]
    assert api.get(f"/skills/{mine['id']}").get_json() == mine
    assert other_api.get(f"/skills/{mine['id']}").get_json() == theirs
    assert theirs["broader"] == [] and theirs["description"] == "Theirs."
