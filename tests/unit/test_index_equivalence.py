"""The vectorised ranking index against the reference scorer (matcher.scoring), on random data.

A seeded random world (a random skill graph, issuers with accreditations, a
few hundred candidates and jobs of 3-20 requirements with min_years,
min_total_years and education) is ranked both ways: the index must return
the same order, the same scores (within 1e-9), the same qualification and
the same number of required requirements met, in both modes, for candidate
subsets and pages, after upserts, removals and compaction, and with
related-skill credit switched off.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest

from graph.skillgraph import SkillGraph
from matcher.index import MAX_SEGMENTS, CandidateIndex, RankingInput
from matcher.model import (
    Accreditation,
    AccreditationStatus,
    Candidate,
    Credential,
    CredentialKind,
    EducationLevel,
    EducationRequirement,
    Experience,
    Importance,
    Issuer,
    Job,
    Requirement,
    Skill,
    SkillRef,
    Verification,
    VerificationStatus,
)
from matcher.policy import DEFAULT_POLICY, ScoringPolicy
from matcher.proximity import PathStep
from matcher.scoring import CandidateResult, Context, evaluate, order_key

AS_OF = date(2026, 1, 1)
N_SKILLS = 40
OUTSIDE = ["custom:outside-a", "custom:outside-b"]  # skills the graph does not know


class CachedProximity:
    """The graph's own proximity, memoised (the reference asks for the same pairs often)."""

    def __init__(self, graph: SkillGraph) -> None:
        self.graph = graph

    @functools.cache  # noqa: B019 - lives as long as the module
    def proximity(self, evidenced: str, required: str) -> float:
        return self.graph.proximity(evidenced, required)

    def path(self, evidenced: str, required: str) -> list[PathStep]:
        return self.graph.path(evidenced, required)


@dataclass
class World:
    graph: SkillGraph
    proximity: CachedProximity
    skill_ids: list[str]
    issuers: dict[int, Issuer]
    candidates: list[Candidate]
    jobs: list[Job]


def _date(rng: random.Random, low_days: int, high_days: int) -> date:
    return AS_OF + timedelta(days=rng.randint(low_days, high_days))


def random_graph(rng: random.Random) -> SkillGraph:
    groups = [f"group:{g}" for g in range(5)]
    skills = []
    for i in range(N_SKILLS):
        broader = tuple(f"s{rng.randrange(i)}" for _ in range(rng.choice([0, 1, 1, 2]))) \
            if i else ()
        related = tuple(f"s{rng.randrange(N_SKILLS)}" for _ in range(rng.choice([0, 0, 1])))
        in_groups = tuple(rng.sample(groups, rng.choice([0, 0, 1])))
        skills.append(Skill(f"s{i}", f"Skill {i}", broader=broader, related=related,
                            groups=in_groups))
    return SkillGraph(skills, {g: g for g in groups})


def random_issuers(rng: random.Random) -> dict[int, Issuer]:
    issuers = {}
    for issuer_id in range(1, 9):
        accreditations = []
        for _ in range(rng.choice([0, 1, 1, 2])):
            start = rng.choice([None, _date(rng, -15 * 365, 0)])
            end = rng.choice([None, _date(rng, -8 * 365, 5 * 365)])
            accreditations.append(Accreditation(
                "Body", rng.choice(list(AccreditationStatus)), start, end))
        issuers[issuer_id] = Issuer(issuer_id, f"Issuer {issuer_id}",
                                    industry_recognized=rng.random() < 0.3,
                                    reviewed=rng.random() < 0.8,
                                    accreditations=tuple(accreditations))
    return issuers


def popular(rng: random.Random, skill_ids: Sequence[str]) -> str:
    """A skill, the first ones far more often (as in real data), so that many qualify."""
    return rng.choices(skill_ids, weights=[1 / (i + 1) for i in range(len(skill_ids))])[0]


def random_refs(rng: random.Random, skill_ids: Sequence[str], most: int = 3
                ) -> tuple[SkillRef, ...]:
    refs = []
    for _ in range(rng.randint(1, most)):
        if rng.random() < 0.05:
            refs.append(SkillRef("unresolved words"))  # a name that matched nothing
        else:
            refs.append(SkillRef("x", popular(rng, skill_ids)))
    return tuple(refs)


def random_credential(rng: random.Random, skill_ids: Sequence[str]) -> Credential:
    kind = rng.choice(list(CredentialKind))
    issued = rng.choice([None] + [_date(rng, -14 * 365, 90)] * 8)
    expires = rng.choice([None, None, _date(rng, -6 * 365, 6 * 365)])
    return Credential(
        rng.choice(["BSc Informatics", "MSc Data", "PhD Physics", "Associate of Arts",
                    "Cloud Practitioner", "Safety Badge"]),
        kind, random_refs(rng, skill_ids), issuer_id=rng.choice([None, 1, 2, 3, 4, 5, 6, 7, 8,
                                                                 8, 99]),
        issued_on=issued, expires_on=expires,
        verification=Verification(rng.choice(list(VerificationStatus))),
        level=rng.choice([None, None, *EducationLevel]))


def random_role(rng: random.Random, skill_ids: Sequence[str]) -> Experience:
    start = _date(rng, -20 * 365, 30)
    end = rng.choice([None, start + timedelta(days=rng.randint(0, 8 * 365))])
    return Experience(rng.choice(["Analyst", "Engineer", "Lead"]), start, end,
                      skills=random_refs(rng, skill_ids))


def random_candidate(rng: random.Random, candidate_id: int, skill_ids: Sequence[str]
                     ) -> Candidate:
    return Candidate(
        f"E{candidate_id * 7919 % 10007:05d}", f"Person {candidate_id}", id=candidate_id,
        credentials=tuple(random_credential(rng, skill_ids) for _ in range(rng.randint(0, 4))),
        experience=tuple(random_role(rng, skill_ids) for _ in range(rng.randint(0, 4))))


def random_job(rng: random.Random, number: int, skill_ids: Sequence[str]) -> Job:
    requirements = []
    wanted: list[str] = []
    size = rng.randint(3, 20)
    while len(wanted) < size:
        skill_id = popular(rng, skill_ids) if len(wanted) < 3 else rng.choice(skill_ids)
        if skill_id not in wanted:
            wanted.append(skill_id)
    for position, skill_id in enumerate(wanted):
        # The first (popular) skills required, the rest mostly preferred.
        importance = Importance.REQUIRED if position < rng.randint(1, 3) or rng.random() < 0.1 \
            else Importance.PREFERRED
        weight = DEFAULT_POLICY.weight_for(importance) if rng.random() < 0.7 else \
            rng.choice([0.5, 1.5, 3.0])
        requirements.append(Requirement(SkillRef("x", skill_id), importance, weight,
                                        rng.choice([None, None, 1.0, 2.0, 3.5, 5.0])))
    education = rng.choice([None, EducationRequirement(
        rng.choice(list(EducationLevel)), rng.choice([None, 24, 60]))])
    return Job(f"J{number}", "Job", tuple(requirements),
               min_total_years=rng.choice([None, None, 2.0, 5.0]), education=education)


@functools.cache
def world(seed: int, n_candidates: int = 300) -> World:
    rng = random.Random(seed)
    graph = random_graph(rng)
    skill_ids = [f"s{i}" for i in range(N_SKILLS)] + OUTSIDE
    rng.shuffle(skill_ids)  # which skills are popular
    candidates = [random_candidate(rng, i, skill_ids) for i in range(1, n_candidates + 1)]
    jobs = [random_job(rng, j, skill_ids) for j in range(4)]
    return World(graph, CachedProximity(graph), skill_ids, random_issuers(rng),
                 candidates, jobs)


def inputs(w: World, policy: ScoringPolicy = DEFAULT_POLICY, as_of: date = AS_OF,
           issuers: dict[int, Issuer] | None = None, version: object = "v1"
           ) -> tuple[RankingInput, Context]:
    registry = w.issuers if issuers is None else issuers
    compiled = w.graph.compile()
    data = RankingInput(as_of=as_of, policy=policy, issuers=registry, issuers_version=version,
                        proximity_ids=compiled.ids, proximity=compiled.matrix.tocsc())
    ctx = Context(as_of=as_of, policy=policy, proximity=w.proximity, issuers=registry)
    return data, ctx


def reference(job: Job, candidates: Sequence[Candidate], ctx: Context
              ) -> list[CandidateResult]:
    return [evaluate(job, c, ctx) for c in candidates]


def assert_same(index: CandidateIndex, job: Job, data: RankingInput,
                results: Sequence[CandidateResult], mode: str, *,
                candidate_ids: Sequence[int] | None = None, offset: int = 0,
                limit: int | None = None) -> None:
    """The index's page equals the same page of the reference ordering."""
    pool = list(results)
    if candidate_ids is not None:
        wanted = set(candidate_ids)
        pool = [r for r in pool if r.candidate.id in wanted]
    expected = sorted(pool, key=lambda r: order_key(r, mode))
    limit = len(expected) + 1 if limit is None else limit
    expected = expected[offset:offset + limit]
    page = index.rank(job, data, limit=limit, offset=offset, candidate_ids=candidate_ids,
                      mode=mode)
    assert page.total == len(pool)
    got = [(r.external_id, r.candidate_id) for r in page.items]
    assert got == [(r.candidate.external_id, r.candidate.id) for r in expected]
    for item, want in zip(page.items, expected, strict=True):
        assert abs(item.score - want.score) <= 1e-9, (item, want.score)
        assert item.qualified == want.qualified, item
        assert item.required_met == want.required_met, item


def test_the_random_world_exercises_what_it_should() -> None:
    """Preconditions: the data is varied enough for the equivalence to mean something."""
    mixed = 0  # jobs some but not all candidates qualify for: hard mode means something
    for seed in (1, 2, 3):
        w = world(seed)
        _, ctx = inputs(w)
        for j in w.jobs:
            qualified = sum(r.qualified for r in reference(j, w.candidates, ctx))
            mixed += 0 < qualified < len(w.candidates)
    assert mixed >= 6
    w = world(2)
    _, ctx = inputs(w)
    job = w.jobs[0]
    results = reference(job, w.candidates, ctx)
    assert len({round(r.score, 9) for r in results}) > 50
    related = [q for r in results for q in r.requirements
               if (q.credential and 0 < q.credential.proximity < 1)
               or (q.experience and 0 < q.experience.proximity < 1)]
    assert related, "no related-skill credit in the data"
    assert any(len(j.requirements) >= 10 for j in w.jobs)
    assert any(r.min_years for j in w.jobs for r in j.requirements)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_index_ranks_like_the_reference(seed: int) -> None:
    w = world(seed)
    data, ctx = inputs(w)
    index = CandidateIndex.build(w.candidates)
    for job in w.jobs:
        results = reference(job, w.candidates, ctx)
        for mode in ("hard", "soft"):
            assert_same(index, job, data, results, mode)
            assert_same(index, job, data, results, mode, offset=0, limit=10)
            assert_same(index, job, data, results, mode, offset=37, limit=25)
            assert_same(index, job, data, results, mode, offset=len(results) - 5, limit=50)
        # The policy's mode is the default.
        page = index.rank(job, data, limit=20)
        expected = sorted(results, key=lambda r: order_key(r, DEFAULT_POLICY.mode))[:20]
        assert [r.external_id for r in page.items] == [r.candidate.external_id
                                                        for r in expected]


@pytest.mark.parametrize("seed", [4, 5])
def test_candidate_subsets_and_pages(seed: int) -> None:
    w = world(seed)
    data, ctx = inputs(w)
    index = CandidateIndex.build(w.candidates)
    rng = random.Random(seed)
    for job in w.jobs[:2]:
        results = reference(job, w.candidates, ctx)
        for _ in range(4):
            ids = rng.sample([c.id for c in w.candidates if c.id is not None],
                             rng.randint(1, 120))
            if rng.random() < 0.5:  # unknown ids are ignored
                ids.insert(rng.randrange(len(ids) + 1), 10_000 + rng.randrange(5))
            mode = rng.choice(["hard", "soft"])
            assert_same(index, job, data, results, mode, candidate_ids=ids)
            assert_same(index, job, data, results, mode, candidate_ids=ids,
                        offset=rng.randint(0, 20), limit=rng.randint(1, 15))
        assert_same(index, job, data, results, "hard", candidate_ids=[])


def changed(rng: random.Random, candidate: Candidate, skill_ids: Sequence[str]) -> Candidate:
    """A candidate with some evidence added, dropped or replaced."""
    credentials = list(candidate.credentials)
    roles = list(candidate.experience)
    action = rng.randrange(4)
    if action == 0 or not (credentials or roles):
        credentials.append(random_credential(rng, skill_ids))
        roles.append(random_role(rng, skill_ids))
    elif action == 1:
        credentials = credentials[1:]
    elif action == 2:
        roles = roles[:-1]
    else:
        credentials = [random_credential(rng, skill_ids) for _ in credentials]
    return replace(candidate, credentials=tuple(credentials), experience=tuple(roles))


def test_upsert_remove_and_compact_keep_the_index_equal_to_the_reference() -> None:
    w = world(6, 250)
    rng = random.Random(60)
    data, ctx = inputs(w)
    # Built in batches: several segments.
    index = CandidateIndex()
    for start in range(0, 250, 60):
        index.upsert(w.candidates[start:start + 60])
    assert len(index.segments) > 1
    current = {c.id: c for c in w.candidates}
    new_skill = "custom:brand-new"  # a skill no candidate had: a new index column
    job = replace(w.jobs[0], requirements=(*w.jobs[0].requirements[:8],
                                           Requirement(SkillRef("new", new_skill))))

    def check(mode: str = "hard") -> None:
        people = sorted(current.values(), key=lambda c: c.id or 0)
        assert len(index) == len(people)
        assert_same(index, job, data, reference(job, people, ctx), mode)

    check()
    # Changed candidates, one of them with the new skill.
    for _round in range(3):
        ids = rng.sample(sorted(current), 25)
        updated = [changed(rng, current[i], w.skill_ids) for i in ids]
        updated[0] = replace(updated[0], experience=(
            *updated[0].experience,
            Experience("New", date(2022, 1, 1), None, skills=(SkillRef("new", new_skill),))))
        index.upsert(updated)
        current.update((c.id, c) for c in updated)
        check(rng.choice(["hard", "soft"]))
    # New candidates.
    fresh = [random_candidate(rng, i, w.skill_ids) for i in range(1000, 1030)]
    index.upsert(fresh)
    current.update((c.id, c) for c in fresh)
    check()
    # Removals, including ids that are not there.
    gone = [*rng.sample(sorted(current), 40), 5555]
    index.remove(gone)
    for i in gone:
        current.pop(i, None)
    check("soft")
    check("hard")
    index.compact()
    assert len(index.segments) == 1
    check("hard")
    check("soft")
    # Removing and re-adding after compaction.
    back = [current[i] for i in rng.sample(sorted(current), 10)]
    index.remove(c.id for c in back if c.id is not None)
    for c in back:
        current.pop(c.id)
    check()
    index.upsert(back)
    current.update((c.id, c) for c in back)
    check()


def test_many_small_upserts_merge_segments() -> None:
    w = world(7, 120)
    data, ctx = inputs(w)
    index = CandidateIndex()
    for start in range(0, 120, 10):  # more batches than MAX_SEGMENTS
        index.upsert(w.candidates[start:start + 10])
    assert MAX_SEGMENTS < 12 and len(index.segments) <= MAX_SEGMENTS
    for job in w.jobs[:2]:
        results = reference(job, w.candidates, ctx)
        assert_same(index, job, data, results, "hard")
        assert_same(index, job, data, results, "soft", offset=3, limit=30)


@pytest.mark.parametrize("seed", [1, 8])
def test_without_related_skill_credit(seed: int) -> None:
    w = world(seed)
    policy = replace(DEFAULT_POLICY, related_skills=False)
    data, ctx = inputs(w, policy=policy)
    index = CandidateIndex.build(w.candidates)
    for job in w.jobs[:3]:
        results = reference(job, w.candidates, ctx)
        assert all(q.credential.proximity == 1.0 for r in results for q in r.requirements
                   if q.credential)
        for mode in ("hard", "soft"):
            assert_same(index, job, data, results, mode)
    # The same index then ranks with related credit again.
    data, ctx = inputs(w)
    job = w.jobs[0]
    assert_same(index, job, data, reference(job, w.candidates, ctx), "hard")


def test_other_dates_registries_and_policies_on_one_index() -> None:
    w = world(9, 200)
    index = CandidateIndex.build(w.candidates)
    job = w.jobs[1]
    rng = random.Random(90)
    for as_of, version in ((AS_OF, "v1"), (date(2024, 7, 15), "v1"), (date(2027, 3, 1), "v1")):
        data, ctx = inputs(w, as_of=as_of, version=version)
        assert_same(index, job, data, reference(job, w.candidates, ctx), "hard")
    # A changed registry under a new version.
    registry = {k: replace(v, reviewed=not v.reviewed,
                           industry_recognized=rng.random() < 0.5)
                for k, v in w.issuers.items()}
    data, ctx = inputs(w, issuers=registry, version="v2")
    assert_same(index, job, data, reference(job, w.candidates, ctx), "hard")
    # Job-level overrides: a different threshold and mode.
    policy = DEFAULT_POLICY.with_overrides({"match_threshold": 0.2, "mode": "soft"})
    data, ctx = inputs(w, policy=policy, version="v2", issuers=registry)
    results = reference(job, w.candidates, ctx)
    assert_same(index, job, data, results, "soft")
    assert_same(index, job, data, results, "hard")


def test_education_and_total_experience_hurdles() -> None:
    """Many candidates near each hurdle: one popular required skill, then the hurdles."""
    w = world(12)
    data, ctx = inputs(w)
    index = CandidateIndex.build(w.candidates)
    base = w.jobs[0]
    requirements = (replace(base.requirements[0], importance=Importance.REQUIRED),
                    *(replace(r, importance=Importance.PREFERRED)
                      for r in base.requirements[1:5]))
    for level in (EducationLevel.BACHELOR, EducationLevel.DOCTORATE):
        for months in (None, 12, 30, 60, 100):
            job = replace(base, requirements=requirements, min_total_years=None,
                          education=EducationRequirement(level, months))
            results = reference(job, w.candidates, ctx)
            assert 0 < sum(r.qualified for r in results) < len(results)
            assert_same(index, job, data, results, "hard")
    for minimum in (0.5, 1.5, 3.0, 6.0, 10.0):
        job = replace(base, requirements=requirements, min_total_years=minimum, education=None)
        results = reference(job, w.candidates, ctx)
        assert 0 < sum(r.qualified for r in results) < len(results)
        assert_same(index, job, data, results, "hard")


def test_ties_in_score_order_alike() -> None:
    """Exact score ties (identical evidence, or different evidence with equal sums)."""
    w = world(11, 100)
    skills = ["custom:t1", "custom:t2", "custom:t3"]  # unrelated to each other
    accredited = Issuer(1, "A", accreditations=(
        Accreditation("Body", AccreditationStatus.ACTIVE, date(1990, 1, 1)),))
    known = Issuer(2, "K")
    registry = {**w.issuers, 1: accredited, 2: known}

    def cert(skill_id: str, issuer_id: int) -> Credential:
        return Credential("Cert", CredentialKind.CERTIFICATION, (SkillRef("x", skill_id),),
                          issuer_id=issuer_id, issued_on=AS_OF,
                          verification=Verification(VerificationStatus.VERIFIED))

    # One met (0.8, 0, 0) or two met (0.4, 0.4, 0): the same score, 100 x 1.6 / 6.
    crafted = []
    for i in range(30):
        evidence = [(cert("custom:t1", 1),), (cert("custom:t1", 2), cert("custom:t2", 2)),
                    ()][i % 3]
        crafted.append(Candidate(f"T{(i * 37) % 30:03d}", "n", id=500 + i,
                                 credentials=evidence))
    people = w.candidates + crafted
    job = Job("JT", "Ties", tuple(Requirement(SkillRef("x", s)) for s in skills))
    data, ctx = inputs(w, issuers=registry, version="ties")
    results = reference(job, people, ctx)
    tied = {r.candidate.external_id: r for r in results if r.candidate.id >= 500}
    scores = {r.score for r in tied.values() if r.required_met}
    assert len(scores) == 1 and {r.required_met for r in tied.values()} == {0, 1, 2}
    index = CandidateIndex.build(people)
    for mode in ("hard", "soft"):
        assert_same(index, job, data, results, mode)
        assert_same(index, job, data, results, mode, offset=5, limit=12)


def test_without_a_proximity_matrix_only_exact_skills_count() -> None:
    w = world(10, 150)
    index = CandidateIndex.build(w.candidates)
    data = RankingInput(as_of=AS_OF, issuers=w.issuers, issuers_version="v1")
    ctx = Context(as_of=AS_OF, issuers=w.issuers)  # no graph: identity proximity
    for job in w.jobs[:2]:
        assert_same(index, job, data, reference(job, w.candidates, ctx), "hard")
