"""Skill proximity for every pair of skills in use, as one scipy sparse matrix.

A path's value is the product of its steps' weights, and the weights take
only three values (up 0.8, down 0.4, related 0.5 by default), so the best
path of at most three hops is the best of a few dozen step sequences. For
each sequence whose product clears the floor, boolean sparse products of the
per-relation adjacency matrices say which pairs it connects; the matrix keeps
the maximum over sequences, the same-group credit and 1 on the diagonal.
That is exactly :meth:`graph.skillgraph.SkillGraph.proximity` for every pair,
and a test holds the two together.

Examples
--------
>>> import networkx as nx
>>> from matcher.model import Skill
>>> g = nx.DiGraph()
>>> g.add_edge("sql", "analytics", relation="broader", weight=0.8)
>>> g.add_edge("analytics", "sql", relation="narrower", weight=0.4)
>>> skills = {"sql": Skill("sql", "SQL"), "analytics": Skill("analytics", "Analytics")}
>>> m = compile_proximity(g, skills, None, DEFAULT_POLICY)
>>> m.get("sql", "analytics"), m.get("analytics", "sql"), m.get("sql", "sql")
(0.8, 0.4, 1.0)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import scipy.sparse as sp

from matcher.model import Skill
from matcher.policy import DEFAULT_POLICY, ScoringPolicy
from matcher.proximity import Relation

__all__ = ["DEFAULT_POLICY", "ProximityMatrix", "compile_proximity"]

_MEMO = 500_000


@dataclass(frozen=True)
class ProximityMatrix:
    """p(t, s) for the skills in ``ids``: row t (evidenced), column s (required)."""

    ids: tuple[str, ...]
    matrix: sp.csr_matrix
    index: dict[str, int] = field(default_factory=dict)
    index_cache: dict[str, sp.csc_matrix] = field(default_factory=dict, repr=False)
    memo: dict[tuple[str, str], float] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.index:
            self.index.update((skill_id, i) for i, skill_id in enumerate(self.ids))

    def csc(self) -> sp.csc_matrix:
        """The matrix by columns (required skills), kept once made."""
        if "csc" not in self.index_cache:
            self.index_cache["csc"] = self.matrix.tocsc()
        return self.index_cache["csc"]

    def get(self, evidenced: str, required: str) -> float:
        key = (evidenced, required)
        found = self.memo.get(key)
        if found is None:
            found = self._lookup(evidenced, required)
            if len(self.memo) >= _MEMO:  # explanations ask for the same pairs again and again
                self.memo.clear()
            self.memo[key] = found
        return found

    def _lookup(self, evidenced: str, required: str) -> float:
        i, j = self.index.get(evidenced), self.index.get(required)
        if i is None or j is None:
            return 0.0
        lo, hi = self.matrix.indptr[i], self.matrix.indptr[i + 1]
        at = lo + int(np.searchsorted(self.matrix.indices[lo:hi], j))
        return float(self.matrix.data[at]) if at < hi and self.matrix.indices[at] == j else 0.0


def _adjacency(graph: nx.DiGraph, position: dict[str, int], relation: str) -> sp.csr_matrix:
    pairs = [(position[a], position[b]) for a, b, r in graph.edges(data="relation")
             if r == relation and a in position and b in position]
    rows, cols = zip(*pairs, strict=True) if pairs else ((), ())
    n = len(position)
    return sp.csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(n, n))


def _binary(matrix: sp.csr_matrix) -> sp.csr_matrix:
    matrix.data[:] = 1.0
    return matrix


def compile_proximity(graph: nx.DiGraph, skills: Mapping[str, Skill],
                      skill_ids: Iterable[str] | None, policy: ScoringPolicy
                      ) -> ProximityMatrix:
    """The proximity matrix among ``skill_ids`` (all skills when ``None``)."""
    everything = list(skills)
    position = {skill_id: i for i, skill_id in enumerate(everything)}
    wanted = list(dict.fromkeys(s for s in (everything if skill_ids is None else skill_ids)
                                if s in position))
    rows = np.fromiter((position[s] for s in wanted), dtype=np.int64, count=len(wanted))
    k, n = len(wanted), len(everything)
    steps = {
        policy.proximity_narrower: _adjacency(graph, position, Relation.BROADER),
        policy.proximity_broader: _adjacency(graph, position, Relation.NARROWER),
        policy.proximity_related: _adjacency(graph, position, Relation.RELATED),
    }
    start = sp.csr_matrix((np.ones(k, dtype=np.float64), (np.arange(k), rows)), shape=(k, n))
    result = sp.identity(k, dtype=np.float64, format="csr")
    # Depth-first over step sequences, pruning any whose product fell under the floor.
    stack = [(start, 1.0, 0)]
    while stack:
        reached, value, hops = stack.pop()
        if hops == policy.proximity_max_hops:
            continue
        for weight, adjacency in steps.items():
            next_value = value * weight
            if next_value < policy.proximity_floor or adjacency.nnz == 0:
                continue
            further = _binary(reached @ adjacency)
            if further.nnz == 0:
                continue
            result = result.maximum(further[:, rows] * np.float64(next_value))
            stack.append((further, next_value, hops + 1))
    result = result.maximum(_same_group(wanted, skills, policy)).tocsr()
    result.sort_indices()
    return ProximityMatrix(tuple(wanted), result)


def _same_group(wanted: list[str], skills: Mapping[str, Skill],
                policy: ScoringPolicy) -> sp.csr_matrix:
    """Credit for two skills filed directly under one skill group."""
    k = len(wanted)
    if policy.proximity_same_group < policy.proximity_floor:
        return sp.csr_matrix((k, k), dtype=np.float64)
    group_ids: dict[str, int] = {}
    pairs = [(i, group_ids.setdefault(g, len(group_ids)))
             for i, skill_id in enumerate(wanted) for g in skills[skill_id].groups]
    rows, cols = zip(*pairs, strict=True) if pairs else ((), ())
    membership = sp.csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)),
                               shape=(k, len(group_ids)))
    shared = _binary(membership @ membership.T)
    return shared * np.float64(policy.proximity_same_group)
