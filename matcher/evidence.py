"""How strong one piece of evidence is: a credential, or experience in a skill (§4.2, §4.3).

Plain functions of domain values and a :class:`~matcher.policy.ScoringPolicy`,
written to be read against DESIGN.md; the vectorised index mirrors them and
a test holds the two together.

Examples
--------
>>> from datetime import date
>>> from matcher.model import Credential, CredentialKind, Verification, VerificationStatus
>>> cert = Credential("AWS SAA", CredentialKind.CERTIFICATION, issued_on=date(2024, 1, 1),
...                   verification=Verification(VerificationStatus.VERIFIED))
>>> f = credential_factors(cert, None, date(2026, 1, 1), DEFAULT_POLICY)
>>> (f.kind, f.trust, f.verification, round(f.currency, 4), round(f.strength, 4))
(1.0, 0.35, 1.0, 0.7071, 0.198)
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from matcher.model import Credential, EducationLevel, Experience, Issuer
from matcher.policy import DEFAULT_POLICY, ScoringPolicy

__all__ = ["DAYS_PER_YEAR", "DEFAULT_POLICY", "CredentialFactors", "credential_factors",
           "currency", "degree_level", "experience_strength", "experience_time",
           "issuer_trust", "total_experience_days"]

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True, slots=True)
class CredentialFactors:
    """Each factor of c = base x kind x trust x verification x currency, and why."""

    kind: float
    trust: float
    trust_reason: str
    verification: float
    currency: float
    age_years: float | None
    expired: bool
    strength: float


def issuer_trust(issuer: Issuer | None, issued_on: date | None, as_of: date,
                 policy: ScoringPolicy) -> tuple[float, str]:
    """Trust in the issuer (§4.2): accreditation covering the issue date, lapsed, known, unknown.

    Accreditation facts count only on reviewed issuers; a revoked accreditation
    counts as none. Without an issue date, accreditation in force today counts.
    """
    if issuer is None or not issuer.reviewed:
        return policy.trust_unknown, "unknown issuer"
    day = issued_on or as_of
    standing = [a for a in issuer.accreditations if a.status.value != "revoked"]
    if any(a.covers(day) for a in standing):
        trust, reason = policy.trust_accredited, "accredited when issued"
    elif standing:
        trust, reason = policy.trust_lapsed, "accreditation lapsed or not covering the issue date"
    else:
        trust, reason = policy.trust_known, "known issuer, not accredited"
    if issuer.industry_recognized:
        trust = min(1.0, trust + policy.trust_industry_bonus)
        reason += "; industry-recognised"
    return trust, reason


def currency(issued_on: date | None, expires_on: date | None, as_of: date,
             policy: ScoringPolicy) -> tuple[float, float | None, bool]:
    """(currency factor, age in years, expired) of §4.2; unknown issue dates get the floor."""
    if issued_on is not None and issued_on > as_of:
        return 0.0, 0.0, False  # not valid yet
    expired = expires_on is not None and expires_on < as_of
    if issued_on is None:
        value, age = policy.currency_floor, None
    else:
        age = (as_of - issued_on).days / DAYS_PER_YEAR
        value = max(policy.currency_floor, 0.5 ** (age / policy.currency_half_life_years))
    return (value * policy.expired_factor if expired else value), age, expired


def credential_factors(credential: Credential, issuer: Issuer | None, as_of: date,
                       policy: ScoringPolicy) -> CredentialFactors:
    """The strength of a credential and every factor in it."""
    kind = policy.kind_factor(credential.kind)
    trust, reason = issuer_trust(issuer, credential.issued_on, as_of, policy)
    verification = policy.verification_factor(credential.verification.status)
    current, age, expired = currency(credential.issued_on, credential.expires_on, as_of, policy)
    strength = policy.credential_base * kind * trust * verification * current
    return CredentialFactors(kind, trust, reason, verification, current, age, expired, strength)


def _merged_days(intervals: Iterable[tuple[int, int]]) -> int:
    """Length of the union of [start, end) day intervals."""
    total, reach = 0, None
    for start, end in sorted(intervals):
        if reach is None or start > reach:
            total += end - start
            reach = end
        elif end > reach:
            total += end - reach
            reach = end
    return total


def _span(role: Experience, as_of: date) -> tuple[int, int]:
    """A role as ordinal days, clipped to ``as_of`` (a current role runs to it)."""
    end = min(role.end_date or as_of, as_of).toordinal()
    start = min(role.start_date, as_of).toordinal()
    return start, max(start, end)


def experience_time(roles: Iterable[Experience], as_of: date) -> tuple[float, float] | None:
    """(years, gap in years) over ``roles``: union of their intervals, time since the last ended.

    ``None`` when there are no roles.
    """
    roles = list(roles)
    if not roles:
        return None
    days = _merged_days(_span(r, as_of) for r in roles)
    if any(r.end_date is None for r in roles):
        gap = 0
    else:
        gap = max(0, as_of.toordinal() - max(_span(r, as_of)[1] for r in roles))
    return days / DAYS_PER_YEAR, gap / DAYS_PER_YEAR


def total_experience_days(roles: Iterable[Experience], as_of: date) -> int:
    return _merged_days(_span(r, as_of) for r in roles)


def experience_strength(years: float, gap: float, min_years: float | None,
                        policy: ScoringPolicy) -> float:
    """e of §4.3: saturating in years, decaying with the gap, scaled under min_years."""
    amount = 1.0 - math.exp(-years / policy.experience_saturation_years)
    recency = max(policy.recency_floor, 0.5 ** (gap / policy.recency_half_life_years))
    value = policy.experience_base * amount * recency
    if min_years and years < min_years:
        value *= years / min_years
    return value


_LEVEL_WORDS = [
    (EducationLevel.DOCTORATE, r"\b(ph\.?\s?d|doctor|doctorate|dphil|ed\.?d)\b"),
    (EducationLevel.MASTER,
     r"\b(master|masters|msc|m\.sc|ma|mba|meng|m\.eng|mphil|mres|llm)\b"),
    (EducationLevel.BACHELOR,
     r"\b(bachelor|bachelors|bsc|b\.sc|ba|beng|b\.eng|bs|bba|llb|bn|bsn)\b"),
    (EducationLevel.ASSOCIATE, r"\b(associate|hnd|foundation degree)\b"),
    (EducationLevel.SECONDARY, r"\b(high school|secondary|a-levels?|ged|diploma)\b"),
]


def degree_level(credential: Credential) -> EducationLevel | None:
    """The education level a degree stands for: as given, else read from its name.

    A degree whose verification failed or was revoked stands for none: it adds
    nothing (§4 P4), not even toward an education requirement.
    """
    if credential.kind.value != "degree" or credential.verification.status.value in (
            "failed", "revoked"):
        return None
    if credential.level is not None:
        return credential.level
    name = credential.name.lower()
    for level, pattern in _LEVEL_WORDS:
        if re.search(pattern, name):
            return level
    return EducationLevel.BACHELOR  # an unnamed degree is most often a first degree
