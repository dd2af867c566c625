"""Scoring one candidate for one job, and ordering candidates (DESIGN.md §4.4-§4.7).

This is the reference implementation: one candidate at a time, every step
visible. The vectorised index (:mod:`matcher.index`) ranks an organization's
candidates at once and uses this module for the explanation of the page it
returns; a test holds both to the same scores and order.

Examples
--------
>>> from datetime import date
>>> from matcher import model
>>> job = model.Job("J", "Analyst", (model.Requirement(model.SkillRef("SQL", "sql")),))
>>> ana = model.Candidate("A", "Ana", experience=(model.Experience(
...     "Analyst", date(2021, 1, 1), skills=(model.SkillRef("SQL", "sql"),)),))
>>> result = evaluate(job, ana, Context(as_of=date(2026, 1, 1)))
>>> round(result.score, 2), result.qualified
(77.82, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from matcher.evidence import (
    DAYS_PER_YEAR,
    CredentialFactors,
    credential_factors,
    degree_level,
    experience_strength,
    experience_time,
    total_experience_days,
)
from matcher.model import Candidate, Credential, CredentialOffering, Importance, Issuer, Job
from matcher.model import Requirement as JobRequirement
from matcher.policy import DEFAULT_POLICY, ScoringPolicy
from matcher.proximity import PathStep, Relation, SkillProximity

__all__ = ["CandidateResult", "Context", "CredentialEvidence", "ExperienceEvidence", "Gap",
           "RequirementResult", "evaluate", "order_key", "rank"]


class _Identity:
    """Proximity without a graph: only the same skill counts."""

    def proximity(self, evidenced: str, required: str) -> float:
        return 1.0 if evidenced == required else 0.0

    def path(self, evidenced: str, required: str) -> list[PathStep]:
        step = PathStep(evidenced, evidenced, Relation.EVIDENCE)
        return [step] if evidenced == required else []


@dataclass(frozen=True)
class Context:
    """What scoring needs besides the job and the candidate."""

    as_of: date
    policy: ScoringPolicy = DEFAULT_POLICY
    proximity: SkillProximity = field(default_factory=_Identity)
    issuers: Mapping[int, Issuer] = field(default_factory=dict)
    offerings: Sequence[CredentialOffering] = ()
    # Offerings per required skill: the same for every candidate of a ranking.
    _offers: dict[str, tuple[CredentialOffering, ...]] = field(default_factory=dict, repr=False,
                                                                compare=False)
    _p: dict[tuple[str, str], float] = field(default_factory=dict, repr=False, compare=False)
    _paths: dict[tuple[str, str], list[PathStep]] = field(default_factory=dict, repr=False,
                                                          compare=False)

    def p(self, evidenced: str, required: str) -> float:
        if evidenced == required:  # the same concept, whether or not the graph knows it
            return 1.0
        if not self.policy.related_skills:
            return 0.0
        key = (evidenced, required)
        if key not in self._p:  # a page asks for the same few pairs thousands of times
            self._p[key] = self.proximity.proximity(evidenced, required)
        return self._p[key]

    def path(self, evidenced: str, required: str) -> list[PathStep]:
        key = (evidenced, required)
        if key not in self._paths:
            self._paths[key] = self.proximity.path(evidenced, required)
        return self._paths[key]


@dataclass(frozen=True, slots=True)
class CredentialEvidence:
    credential: Credential
    factors: CredentialFactors
    skill_id: str
    proximity: float
    value: float


@dataclass(frozen=True, slots=True)
class ExperienceEvidence:
    skill_id: str
    years: float
    gap_years: float
    strength: float
    proximity: float
    value: float
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RequirementResult:
    requirement: JobRequirement
    match: float
    contribution: float
    corroborated: bool
    met: bool
    credential: CredentialEvidence | None
    experience: ExperienceEvidence | None
    path: tuple[PathStep, ...]


@dataclass(frozen=True, slots=True)
class Gap:
    requirement: JobRequirement
    offerings: tuple[CredentialOffering, ...]


@dataclass(frozen=True, slots=True)
class CandidateResult:
    candidate: Candidate
    score: float
    qualified: bool
    trainable: bool
    required_met: int
    requirements: tuple[RequirementResult, ...]
    gaps: tuple[Gap, ...]
    unmet: tuple[str, ...]  # why the candidate is not qualified


class _Evidence:
    """A candidate's evidence, each piece worked out once for all requirements."""

    def __init__(self, candidate: Candidate, ctx: Context):
        self.candidate, self.ctx = candidate, ctx
        self._factors: dict[int, CredentialFactors] = {}
        self._timing: dict[str, tuple[float, float, tuple[str, ...]]] = {}
        self.experience_skills = sorted({r.skill_id for e in candidate.experience
                                         for r in e.skills if r.skill_id is not None})

    def factors(self, position: int, credential: Credential) -> CredentialFactors:
        if position not in self._factors:
            ctx = self.ctx
            issuer = ctx.issuers.get(credential.issuer_id) if credential.issuer_id else None
            self._factors[position] = credential_factors(credential, issuer, ctx.as_of,
                                                         ctx.policy)
        return self._factors[position]

    def timing(self, skill_id: str) -> tuple[float, float, tuple[str, ...]]:
        """(years, gap, role titles) of the roles tagged with ``skill_id``."""
        if skill_id not in self._timing:
            roles = [e for e in self.candidate.experience
                     if any(r.skill_id == skill_id for r in e.skills)]
            found = experience_time(roles, self.ctx.as_of)
            assert found is not None
            self._timing[skill_id] = (*found, tuple(sorted(e.title for e in roles)))
        return self._timing[skill_id]


def _best_credential(evidence: _Evidence, required: str, ctx: Context
                     ) -> CredentialEvidence | None:
    best_key, best = None, None
    for position, credential in enumerate(evidence.candidate.credentials):
        for ref in credential.skills:
            if ref.skill_id is None or (p := ctx.p(ref.skill_id, required)) <= 0:
                continue
            factors = evidence.factors(position, credential)
            # Ties go to the stronger proximity, then by name: never by input order (P8).
            key = (factors.strength * p, p, credential.name, ref.skill_id)
            if best_key is None or key > best_key:
                best_key, best = key, (credential, factors, ref.skill_id, p)
    if best_key is None or best is None:
        return None
    credential, factors, skill_id, p = best
    return CredentialEvidence(credential, factors, skill_id, p, best_key[0])


def _best_experience(evidence: _Evidence, requirement: JobRequirement, ctx: Context
                     ) -> ExperienceEvidence | None:
    required = requirement.skill.skill_id
    best_key, best = None, None
    for skill_id in evidence.experience_skills:
        p = ctx.p(skill_id, required) if required else 0.0
        if p <= 0:
            continue
        years, gap, titles = evidence.timing(skill_id)
        strength = experience_strength(years, gap, requirement.min_years, ctx.policy)
        key = (strength * p, p)
        if best_key is None or key > best_key:
            best_key, best = key, (skill_id, years, gap, strength, p, titles)
    if best_key is None or best is None:
        return None
    skill_id, years, gap, strength, p, titles = best
    return ExperienceEvidence(skill_id, years, gap, strength, p, best_key[0], titles)


def _requirement(evidence: _Evidence, requirement: JobRequirement, total_weight: float,
                 ctx: Context) -> RequirementResult:
    required = requirement.skill.skill_id
    credential = _best_credential(evidence, required, ctx) if required else None
    experience = _best_experience(evidence, requirement, ctx)
    c = credential.value if credential else 0.0
    e = experience.value if experience else 0.0
    match = 1.0 - (1.0 - c) * (1.0 - e)
    strongest = max((x for x in (credential, experience) if x is not None),
                    key=lambda x: x.value, default=None)
    path = tuple(ctx.path(strongest.skill_id, required)) if strongest and required \
        and ctx.policy.related_skills else ()
    if strongest and required and not path:
        path = (PathStep(required, requirement.skill.name, Relation.EVIDENCE),)
    return RequirementResult(requirement, match, 100.0 * requirement.weight * match / total_weight,
                             c > 0 and e > 0, match >= ctx.policy.match_threshold,
                             credential, experience, path)


def _education_met(job: Job, candidate: Candidate, total_days: int) -> bool:
    if job.education is None or job.education.level.rank == 0:
        return True
    levels = [degree_level(k) for k in candidate.credentials]
    if any(level is not None and level.rank >= job.education.level.rank for level in levels):
        return True
    months = job.education.experience_in_place_months
    return months is not None and total_days / DAYS_PER_YEAR * 12 >= months


def _offerings_for(required: str, ctx: Context) -> tuple[CredentialOffering, ...]:
    def accredited(offering: CredentialOffering) -> bool:
        issuer = ctx.issuers.get(offering.issuer_id)
        return issuer is not None and issuer.reviewed and any(
            a.covers(ctx.as_of) for a in issuer.accreditations)

    close_enough = ctx.policy.offering_min_proximity
    fitting = [o for o in ctx.offerings
               if any(s.skill_id and ctx.p(s.skill_id, required) >= close_enough
                      for s in o.skills)]
    fitting.sort(key=lambda o: (not accredited(o), o.duration_weeks is None,
                                o.duration_weeks or 0, o.cost is None, o.cost or 0, o.name, o.id))
    return tuple(fitting[:ctx.policy.gap_offerings])


def _cached_offerings(required: str, ctx: Context) -> tuple[CredentialOffering, ...]:
    if required not in ctx._offers:
        ctx._offers[required] = _offerings_for(required, ctx)
    return ctx._offers[required]


def evaluate(job: Job, candidate: Candidate, ctx: Context) -> CandidateResult:
    """Score, qualification, explanation and gaps of one candidate for one job."""
    total_weight = sum(r.weight for r in job.requirements)
    evidence = _Evidence(candidate, ctx)
    results = tuple(_requirement(evidence, r, total_weight, ctx) for r in job.requirements)
    score = 100.0 * sum(r.requirement.weight * r.match for r in results) / total_weight
    required = [r for r in results if r.requirement.importance is Importance.REQUIRED]
    unmet = [f"required skill {r.requirement.skill.name!r} below the threshold"
             for r in required if not r.met]
    total_days = total_experience_days(candidate.experience, ctx.as_of)
    if job.min_total_years and total_days / DAYS_PER_YEAR < job.min_total_years:
        unmet.append(f"less than {job.min_total_years:g} years of experience in total")
    if not _education_met(job, candidate, total_days):
        unmet.append("education requirement not met")
    gaps = tuple(Gap(r.requirement, _cached_offerings(r.requirement.skill.skill_id, ctx)
                     if r.requirement.skill.skill_id else ())
                 for r in results if not r.met)
    return CandidateResult(candidate, score, not unmet, _trainable(results, unmet, gaps, ctx),
                           sum(1 for r in required if r.met), results, gaps, tuple(unmet))


def _trainable(results: Sequence[RequirementResult], unmet: Sequence[str],
               gaps: Sequence[Gap], ctx: Context) -> bool:
    """Fails only on required skills that short catalogue credentials close (§4.7)."""
    failing = [r for r in results if r.requirement.importance is Importance.REQUIRED
               and not r.met]
    if not unmet or len(unmet) != len(failing):
        return False
    by_requirement = {id(g.requirement): g for g in gaps}
    closes: dict[int, int] = {}  # offering id -> bit set of the failing gaps it closes
    weeks: dict[int, float] = {}
    options: list[list[int]] = []
    for bit, result in enumerate(failing):
        offers = [o for o in by_requirement[id(result.requirement)].offerings
                  if o.duration_weeks is not None]
        if not offers:
            return False
        for o in offers:
            closes[o.id] = closes.get(o.id, 0) | 1 << bit
            weeks[o.id] = float(o.duration_weeks or 0.0)
        options.append([o.id for o in offers])
    # The shortest combination (an offering closing several gaps counts once): search over
    # the set of closed gaps, always closing the first open one next.
    everything, budget = (1 << len(failing)) - 1, ctx.policy.trainable_max_weeks
    least = {0: 0.0}
    todo = [0]
    while todo:
        closed = todo.pop()
        if closed == everything:
            return True
        first = next(i for i in range(len(failing)) if not closed >> i & 1)
        for offering_id in options[first]:
            after, total = closed | closes[offering_id], least[closed] + weeks[offering_id]
            if total <= budget and total < least.get(after, float("inf")):
                least[after] = total
                todo.append(after)
    return False


def order_key(result: CandidateResult, mode: str) -> tuple:
    """Sort key: hard mode puts qualified first; ties by requirements met, then external id."""
    if mode == "soft":
        return (-result.score, result.candidate.external_id)
    return (not result.qualified, -result.score, -result.required_met,
            result.candidate.external_id)


def rank(job: Job, candidates: Iterable[Candidate], ctx: Context,
         mode: str | None = None) -> list[CandidateResult]:
    """Every candidate scored and ordered (the readable reference for the index)."""
    results = [evaluate(job, c, ctx) for c in candidates]
    return sorted(results, key=lambda r: order_key(r, mode or ctx.policy.mode))
