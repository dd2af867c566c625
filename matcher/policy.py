"""The scoring policy: every number of DESIGN.md §4 by name.

Policies are frozen and versioned, so a stored ranking run can say exactly
how it was scored; ``docs/scoring.md`` gives each parameter's reason.

Examples
--------
>>> DEFAULT_POLICY.weight_for(Importance.PREFERRED)
1.0
>>> DEFAULT_POLICY.with_overrides({"mode": "soft"}).mode
'soft'
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any

from matcher.errors import InvalidInput
from matcher.model import CredentialKind, Importance, VerificationStatus

__all__ = ["DEFAULT_POLICY", "JOB_OVERRIDABLE", "ScoringPolicy"]

_KIND = MappingProxyType({
    CredentialKind.CERTIFICATION: 1.0, CredentialKind.LICENSE: 1.0,
    CredentialKind.MICRO_CREDENTIAL: 0.9, CredentialKind.DEGREE: 0.85,
    CredentialKind.CERTIFICATE: 0.7, CredentialKind.BADGE: 0.6,
})
_VERIFICATION = MappingProxyType({
    VerificationStatus.VERIFIED: 1.0, VerificationStatus.UNVERIFIED: 0.7,
    VerificationStatus.FAILED: 0.0, VerificationStatus.REVOKED: 0.0,
})
# What a job may change for itself (the rest is the organization's policy).
JOB_OVERRIDABLE = frozenset({"mode", "match_threshold", "related_skills",
                             "trainable_max_weeks"})


@dataclass(frozen=True, slots=True)
class ScoringPolicy:
    """Named, documented scoring parameters (see docs/scoring.md)."""

    version: str = "2026.1"

    # Requirement weights: a required skill counts twice a preferred one.
    required_weight: float = 2.0
    preferred_weight: float = 1.0

    # Skill proximity p(t, s) (§4.1), multiplied along the best path.
    proximity_narrower: float = 0.8
    proximity_broader: float = 0.4
    proximity_related: float = 0.5
    proximity_same_group: float = 0.25
    proximity_floor: float = 0.2
    proximity_max_hops: int = 3
    # Off: only exact skill matches count (p = 1 or 0).
    related_skills: bool = True

    # Credential strength c = base x kind x trust x verification x currency (§4.2).
    credential_base: float = 0.8
    kind_factors: MappingProxyType = field(default_factory=lambda: _KIND)
    trust_accredited: float = 1.0
    trust_lapsed: float = 0.75
    trust_known: float = 0.5
    trust_unknown: float = 0.35
    trust_industry_bonus: float = 0.15
    verification_factors: MappingProxyType = field(default_factory=lambda: _VERIFICATION)
    currency_half_life_years: float = 4.0
    currency_floor: float = 0.25
    expired_factor: float = 0.3

    # Experience strength e = base x (1 - exp(-y / saturation)) x recency (§4.3).
    experience_base: float = 0.9
    experience_saturation_years: float = 2.5
    recency_half_life_years: float = 5.0
    recency_floor: float = 0.25

    # Qualification and gaps (§4.6, §4.7).
    match_threshold: float = 0.35
    mode: str = "hard"
    gap_offerings: int = 3
    offering_min_proximity: float = 0.8
    trainable_max_weeks: float = 12.0

    def __hash__(self) -> int:  # the factor tables are mappings; hash their items
        return hash(tuple(tuple(sorted(v.items())) if isinstance(v, MappingProxyType) else v
                          for v in (getattr(self, f.name) for f in fields(self))))

    def weight_for(self, importance: Importance) -> float:
        """Default weight of a requirement of the given importance."""
        if importance is Importance.REQUIRED:
            return self.required_weight
        return self.preferred_weight

    def kind_factor(self, kind: CredentialKind) -> float:
        return float(self.kind_factors[kind])

    def verification_factor(self, status: VerificationStatus) -> float:
        return float(self.verification_factors[status])

    def with_overrides(self, overrides: dict[str, Any]) -> ScoringPolicy:
        """This policy with a job's (or a request's) overrides applied."""
        unknown = set(overrides) - JOB_OVERRIDABLE
        if unknown:
            raise InvalidInput("These policy parameters cannot be overridden.",
                               {f"policy_overrides.{k}": ["Not overridable."]
                                for k in sorted(unknown)})
        if overrides.get("mode", self.mode) not in ("hard", "soft"):
            raise InvalidInput("mode is hard or soft.", {"mode": ["Must be hard or soft."]})
        return replace(self, **overrides) if overrides else self

    def as_dict(self) -> dict[str, Any]:
        """Every parameter, JSON-ready (stored with each ranking run)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in ("kind_factors", "verification_factors"):
            data[name] = {str(k): v for k, v in getattr(self, name).items()}
        return data

    @classmethod
    def parameter_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


DEFAULT_POLICY = ScoringPolicy()
