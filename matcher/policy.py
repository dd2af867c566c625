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

    def weight_for(self, importance: Importance) -> float:
        """Default weight of a requirement of the given importance."""
        if importance is Importance.REQUIRED:
            return self.required_weight
        return self.preferred_weight


DEFAULT_POLICY = ScoringPolicy()
