"""The skill graph: typed links between skills, proximity p(t, s) and explanation paths.

A networkx ``DiGraph`` holds every skill concept; each ``broader`` link becomes
two edges, ``broader`` (child to parent) and ``narrower`` (parent to child),
and each ``related`` link one edge each way. Skill groups are kept apart:
paths never cross them (or everything would be related), but two skills filed
directly under one group earn the same-group credit (DESIGN.md §4.1).

:meth:`SkillGraph.proximity` and :meth:`SkillGraph.path` answer one pair (for
explanations); :meth:`SkillGraph.compile` computes every pair among the skills
in use at once, as a scipy sparse matrix, for ranking.

Examples
--------
>>> from matcher.model import Skill
>>> g = SkillGraph([Skill("analytics", "Analytics"),
...                 Skill("sql", "SQL", broader=("analytics",)),
...                 Skill("excel", "Excel", broader=("analytics",))])
>>> g.proximity("sql", "analytics"), g.proximity("analytics", "sql")
(0.8, 0.4)
>>> round(g.proximity("sql", "excel"), 2)
0.32
>>> [step.relation for step in g.path("sql", "excel")]
['evidence', 'broader', 'narrower']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import networkx as nx

from graph.compiled import ProximityMatrix, compile_proximity
from matcher.model import Skill
from matcher.policy import DEFAULT_POLICY, ScoringPolicy
from matcher.proximity import PathStep, Relation

__all__ = ["SkillGraph"]

_PATH_MEMO = 200_000


class SkillGraph:
    """Skills and their typed links; implements :class:`matcher.proximity.SkillProximity`.

    Parameters
    ----------
    skills : iterable of Skill
        Every concept; links to ids that are not among them are ignored.
    groups : mapping, optional
        Skill-group id to label (ESCO's hierarchy categories).
    policy : ScoringPolicy
        Supplies the proximity weights, floor and hop limit.
    """

    def __init__(self, skills: Iterable[Skill], groups: Mapping[str, str] | None = None,
                 policy: ScoringPolicy = DEFAULT_POLICY):
        self.policy = policy
        self.groups = dict(groups or {})
        self.graph = nx.DiGraph()
        self._skills: dict[str, Skill] = {}
        self._children: dict[str, set[str]] = {}
        self._compiled: ProximityMatrix | None = None
        self._paths: dict[tuple[str, str], list[PathStep]] = {}
        self._add(list(skills))

    def with_skills(self, skills: Sequence[Skill]) -> SkillGraph:
        """A copy that also holds ``skills`` (an organization's own)."""
        if not skills:
            return self
        other = SkillGraph.__new__(SkillGraph)
        other.policy, other.groups = self.policy, self.groups
        other.graph = self.graph.copy()
        other._skills = dict(self._skills)
        other._children = {k: set(v) for k, v in self._children.items()}
        other._compiled = None
        other._paths = {}
        other._add(list(skills))
        return other

    def _add(self, skills: list[Skill]) -> None:
        weights = {Relation.BROADER: self.policy.proximity_narrower,
                   Relation.NARROWER: self.policy.proximity_broader,
                   Relation.RELATED: self.policy.proximity_related}
        for skill in skills:
            self._skills[skill.id] = skill
            self.graph.add_node(skill.id, label=skill.label, groups=skill.groups)

        def link(a: str, b: str, relation: str) -> None:
            weight = weights[relation]
            current = self.graph.get_edge_data(a, b)
            if current is None or current["weight"] < weight:
                self.graph.add_edge(a, b, relation=relation, weight=weight)

        for skill in skills:
            for parent in skill.broader:
                if parent in self._skills and parent != skill.id:
                    self._children.setdefault(parent, set()).add(skill.id)
                    link(skill.id, parent, Relation.BROADER)
                    link(parent, skill.id, Relation.NARROWER)
            for other in skill.related:
                if other in self._skills and other != skill.id:
                    link(skill.id, other, Relation.RELATED)
                    link(other, skill.id, Relation.RELATED)

    def __contains__(self, skill_id: object) -> bool:
        return skill_id in self._skills

    def skill(self, skill_id: str) -> Skill | None:
        return self._skills.get(skill_id)

    def skills(self) -> Iterable[Skill]:
        return self._skills.values()

    def narrower(self, skill_id: str) -> list[str]:
        """Skills that declare ``skill_id`` as broader, sorted by id."""
        return sorted(self._children.get(skill_id, ()))

    def proximity(self, evidenced: str, required: str) -> float:
        """p(t, s) of DESIGN.md §4.1 (0 when either skill is unknown).

        Read from the compiled matrix once :meth:`compiled` has run (the two
        agree exactly; a test holds them together), else searched.
        """
        if self._compiled is not None:
            return self._compiled.get(evidenced, required)
        return self._best(evidenced, required)[0]

    def path(self, evidenced: str, required: str) -> list[PathStep]:
        """The best path from ``evidenced`` to ``required``; empty when p is 0.

        Paths are remembered (a bounded memo): explanations ask for the same
        pairs on every ranking of a job.
        """
        key = (evidenced, required)
        found = self._paths.get(key)
        if found is None:
            if len(self._paths) >= _PATH_MEMO:
                self._paths.clear()
            found = self._paths[key] = self._best(evidenced, required)[1]
        return list(found)

    def _best(self, t: str, s: str) -> tuple[float, list[PathStep]]:
        if t not in self._skills or s not in self._skills:
            return 0.0, []
        start = self._step(t, Relation.EVIDENCE)
        if t == s:
            return 1.0, [start]
        floor = self.policy.proximity_floor
        best_at: dict[str, float] = {t: 1.0}
        frontier: dict[str, tuple[float, list[PathStep]]] = {t: (1.0, [start])}
        found: tuple[float, list[PathStep]] = (0.0, [])
        for _ in range(self.policy.proximity_max_hops):
            reached: dict[str, tuple[float, list[PathStep]]] = {}
            for node, (weight, steps) in frontier.items():
                for neighbour, edge in self.graph.adj[node].items():
                    value = weight * edge["weight"]
                    # Weights are at most 1, so a path under the floor never recovers;
                    # an earlier arrival that was as strong dominates this one.
                    if value < floor or value <= best_at.get(neighbour, 0.0):
                        continue
                    best_at[neighbour] = value
                    path = [*steps, self._step(neighbour, edge["relation"])]
                    if neighbour == s:
                        found = max(found, (value, path), key=lambda f: f[0])
                    else:
                        reached[neighbour] = (value, path)
            frontier = reached
        return self._same_group(t, s, found)

    def _same_group(self, t: str, s: str,
                    found: tuple[float, list[PathStep]]) -> tuple[float, list[PathStep]]:
        credit = self.policy.proximity_same_group
        if found[0] >= credit or credit < self.policy.proximity_floor:
            return found
        if set(self._skills[t].groups) & set(self._skills[s].groups):
            return credit, [self._step(t, Relation.EVIDENCE), self._step(s, Relation.SAME_GROUP)]
        return found

    def _step(self, skill_id: str, relation: str) -> PathStep:
        return PathStep(skill_id, self._skills[skill_id].label, relation)

    def compile(self, skill_ids: Iterable[str] | None = None) -> ProximityMatrix:
        """p(t, s) for every pair among ``skill_ids`` (default: all) as a sparse matrix."""
        return compile_proximity(self.graph, self._skills, skill_ids, self.policy)

    def compiled(self) -> ProximityMatrix:
        """p for every pair of skills in this graph, compiled once and kept."""
        if self._compiled is None:
            self._compiled = self.compile()
        return self._compiled
