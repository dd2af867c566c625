"""Consistency of the demo fixtures, the skill vocabulary and the synthetic generator.

No app and no database: these tests read the JSON files under ``fixtures/demo`` and
``graph/data`` and call ``fixtures.generate`` / ``fixtures.build_demo`` directly.
"""

from __future__ import annotations

import gzip
import itertools
import json
import pathlib
import re
import unicodedata
from datetime import date

import pytest

from fixtures import build_demo, generate

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEMO = ROOT / "fixtures" / "demo"
VOCABULARY = ROOT / "graph" / "data" / "vocabulary.json"
ESCO = ROOT / "graph" / "data" / "esco-v1.1.1.json.gz"
ESCO_SKILL = re.compile(
    r"http://data\.europa\.eu/esco/skill/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}")
LATEST = date(2026, 11, 1)  # no issue, start or end date after this
KINDS = {"micro-credential", "certification", "certificate", "badge", "degree", "license"}
EDUCATION_LEVELS = {"none", "secondary", "associate", "bachelor", "master", "doctorate"}
CANDIDATE_KEYS = {"external_id", "name", "email", "location", "credentials", "experience"}
CREDENTIAL_KEYS = {"name", "kind", "issuer", "issued_on", "expires_on", "skills", "verification"}
ROLE_KEYS = {"title", "employer", "industry", "start_date", "end_date", "skills"}
VERIFICATIONS = {("verified", "manual"), ("unverified", "self-reported")}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def norm(text: str) -> str:
    """NFKC, casefold and collapse whitespace, the vocabulary's comparison key."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def load(name: str):
    return json.loads((DEMO / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def vocabulary() -> list[dict]:
    return json.loads(VOCABULARY.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def names(vocabulary) -> dict[str, str]:
    """Normalised label/alias -> vocabulary id."""
    return {norm(n): e["id"] for e in vocabulary for n in [e["label"], *e["aliases"]]}


@pytest.fixture(scope="module")
def issuers() -> list[dict]:
    return load("issuers.json")


@pytest.fixture(scope="module")
def catalog() -> list[dict]:
    return load("catalog.json")


@pytest.fixture(scope="module")
def jobs() -> list[dict]:
    return load("jobs.json")


@pytest.fixture(scope="module")
def candidates() -> list[dict]:
    lines = (DEMO / "candidates.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def skill_strings(candidate: dict) -> list[str]:
    items = candidate.get("credentials", []) + candidate.get("experience", [])
    return [s for item in items for s in item.get("skills", [])]


def candidate_problems(c: dict) -> list[str]:
    """Return every way ``c`` breaks the candidate input format or a date invariant."""
    problems = []
    cid = c.get("external_id")
    if not isinstance(cid, str) or not cid or not isinstance(c.get("name"), str) or not c["name"]:
        problems.append(f"{cid}: external_id and name are required strings")
    if set(c) - CANDIDATE_KEYS:
        problems.append(f"{cid}: unexpected keys {set(c) - CANDIDATE_KEYS}")
    if "email" in c and not re.fullmatch(r"[^@\s]+@example\.com", c["email"]):
        problems.append(f"{cid}: email {c['email']!r}")
    if "location" in c and not re.fullmatch(r"[^,]+, [A-Z]{2}", c["location"]):
        problems.append(f"{cid}: location {c['location']!r}")
    for k in c.get("credentials", []):
        if set(k) - CREDENTIAL_KEYS or k.get("kind") not in KINDS \
                or not k.get("name") or not k.get("issuer"):
            problems.append(f"{cid}: bad credential {k}")
            continue
        issued = date.fromisoformat(k["issued_on"])
        if issued > LATEST:
            problems.append(f"{cid}: issued_on {issued} after {LATEST}")
        if k.get("expires_on") is not None and date.fromisoformat(k["expires_on"]) <= issued:
            problems.append(f"{cid}: expires_on {k['expires_on']} not after issued_on {issued}")
        v = k.get("verification", {})
        if (v.get("status"), v.get("method")) not in VERIFICATIONS:
            problems.append(f"{cid}: verification {v}")
    for r in c.get("experience", []):
        if set(r) - ROLE_KEYS or not r.get("title"):
            problems.append(f"{cid}: bad role {r}")
            continue
        start = date.fromisoformat(r["start_date"])
        end = date.fromisoformat(r["end_date"]) if r.get("end_date") else None
        if start > LATEST or (end is not None and (end < start or end > LATEST)):
            problems.append(f"{cid}: role dates {start}..{end}")
    for field in ("issued_on", "expires_on", "start_date", "end_date"):
        for item in c.get("credentials", []) + c.get("experience", []):
            if item.get(field) is not None and not ISO_DATE.match(item[field]):
                problems.append(f"{cid}: {field} {item[field]!r} is not YYYY-MM-DD")
    return problems


# --- vocabulary --------------------------------------------------------------------------

def test_vocabulary_entries_have_the_documented_shape(vocabulary):
    """ESCO augmentations (an ESCO URI, no kind/broader) or extension skills (custom ids)."""
    extension = [e for e in vocabulary if e["id"].startswith("custom:")]
    augmentations = [e for e in vocabulary if not e["id"].startswith("custom:")]
    assert len(extension) >= 160 and len(augmentations) >= 50
    ids = {e["id"] for e in vocabulary}
    for e in augmentations:
        assert set(e) == {"id", "label", "aliases", "category"}, e
        assert ESCO_SKILL.fullmatch(e["id"]), e["id"]
    for e in extension:
        assert set(e) - {"related"} == {"id", "label", "aliases", "kind", "category", "broader"}, e
        assert re.fullmatch(r"custom:[a-z0-9]+(-[a-z0-9]+)*", e["id"]), e["id"]
        assert e["kind"] in {"skill", "knowledge", "tool"}, e
        assert 1 <= len(e["broader"]) <= 3, e
        for ref in e["broader"] + e.get("related", []):
            assert ESCO_SKILL.fullmatch(ref) or (ref in ids and ref != e["id"]), (e["id"], ref)
    for e in vocabulary:
        assert e["label"].strip() and e["category"].strip(), e
        assert isinstance(e["aliases"], list), e
        assert all(isinstance(a, str) and a.strip() for a in e["aliases"]), e


def test_extension_skills_reach_esco_within_two_hops(vocabulary):
    by_id = {e["id"]: e for e in vocabulary}

    def reaches(skill_id: str, hops: int) -> bool:
        return hops > 0 and any(not p.startswith("custom:") or reaches(p, hops - 1)
                                for p in by_id[skill_id]["broader"])

    assert [e["id"] for e in vocabulary
            if e["id"].startswith("custom:") and not reaches(e["id"], 2)] == []


def test_vocabulary_agrees_with_the_bundled_esco_taxonomy(vocabulary):
    """Augmentations carry the exact ESCO preferred label; links point at ESCO skills, not
    skill groups; no name equals the preferred label of a different ESCO concept."""
    with gzip.open(ESCO) as raw:
        esco = json.load(raw)
    preferred = {s[0]: s[3] for s in esco["skills"]}
    by_label: dict[str, set[str]] = {}
    for uri, label in preferred.items():
        by_label.setdefault(norm(label), set()).add(uri)
    for e in vocabulary:
        if not e["id"].startswith("custom:"):
            assert preferred.get(e["id"]) == e["label"], e["id"]
        for ref in e.get("broader", []) + e.get("related", []):
            assert ref.startswith("custom:") or ref in preferred, (e["id"], ref)
        clashes = [n for n in [e["label"], *e["aliases"]]
                   if by_label.get(norm(n), {e["id"]}) != {e["id"]}]
        assert clashes == [], e["id"]


def test_vocabulary_ids_labels_and_aliases_are_unique_after_normalisation(vocabulary):
    ids = [e["id"] for e in vocabulary]
    assert len(ids) == len(set(ids))
    all_names = [norm(n) for e in vocabulary for n in [e["label"], *e["aliases"]]]
    duplicates = sorted(n for n in set(all_names) if all_names.count(n) > 1)
    assert duplicates == []


def test_vocabulary_covers_the_fields_the_jobs_use(vocabulary):
    categories = {e["category"] for e in vocabulary}
    core = {"data analysis", "digital marketing", "software development", "project management"}
    assert core <= categories
    fields = categories - {"professional skills"}
    assert all(sum(e["category"] == c for e in vocabulary) >= 5 for c in fields)


# --- issuers, catalogue, jobs ------------------------------------------------------------

def test_issuers_are_well_formed_and_cover_every_trust_case(issuers):
    assert 15 <= len(issuers) <= 30
    assert len({norm(i["name"]) for i in issuers}) == len(issuers)
    for i in issuers:
        assert set(i) <= {"name", "url", "country", "industry_recognized", "accreditations",
                          "public_keys"}, i
        assert "country" not in i or re.fullmatch(r"[A-Z]{2}", i["country"]), i
        assert "url" not in i or re.fullmatch(r"https://[a-z0-9.-]+\.example", i["url"]), i
        for a in i.get("accreditations", []):
            assert a["status"] in {"active", "expired", "revoked"} and a["accrediting_body"], a
            assert a["valid_until"] is None or a["valid_until"] > a["valid_from"], a
    statuses = {a["status"] for i in issuers for a in i.get("accreditations", [])}
    assert statuses == {"active", "expired", "revoked"}
    assert any(not i.get("accreditations") for i in issuers), "need unaccredited issuers"
    assert any(i.get("industry_recognized") for i in issuers)
    assert any(not i.get("industry_recognized") for i in issuers)


def test_catalog_offerings_are_well_formed_and_name_registered_issuers(catalog, issuers, names):
    registry = {i["name"] for i in issuers}
    assert 25 <= len(catalog) <= 45
    for o in catalog:
        assert o["issuer"] in registry, o["issuer"]
        assert o["kind"] in KINDS and o["delivery"] in {"online", "in_person", "blended"}, o
        assert o["duration_weeks"] > 0 and o["cost"] >= 0, o
        assert re.fullmatch(r"[A-Z]{3}", o["currency"]), o
        assert o["url"].startswith("https://") and o["skills"], o
        assert [s for s in o["skills"] if norm(s) not in names] == [], o["name"]
    short = [o for o in catalog if o["duration_weeks"] <= 16]
    assert len(short) >= 0.8 * len(catalog)


def test_jobs_are_well_formed_and_their_skills_resolve(jobs, names):
    assert 10 <= len(jobs) <= 20
    assert len({j["external_id"] for j in jobs}) == len(jobs)
    assert {j["status"] for j in jobs} == {"open", "closed"}
    for j in jobs:
        reqs = j["requirements"]
        required = [r for r in reqs if r["importance"] == "required"]
        assert 4 <= len(reqs) <= 10 and 2 <= len(required) <= 5, j["external_id"]
        assert all(r["importance"] in {"required", "preferred"} for r in reqs)
        assert all(r.get("weight", 1) > 0 and r.get("min_years", 0) >= 0 for r in reqs)
        assert [r["skill"] for r in reqs if norm(r["skill"]) not in names] == [], j["external_id"]
        ids = [names[norm(r["skill"])] for r in reqs]
        assert len(ids) == len(set(ids)), f"{j['external_id']} lists a skill twice"
        if "education" in j:
            assert j["education"]["level"] in EDUCATION_LEVELS
        assert 2 <= len(j["description"].split(". ")) <= 5 and j["title"] and j["industry"]


def test_every_job_requirement_can_be_closed_by_some_catalogue_offering(jobs, catalog, names):
    offered = {names[norm(s)] for o in catalog for s in o["skills"]}
    requirements = [r["skill"] for j in jobs for r in j["requirements"]]
    missing = sorted({s for s in requirements if names[norm(s)] not in offered})
    assert missing == []


# --- demo candidates ---------------------------------------------------------------------

def test_demo_candidates_satisfy_format_and_date_invariants(candidates):
    assert 250 <= len(candidates) <= 350
    problems = [p for c in candidates for p in candidate_problems(c)]
    assert problems == []


def test_demo_candidate_ids_and_emails_are_unique(candidates):
    ids = [c["external_id"] for c in candidates]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"CAND-\d{4}", i) for i in ids)
    emails = [c["email"].casefold() for c in candidates if "email" in c]
    assert len(emails) == len(set(emails)) and len(emails) > 0.8 * len(candidates)


def test_demo_candidate_skills_mostly_resolve_with_a_few_realistic_misspellings(candidates, names):
    strings = [s for c in candidates for s in skill_strings(c)]
    unknown = [s for s in strings if norm(s) not in names]
    assert len(strings) > 1000
    assert len(unknown) <= 0.05 * len(strings), unknown[:20]
    assert unknown, "the demo data should contain some unresolvable skill strings"


def test_demo_candidates_mix_registered_and_unknown_issuers(candidates, issuers):
    registry = {norm(i["name"]) for i in issuers}
    named = [norm(k["issuer"]) for c in candidates for k in c.get("credentials", [])]
    known = sum(n in registry for n in named)
    assert 0.6 * len(named) <= known < len(named)
    assert any(k.get("expires_on") and date.fromisoformat(k["expires_on"]) < LATEST
               for c in candidates for k in c.get("credentials", [])), "need expired credentials"
    assert {k["verification"]["status"] for c in candidates for k in c.get("credentials", [])} == {
        "verified", "unverified"}


def test_demo_archetypes_are_all_present():
    built = build_demo.build_candidates()
    counts = {a: sum(1 for arch, _ in built if arch == a) for a in build_demo.ARCHETYPES}
    assert counts == build_demo.ARCHETYPES
    by_arch = {a: [c for arch, c in built if arch == a] for a in build_demo.ARCHETYPES}
    assert all("credentials" not in c for c in by_arch["experience_only"])
    assert all(any(k["kind"] == "degree" for k in c["credentials"]) for c in by_arch["degree_only"])
    assert all(sum(k["kind"] == "badge" for k in c["credentials"]) >= 4
               for c in by_arch["badge_heavy"])
    stale_year = LATEST.year - 7
    assert all(all(int(k["issued_on"][:4]) <= stale_year for k in c["credentials"])
               for c in by_arch["stale_credentials"])


def test_build_demo_reproduces_the_committed_candidates_file():
    text = build_demo.render([c for _, c in build_demo.build_candidates()])
    assert text.encode("utf-8") == (DEMO / "candidates.jsonl").read_bytes()
    assert build_demo.render([c for _, c in build_demo.build_candidates()]) == text


# --- synthetic generator -----------------------------------------------------------------

def test_generate_candidates_yields_exactly_n():
    for n in (0, 1, 57):
        assert len(list(generate.generate_candidates(n, seed=3))) == n


def test_generate_candidates_is_deterministic_and_seed_dependent():
    first = list(generate.generate_candidates(200, seed=11))
    assert first == list(generate.generate_candidates(200, seed=11))
    other = list(generate.generate_candidates(200, seed=12))
    assert [c["external_id"] for c in other] == [f"GEN-12-{i:07d}" for i in range(1, 201)]
    def content(stream):
        return [{k: v for k, v in c.items() if k not in ("external_id", "email")} for c in stream]

    assert content(first) != content(other)


def test_generate_candidates_prefix_does_not_depend_on_n():
    longer = list(generate.generate_candidates(300, seed=5))
    assert list(generate.generate_candidates(20, seed=5)) == longer[:20]


def test_generate_candidates_rejects_negative_arguments():
    with pytest.raises(ValueError):
        list(generate.generate_candidates(-1))
    with pytest.raises(ValueError):
        list(generate.generate_candidates(1, seed=-2))


def test_generated_candidates_satisfy_the_fixture_invariants(names, issuers):
    sample = list(generate.generate_candidates(3000, seed=42))
    assert [p for c in sample for p in candidate_problems(c)] == []
    ids = [c["external_id"] for c in sample]
    emails = [c["email"] for c in sample if "email" in c]
    assert len(set(ids)) == len(ids) and len(set(emails)) == len(emails)
    strings = [s for c in sample for s in skill_strings(c)]
    unknown = sum(norm(s) not in names for s in strings)
    assert 0 < unknown <= 0.05 * len(strings)
    registry = {norm(i["name"]) for i in issuers}
    creds = [k for c in sample for k in c.get("credentials", [])]
    assert 0.5 < sum(norm(k["issuer"]) in registry for k in creds) / len(creds) < 1
    assert {k["kind"] for k in creds} == KINDS
    roles = [r for c in sample for r in c.get("experience", [])]
    years = {int(r["start_date"][:4]) for r in roles}
    assert max(years) - min(years) >= 20, "dates should spread over about 25 years"
    assert any(r["end_date"] is None for r in roles)
    assert any(k["expires_on"] and date.fromisoformat(k["expires_on"]) < LATEST for k in creds)
    counts = [len(c.get("credentials", [])) for c in sample]
    assert min(counts) == 0 and max(counts) == 6
    assert max(len(c.get("experience", [])) for c in sample) <= 5


def test_generated_skills_follow_a_skewed_popularity(names):
    counts: dict[str, int] = {}
    for c in generate.generate_candidates(2000, seed=9):
        for s in skill_strings(c):
            key = names.get(norm(s))
            if key:
                counts[key] = counts.get(key, 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    top_decile = sum(ranked[: max(1, len(ranked) // 10)])
    assert top_decile > 0.3 * sum(ranked)


def test_generate_cli_writes_the_same_lines_as_the_function(tmp_path):
    out = tmp_path / "gen.jsonl"
    assert generate.main(["25", "--seed", "4", "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == list(generate.generate_candidates(25, seed=4))
    again = tmp_path / "again.jsonl"
    generate.main(["25", "--seed", "4", "--out", str(again)])
    assert again.read_bytes() == out.read_bytes()


def test_generate_streams_instead_of_materialising():
    stream = generate.generate_candidates(10**9, seed=1)
    head = list(itertools.islice(stream, 3))
    assert [c["external_id"] for c in head] == ["GEN-1-0000001", "GEN-1-0000002", "GEN-1-0000003"]
