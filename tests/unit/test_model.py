"""Domain value types."""

from __future__ import annotations

from datetime import date

from matcher.model import Accreditation, AccreditationStatus, EducationLevel, Importance
from matcher.policy import DEFAULT_POLICY, ScoringPolicy


def test_accreditation_covers_only_active_days_in_range() -> None:
    active = Accreditation("ABET", AccreditationStatus.ACTIVE, date(2020, 1, 1), date(2024, 12, 31))
    assert active.covers(date(2022, 6, 1))
    assert not active.covers(date(2019, 12, 31))
    assert not active.covers(date(2025, 1, 1))
    open_ended = Accreditation("ABET", AccreditationStatus.ACTIVE, date(2020, 1, 1))
    assert open_ended.covers(date(2099, 1, 1))
    revoked = Accreditation("ABET", AccreditationStatus.REVOKED, date(2020, 1, 1))
    assert not revoked.covers(date(2022, 6, 1))


def test_education_levels_are_ordered() -> None:
    ranks = [level.rank for level in EducationLevel]
    assert ranks == sorted(ranks)
    assert EducationLevel.BACHELOR.rank < EducationLevel.MASTER.rank


def test_policy_weights() -> None:
    assert DEFAULT_POLICY.weight_for(Importance.REQUIRED) == 2 * DEFAULT_POLICY.weight_for(
        Importance.PREFERRED)
    custom = ScoringPolicy(required_weight=3.0)
    assert custom.weight_for(Importance.REQUIRED) == 3.0
