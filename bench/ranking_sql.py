"""The two baselines of the ranking benchmark: plain SQL (SQLite) and the bare scipy floor.

SQL: the evidence in a simple normalised form, one row per (candidate, skill) with the
best credential strength (max c_k, precomputed), the experience years and e_t without the
min_years factor (precomputed), and ONE query that computes the §4 score for a job:
evidence through the proximity of each requirement's skill (a VALUES table of
(requirement, evidenced skill, p, min_years, weight, required)), the max per
requirement with the min_years factor applied in SQL, M = 1 - (1 - C)(1 - E),
the weighted sum, qualification (hard mode) and the §4.6 order, top 50.

Floor: a candidates x skills matrix of combined evidence times a job vector (weights
spread through the proximity columns), then ``argpartition`` for the top 50. It is not
the §4 score (no max per requirement, no min_years, no qualification): it is the least
work any ranking of this data can do.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matcher.model import Importance, Job

__all__ = ["Floor", "SqlRanker", "job_vector", "requirement_columns"]


def requirement_columns(job: Job, ids: list[str], proximity_ids: tuple[str, ...],
                        proximity: sp.csc_matrix, related: bool = True
                        ) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per requirement: evidence column numbers t with p(t, s) > 0, and p."""
    column = {skill_id: i for i, skill_id in enumerate(ids)}
    position = {skill_id: i for i, skill_id in enumerate(proximity_ids)}
    to_col = np.full(len(proximity_ids), -1, dtype=np.int64)
    for skill_id, i in column.items():
        if skill_id in position:
            to_col[position[skill_id]] = i
    out = []
    for requirement in job.requirements:
        s = requirement.skill.skill_id
        own = column.get(s) if s else None
        cols, ps = (np.array([own]), np.array([1.0])) if own is not None else \
            (np.empty(0, dtype=np.int64), np.empty(0))
        if related and s in position:
            lo, hi = proximity.indptr[position[s]], proximity.indptr[position[s] + 1]
            mapped = to_col[proximity.indices[lo:hi]]
            keep = mapped >= 0
            cols, ps = mapped[keep], proximity.data[lo:hi][keep]
        out.append((cols, ps))
    return out


class SqlRanker:
    """Evidence in SQLite (in memory) and the one ranking query."""

    def __init__(self, path: str = ":memory:") -> None:
        self.db = sqlite3.connect(path)
        self.db.executescript("""
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA temp_store = MEMORY;
            PRAGMA cache_size = -2000000;
            CREATE TABLE candidate (id INTEGER PRIMARY KEY, external_id TEXT NOT NULL);
            CREATE TABLE skill (id INTEGER PRIMARY KEY, skill_id TEXT NOT NULL UNIQUE);
            -- One row per (candidate, skill) with any evidence: the best credential
            -- strength (0 if none), e_t without the min_years factor (0 if none), years.
            CREATE TABLE evidence (
                candidate_id INTEGER NOT NULL REFERENCES candidate (id),
                skill INTEGER NOT NULL REFERENCES skill (id),
                credential REAL NOT NULL,
                experience REAL NOT NULL,
                years REAL NOT NULL,
                PRIMARY KEY (skill, candidate_id)) WITHOUT ROWID;
        """)

    def load(self, external_ids: list[str], skill_ids: list[str],
             cred: tuple[np.ndarray, ...], exp: tuple[np.ndarray, ...]) -> int:
        """Insert candidates 1..N, the skills and the evidence rows; returns the row count."""
        width = len(external_ids) + 1
        keys = np.concatenate([cred[1].astype(np.int64) * width + cred[0],
                               exp[1].astype(np.int64) * width + exp[0]])
        unique, where = np.unique(keys, return_inverse=True)  # sorted: primary-key order
        credential, experience, years = (np.zeros(len(unique)) for _ in range(3))
        credential[where[:len(cred[0])]] = cred[2]
        experience[where[len(cred[0]):]] = exp[4]
        years[where[len(cred[0]):]] = exp[2]
        with self.db:
            self.db.executemany("INSERT INTO candidate VALUES (?, ?)",
                                enumerate(external_ids, start=1))
            self.db.executemany("INSERT INTO skill VALUES (?, ?)", enumerate(skill_ids))
            self.db.executemany("INSERT INTO evidence VALUES (?, ?, ?, ?, ?)", zip(
                (unique % width).tolist(), (unique // width).tolist(), credential.tolist(),
                experience.tolist(), years.tolist(), strict=True))
        self.db.execute("ANALYZE")
        return len(unique)

    def query(self, job: Job, columns: list[tuple[np.ndarray, np.ndarray]],
              threshold: float = 0.35, limit: int = 50) -> str:
        """The one SQL statement ranking every candidate for ``job`` (numbers inlined)."""
        prox = ", ".join(
            f"({i}, {int(c)}, {float(p)!r}, {float(r.min_years or 0)!r}, {r.weight!r}, "
            f"{int(r.importance is Importance.REQUIRED)})"
            for i, (r, (cols, ps)) in enumerate(zip(job.requirements, columns, strict=True))
            for c, p in zip(cols.tolist(), ps.tolist(), strict=True))
        total = sum(r.weight for r in job.requirements)
        n_required = sum(r.importance is Importance.REQUIRED for r in job.requirements)
        # CROSS JOIN keeps SQLite's join order: requirement skills drive, the evidence
        # primary key (skill, candidate) is searched.
        return f"""
        WITH prox (req, skill, p, min_years, weight, required) AS (VALUES {prox}),
        per AS (
            SELECT e.candidate_id AS cid, x.req, MAX(x.weight) AS weight,
                   MAX(x.required) AS required,
                   1.0 - (1.0 - MAX(e.credential * x.p))
                       * (1.0 - MAX(e.experience
                                    * CASE WHEN x.min_years > 0 AND e.years < x.min_years
                                           THEN e.years / x.min_years ELSE 1.0 END
                                    * x.p)) AS m
            FROM prox x CROSS JOIN evidence e ON e.skill = x.skill
            GROUP BY e.candidate_id, x.req),
        scored AS (
            SELECT cid, 100.0 * SUM(weight * m) / {total!r} AS score,
                   SUM(required AND m >= {threshold!r}) AS met
            FROM per GROUP BY cid)
        SELECT s.cid, c.external_id, s.score, s.met = {n_required} AS qualified, s.met
        FROM scored s JOIN candidate c ON c.id = s.cid
        ORDER BY qualified DESC, s.score DESC, s.met DESC, c.external_id
        LIMIT {limit}"""

    def rank(self, sql: str) -> list[tuple]:
        return self.db.execute(sql).fetchall()

    def close(self) -> None:
        self.db.close()


def job_vector(job: Job, columns: list[tuple[np.ndarray, np.ndarray]], n_cols: int
               ) -> np.ndarray:
    """sum over requirements of 100 w_r p(t, s_r) / sum w, per evidence column t."""
    vector = np.zeros(n_cols)
    total = sum(r.weight for r in job.requirements)
    for requirement, (cols, ps) in zip(job.requirements, columns, strict=True):
        np.add.at(vector, cols, 100.0 * requirement.weight * ps / total)
    return vector


@dataclass
class Floor:
    """Combined evidence 1 - (1 - c)(1 - e) per (candidate, skill), candidates x skills CSR."""

    matrix: sp.csr_matrix

    @classmethod
    def build(cls, n: int, n_cols: int, cred: tuple[np.ndarray, ...],
              exp: tuple[np.ndarray, ...]) -> Floor:
        c = sp.csr_matrix((cred[2], (cred[0] - 1, cred[1])), shape=(n, n_cols))
        e = sp.csr_matrix((exp[4], (exp[0] - 1, exp[1])), shape=(n, n_cols))
        combined = (c + e - c.multiply(e)).tocsr()
        combined.sum_duplicates()
        return cls(combined)

    def rank(self, vector: np.ndarray, limit: int = 50) -> np.ndarray:
        """Row numbers (candidate id - 1) of the top ``limit``, best first."""
        score = self.matrix @ vector
        top = np.argpartition(-score, limit)[:limit]
        return top[np.argsort(-score[top], kind="stable")]

    def nbytes(self) -> int:
        m = self.matrix
        return m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
