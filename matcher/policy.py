"""The scoring policy: every number of DESIGN.md §4 by name.

This module starts with the parameters the data model needs (requirement
weights); the ranking engine adds the rest. Policies are frozen and
versioned so that a stored ranking run can say exactly how it was scored.

Examples
--------
>>> DEFAULT_POLICY.weight_for(Importance.PREFERRED)
1.0
"""

from __future__ import annotations

from dataclasses import dataclass

from matcher.model import Importance

__all__ = ["DEFAULT_POLICY", "ScoringPolicy"]


@dataclass(frozen=True, slots=True)
class ScoringPolicy:
    """Named, documented scoring parameters (see docs/scoring.md)."""

    version: str = "2026.1"
    # A required skill counts twice a preferred one: missing it matters more (§4).
    required_weight: float = 2.0
    preferred_weight: float = 1.0

    # Skill proximity p(t, s) (§4.1), multiplied along the best path.
    # Evidence of a specialisation counts largely toward the general skill
    # (pandas shows Python): 0.8 per hop from t up to a broader s.
    proximity_narrower: float = 0.8
    # A general skill says little about a specific one (Python does not show
    # pandas): 0.4 per hop from t down to a narrower s.
    proximity_broader: float = 0.4
    # ESCO's related links (essential or optional): transferable skills, half credit.
    proximity_related: float = 0.5
    # Filed directly under the same ESCO skill group, when no better path exists.
    proximity_same_group: float = 0.25
    # Weaker links are noise: below this, p counts as 0.
    proximity_floor: float = 0.2
    # Longer paths wander off topic (and would relate everything).
    proximity_max_hops: int = 3

    def weight_for(self, importance: Importance) -> float:
        """Default weight of a requirement of the given importance."""
        if importance is Importance.REQUIRED:
            return self.required_weight
        return self.preferred_weight


DEFAULT_POLICY = ScoringPolicy()
