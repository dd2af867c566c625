"""/api/v1/jobs/{id}/rankings and /api/v1/rankings/{id}: ranking, explanations, audit (§4, §5).

Expected scores are computed here from the formulas of DESIGN.md §4 (the constants below
are copied from the design, not imported from the policy module), for data sets built
through the API whose order can be argued from first principles: a verified certification
from an accredited issuer plus experience beats experience alone, which beats a badge from
an unknown issuer; hard mode puts every qualified candidate first; and so on.

Dates are relative to the ranking date (``as_of``, today in UTC), so the numbers hold on
any day the suite runs.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from api import create_app
from matcher.policy import DEFAULT_POLICY
from tests.api.conftest import key_for
from tests.api.helpers import (
    UNKNOWN_SKILL,
    Caller,
    accreditation,
    assert_invalid,
    assert_problem,
    candidate_body,
    credential,
    experience,
    issuer_body,
    job_body,
    offering_body,
    requirement,
    skill_body,
    skill_id,
)

# -- DESIGN.md §4, by hand -----------------------------------------------------------------

KIND = {"certification": 1.0, "license": 1.0, "micro-credential": 0.9, "degree": 0.85,
        "certificate": 0.7, "badge": 0.6}
ACCREDITED, LAPSED, KNOWN, UNKNOWN, INDUSTRY_BONUS = 1.0, 0.75, 0.5, 0.35, 0.15
VERIFICATION = {"verified": 1.0, "unverified": 0.7, "failed": 0.0, "revoked": 0.0}
THRESHOLD = 0.35
REQUIRED_WEIGHT, PREFERRED_WEIGHT = 2.0, 1.0

RUN_KEYS = {"id", "job_id", "created_at", "as_of", "mode", "policy", "fingerprint", "total",
            "limit", "offset", "results"}
RESULT_KEYS = {"rank", "candidate_id", "external_id", "score", "qualified", "trainable",
               "requirements", "gaps"}
REQUIREMENT_KEYS = {"skill_id", "label", "importance", "weight", "match", "contribution",
                    "corroborated", "credential", "experience", "path"}
GAP_KEYS = {"skill_id", "label", "importance", "offerings"}
PATH_KEYS = {"skill_id", "label", "relation"}


def today() -> date:
    return datetime.now(UTC).date()


def ago(days: int) -> str:
    """An ISO date ``days`` before today (UTC)."""
    return (today() - timedelta(days=days)).isoformat()


def _years(start: str, as_of: str, end: str | None = None) -> float:
    stop = min(date.fromisoformat(end), date.fromisoformat(as_of)) if end \
        else date.fromisoformat(as_of)
    return max(0, (stop - date.fromisoformat(start)).days) / 365.25


def currency(issued_on: str, as_of: str, expires_on: str | None = None) -> float:
    value = max(0.25, 0.5 ** (_years(issued_on, as_of) / 4))
    if expires_on and date.fromisoformat(expires_on) < date.fromisoformat(as_of):
        value *= 0.3
    return value


def cred(kind: str, trust: float, verification: str, issued_on: str, as_of: str,
         expires_on: str | None = None) -> float:
    """c_k of §4.2."""
    return 0.8 * KIND[kind] * trust * VERIFICATION[verification] * currency(
        issued_on, as_of, expires_on)


def exp(start: str, as_of: str, end: str | None = None, min_years: float | None = None
        ) -> float:
    """e_t of §4.3 for one role (or contiguous roles) from ``start`` to ``end``."""
    years = _years(start, as_of, end)
    gap = 0.0 if end is None else max(0, (date.fromisoformat(as_of)
                                          - date.fromisoformat(end)).days) / 365.25
    value = 0.9 * (1 - math.exp(-years / 2.5)) * max(0.25, 0.5 ** (gap / 5))
    if min_years and years < min_years:
        value *= years / min_years
    return value


def combine(c: float = 0.0, e: float = 0.0) -> float:
    """M_r of §4.4."""
    return 1 - (1 - c) * (1 - e)


def score(*weighted: tuple[float, float]) -> float:
    """S of §4.5 from (weight, match) pairs."""
    return 100 * sum(w * m for w, m in weighted) / sum(w for w, _ in weighted)


# -- calling the API ---------------------------------------------------------------------

def rank(api: Caller, job_id: int, **body: object) -> dict:
    response = api.post(f"/jobs/{job_id}/rankings", body)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    run = response.get_json()
    assert_consistent(run)
    return run


def order(run: dict) -> list[str]:
    return [r["external_id"] for r in run["results"]]


def by_external_id(run: dict) -> dict[str, dict]:
    return {r["external_id"]: r for r in run["results"]}


def scores(run: dict) -> dict[str, float]:
    return {r["external_id"]: r["score"] for r in run["results"]}


def requirement_of(result: dict, skill: str) -> dict:
    (found,) = [r for r in result["requirements"] if r["skill_id"] == skill]
    return found


def assert_consistent(run: dict) -> None:
    """What every run must satisfy, whatever the data: §5 shape, P9, ranks and order."""
    assert set(run) >= RUN_KEYS, RUN_KEYS - set(run)
    assert run["mode"] in ("hard", "soft")
    assert isinstance(run["policy"]["version"], str) and run["policy"]["version"]
    assert isinstance(run["fingerprint"], str) and len(run["fingerprint"]) >= 16
    assert date.fromisoformat(run["as_of"]) in (today(), today() - timedelta(days=1))
    datetime.fromisoformat(run["created_at"])
    results = run["results"]
    assert len(results) <= run["limit"]
    assert len(results) == max(0, min(run["limit"], run["total"] - run["offset"]))
    # Ranks are consecutive from offset + 1.
    assert [r["rank"] for r in results] == list(range(run["offset"] + 1,
                                                      run["offset"] + 1 + len(results)))
    threshold = run["policy"]["match_threshold"]
    for result in results:
        assert set(result) >= RESULT_KEYS, RESULT_KEYS - set(result)
        weights = sum(q["weight"] for q in result["requirements"])
        for q in result["requirements"]:
            assert set(q) >= REQUIREMENT_KEYS, REQUIREMENT_KEYS - set(q)
            assert 0.0 <= q["match"] <= 1.0
            assert q["contribution"] == pytest.approx(100 * q["weight"] * q["match"] / weights)
            if q["corroborated"]:
                assert q["credential"] is not None and q["experience"] is not None
            for step in q["path"]:
                assert set(step) >= PATH_KEYS
        # P9: the contributions sum to the score.
        assert abs(sum(q["contribution"] for q in result["requirements"])
                   - result["score"]) <= 0.01
        assert result["score"] == pytest.approx(
            100 * sum(q["weight"] * q["match"] for q in result["requirements"]) / weights)
        # Gaps: exactly the requirements below the threshold, in requirement order.
        assert [g["skill_id"] for g in result["gaps"]] == [
            q["skill_id"] for q in result["requirements"] if q["match"] < threshold]
        for gap in result["gaps"]:
            assert set(gap) >= GAP_KEYS, GAP_KEYS - set(gap)
            assert len(gap["offerings"]) <= 3
        required_unmet = [q for q in result["requirements"]
                          if q["importance"] == "required" and q["match"] < threshold]
        if required_unmet:
            assert result["qualified"] is False
        if result["qualified"]:
            assert result["trainable"] is False
    # The page is ordered by §4.6 (the scores come from the explanation, the order from
    # the index: they must agree).
    keys = [sort_key(r, run["mode"], threshold) for r in results]
    assert keys == sorted(keys), order(run)


def sort_key(result: dict, mode: str, threshold: float = THRESHOLD) -> tuple:
    if mode == "soft":
        return (-round(result["score"], 9), result["external_id"])
    met = sum(1 for q in result["requirements"]
              if q["importance"] == "required" and q["match"] >= threshold)
    return (not result["qualified"], -round(result["score"], 9), -met, result["external_id"])


# -- a small world whose order follows from §4 ---------------------------------------------

SQL = skill_id("SQL")


@dataclass
class World:
    job: dict
    candidates: dict[str, dict]
    dates: dict[str, str] = field(default_factory=dict)
    skills: dict[str, str] = field(default_factory=dict)
    issuers: dict[str, dict] = field(default_factory=dict)

    def id(self, external_id: str) -> int:
        return self.candidates[external_id]["id"]


def verified(**fields: object) -> dict:
    return {"verification": {"status": "verified"}, **fields}


@pytest.fixture
def world(api) -> World:
    """Job: SQL (required, w 2) and Dashboard storytelling (preferred, w 1).

    - c-cert-exp: verified certification from an accredited issuer + 3 years of SQL
    - c-exp: the same 3 years of SQL, nothing else
    - c-junior: 1.5 years of SQL (just above the threshold)
    - c-story: ten years of storytelling, no SQL: a higher score than c-junior, unqualified
    - c-badge: a verified SQL badge from an unknown issuer (below the threshold)
    """
    story = api.create("/skills", skill_body("Dashboard storytelling"))
    accredited = api.create("/issuers", issuer_body(
        "Accredited University", accreditations=[accreditation("ABET", valid_from="2000-01-01")]))
    job = api.create("/jobs", job_body("req-1", "Data Analyst", requirements=[
        requirement("SQL"), requirement("Dashboard storytelling", importance="preferred")]))
    assert [r["skill_id"] for r in job["requirements"]] == [SQL, story["id"]]
    assert [r["weight"] for r in job["requirements"]] == [REQUIRED_WEIGHT, PREFERRED_WEIGHT]
    dates = {"issued": ago(365), "three": ago(1096), "junior": ago(548), "ten": ago(3652)}
    bodies = [
        candidate_body("c-story", "Stella", experience=[
            experience("BI Designer", dates["ten"], skills=["Dashboard storytelling"])]),
        candidate_body("c-badge", "Bert", credentials=[
            credential("SQL Basics Badge", "badge", issuer="Badge Mill", skills=["SQL"],
                       issued_on=dates["issued"], **verified())]),
        candidate_body("c-exp", "Erin", experience=[
            experience("Data Analyst", dates["three"], skills=["SQL"])]),
        candidate_body("c-cert-exp", "Cora", credentials=[
            credential("Database Certification", "certification",
                       issuer="Accredited University", skills=["SQL"],
                       issued_on=dates["issued"], **verified())],
            experience=[experience("Data Analyst", dates["three"], skills=["SQL"])]),
        candidate_body("c-junior", "Jun", experience=[
            experience("Junior Analyst", dates["junior"], skills=["SQL"])]),
    ]
    candidates = {b["external_id"]: api.create("/candidates", b) for b in bodies}
    assert candidates["c-cert-exp"]["credentials"][0]["issuer_id"] == accredited["id"]
    assert candidates["c-badge"]["credentials"][0]["issuer_id"] is None
    return World(job, candidates, dates, {"story": story["id"]},
                 {"accredited": accredited})


def world_scores(world: World, as_of: str) -> dict[str, float]:
    d = world.dates
    three, junior = exp(d["three"], as_of), exp(d["junior"], as_of)
    certification = cred("certification", ACCREDITED, "verified", d["issued"], as_of)
    badge = cred("badge", UNKNOWN, "verified", d["issued"], as_of)
    return {
        "c-cert-exp": score((2, combine(certification, three)), (1, 0)),
        "c-exp": score((2, combine(e=three)), (1, 0)),
        "c-junior": score((2, combine(e=junior)), (1, 0)),
        "c-story": score((2, 0), (1, exp(d["ten"], as_of))),
        "c-badge": score((2, combine(c=badge)), (1, 0)),
    }


HARD = ["c-cert-exp", "c-exp", "c-junior", "c-story", "c-badge"]
SOFT = ["c-cert-exp", "c-exp", "c-story", "c-junior", "c-badge"]


# -- POST /jobs/{id}/rankings ----------------------------------------------------------------

def test_rank_answers_201_with_the_stored_run_and_explanations(api, world):
    run = rank(api, world.job["id"])
    assert isinstance(run["id"], int) and run["id"] > 0
    assert run["job_id"] == world.job["id"]
    assert (run["mode"], run["total"], run["limit"], run["offset"]) == ("hard", 5, 50, 0)
    assert run["as_of"] == today().isoformat()
    assert run["policy"] == json.loads(json.dumps(DEFAULT_POLICY.as_dict()))
    assert (run["policy"]["match_threshold"], run["policy"]["trainable_max_weeks"],
            run["policy"]["required_weight"], run["policy"]["related_skills"]) == (
        0.35, 12, 2, True)

    assert order(run) == HARD
    expected = world_scores(world, run["as_of"])
    for external_id, value in scores(run).items():
        assert value == pytest.approx(expected[external_id], abs=1e-6), external_id
    results = by_external_id(run)
    assert [results[x]["qualified"] for x in HARD] == [True, True, True, False, False]
    assert all(results[x]["trainable"] is False for x in HARD)  # no catalogue at all
    assert {x: results[x]["candidate_id"] for x in HARD} == {x: world.id(x) for x in HARD}

    # The explanation of the best candidate: credential and experience corroborate.
    best = requirement_of(results["c-cert-exp"], SQL)
    assert (best["label"], best["importance"], best["weight"]) == ("SQL", "required", 2)
    assert best["corroborated"] is True
    factors = best["credential"]["factors"]
    assert (factors["kind"], factors["trust"], factors["verification"]) == (1.0, 1.0, 1.0)
    assert factors["currency"] == pytest.approx(currency(world.dates["issued"], run["as_of"]))
    assert best["credential"]["name"] == "Database Certification"
    assert best["credential"]["issuer"] == "Accredited University"
    assert best["experience"]["years"] == pytest.approx(1096 / 365.25, abs=1 / 365.25)
    assert best["experience"]["gap_years"] == 0
    assert best["experience"]["strength"] == pytest.approx(exp(world.dates["three"],
                                                               run["as_of"]))
    assert [(s["skill_id"], s["label"]) for s in best["path"]] == [(SQL, "SQL")]
    story = requirement_of(results["c-cert-exp"], world.skills["story"])
    assert (story["match"], story["contribution"], story["corroborated"]) == (0, 0, False)
    assert (story["credential"], story["experience"], story["path"]) == (None, None, [])

    # Experience alone: not corroborated, no credential.
    alone = requirement_of(results["c-exp"], SQL)
    assert (alone["corroborated"], alone["credential"]) == (False, None)
    assert alone["experience"] is not None
    # A badge from an issuer the registry does not know.
    badge = requirement_of(results["c-badge"], SQL)
    assert badge["credential"]["factors"]["trust"] == UNKNOWN
    assert badge["credential"]["factors"]["kind"] == KIND["badge"]
    assert (badge["experience"], badge["corroborated"]) == (None, False)

    # Gaps: the storyteller lacks SQL (required); the others lack storytelling (preferred).
    assert [(g["skill_id"], g["label"], g["importance"], g["offerings"])
            for g in results["c-story"]["gaps"]] == [(SQL, "SQL", "required", [])]
    assert [(g["label"], g["importance"]) for g in results["c-exp"]["gaps"]] == [
        ("Dashboard storytelling", "preferred")]
    assert [g["label"] for g in results["c-badge"]["gaps"]] == [
        "SQL", "Dashboard storytelling"]


def test_credential_and_experience_beat_either_alone(api, world):
    """P3, from the world's own numbers: the combination is strictly stronger."""
    run = rank(api, world.job["id"])
    results = by_external_id(run)
    both = requirement_of(results["c-cert-exp"], SQL)
    alone = requirement_of(results["c-exp"], SQL)
    assert both["match"] > alone["match"]
    c = cred("certification", ACCREDITED, "verified", world.dates["issued"], run["as_of"])
    e = exp(world.dates["three"], run["as_of"])
    assert both["match"] == pytest.approx(combine(c, e))
    assert both["match"] > max(c, e) and alone["match"] == pytest.approx(e)
    assert results["c-cert-exp"]["score"] > results["c-exp"]["score"] \
        > results["c-junior"]["score"]


def test_hard_mode_puts_every_qualified_candidate_first(api, world):
    """P5: c-story outscores c-junior but misses the required skill."""
    hard = rank(api, world.job["id"], mode="hard")
    results = by_external_id(hard)
    assert results["c-story"]["score"] > results["c-junior"]["score"]
    assert order(hard) == HARD
    qualified = [r["qualified"] for r in hard["results"]]
    assert qualified == sorted(qualified, reverse=True)
    assert order(rank(api, world.job["id"])) == HARD  # hard is the default


def test_soft_mode_orders_by_score_alone(api, world):
    soft = rank(api, world.job["id"], mode="soft")
    assert soft["mode"] == "soft"
    assert order(soft) == SOFT
    values = [r["score"] for r in soft["results"]]
    assert values == sorted(values, reverse=True)
    # Qualification is still reported in soft mode.
    assert by_external_id(soft)["c-story"]["qualified"] is False


@pytest.mark.parametrize("mode", ["hard", "soft"])
def test_limit_and_offset_return_slices_of_the_full_order(api, world, mode):
    full = rank(api, world.job["id"], mode=mode, limit=500)
    assert (full["total"], full["limit"], len(full["results"])) == (5, 500, 5)
    everyone = [(r["candidate_id"], r["score"], r["rank"]) for r in full["results"]]
    for limit, offset in [(1, 0), (2, 0), (2, 2), (2, 4), (3, 1), (10, 3), (1, 4), (2, 5),
                          (5, 50)]:
        page = rank(api, world.job["id"], mode=mode, limit=limit, offset=offset)
        assert (page["total"], page["limit"], page["offset"]) == (5, limit, offset)
        assert [(r["candidate_id"], r["score"], r["rank"]) for r in page["results"]] == \
            everyone[offset:offset + limit], (limit, offset)


def test_candidate_ids_restrict_the_ranking(api, other_api, world):
    stranger = other_api.create("/candidates", candidate_body("c-exp", "Other Org", experience=[
        experience("DBA", ago(5000), skills=["SQL"])]))
    ids = [world.id("c-story"), world.id("c-exp"), stranger["id"], 987654321]
    run = rank(api, world.job["id"], candidate_ids=ids)
    assert run["total"] == 2
    assert order(run) == ["c-exp", "c-story"]
    assert [r["candidate_id"] for r in run["results"]] == [world.id("c-exp"),
                                                          world.id("c-story")]
    # The same scores as in the full ranking: restricting does not rescore.
    full = scores(rank(api, world.job["id"]))
    assert scores(run) == {x: full[x] for x in ("c-exp", "c-story")}
    only_foreign = rank(api, world.job["id"], candidate_ids=[stranger["id"]])
    assert (only_foreign["total"], only_foreign["results"]) == (0, [])


def test_the_other_organization_ranks_only_its_own_candidates(api, other_api, world):
    rank(api, world.job["id"])  # our index exists in this process
    job = other_api.create("/jobs", job_body("req-1", requirements=[requirement("SQL")]))
    mine = other_api.create("/candidates", candidate_body("x-1", experience=[
        experience("DBA", ago(2000), skills=["SQL"])]))
    run = rank(other_api, job["id"])
    assert run["total"] == 1
    assert [r["candidate_id"] for r in run["results"]] == [mine["id"]]
    assert rank(api, world.job["id"])["total"] == 5


def test_ties_are_broken_by_external_id_and_personal_data_never_counts(api):
    """P7 and P8: same evidence, different names, emails and locations, any input order."""
    job = api.create("/jobs", job_body("req-1", requirements=[requirement("SQL")]))
    start = ago(900)
    people = [("t-3", "Zed", "zed@example.com", "Oslo"), ("t-1", "Amy", None, None),
              ("t-2", "Bob", "bob@example.org", "Lagos, Nigeria")]
    for external_id, name, email, location in people:
        api.create("/candidates", candidate_body(external_id, name, email=email,
                                                 location=location, experience=[
            experience("Analyst", start, skills=["SQL"])]))
    for mode in ("hard", "soft"):
        run = rank(api, job["id"], mode=mode)
        assert order(run) == ["t-1", "t-2", "t-3"]
        assert len({r["score"] for r in run["results"]}) == 1
        assert run["results"][0]["score"] == pytest.approx(
            score((2, exp(start, run["as_of"]))))
        # Paging through a tie keeps the same order.
        assert [order(rank(api, job["id"], mode=mode, limit=1, offset=k))[0]
                for k in range(3)] == ["t-1", "t-2", "t-3"]


# -- policy overrides ------------------------------------------------------------------------

def test_match_threshold_override(api, world):
    strict = rank(api, world.job["id"], policy_overrides={"match_threshold": 0.6})
    assert strict["policy"]["match_threshold"] == 0.6
    # c-junior (0.41) no longer meets SQL and falls below c-story by score.
    assert order(strict) == ["c-cert-exp", "c-exp", "c-story", "c-junior", "c-badge"]
    assert [r["qualified"] for r in strict["results"]] == [True, True, False, False, False]
    lenient = rank(api, world.job["id"], policy_overrides={"match_threshold": 0.1})
    # The badge (0.14) now meets SQL: qualified, above the storyteller.
    assert order(lenient) == ["c-cert-exp", "c-exp", "c-junior", "c-badge", "c-story"]
    assert [r["qualified"] for r in lenient["results"]] == [True, True, True, True, False]
    # The scores themselves do not depend on the threshold.
    assert scores(strict) == scores(lenient) == scores(rank(api, world.job["id"]))


def test_a_jobs_policy_overrides_apply_and_the_request_wins(api, world):
    body = job_body("req-2", requirements=[
        requirement("SQL"), requirement("Dashboard storytelling", importance="preferred")],
        policy_overrides={"mode": "soft", "match_threshold": 0.6})
    job = api.create("/jobs", body)
    run = rank(api, job["id"])
    assert (run["mode"], run["policy"]["mode"], run["policy"]["match_threshold"]) == (
        "soft", "soft", 0.6)
    assert order(run) == SOFT
    hard = rank(api, job["id"], mode="hard", policy_overrides={"match_threshold": 0.35})
    assert (hard["mode"], hard["policy"]["match_threshold"]) == ("hard", 0.35)
    assert order(hard) == HARD


@pytest.fixture
def related_world(api) -> World:
    """SQL required; evidence in SQL itself, in a narrower and in a related skill."""
    narrower = api.create("/skills", skill_body("SQL window functions", broader=[SQL]))
    related = api.create("/skills", skill_body("Query tuning", related=[SQL]))
    job = api.create("/jobs", job_body("req-1", requirements=[requirement("SQL")]))
    start = ago(1096)
    bodies = [
        candidate_body("r-direct", experience=[experience("DBA", start, skills=["SQL"])]),
        candidate_body("r-narrower", experience=[
            experience("DBA", start, skills=["SQL window functions"])]),
        candidate_body("r-related", experience=[
            experience("DBA", start, skills=["Query tuning"])]),
        candidate_body("r-narrow-cert", credentials=[
            credential("Window Functions Certification", "certification",
                       skills=["SQL window functions"], issued_on=ago(100), **verified())]),
    ]
    candidates = {b["external_id"]: api.create("/candidates", b) for b in bodies}
    return World(job, candidates, {"start": start, "issued": ago(100)},
                 {"narrower": narrower["id"], "related": related["id"]})


def test_related_and_narrower_skills_earn_partial_credit(api, related_world):
    """P6 and §4.1: a narrower skill counts 0.8, a related one 0.5."""
    w = related_world
    run = rank(api, w.job["id"])
    e = exp(w.dates["start"], run["as_of"])
    c = cred("certification", UNKNOWN, "verified", w.dates["issued"], run["as_of"])
    results = by_external_id(run)
    expected = {"r-direct": e, "r-narrower": 0.8 * e, "r-related": 0.5 * e,
                "r-narrow-cert": 0.8 * c}
    for external_id, match in expected.items():
        assert requirement_of(results[external_id], SQL)["match"] == pytest.approx(match)
    assert 0 < results["r-related"]["score"] < results["r-narrower"]["score"] \
        < results["r-direct"]["score"]
    narrow = requirement_of(results["r-narrower"], SQL)
    assert narrow["experience"]["skill_id"] == w.skills["narrower"]
    assert [s["skill_id"] for s in narrow["path"]] == [w.skills["narrower"], SQL]
    assert narrow["path"][-1]["label"] == "SQL"
    assert [s["skill_id"] for s in requirement_of(results["r-related"], SQL)["path"]] == [
        w.skills["related"], SQL]
    cert = requirement_of(results["r-narrow-cert"], SQL)["credential"]
    assert cert["skill_id"] == w.skills["narrower"]


def test_related_skills_false_removes_credit_for_other_skills(api, related_world):
    w = related_world
    default = scores(rank(api, w.job["id"]))
    run = rank(api, w.job["id"], policy_overrides={"related_skills": False})
    assert run["policy"]["related_skills"] is False
    results = by_external_id(run)
    assert results["r-direct"]["score"] == pytest.approx(default["r-direct"])
    assert results["r-direct"]["qualified"] is True
    for external_id in ("r-narrower", "r-related", "r-narrow-cert"):
        q = requirement_of(results[external_id], SQL)
        assert (results[external_id]["score"], q["match"]) == (0, 0), external_id
        assert (q["credential"], q["experience"], q["corroborated"]) == (None, None, False)
        assert results[external_id]["qualified"] is False
    assert order(run)[0] == "r-direct"


# -- evidence factors through the API (§4.2) -----------------------------------------------

def test_issuer_trust_verification_and_currency_order_credentials(api):
    """P2 and P4 with one certification held under different circumstances."""
    api.create("/issuers", issuer_body("Accredited University", accreditations=[
        accreditation("ABET", valid_from="2000-01-01")]))
    api.create("/issuers", issuer_body("Lapsed Institute", accreditations=[
        accreditation("ABET", status="expired", valid_from="2000-01-01",
                      valid_until="2010-01-01")]))
    api.create("/issuers", issuer_body("Recognized Guild", industry_recognized=True))
    api.create("/issuers", issuer_body("Known Academy"))
    unreviewed = api.create("/issuers", issuer_body("Unreviewed College", accreditations=[
        accreditation("ABET", valid_from="2000-01-01")]))
    patched = api.patch(f"/issuers/{unreviewed['id']}", {"reviewed": False})
    assert patched.status_code == 200, patched.get_data(as_text=True)
    job = api.create("/jobs", job_body("req-1", requirements=[requirement("SQL")]))
    recent, old = ago(365), ago(3650)

    def holder(external_id: str, issuer: str, issued_on: str = recent,
               status: str = "verified", **fields: object) -> None:
        api.create("/candidates", candidate_body(external_id, credentials=[credential(
            "SQL Certification", "certification", issuer=issuer, skills=["SQL"],
            issued_on=issued_on, verification={"status": status}, **fields)]))

    holder("k-accredited", "Accredited University")
    holder("k-lapsed", "Lapsed Institute")
    holder("k-recognized", "Recognized Guild")
    holder("k-known", "Known Academy")
    holder("k-unknown", "Nobody We Know")
    holder("k-unreviewed", "Unreviewed College")
    holder("k-unverified", "Accredited University", status="unverified")
    holder("k-revoked", "Accredited University", status="revoked")
    holder("k-failed", "Accredited University", status="failed")
    holder("k-old", "Accredited University", issued_on=old)
    holder("k-expired", "Accredited University", issued_on=recent, expires_on=ago(30))

    run = rank(api, job["id"], mode="soft")
    as_of = run["as_of"]
    expected = {
        "k-accredited": (ACCREDITED, cred("certification", ACCREDITED, "verified", recent, as_of)),
        "k-lapsed": (LAPSED, cred("certification", LAPSED, "verified", recent, as_of)),
        "k-recognized": (KNOWN + INDUSTRY_BONUS,
                         cred("certification", KNOWN + INDUSTRY_BONUS, "verified", recent, as_of)),
        "k-known": (KNOWN, cred("certification", KNOWN, "verified", recent, as_of)),
        "k-unknown": (UNKNOWN, cred("certification", UNKNOWN, "verified", recent, as_of)),
        "k-unreviewed": (UNKNOWN, cred("certification", UNKNOWN, "verified", recent, as_of)),
        "k-unverified": (ACCREDITED,
                         cred("certification", ACCREDITED, "unverified", recent, as_of)),
        "k-old": (ACCREDITED, cred("certification", ACCREDITED, "verified", old, as_of)),
        "k-expired": (ACCREDITED, cred("certification", ACCREDITED, "verified", recent, as_of,
                                       ago(30))),
    }
    results = by_external_id(run)
    for external_id, (trust, match) in expected.items():
        q = requirement_of(results[external_id], SQL)
        assert q["credential"]["factors"]["trust"] == pytest.approx(trust), external_id
        assert q["match"] == pytest.approx(match), external_id
    s = scores(run)
    # P2: accredited > lapsed > industry-recognised > known > unknown (= unreviewed).
    assert s["k-accredited"] > s["k-lapsed"] > s["k-recognized"] > s["k-known"] \
        > s["k-unknown"] > 0
    assert s["k-unreviewed"] == pytest.approx(s["k-unknown"])
    # P4: verified > self-reported; recent > old; valid > expired; revoked/failed add nothing.
    assert s["k-accredited"] > s["k-unverified"]
    assert s["k-accredited"] > s["k-old"] and s["k-accredited"] > s["k-expired"]
    assert requirement_of(results["k-expired"], SQL)["credential"]["factors"]["expired"] is True
    for external_id in ("k-revoked", "k-failed"):
        assert s[external_id] == 0, external_id
        q = requirement_of(results[external_id], SQL)
        # The explanation says why the credential counts for nothing.
        assert q["credential"] is not None, external_id
        assert q["credential"]["factors"]["verification"] == 0, external_id


def test_min_total_years_is_part_of_qualification(api):
    """§4.6: the total-experience requirement decides qualification, not just skills."""
    api.create("/issuers", issuer_body("Accredited University", accreditations=[
        accreditation("ABET", valid_from="2000-01-01")]))
    job = api.create("/jobs", job_body("req-1", requirements=[requirement("SQL")],
                                       min_total_years=5))
    api.create("/candidates", candidate_body("s-short", credentials=[credential(
        "SQL Certification", "certification", issuer="Accredited University", skills=["SQL"],
        issued_on=ago(100), **verified())], experience=[
        experience("Analyst", ago(365), skills=["SQL"])]))
    api.create("/candidates", candidate_body("s-long", experience=[
        experience("Barista", ago(3000), end_date=ago(600)),
        experience("Analyst", ago(548), skills=["SQL"])]))
    hard = rank(api, job["id"])
    results = by_external_id(hard)
    assert results["s-short"]["score"] > results["s-long"]["score"]
    assert (results["s-long"]["qualified"], results["s-short"]["qualified"]) == (True, False)
    assert order(hard) == ["s-long", "s-short"]
    assert results["s-short"]["gaps"] == []  # SQL itself is met
    assert results["s-short"]["trainable"] is False  # a course cannot add years
    assert order(rank(api, job["id"], mode="soft")) == ["s-short", "s-long"]


# -- gaps and trainability (§4.7) ------------------------------------------------------------

@pytest.fixture
def gap_world(api) -> World:
    """SQL and Mainframe operations required, Dashboard storytelling preferred; a catalogue.

    SQL is closable in 3 weeks (an accredited course on a narrower skill), mainframe only
    in 20; storytelling (preferred) in 1.
    """
    window = api.create("/skills", skill_body("SQL window functions", broader=[SQL]))
    mainframe = api.create("/skills", skill_body("Mainframe operations"))
    story = api.create("/skills", skill_body("Dashboard storytelling"))
    accredited = api.create("/issuers", issuer_body("Accredited University", accreditations=[
        accreditation("ABET", valid_from="2000-01-01")]))
    plain = api.create("/issuers", issuer_body("Plain Academy"))
    lapsed = api.create("/issuers", issuer_body("Lapsed College", accreditations=[
        accreditation("ABET", status="expired", valid_from="2000-01-01",
                      valid_until="2020-01-01")]))
    offerings = [
        offering_body(plain["id"], name="SQL Crash Course", duration_weeks=1, cost=10),
        offering_body(lapsed["id"], name="SQL Lapsed Bootcamp", duration_weeks=2, cost=0),
        offering_body(accredited["id"], name="SQL Professional", duration_weeks=10, cost=100),
        offering_body(accredited["id"], name="SQL Intensive Premium", duration_weeks=4,
                      cost=900),
        offering_body(accredited["id"], name="SQL Intensive", duration_weeks=4, cost=300),
        offering_body(accredited["id"], name="Window Functions Deep Dive",
                      skills=["SQL window functions"], duration_weeks=3, cost=500),
        offering_body(accredited["id"], name="Dashboard Sprint",
                      skills=["Dashboard storytelling"], duration_weeks=1, cost=50),
        offering_body(accredited["id"], name="Mainframe Diploma",
                      skills=["Mainframe operations"], duration_weeks=20, cost=4000),
    ]
    created = {o["name"]: api.create("/catalog", o) for o in offerings}
    job = api.create("/jobs", job_body("req-1", requirements=[
        requirement("SQL"), requirement("Mainframe operations"),
        requirement("Dashboard storytelling", importance="preferred")]))
    assert [r["skill_id"] for r in job["requirements"]] == [SQL, mainframe["id"], story["id"]]
    years = ago(2000)
    bodies = [
        candidate_body("g-no-sql", experience=[
            experience("Operator", years, skills=["Mainframe operations"])]),
        candidate_body("g-no-mainframe", experience=[
            experience("Analyst", years, skills=["SQL"])]),
        candidate_body("g-nothing", experience=[experience("Barista", years)]),
        candidate_body("g-everything", experience=[
            experience("Operator", years, skills=["Mainframe operations", "SQL",
                                                   "Dashboard storytelling"])]),
    ]
    candidates = {b["external_id"]: api.create("/candidates", b) for b in bodies}
    return World(job, candidates, skills={"window": window["id"], "mainframe": mainframe["id"],
                                          "story": story["id"]},
                 issuers={"accredited": accredited, "offerings": created})


SQL_OFFERINGS = ["Window Functions Deep Dive", "SQL Intensive", "SQL Intensive Premium"]


def test_gaps_list_up_to_three_offerings_accredited_then_shortest_then_cheapest(api, gap_world):
    run = rank(api, gap_world.job["id"])
    results = by_external_id(run)
    gaps = {g["skill_id"]: g for g in results["g-no-sql"]["gaps"]}
    assert list(gaps) == [SQL, gap_world.skills["story"]]
    sql_gap = gaps[SQL]
    assert (sql_gap["label"], sql_gap["importance"]) == ("SQL", "required")
    assert [o["name"] for o in sql_gap["offerings"]] == SQL_OFFERINGS
    offered = gap_world.issuers["offerings"]
    for offering in sql_gap["offerings"]:
        catalogued = offered[offering["name"]]
        assert offering["id"] == catalogued["id"]
        assert offering["duration_weeks"] == catalogued["duration_weeks"]
        assert offering["cost"] == catalogued["cost"]
        assert offering["issuer_id"] == gap_world.issuers["accredited"]["id"]
    assert [o["name"] for o in gaps[gap_world.skills["story"]]["offerings"]] == [
        "Dashboard Sprint"]
    assert gaps[gap_world.skills["story"]]["importance"] == "preferred"
    mainframe = results["g-no-mainframe"]["gaps"][0]
    assert mainframe["skill_id"] == gap_world.skills["mainframe"]
    assert [o["name"] for o in mainframe["offerings"]] == ["Mainframe Diploma"]
    assert results["g-everything"]["gaps"] == []


def test_trainable_when_only_short_courses_stand_between(api, gap_world):
    run = rank(api, gap_world.job["id"])
    results = by_external_id(run)
    assert {x: (r["qualified"], r["trainable"]) for x, r in results.items()} == {
        "g-everything": (True, False),
        "g-no-sql": (False, True),          # SQL: 3 weeks <= 12
        "g-no-mainframe": (False, False),   # mainframe: 20 weeks > 12
        "g-nothing": (False, False),        # 3 + 20 weeks
    }


def test_trainable_max_weeks_override(api, gap_world):
    def trainable(weeks: float) -> dict[str, bool]:
        run = rank(api, gap_world.job["id"], policy_overrides={"trainable_max_weeks": weeks})
        assert run["policy"]["trainable_max_weeks"] == weeks
        return {x: r["trainable"] for x, r in by_external_id(run).items()}

    assert trainable(25) == {"g-everything": False, "g-no-sql": True, "g-no-mainframe": True,
                             "g-nothing": True}
    # The weeks add up over the gaps: 3 + 20 = 23 > 22.
    assert trainable(22) == {"g-everything": False, "g-no-sql": True, "g-no-mainframe": True,
                             "g-nothing": False}
    assert trainable(2) == {"g-everything": False, "g-no-sql": False, "g-no-mainframe": False,
                            "g-nothing": False}


# -- jobs with a skill nobody knows ----------------------------------------------------------

def test_a_requirement_whose_skill_is_unknown_still_ranks_and_matches_nobody(api):
    preferred = api.create("/jobs", job_body("req-1", requirements=[
        requirement("SQL"), requirement(UNKNOWN_SKILL, importance="preferred")]))
    required = api.create("/jobs", job_body("req-2", requirements=[
        requirement(UNKNOWN_SKILL), requirement("SQL", importance="preferred")]))
    assert preferred["requirements"][1]["skill_id"] is None
    start = ago(1500)
    api.create("/candidates", candidate_body("u-sql", experience=[
        experience("DBA", start, skills=["SQL"])]))
    # Evidence naming the same unknown skill does not match it either (no id to match).
    api.create("/candidates", candidate_body("u-weaver", credentials=[credential(
        "Weaving Certificate", "certification", skills=[UNKNOWN_SKILL], issued_on=ago(10),
        **verified())], experience=[experience("Weaver", start, skills=[UNKNOWN_SKILL])]))

    run = rank(api, preferred["id"])
    assert (run["total"], order(run)) == (2, ["u-sql", "u-weaver"])
    results = by_external_id(run)
    for result in results.values():
        unknown = result["requirements"][1]
        assert (unknown["skill_id"], unknown["label"], unknown["importance"]) == (
            None, UNKNOWN_SKILL, "preferred")
        assert (unknown["match"], unknown["contribution"]) == (0, 0)
        assert (unknown["credential"], unknown["experience"], unknown["path"]) == (None, None, [])
        assert result["gaps"][-1]["label"] == UNKNOWN_SKILL
        assert result["gaps"][-1]["offerings"] == []
    assert results["u-sql"]["qualified"] is True
    assert results["u-sql"]["score"] == pytest.approx(
        score((2, exp(start, run["as_of"])), (1, 0)))
    assert (results["u-weaver"]["score"], results["u-weaver"]["qualified"]) == (0, False)

    run = rank(api, required["id"])
    assert run["total"] == 2
    assert all(r["qualified"] is False and r["trainable"] is False for r in run["results"])
    assert order(run) == ["u-sql", "u-weaver"]  # by score among the unqualified


# -- validation and access -------------------------------------------------------------------

@pytest.mark.parametrize(("body", "path"), [
    ({"limit": 0}, "limit"),
    ({"limit": 501}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"offset": -1}, "offset"),
    ({"mode": "lenient"}, "mode"),
    ({"mode": None}, "mode"),
    ({"policy_overrides": {"credential_base": 2}}, "policy_overrides.credential_base"),
    ({"policy_overrides": {"match_threshold": 1.5}}, "policy_overrides.match_threshold"),
    ({"policy_overrides": {"related_skills": "sometimes"}}, "policy_overrides.related_skills"),
    ({"policy_overrides": {"trainable_max_weeks": -1}}, "policy_overrides.trainable_max_weeks"),
    ({"policy_overrides": {"mode": "lenient"}}, "policy_overrides.mode"),
    ({"policy_overrides": []}, "policy_overrides"),
    ({"candidate_ids": []}, "candidate_ids"),
    ({"candidate_ids": ["abc"]}, "candidate_ids.0"),
    ({"candidate_ids": 7}, "candidate_ids"),
])
def test_invalid_requests_are_422(api, world, body, path):
    assert_invalid(api.post(f"/jobs/{world.job['id']}/rankings", body), path)


def test_limit_bounds_are_inclusive(api, world):
    assert len(rank(api, world.job["id"], limit=1)["results"]) == 1
    assert rank(api, world.job["id"], limit=500)["limit"] == 500


def test_unknown_job_is_404(api, world):
    assert_problem(api.post("/jobs/987654321/rankings", {}), 404)


def test_another_organizations_job_is_404(api, other_api, world):
    assert_problem(other_api.post(f"/jobs/{world.job['id']}/rankings", {}), 404)


def test_another_organizations_run_is_404(api, other_api, world):
    run = rank(api, world.job["id"])
    assert_problem(other_api.get(f"/rankings/{run['id']}"), 404)
    assert_problem(other_api.get(f"/rankings/{run['id']}?format=csv"), 404)
    assert_problem(api.get("/rankings/987654321"), 404)


def test_a_read_only_key_can_read_runs_but_not_rank(api, client, session, tenant, world):
    run = rank(api, world.job["id"])
    reader = Caller(client, key_for(session, tenant, "read"))
    assert_problem(reader.post(f"/jobs/{world.job['id']}/rankings", {}), 403)
    response = reader.get(f"/rankings/{run['id']}")
    assert response.status_code == 200
    assert (response.get_json()["id"], response.get_json()["results"]) == (run["id"],
                                                                          run["results"])
    assert reader.get(f"/rankings/{run['id']}?format=csv").status_code == 200


def test_ranking_needs_a_key(client, world):
    assert_problem(client.post(f"/api/v1/jobs/{world.job['id']}/rankings", json={}), 401)


# -- GET /rankings/{id} -----------------------------------------------------------------------

def test_get_returns_the_stored_run(api, world):
    posted = rank(api, world.job["id"], limit=3, offset=1, mode="soft",
                  policy_overrides={"match_threshold": 0.5})
    response = api.get(f"/rankings/{posted['id']}")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    stored = response.get_json()
    # The same instant, and an unambiguous one (RFC 3339 with an offset), both times.
    created = datetime.fromisoformat(stored["created_at"])
    assert created.utcoffset() is not None, stored["created_at"]
    assert created == datetime.fromisoformat(posted["created_at"])
    assert stored == posted
    assert api.get(f"/rankings/{posted['id']}?format=json").get_json() == posted
    assert api.get(f"/rankings/{posted['id']}",
                   headers={"Accept": "application/json"}).get_json() == posted


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_csv_has_a_header_and_one_row_per_result(api, world):
    # A name that needs quoting travels intact.
    api.put(f"/candidates/{world.id('c-exp')}", candidate_body(
        "c-exp", 'Erin "E, Jr." O\'Neil', experience=[
            experience("Data Analyst", world.dates["three"], skills=["SQL"])]))
    run = rank(api, world.job["id"])
    by_query = api.get(f"/rankings/{run['id']}?format=csv")
    rows = read_csv(by_query)
    text = by_query.get_data(as_text=True)
    header = next(csv.reader(io.StringIO(text)))
    assert {"rank", "candidate_id", "external_id", "score"} <= set(header)
    assert len(rows) == len(run["results"]) == 5
    for row, result in zip(rows, run["results"], strict=True):
        assert row["external_id"] == result["external_id"]
        assert int(row["rank"]) == result["rank"]
        assert int(row["candidate_id"]) == result["candidate_id"]
        assert float(row["score"]) == pytest.approx(result["score"], abs=0.005)
    if "name" in header:
        assert rows[1]["name"] == 'Erin "E, Jr." O\'Neil'
    by_accept = api.get(f"/rankings/{run['id']}", headers={"Accept": "text/csv"})
    assert read_csv(by_accept) == rows
    assert_invalid(api.get(f"/rankings/{run['id']}?format=xml"), "query.format")


def test_csv_of_an_empty_run_has_only_the_header(api, world, other_api):
    stranger = other_api.create("/candidates", candidate_body("z-1"))
    run = rank(api, world.job["id"], candidate_ids=[stranger["id"]])
    response = api.get(f"/rankings/{run['id']}?format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert len(lines) == 1 and {"external_id", "score"} <= set(lines[0])


def test_a_stored_run_is_kept_when_its_candidates_change(api, world):
    """Audit: later writes do not rewrite what a run returned."""
    run = rank(api, world.job["id"])
    assert api.delete(f"/candidates/{world.id('c-badge')}").status_code == 204
    api.put(f"/candidates/{world.id('c-exp')}", candidate_body("c-exp", "Erin"))
    stored = api.get(f"/rankings/{run['id']}").get_json()
    # (created_at is compared in test_get_returns_the_stored_run)
    assert {k: v for k, v in stored.items() if k not in ("created_at", "results")} == {
        k: v for k, v in run.items() if k not in ("created_at", "results")}
    # The erased person keeps an anonymous placeholder (their place and score); others stay.
    erased = world.id("c-badge")
    for before, after in zip(run["results"], stored["results"], strict=True):
        if before["candidate_id"] != erased:
            assert after == before
            continue
        assert after == {**{k: before[k] for k in ("rank", "score", "qualified", "trainable",
                                                    "required_met")},
                         "candidate_id": None, "external_id": None, "name": None,
                         "unmet": [], "requirements": [], "gaps": [], "erased": True}


# -- the index follows every write -----------------------------------------------------------

@pytest.fixture
def writes_world(api) -> World:
    """A job on SQL and five candidates; one holds a certification from a known issuer."""
    northwind = api.create("/issuers", issuer_body("Northwind Academy"))
    job = api.create("/jobs", job_body("req-1", requirements=[requirement("SQL")]))
    dates = {"keep": ago(1096), "put": ago(365), "bulk": ago(730), "gone": ago(2000),
             "issued": ago(200)}
    bodies = [
        candidate_body("k-keep", experience=[experience("DBA", dates["keep"], skills=["SQL"])]),
        candidate_body("k-put", experience=[experience("DBA", dates["put"], skills=["SQL"])]),
        candidate_body("k-bulk", experience=[experience("DBA", dates["bulk"], skills=["SQL"])]),
        candidate_body("k-gone", experience=[experience("DBA", dates["gone"], skills=["SQL"])]),
        candidate_body("k-cert", credentials=[credential(
            "SQL Certification", "certification", issuer="Northwind Academy", skills=["SQL"],
            issued_on=dates["issued"], **verified())]),
    ]
    candidates = {b["external_id"]: api.create("/candidates", b) for b in bodies}
    assert candidates["k-cert"]["credentials"][0]["issuer_id"] == northwind["id"]
    return World(job, candidates, dates, issuers={"northwind": northwind})


def apply_writes(writer: Caller, w: World) -> None:
    """Create (POST, PUT by external id, bulk), update (PUT, bulk) and delete candidates."""
    w.dates.update(new=ago(3000), put_longer=ago(4000), bulk_new=ago(200), upsert=ago(1500))
    writer.create("/candidates", candidate_body("k-new", experience=[
        experience("DBA", w.dates["new"], skills=["SQL"])]))
    response = writer.put(f"/candidates/{w.id('k-put')}", candidate_body("k-put", experience=[
        experience("DBA", w.dates["put_longer"], skills=["SQL"])]))
    assert response.status_code == 200, response.get_data(as_text=True)
    response = writer.post("/candidates/bulk", {"candidates": [
        candidate_body("k-bulk", experience=[experience("Barista", w.dates["bulk"])]),
        candidate_body("k-bulk-new", experience=[
            experience("DBA", w.dates["bulk_new"], skills=["SQL"])]),
    ]})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert (response.get_json()["created"], response.get_json()["updated"]) == (1, 1)
    response = writer.put("/candidates/by-external-id/k-upsert", candidate_body(
        "k-upsert", experience=[experience("DBA", w.dates["upsert"], skills=["SQL"])]))
    assert response.status_code == 201, response.get_data(as_text=True)
    assert writer.delete(f"/candidates/{w.id('k-gone')}").status_code == 204


def expected_after_writes(w: World, as_of: str, trust: float) -> dict[str, float]:
    d = w.dates
    return {
        "k-keep": score((2, exp(d["keep"], as_of))),
        "k-put": score((2, exp(d["put_longer"], as_of))),
        "k-bulk": 0.0,
        "k-cert": score((2, cred("certification", trust, "verified", d["issued"], as_of))),
        "k-new": score((2, exp(d["new"], as_of))),
        "k-bulk-new": score((2, exp(d["bulk_new"], as_of))),
        "k-upsert": score((2, exp(d["upsert"], as_of))),
    }


def assert_scores(run: dict, expected: dict[str, float]) -> None:
    assert run["total"] == len(expected)
    assert scores(run) == pytest.approx(expected, abs=1e-6)
    assert order(run) == sorted(expected, key=lambda x: (expected[x] < 0.35 * 100,
                                                         -expected[x], x))


def accredit(writer: Caller, issuer: dict) -> None:
    response = writer.patch(f"/issuers/{issuer['id']}", {
        "accreditations": [accreditation("ABET", valid_from="2000-01-01")]})
    assert response.status_code == 200, response.get_data(as_text=True)


def test_the_next_ranking_reflects_every_write(api, writes_world):
    w = writes_world
    before = rank(api, w.job["id"])
    as_of = before["as_of"]
    assert before["total"] == 5
    assert scores(before)["k-put"] == pytest.approx(score((2, exp(w.dates["put"], as_of))))
    assert requirement_of(by_external_id(before)["k-cert"], SQL)[
        "credential"]["factors"]["trust"] == KNOWN

    apply_writes(api, w)
    after = rank(api, w.job["id"])
    assert "k-gone" not in order(after)
    assert {"k-new", "k-bulk-new", "k-upsert"} <= set(order(after))
    assert_scores(after, expected_after_writes(w, after["as_of"], KNOWN))
    assert scores(after)["k-put"] > scores(before)["k-put"]
    assert scores(after)["k-bulk"] < scores(before)["k-bulk"]

    # An issuer's accreditation moves the trust factor of credentials it issued.
    accredit(api, w.issuers["northwind"])
    accredited = rank(api, w.job["id"])
    cert = requirement_of(by_external_id(accredited)["k-cert"], SQL)["credential"]
    assert cert["factors"]["trust"] == ACCREDITED
    assert_scores(accredited, expected_after_writes(w, accredited["as_of"], ACCREDITED))
    assert scores(accredited)["k-cert"] > scores(after)["k-cert"]

    # ... and back: industry recognition without accreditation.
    response = api.patch(f"/issuers/{w.issuers['northwind']['id']}",
                         {"accreditations": [], "industry_recognized": True})
    assert response.status_code == 200
    recognised = rank(api, w.job["id"])
    assert requirement_of(by_external_id(recognised)["k-cert"], SQL)[
        "credential"]["factors"]["trust"] == pytest.approx(KNOWN + INDUSTRY_BONUS)
    assert_scores(recognised, expected_after_writes(w, recognised["as_of"],
                                                    KNOWN + INDUSTRY_BONUS))

    # Deleting the issuer leaves its credentials with an unknown issuer.
    assert api.delete(f"/issuers/{w.issuers['northwind']['id']}").status_code == 204
    orphaned = rank(api, w.job["id"])
    assert requirement_of(by_external_id(orphaned)["k-cert"], SQL)[
        "credential"]["factors"]["trust"] == UNKNOWN
    assert_scores(orphaned, expected_after_writes(w, orphaned["as_of"], UNKNOWN))


def test_a_deleted_candidate_disappears_even_from_an_explicit_candidate_list(api,
                                                                            writes_world):
    w = writes_world
    assert rank(api, w.job["id"], candidate_ids=[w.id("k-gone")])["total"] == 1
    assert api.delete(f"/candidates/{w.id('k-gone')}").status_code == 204
    run = rank(api, w.job["id"], candidate_ids=[w.id("k-gone"), w.id("k-keep")])
    assert (run["total"], order(run)) == (1, ["k-keep"])


@pytest.fixture
def worker_b(database, connection, tenant) -> Caller:
    """The same organization served by a second process: its own app, its own index."""
    url, _ = database
    app_b = create_app({"TESTING": True, "DATABASE_URL": url, "DB_BIND": connection})
    client: FlaskClient = app_b.test_client()
    return Caller(client, tenant.headers)


def test_a_worker_sees_the_writes_of_another_worker(api, worker_b, writes_world, app):
    w = writes_world
    first = rank(api, w.job["id"])  # worker A builds its index
    assert first["total"] == 5
    assert worker_b.client.application is not app

    apply_writes(worker_b, w)
    accredit(worker_b, w.issuers["northwind"])

    seen_by_a = rank(api, w.job["id"])
    assert "k-gone" not in order(seen_by_a)
    assert_scores(seen_by_a, expected_after_writes(w, seen_by_a["as_of"], ACCREDITED))
    seen_by_b = rank(worker_b, w.job["id"])
    assert [(r["candidate_id"], r["score"]) for r in seen_by_b["results"]] == [
        (r["candidate_id"], r["score"]) for r in seen_by_a["results"]]

    # And the other way round: B's index (built now) follows A's writes.
    assert api.delete(f"/candidates/{w.id('k-keep')}").status_code == 204
    api.create("/candidates", candidate_body("k-from-a", experience=[
        experience("DBA", ago(5000), skills=["SQL"])]))
    seen_again = rank(worker_b, w.job["id"])
    assert "k-keep" not in order(seen_again) and "k-from-a" in order(seen_again)
    assert seen_again["total"] == seen_by_a["total"]


# -- the stored run: policy and fingerprint --------------------------------------------------

def test_the_stored_run_keeps_the_policy_parameters(api, world):
    overrides = {"match_threshold": 0.5, "related_skills": False, "trainable_max_weeks": 6.0}
    run = rank(api, world.job["id"], mode="soft", policy_overrides=overrides)
    stored = api.get(f"/rankings/{run['id']}").get_json()
    expected = {**json.loads(json.dumps(DEFAULT_POLICY.as_dict())), **overrides}
    assert stored["policy"] == {**expected, "mode": stored["policy"]["mode"]}
    assert stored["mode"] == "soft"
    for key, value in overrides.items():
        assert stored["policy"][key] == value


def test_fingerprint_identifies_request_and_data(api, world):
    job_id = world.job["id"]
    first = rank(api, job_id, limit=10)
    again = rank(api, job_id, limit=10)
    assert again["id"] != first["id"]
    assert again["fingerprint"] == first["fingerprint"]
    assert again["results"] == first["results"]

    # A new candidate changes the data, hence the fingerprint; then it is stable again.
    api.create("/candidates", candidate_body("c-new", experience=[
        experience("DBA", ago(700), skills=["SQL"])]))
    grown = rank(api, job_id, limit=10)
    assert grown["total"] == 6
    assert grown["fingerprint"] != first["fingerprint"]
    assert rank(api, job_id, limit=10)["fingerprint"] == grown["fingerprint"]

    # An update, a deletion and an issuer change are data changes too.
    fingerprints = {grown["fingerprint"]}
    api.put(f"/candidates/{world.id('c-exp')}", candidate_body("c-exp", experience=[
        experience("DBA", ago(4000), skills=["SQL"])]))
    fingerprints.add(rank(api, job_id, limit=10)["fingerprint"])
    api.delete(f"/candidates/{world.id('c-badge')}")
    fingerprints.add(rank(api, job_id, limit=10)["fingerprint"])
    api.patch(f"/issuers/{world.issuers['accredited']['id']}", {"accreditations": []})
    fingerprints.add(rank(api, job_id, limit=10)["fingerprint"])
    assert len(fingerprints) == 4

    # A different request (policy, mode) is a different input.
    last = rank(api, job_id, limit=10)["fingerprint"]
    assert rank(api, job_id, limit=10, mode="soft")["fingerprint"] != last
    assert rank(api, job_id, limit=10,
                policy_overrides={"match_threshold": 0.5})["fingerprint"] != last


def test_fingerprint_changes_when_the_job_changes(api, world):
    before = rank(api, world.job["id"])
    response = api.put(f"/jobs/{world.job['id']}", job_body("req-1", "Data Analyst", requirements=[
        requirement("SQL", min_years=5), requirement("Dashboard storytelling",
                                                     importance="preferred")]))
    assert response.status_code == 200, response.get_data(as_text=True)
    after = rank(api, world.job["id"])
    assert scores(after) != scores(before)
    assert after["fingerprint"] != before["fingerprint"]


def test_fingerprint_changes_when_the_catalogue_changes_the_result(api, world):
    """A new offering changes the run's gaps: the inputs were not the same."""
    before = rank(api, world.job["id"])
    api.create("/catalog", offering_body(world.issuers["accredited"]["id"],
                                         name="SQL Intensive", duration_weeks=4, cost=300))
    after = rank(api, world.job["id"])
    gap = by_external_id(after)["c-story"]["gaps"][0]
    assert [o["name"] for o in gap["offerings"]] == ["SQL Intensive"]
    assert by_external_id(after)["c-story"]["trainable"] is True
    assert after["results"] != before["results"]
    assert after["fingerprint"] != before["fingerprint"]


def test_fingerprint_changes_when_an_organization_skill_changes_the_scores(api, world):
    """A new organization skill links storytelling to SQL: c-story's score moves (P1 holds)."""
    before = rank(api, world.job["id"])
    assert requirement_of(by_external_id(before)["c-story"], SQL)["match"] == 0
    response = api.post("/skills", skill_body("Analytical storytelling", broader=[SQL],
                                              related=[world.skills["story"]]))
    assert response.status_code == 201, response.get_data(as_text=True)
    after = rank(api, world.job["id"])
    story = requirement_of(by_external_id(after)["c-story"], SQL)
    # storytelling -related (0.5)-> analytical storytelling -narrower of (0.8)-> SQL
    assert story["match"] == pytest.approx(0.5 * 0.8 * exp(world.dates["ten"], after["as_of"]))
    assert scores(after)["c-story"] > scores(before)["c-story"]
    assert after["fingerprint"] != before["fingerprint"]
