"""How close two skills are: the contract scoring needs from the skill graph.

``matcher`` never imports ``graph``; it declares what it needs here and
``graph.skillgraph.SkillGraph`` provides it (DESIGN.md §2, §4.1).

Examples
--------
>>> class Same:
...     def proximity(self, evidenced, required):
...         return 1.0 if evidenced == required else 0.0
...     def path(self, evidenced, required):
...         return [PathStep(evidenced, evidenced, "evidence")]
>>> isinstance(Same(), SkillProximity)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = ["PathStep", "Relation", "SkillProximity"]


class Relation:
    """How a path step was reached (the first step is the evidenced skill)."""

    EVIDENCE = "evidence"
    BROADER = "broader"  # the next skill is more general: a specialisation counts
    NARROWER = "narrower"  # the next skill is more specific: partial credit
    RELATED = "related"
    SAME_GROUP = "same_group"  # filed under the same ESCO skill group


@dataclass(frozen=True, slots=True)
class PathStep:
    skill_id: str
    label: str
    relation: str


@runtime_checkable
class SkillProximity(Protocol):
    def proximity(self, evidenced: str, required: str) -> float:
        """p(t, s) in [0, 1]: how much evidence of ``evidenced`` counts for ``required``."""
        ...

    def path(self, evidenced: str, required: str) -> list[PathStep]:
        """The best path from ``evidenced`` to ``required`` (empty when p is 0)."""
        ...
