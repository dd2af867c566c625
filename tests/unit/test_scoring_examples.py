"""Worked examples of the scoring model, DESIGN.md §4, computed by hand from its formulas.

Every expected value is written out as the §4 arithmetic with the numbers of
DESIGN.md (not read back from the implementation or the policy object), so a
change to a formula or a default fails here.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import pytest

from graph.skillgraph import SkillGraph
from matcher.evidence import credential_factors, experience_time, issuer_trust
from matcher.model import (
    Accreditation,
    AccreditationStatus,
    Candidate,
    Credential,
    CredentialKind,
    CredentialOffering,
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
from matcher.policy import DEFAULT_POLICY
from matcher.scoring import CandidateResult, Context, evaluate, order_key, rank

AS_OF = date(2026, 1, 1)
DAYS_PER_YEAR = 365.25

# A small skill graph: sql is narrower than data, postgres narrower than sql,
# python related to data, excel filed under the same skill group as data.
SKILLS = [
    Skill("data", "Data analysis", groups=("g:analytics",)),
    Skill("sql", "SQL", broader=("data",)),
    Skill("postgres", "PostgreSQL", broader=("sql",)),
    Skill("python", "Python", related=("data",)),
    Skill("excel", "Excel", groups=("g:analytics",)),
    Skill("cooking", "Cooking"),
    Skill("welding", "Welding"),
    Skill("driving", "Driving"),
]
GRAPH = SkillGraph(SKILLS, {"g:analytics": "Analytics"})
LABELS = {s.id: s.label for s in SKILLS}

ACCREDITED = Issuer(1, "Accredited Academy", accreditations=(
    Accreditation("Body", AccreditationStatus.ACTIVE, date(1990, 1, 1), date(2030, 12, 31)),))
KNOWN = Issuer(2, "Known College")
UNKNOWN_ID = 99  # not in the registry
REGISTRY = {ACCREDITED.id: ACCREDITED, KNOWN.id: KNOWN}


def ref(skill_id: str) -> SkillRef:
    return SkillRef(LABELS.get(skill_id, skill_id), skill_id)


def req(skill_id: str, importance: Importance = Importance.REQUIRED,
        min_years: float | None = None) -> Requirement:
    # §4: default weight 2 for required, 1 for preferred.
    weight = 2.0 if importance is Importance.REQUIRED else 1.0
    return Requirement(ref(skill_id), importance, weight, min_years)


def job(*requirements: Requirement, **kwargs: object) -> Job:
    return Job("J1", "Analyst", tuple(requirements), **kwargs)  # type: ignore[arg-type]


def cred(skill_id: str = "sql", kind: CredentialKind = CredentialKind.CERTIFICATION,
         issuer: int | None = ACCREDITED.id, issued: date | None = AS_OF,
         expires: date | None = None,
         status: VerificationStatus = VerificationStatus.VERIFIED,
         name: str = "Cert", level: EducationLevel | None = None) -> Credential:
    return Credential(name, kind, (ref(skill_id),), issuer_id=issuer, issued_on=issued,
                      expires_on=expires, verification=Verification(status), level=level)


def role(start: date, end: date | None, *skill_ids: str, title: str = "Role") -> Experience:
    return Experience(title, start, end, skills=tuple(ref(s) for s in skill_ids))


def person(external_id: str = "C1", credentials: tuple[Credential, ...] = (),
           experience: tuple[Experience, ...] = ()) -> Candidate:
    return Candidate(external_id, "Name", credentials=credentials, experience=experience)


def ctx(**kwargs: object) -> Context:
    values: dict[str, object] = {"as_of": AS_OF, "proximity": GRAPH, "issuers": REGISTRY}
    values.update(kwargs)
    return Context(**values)  # type: ignore[arg-type]


def years(start: date, end: date) -> float:
    return (end - start).days / DAYS_PER_YEAR


def single_score(candidate: Candidate, requirement: Requirement | None = None,
                 **context: object) -> float:
    return evaluate(job(requirement or req("sql")), candidate, ctx(**context)).score


# -- §4.2 credential strength -------------------------------------------------------------

@pytest.mark.parametrize(("kind", "factor"), [
    (CredentialKind.CERTIFICATION, 1.0),
    (CredentialKind.LICENSE, 1.0),
    (CredentialKind.MICRO_CREDENTIAL, 0.9),
    (CredentialKind.DEGREE, 0.85),
    (CredentialKind.CERTIFICATE, 0.7),
    (CredentialKind.BADGE, 0.6),
])
def test_each_credential_kind_factor(kind: CredentialKind, factor: float) -> None:
    # Accredited issuer, verified, issued today: c = 0.8 x kind x 1.0 x 1.0 x 1.0.
    credential = cred(kind=kind)
    factors = credential_factors(credential, ACCREDITED, AS_OF, DEFAULT_POLICY)
    assert factors.kind == factor
    assert factors.strength == pytest.approx(0.8 * factor * 1.0 * 1.0 * 1.0)
    # The only evidence for the only requirement: S = 100 x M = 100 x c.
    assert single_score(person(credentials=(credential,))) == pytest.approx(100 * 0.8 * factor)


def accreditation(status: AccreditationStatus, start: date | None,
                  end: date | None) -> Accreditation:
    return Accreditation("Body", status, start, end)


@pytest.mark.parametrize(("issuer", "issued", "trust"), [
    # active accreditation covering the issue date
    (Issuer(1, "I", accreditations=(accreditation(AccreditationStatus.ACTIVE, date(2015, 1, 1),
                                                  None),)), date(2024, 6, 1), 1.0),
    # active, covering the issue date, though its term has ended since: the issue date counts
    (Issuer(1, "I", accreditations=(accreditation(AccreditationStatus.ACTIVE, date(2015, 1, 1),
                                                  date(2025, 1, 1)),)), date(2024, 6, 1), 1.0),
    # accreditation ended before the issue date: not covering
    (Issuer(1, "I", accreditations=(accreditation(AccreditationStatus.ACTIVE, date(2015, 1, 1),
                                                  date(2020, 1, 1)),)), date(2024, 6, 1), 0.75),
    # accreditation began after the issue date: not covering
    (Issuer(1, "I", accreditations=(accreditation(AccreditationStatus.ACTIVE, date(2025, 1, 1),
                                                  None),)), date(2024, 6, 1), 0.75),
    # an expired accreditation counts as lapsed
    (Issuer(1, "I", accreditations=(accreditation(AccreditationStatus.EXPIRED, date(2015, 1, 1),
                                                  None),)), date(2024, 6, 1), 0.75),
    # one covering accreditation among several is enough
    (Issuer(1, "I", accreditations=(
        accreditation(AccreditationStatus.EXPIRED, date(2010, 1, 1), date(2012, 1, 1)),
        accreditation(AccreditationStatus.ACTIVE, date(2023, 1, 1), None))),
     date(2024, 6, 1), 1.0),
    # known (reviewed) issuer without accreditation
    (Issuer(1, "I"), date(2024, 6, 1), 0.5),
    # unknown issuer (not in the registry)
    (None, date(2024, 6, 1), 0.35),
    # unreviewed issuer counts as unknown, even with a covering accreditation
    (Issuer(1, "I", reviewed=False, accreditations=(
        accreditation(AccreditationStatus.ACTIVE, date(2015, 1, 1), None),)),
     date(2024, 6, 1), 0.35),
    # ... and even when marked industry-recognised
    (Issuer(1, "I", reviewed=False, industry_recognized=True), date(2024, 6, 1), 0.35),
    # industry recognition: +0.15, capped at 1.0
    (Issuer(1, "I", industry_recognized=True), date(2024, 6, 1), 0.5 + 0.15),
    (Issuer(1, "I", industry_recognized=True, accreditations=(
        accreditation(AccreditationStatus.EXPIRED, date(2015, 1, 1), None),)),
     date(2024, 6, 1), 0.75 + 0.15),
    (Issuer(1, "I", industry_recognized=True, accreditations=(
        accreditation(AccreditationStatus.ACTIVE, date(2015, 1, 1), None),)),
     date(2024, 6, 1), min(1.0, 1.0 + 0.15)),
    # without an issue date, accreditation in force on the ranking date counts
    (Issuer(1, "I", accreditations=(accreditation(AccreditationStatus.ACTIVE, date(2025, 1, 1),
                                                  None),)), None, 1.0),
])
def test_issuer_trust(issuer: Issuer | None, issued: date | None, trust: float) -> None:
    assert issuer_trust(issuer, issued, AS_OF, DEFAULT_POLICY)[0] == pytest.approx(trust)
    # The same trust drives the score: verified certification, known age.
    issuer_id = issuer.id if issuer else UNKNOWN_ID
    registry = {issuer.id: issuer} if issuer else {}
    candidate = person(credentials=(cred(issuer=issuer_id, issued=issued),))
    # (an unknown issue date gets the currency floor)
    currency = 0.25 if issued is None else max(0.25, 0.5 ** (years(issued, AS_OF) / 4))
    expected = 100 * 0.8 * 1.0 * trust * 1.0 * currency
    assert single_score(candidate, issuers=registry) == pytest.approx(expected)


def test_a_revoked_accreditation_counts_as_none() -> None:
    issuer = Issuer(1, "I", accreditations=(
        accreditation(AccreditationStatus.REVOKED, date(2015, 1, 1), None),))
    assert issuer_trust(issuer, date(2024, 1, 1), AS_OF, DEFAULT_POLICY)[0] == 0.5


def test_a_credential_without_issuer_id_has_an_unknown_issuer() -> None:
    written = Credential("Cert", CredentialKind.CERTIFICATION, (ref("sql"),),
                         issuer_name="Accredited Academy", issued_on=AS_OF,
                         verification=Verification(VerificationStatus.VERIFIED))
    assert single_score(person(credentials=(written,))) == pytest.approx(100 * 0.8 * 0.35)


@pytest.mark.parametrize(("status", "factor"), [
    (VerificationStatus.VERIFIED, 1.0),
    (VerificationStatus.UNVERIFIED, 0.7),
    (VerificationStatus.FAILED, 0.0),
    (VerificationStatus.REVOKED, 0.0),
])
def test_verification_factor(status: VerificationStatus, factor: float) -> None:
    credential = cred(status=status)
    factors = credential_factors(credential, ACCREDITED, AS_OF, DEFAULT_POLICY)
    assert factors.verification == factor
    result = evaluate(job(req("sql")), person(credentials=(credential,)), ctx())
    assert result.score == pytest.approx(100 * 0.8 * 1.0 * 1.0 * factor * 1.0)
    assert result.requirements[0].met is (0.8 * factor >= 0.35)
    if factor == 0.0:
        # The explanation shows the credential with its zero verification factor.
        evidence = result.requirements[0].credential
        assert evidence is not None and evidence.factors.verification == 0.0
        assert evidence.value == 0.0


@pytest.mark.parametrize("issued", [
    date(2026, 1, 1),   # today: 1.0
    date(2024, 1, 1),   # 731 days
    date(2022, 1, 1),   # 1461 days = 4 years exactly: one half-life
    date(2019, 3, 9),
    date(2018, 1, 2),   # just under 8 years: above the floor
    date(2017, 12, 1),  # over 8 years: the floor
    date(2001, 5, 5),
])
def test_currency_half_life_and_floor(issued: date) -> None:
    age = (AS_OF - issued).days / 365.25
    currency = max(0.25, 0.5 ** (age / 4))
    factors = credential_factors(cred(issued=issued), ACCREDITED, AS_OF, DEFAULT_POLICY)
    assert factors.currency == pytest.approx(currency)
    assert factors.age_years == pytest.approx(age)
    expected = 100 * 0.8 * 1.0 * 1.0 * 1.0 * currency
    assert single_score(person(credentials=(cred(issued=issued),))) == pytest.approx(expected)


def test_currency_values_at_landmarks() -> None:
    four_years = credential_factors(cred(issued=date(2022, 1, 1)), ACCREDITED, AS_OF,
                                    DEFAULT_POLICY)
    assert four_years.currency == pytest.approx(0.5)
    ancient = credential_factors(cred(issued=date(1990, 1, 1)), ACCREDITED, AS_OF,
                                 DEFAULT_POLICY)
    assert ancient.currency == 0.25


def test_expired_credential_is_multiplied_by_0_3() -> None:
    issued, expires = date(2022, 1, 1), date(2025, 6, 30)
    factors = credential_factors(cred(issued=issued, expires=expires), ACCREDITED, AS_OF,
                                 DEFAULT_POLICY)
    assert factors.expired
    currency = max(0.25, 0.5 ** (years(issued, AS_OF) / 4)) * 0.3
    assert factors.currency == pytest.approx(currency)
    score = single_score(person(credentials=(cred(issued=issued, expires=expires),)))
    assert score == pytest.approx(100 * 0.8 * 1.0 * 1.0 * 1.0 * currency)
    # An old expired credential: the floor, then x 0.3.
    old = credential_factors(cred(issued=date(2005, 1, 1), expires=date(2010, 1, 1)),
                             ACCREDITED, AS_OF, DEFAULT_POLICY)
    assert old.currency == pytest.approx(0.25 * 0.3)


def test_credential_expiring_later_is_not_expired() -> None:
    factors = credential_factors(cred(issued=date(2024, 1, 1), expires=date(2027, 1, 1)),
                                 ACCREDITED, AS_OF, DEFAULT_POLICY)
    assert not factors.expired
    assert factors.currency == pytest.approx(0.5 ** (years(date(2024, 1, 1), AS_OF) / 4))


def test_not_yet_valid_credential_counts_zero() -> None:
    future = cred(issued=date(2026, 3, 1))
    assert credential_factors(future, ACCREDITED, AS_OF, DEFAULT_POLICY).currency == 0.0
    result = evaluate(job(req("sql")), person(credentials=(future,)), ctx())
    assert result.score == 0.0
    assert not result.qualified


def test_credential_strength_full_product() -> None:
    # micro-credential, known issuer marked industry-recognised, unverified, 3 years old.
    issuer = Issuer(5, "Known", industry_recognized=True)
    issued = date(2023, 1, 1)
    credential = cred(kind=CredentialKind.MICRO_CREDENTIAL, issuer=5, issued=issued,
                      status=VerificationStatus.UNVERIFIED)
    age = (AS_OF - issued).days / 365.25
    expected = 0.8 * 0.9 * (0.5 + 0.15) * 0.7 * max(0.25, 0.5 ** (age / 4))
    factors = credential_factors(credential, issuer, AS_OF, DEFAULT_POLICY)
    assert factors.strength == pytest.approx(expected)
    score = single_score(person(credentials=(credential,)), issuers={5: issuer})
    assert score == pytest.approx(100 * expected)


def test_credential_evidence_is_the_best_credential_times_proximity() -> None:
    # C_s = max over k and t of c_k x p(t, s): postgres (p = 0.8 x 0.8 for data) from an
    # accredited issuer against sql (p = 0.8) from a known one.
    strong = cred("postgres", name="PG")
    weak = cred("sql", issuer=KNOWN.id, name="SQL")
    c_pg = 0.8 * 1.0 * 1.0 * 1.0 * 1.0 * (0.8 * 0.8)
    c_sql = 0.8 * 1.0 * 0.5 * 1.0 * 1.0 * 0.8
    result = evaluate(job(req("data")), person(credentials=(weak, strong)), ctx())
    assert result.score == pytest.approx(100 * max(c_pg, c_sql))
    evidence = result.requirements[0].credential
    assert evidence is not None and evidence.skill_id == "postgres"
    assert evidence.proximity == pytest.approx(0.8 * 0.8)


# -- §4.1 proximity in the small graph, and related-skill credit -----------------------

@pytest.mark.parametrize(("t", "s", "p"), [
    ("sql", "sql", 1.0),
    ("sql", "data", 0.8),              # narrower counts toward the general skill
    ("postgres", "data", 0.8 * 0.8),   # two hops up
    ("data", "sql", 0.4),              # broader: partial credit
    ("python", "data", 0.5),           # related link
    ("python", "sql", 0.5 * 0.4),      # related then down: 0.2, not under the floor
    ("data", "postgres", 0.0),         # 0.4 x 0.4 = 0.16 is under the floor
    ("excel", "data", 0.25),           # same skill group only
    ("cooking", "data", 0.0),
])
def test_related_skill_credit(t: str, s: str, p: float) -> None:
    assert GRAPH.proximity(t, s) == pytest.approx(p)
    c = 0.8 * 1.0 * 1.0 * 1.0 * 1.0
    score = single_score(person(credentials=(cred(t),)), req(s))
    assert score == pytest.approx(100 * c * p)
    # Experience in t counts for s the same way: E_s = e_t x p(t, s).
    start = date(2021, 1, 1)
    e = 0.9 * (1 - math.exp(-years(start, AS_OF) / 2.5)) * max(0.25, 0.5 ** (0 / 5))
    exp_score = single_score(person(experience=(role(start, None, t),)), req(s))
    assert exp_score == pytest.approx(100 * e * p)


def test_related_skills_off_counts_only_exact_matches() -> None:
    policy = replace(DEFAULT_POLICY, related_skills=False)
    candidate = person(credentials=(cred("sql"),))
    assert single_score(candidate, req("data"), policy=policy) == 0.0
    assert single_score(candidate, req("sql"), policy=policy) == pytest.approx(100 * 0.8)


def test_a_skill_outside_the_graph_still_matches_itself() -> None:
    # p = 1 for the same concept, whether or not the graph knows it.
    candidate = person(credentials=(cred("custom:unlisted"),))
    score = single_score(candidate, req("custom:unlisted"))
    assert score == pytest.approx(100 * 0.8 * 1.0 * 1.0 * 1.0 * 1.0)


# -- §4.3 experience -----------------------------------------------------------------------

def test_experience_years_are_the_union_of_overlapping_roles() -> None:
    # 2018-01-01..2021-01-01 and 2020-01-01..2022-01-01 overlap: union 2018..2022.
    roles = (role(date(2018, 1, 1), date(2021, 1, 1), "sql", title="A"),
             role(date(2020, 1, 1), date(2022, 1, 1), "sql", title="B"))
    y = (date(2022, 1, 1) - date(2018, 1, 1)).days / 365.25   # 4.0 years, not 5
    g = (AS_OF - date(2022, 1, 1)).days / 365.25               # 4.0 years since
    timing = experience_time(roles, AS_OF)
    assert timing is not None
    assert timing[0] == pytest.approx(y) and timing[1] == pytest.approx(g)
    e = 0.9 * (1 - math.exp(-y / 2.5)) * max(0.25, 0.5 ** (g / 5))
    result = evaluate(job(req("sql")), person(experience=roles), ctx())
    assert result.score == pytest.approx(100 * e)
    evidence = result.requirements[0].experience
    assert evidence is not None
    assert evidence.years == pytest.approx(4.0) and evidence.gap_years == pytest.approx(4.0)


def test_disjoint_and_nested_roles() -> None:
    roles = (role(date(2010, 1, 1), date(2012, 1, 1), "sql"),
             role(date(2010, 6, 1), date(2011, 6, 1), "sql"),   # nested: adds nothing
             role(date(2015, 1, 1), date(2016, 7, 1), "sql"),
             role(date(2013, 1, 1), date(2014, 1, 1), "cooking"))  # another skill
    y = ((date(2012, 1, 1) - date(2010, 1, 1)).days
         + (date(2016, 7, 1) - date(2015, 1, 1)).days) / 365.25
    g = (AS_OF - date(2016, 7, 1)).days / 365.25
    e = 0.9 * (1 - math.exp(-y / 2.5)) * max(0.25, 0.5 ** (g / 5))
    assert single_score(person(experience=roles)) == pytest.approx(100 * e)


def test_current_role_runs_to_today_with_no_gap() -> None:
    roles = (role(date(2023, 1, 1), None, "sql"),
             role(date(2015, 1, 1), date(2017, 1, 1), "sql"))
    y = ((AS_OF - date(2023, 1, 1)).days + (date(2017, 1, 1) - date(2015, 1, 1)).days) / 365.25
    e = 0.9 * (1 - math.exp(-y / 2.5)) * max(0.25, 0.5 ** (0 / 5))
    assert single_score(person(experience=roles)) == pytest.approx(100 * e)


def test_gap_decays_to_the_floor() -> None:
    end = date(2010, 1, 1)
    roles = (role(date(2005, 1, 1), end, "sql"),)
    y, g = years(date(2005, 1, 1), end), years(end, AS_OF)
    assert 0.5 ** (g / 5) < 0.25  # 16 years: the floor applies
    e = 0.9 * (1 - math.exp(-y / 2.5)) * 0.25
    assert single_score(person(experience=roles)) == pytest.approx(100 * e)


@pytest.mark.parametrize("min_years", [None, 2.0, 4.0, 5.0, 8.0])
def test_min_years_scales_experience_below_it(min_years: float | None) -> None:
    roles = (role(date(2022, 1, 1), None, "sql"),)
    y = (AS_OF - date(2022, 1, 1)).days / 365.25  # 4.0 years, current
    e = 0.9 * (1 - math.exp(-y / 2.5)) * 1.0
    if min_years is not None and y < min_years:
        e *= y / min_years
    score = single_score(person(experience=roles), req("sql", min_years=min_years))
    assert score == pytest.approx(100 * e)
    if min_years == 8.0:
        assert score == pytest.approx(100 * 0.9 * (1 - math.exp(-4 / 2.5)) * 0.5)


def test_experience_evidence_is_the_best_skill_times_proximity() -> None:
    # Long ago in sql (p 0.8 for data) against a current role in data (p 1).
    roles = (role(date(2000, 1, 1), date(2010, 1, 1), "sql"),
             role(date(2025, 1, 1), None, "data"))
    e_sql = 0.9 * (1 - math.exp(-years(date(2000, 1, 1), date(2010, 1, 1)) / 2.5)) * max(
        0.25, 0.5 ** (years(date(2010, 1, 1), AS_OF) / 5)) * 0.8
    e_data = 0.9 * (1 - math.exp(-years(date(2025, 1, 1), AS_OF) / 2.5)) * 1.0 * 1.0
    assert single_score(person(experience=roles), req("data")) == pytest.approx(
        100 * max(e_sql, e_data))


# -- §4.4, §4.5 match and score ----------------------------------------------------------

def test_match_combines_credential_and_experience() -> None:
    credential = cred(kind=CredentialKind.CERTIFICATE, issuer=KNOWN.id)
    roles = (role(date(2024, 1, 1), None, "sql"),)
    c = 0.8 * 0.7 * 0.5 * 1.0 * 1.0
    e = 0.9 * (1 - math.exp(-years(date(2024, 1, 1), AS_OF) / 2.5)) * 1.0
    both = evaluate(job(req("sql")), person(credentials=(credential,), experience=roles), ctx())
    m = 1 - (1 - c) * (1 - e)
    assert both.requirements[0].match == pytest.approx(m)
    assert both.score == pytest.approx(100 * m)
    assert both.requirements[0].corroborated
    alone = evaluate(job(req("sql")), person(credentials=(credential,)), ctx())
    assert alone.requirements[0].match == pytest.approx(c)
    assert not alone.requirements[0].corroborated
    worked = evaluate(job(req("sql")), person(experience=roles), ctx())
    assert worked.requirements[0].match == pytest.approx(e)
    assert not worked.requirements[0].corroborated


def test_a_failed_credential_does_not_corroborate() -> None:
    credential = cred(status=VerificationStatus.FAILED)
    roles = (role(date(2024, 1, 1), None, "sql"),)
    result = evaluate(job(req("sql")), person(credentials=(credential,), experience=roles),
                      ctx())
    assert not result.requirements[0].corroborated


def test_default_weights_are_two_and_one() -> None:
    assert DEFAULT_POLICY.weight_for(Importance.REQUIRED) == 2.0
    assert DEFAULT_POLICY.weight_for(Importance.PREFERRED) == 1.0


def test_score_is_the_weighted_mean_of_matches() -> None:
    # Three unrelated skills: no evidence counts for another requirement.
    the_job = job(req("sql"), req("welding", Importance.PREFERRED),
                  req("driving", Importance.PREFERRED))
    candidate = person(credentials=(cred("sql"),),
                       experience=(role(date(2021, 1, 1), None, "welding"),))
    m_sql = 0.8 * 1.0 * 1.0 * 1.0 * 1.0
    m_welding = 0.9 * (1 - math.exp(-years(date(2021, 1, 1), AS_OF) / 2.5)) * 1.0
    m_driving = 0.0
    expected = 100 * (2 * m_sql + 1 * m_welding + 1 * m_driving) / (2 + 1 + 1)
    result = evaluate(the_job, candidate, ctx())
    assert result.score == pytest.approx(expected)
    contributions = [r.contribution for r in result.requirements]
    assert contributions == pytest.approx([100 * 2 * m_sql / 4, 100 * 1 * m_welding / 4, 0.0])
    assert result.qualified  # the preferred miss does not disqualify


def test_custom_weights_are_used() -> None:
    the_job = job(Requirement(ref("sql"), Importance.REQUIRED, 5.0),
                  Requirement(ref("cooking"), Importance.PREFERRED, 3.0))
    result = evaluate(the_job, person(credentials=(cred("sql"),)), ctx())
    assert result.score == pytest.approx(100 * (5 * 0.8 + 3 * 0.0) / (5 + 3))


# -- §4.6 qualification and order --------------------------------------------------------

@pytest.mark.parametrize(("issuer", "kind", "status", "met"), [
    # 0.8 x 1.0 x 0.5 = 0.40 >= 0.35
    (KNOWN.id, CredentialKind.CERTIFICATION, VerificationStatus.VERIFIED, True),
    # 0.8 x 1.0 x 0.35 = 0.28 < 0.35
    (UNKNOWN_ID, CredentialKind.CERTIFICATION, VerificationStatus.VERIFIED, False),
    # 0.8 x 0.6 x 1.0 x 0.7 = 0.336 < 0.35
    (ACCREDITED.id, CredentialKind.BADGE, VerificationStatus.UNVERIFIED, False),
    # 0.8 x 0.7 x 1.0 x 0.7 = 0.392 >= 0.35
    (ACCREDITED.id, CredentialKind.CERTIFICATE, VerificationStatus.UNVERIFIED, True),
])
def test_hard_mode_threshold(issuer: int, kind: CredentialKind, status: VerificationStatus,
                             met: bool) -> None:
    result = evaluate(job(req("sql")), person(credentials=(cred(kind=kind, issuer=issuer,
                                                                  status=status),)), ctx())
    assert result.requirements[0].met is met
    assert result.qualified is met
    assert result.required_met == (1 if met else 0)
    assert [g.requirement.skill.skill_id for g in result.gaps] == ([] if met else ["sql"])


def test_preferred_requirements_below_the_threshold_do_not_disqualify() -> None:
    the_job = job(req("sql"), req("cooking", Importance.PREFERRED))
    result = evaluate(the_job, person(credentials=(cred("sql"),)), ctx())
    assert result.qualified and result.required_met == 1
    # ... but they are gaps.
    assert [g.requirement.skill.skill_id for g in result.gaps] == ["cooking"]


def test_min_total_years_counts_every_role_once() -> None:
    # Total experience is the union of all roles, whatever their skills.
    roles = (role(date(2019, 1, 1), date(2022, 1, 1), "cooking"),
             role(date(2021, 1, 1), date(2023, 1, 1), "sql"))
    total = (date(2023, 1, 1) - date(2019, 1, 1)).days / 365.25  # 4.0, not 5
    candidate = person(credentials=(cred("sql"),), experience=roles)
    for minimum, ok in ((3.0, True), (total, True), (4.5, False), (5.0, False)):
        result = evaluate(job(req("sql"), min_total_years=minimum), candidate, ctx())
        assert result.qualified is ok, minimum
        assert result.requirements[0].met
    assert not evaluate(job(req("sql"), min_total_years=5.0), candidate, ctx()).trainable


@pytest.mark.parametrize(("degree", "level", "months", "ok"), [
    (None, EducationLevel.BACHELOR, None, False),
    ("BSc Computer Science", EducationLevel.BACHELOR, None, True),
    ("MSc Data Science", EducationLevel.BACHELOR, None, True),       # higher is enough
    ("Associate of Science", EducationLevel.BACHELOR, None, False),  # lower is not
    ("BSc Computer Science", EducationLevel.MASTER, None, False),
    ("PhD Statistics", EducationLevel.MASTER, None, True),
    # experience in place: 4.0 years total = 48 months
    (None, EducationLevel.BACHELOR, 48, True),
    (None, EducationLevel.BACHELOR, 49, False),
    ("Associate of Science", EducationLevel.BACHELOR, 36, True),
    (None, EducationLevel.NONE, None, True),
])
def test_education_requirement(degree: str | None, level: EducationLevel, months: int | None,
                               ok: bool) -> None:
    credentials = [cred("sql")]
    if degree is not None:
        credentials.append(Credential(degree, CredentialKind.DEGREE, (ref("cooking"),),
                                      issuer_id=KNOWN.id, issued_on=date(2015, 6, 1)))
    roles = (role(date(2022, 1, 1), None, "cooking"),)  # 4.0 years total
    the_job = job(req("sql"), education=EducationRequirement(level, months))
    result = evaluate(the_job, person(credentials=tuple(credentials), experience=roles), ctx())
    assert result.qualified is ok
    if not ok:
        assert result.unmet and not result.trainable


@pytest.mark.parametrize(("status", "ok"), [
    (VerificationStatus.VERIFIED, True),
    (VerificationStatus.UNVERIFIED, True),
    (VerificationStatus.FAILED, False),   # adds nothing (P4), not even the education level
    (VerificationStatus.REVOKED, False),
])
def test_a_failed_or_revoked_degree_meets_no_education_requirement(
        status: VerificationStatus, ok: bool) -> None:
    degree = Credential("MSc Data Science", CredentialKind.DEGREE, (ref("cooking"),),
                        issuer_id=KNOWN.id, issued_on=date(2015, 6, 1),
                        verification=Verification(status))
    the_job = job(req("sql"), education=EducationRequirement(EducationLevel.BACHELOR))
    result = evaluate(the_job, person(credentials=(cred("sql"), degree)), ctx())
    assert result.qualified is ok


def test_hard_mode_orders_qualified_first_then_score() -> None:
    # required sql (w 2), preferred cooking and excel (w 1 each); none of the three is
    # related to another in the graph.
    the_job = job(req("sql"), req("cooking", Importance.PREFERRED),
                  req("excel", Importance.PREFERRED))
    high = person("Q-high", credentials=(cred("sql"),))                 # M_sql = 0.8
    low = person("Q-low", credentials=(cred("sql", issuer=KNOWN.id),))  # M_sql = 0.4
    # fails sql (0.8 x 0.35 = 0.28 < 0.35) but strong elsewhere: the highest score
    strong_unqualified = person("U-strong", credentials=(
        cred("sql", issuer=UNKNOWN_ID), cred("cooking", name="K"), cred("excel", name="E")))
    nothing = person("U-none")
    s_high = 100 * (2 * 0.8 + 1 * 0.0 + 1 * 0.0) / 4
    s_low = 100 * (2 * 0.4 + 1 * 0.0 + 1 * 0.0) / 4
    s_strong = 100 * (2 * (0.8 * 0.35) + 1 * 0.8 + 1 * 0.8) / 4
    assert s_strong > s_high > s_low  # the precondition of this example
    context = ctx()
    everyone = [nothing, low, strong_unqualified, high]
    hard = rank(the_job, everyone, context, mode="hard")
    assert [r.candidate.external_id for r in hard] == ["Q-high", "Q-low", "U-strong", "U-none"]
    assert [r.score for r in hard] == pytest.approx([s_high, s_low, s_strong, 0.0])
    assert [r.qualified for r in hard] == [True, True, False, False]
    soft = rank(the_job, everyone, context, mode="soft")
    assert [r.candidate.external_id for r in soft] == ["U-strong", "Q-high", "Q-low", "U-none"]
    # Without a mode argument the policy's mode applies.
    assert [r.candidate.external_id for r in rank(the_job, everyone, context)] == [
        "Q-high", "Q-low", "U-strong", "U-none"]
    soft_policy = replace(DEFAULT_POLICY, mode="soft")
    assert [r.candidate.external_id for r in rank(the_job, everyone,
                                                   ctx(policy=soft_policy))] == [
        "U-strong", "Q-high", "Q-low", "U-none"]


def test_equal_scores_order_by_required_met_then_external_id() -> None:
    # Three unrelated required skills, weight 2 each; nobody has driving: nobody qualifies.
    the_job = job(req("cooking"), req("welding"), req("driving"))
    # A: M = 0.8, 0, 0 -> 100 x (2 x 0.8) / 6, one requirement met.
    one = person("A-one", credentials=(cred("cooking"),))
    # B: M = 0.4, 0.4, 0 -> 100 x (2 x 0.4 + 2 x 0.4) / 6, two met.
    two = person("B-two", credentials=(cred("cooking", issuer=KNOWN.id),
                                       cred("welding", issuer=KNOWN.id, name="W")))
    twin = person("C-two", credentials=two.credentials)
    context = ctx()
    results = {r.candidate.external_id: r for r in rank(the_job, [one, two, twin], context)}
    assert results["A-one"].score == results["B-two"].score  # the precondition: a tie
    assert results["A-one"].score == pytest.approx(100 * (2 * 0.8) / 6)
    assert (results["A-one"].required_met, results["B-two"].required_met) == (1, 2)
    assert not any(r.qualified for r in results.values())
    hard = rank(the_job, [twin, one, two], context, mode="hard")
    assert [r.candidate.external_id for r in hard] == ["B-two", "C-two", "A-one"]
    soft = rank(the_job, [twin, one, two], context, mode="soft")
    assert [r.candidate.external_id for r in soft] == ["A-one", "B-two", "C-two"]


def test_order_key_rules() -> None:
    base = evaluate(job(req("sql")), person("X"), ctx())

    def result(external_id: str, score: float, qualified: bool, met: int) -> CandidateResult:
        return replace(base, candidate=person(external_id), score=score, qualified=qualified,
                       required_met=met)

    pool = [result("e", 10.0, False, 3), result("d", 90.0, False, 0),
            result("c", 50.0, True, 1), result("b", 50.0, True, 2), result("a", 50.0, True, 2),
            result("f", 10.0, False, 1)]
    hard = sorted(pool, key=lambda r: order_key(r, "hard"))
    assert [r.candidate.external_id for r in hard] == ["a", "b", "c", "d", "e", "f"]
    soft = sorted(pool, key=lambda r: order_key(r, "soft"))
    assert [r.candidate.external_id for r in soft] == ["d", "a", "b", "c", "e", "f"]


# -- §4.7 gaps and trainable -------------------------------------------------------------

def offering(offering_id: int, skill_id: str, weeks: float | None, cost: float | None,
             issuer: int) -> CredentialOffering:
    return CredentialOffering(offering_id, f"O{offering_id}", CredentialKind.CERTIFICATE,
                              issuer, (ref(skill_id),), weeks, cost)


UNACCREDITED = Issuer(3, "Plain School")
LAPSED = Issuer(4, "Lapsed Institute", accreditations=(
    Accreditation("Body", AccreditationStatus.ACTIVE, date(2010, 1, 1), date(2020, 1, 1)),))
GAP_REGISTRY = {**REGISTRY, UNACCREDITED.id: UNACCREDITED, LAPSED.id: LAPSED}


def test_gap_offerings_accredited_first_then_duration_then_cost() -> None:
    catalogue = [
        offering(1, "sql", 10, 500, ACCREDITED.id),
        offering(2, "sql", 2, 100, UNACCREDITED.id),   # shortest, but not accredited
        offering(3, "postgres", 10, 300, ACCREDITED.id),  # p(postgres, sql) = 0.8: fits
        offering(4, "data", 1, 10, ACCREDITED.id),     # p(data, sql) = 0.4 < 0.8: no
        offering(5, "sql", 6, 900, ACCREDITED.id),
        offering(6, "sql", 1, 50, LAPSED.id),          # accreditation no longer in force
        offering(7, "cooking", 1, 0, ACCREDITED.id),   # unrelated
    ]
    result = evaluate(job(req("sql")), person(), ctx(issuers=GAP_REGISTRY, offerings=catalogue))
    assert len(result.gaps) == 1
    assert [o.id for o in result.gaps[0].offerings] == [5, 3, 1]
    # With fewer accredited offerings, the others follow by duration, then cost.
    fewer = [o for o in catalogue if o.id not in (3, 5)]
    result = evaluate(job(req("sql")), person(), ctx(issuers=GAP_REGISTRY, offerings=fewer))
    assert [o.id for o in result.gaps[0].offerings] == [1, 6, 2]
    same_duration = [offering(10, "sql", 4, 300, UNACCREDITED.id),
                     offering(11, "sql", 4, 200, UNACCREDITED.id),
                     offering(12, "sql", 3, 900, UNACCREDITED.id)]
    result = evaluate(job(req("sql")), person(),
                      ctx(issuers=GAP_REGISTRY, offerings=same_duration))
    assert [o.id for o in result.gaps[0].offerings] == [12, 11, 10]


def test_met_requirements_have_no_gaps() -> None:
    catalogue = [offering(1, "sql", 4, 100, ACCREDITED.id)]
    result = evaluate(job(req("sql")), person(credentials=(cred("sql"),)),
                      ctx(offerings=catalogue))
    assert result.gaps == () and result.qualified and not result.trainable


def trainable(requirements: tuple[Requirement, ...], catalogue: list[CredentialOffering],
              candidate: Candidate | None = None, **job_kwargs: object) -> bool:
    result = evaluate(job(*requirements, **job_kwargs), candidate or person(),
                      ctx(issuers=GAP_REGISTRY, offerings=catalogue))
    assert not result.qualified
    return result.trainable


def test_trainable_within_twelve_weeks_in_total() -> None:
    sql, python = req("sql"), req("python")
    assert trainable((sql,), [offering(1, "sql", 8, 100, ACCREDITED.id)])
    assert trainable((sql,), [offering(1, "sql", 12, 100, ACCREDITED.id)])
    assert not trainable((sql,), [offering(1, "sql", 13, 100, ACCREDITED.id)])
    # Two gaps: 6 + 6 = 12 weeks is within, 7 + 6 = 13 is not.
    assert trainable((sql, python), [offering(1, "sql", 6, 1, ACCREDITED.id),
                                     offering(2, "python", 6, 1, ACCREDITED.id)])
    assert not trainable((sql, python), [offering(1, "sql", 7, 1, ACCREDITED.id),
                                         offering(2, "python", 6, 1, ACCREDITED.id)])
    # The shortest offering for each gap is what counts.
    assert trainable((sql,), [offering(1, "sql", 20, 1, ACCREDITED.id),
                              offering(2, "sql", 9, 1, UNACCREDITED.id)])


def test_one_offering_closing_two_gaps_counts_once() -> None:
    both = CredentialOffering(1, "Both", CredentialKind.CERTIFICATE, ACCREDITED.id,
                              (ref("sql"), ref("python")), 8, 100)
    assert trainable((req("sql"), req("python")), [both])


def test_trainable_finds_the_shortest_combination() -> None:
    # sql: A (5 weeks, sql only) or B (8 weeks, sql and python); python: B or C (9 weeks).
    # Taking the shortest for sql first (A) and then B for python is 13 weeks, but B alone
    # closes both gaps in 8 weeks.
    a = offering(1, "sql", 5, 1, ACCREDITED.id)
    b = CredentialOffering(2, "B", CredentialKind.CERTIFICATE, ACCREDITED.id,
                           (ref("sql"), ref("python")), 8, 1)
    c = offering(3, "python", 9, 1, ACCREDITED.id)
    assert trainable((req("sql"), req("python")), [a, b, c])


def test_not_trainable_when_a_gap_has_no_offering_or_something_else_fails() -> None:
    sql_course = offering(1, "sql", 4, 1, ACCREDITED.id)
    # No offering for python.
    assert not trainable((req("sql"), req("python")), [sql_course])
    # An offering of unknown duration cannot be planned.
    assert not trainable((req("sql"),), [offering(2, "sql", None, 1, ACCREDITED.id)])
    # min_total_years or education fail too: training does not fix those.
    assert not trainable((req("sql"),), [sql_course], min_total_years=2.0)
    assert not trainable((req("sql"),), [sql_course],
                         education=EducationRequirement(EducationLevel.BACHELOR))
    # Preferred gaps never matter: only the failing required ones.
    result = evaluate(job(req("sql"), req("python", Importance.PREFERRED)), person(),
                      ctx(issuers=GAP_REGISTRY, offerings=[sql_course]))
    assert result.trainable
    assert [g.requirement.skill.skill_id for g in result.gaps] == ["sql", "python"]
