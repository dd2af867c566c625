"""The ranking index: every candidate of an organization, scored for a job at once.

Evidence lives in :class:`~matcher.segment.Segment` s (flat numpy arrays).
Writes never rebuild the index: changed candidates go into a new small
segment and their old slots are marked dead; segments are merged when they
pile up. A ranking computes, per requirement, the best credential and
experience evidence of every candidate through the requirement's column of
the proximity matrix (sparse gathers and ``np.maximum.at``), the score, the
qualification and the order, and returns the requested page. The page's
explanation comes from :func:`matcher.scoring.evaluate`, which a test holds
to the same scores and order.

Examples
--------
>>> from datetime import date
>>> from matcher import model
>>> sql = model.SkillRef("SQL", "sql")
>>> people = [model.Candidate(f"C{i}", "x", id=i, experience=(model.Experience(
...     "Analyst", date(2026 - i, 1, 1), skills=(sql,)),)) for i in (1, 2, 3)]
>>> index = CandidateIndex.build(people)
>>> job = model.Job("J", "Analyst", (model.Requirement(sql),))
>>> page = index.rank(job, RankingInput(as_of=date(2026, 6, 1)), limit=2)
>>> page.total, [r.external_id for r in page.items]
(3, ['C3', 'C2'])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import scipy.sparse as sp

from matcher.model import Candidate, Importance, Issuer, Job
from matcher.policy import DEFAULT_POLICY, ScoringPolicy
from matcher.scoring import CandidateResult, Context, evaluate
from matcher.segment import Segment, SkillColumns, build_segment, merge_segments

__all__ = ["CandidateIndex", "Ranked", "RankedPage", "RankingInput", "explain_page"]

MAX_SEGMENTS = 8
# Per segment: (rows, match) of recent requirements (skill, min_years, date, policy),
# within this many bytes (about 30 requirements of a 1,000,000-candidate segment).
REQUIREMENT_CACHE_BYTES = 96 * 2**20


@dataclass(frozen=True)
class RankingInput:
    """What a ranking depends on besides the job and the evidence."""

    as_of: date
    policy: ScoringPolicy = DEFAULT_POLICY
    issuers: Mapping[int, Issuer] = field(default_factory=dict)
    issuers_version: object = None
    # p(t, s) for every pair of known skills: ids and a CSC matrix (rows t, columns s).
    proximity_ids: Sequence[str] = ()
    proximity: sp.csc_matrix | None = None


@dataclass(frozen=True, slots=True)
class Ranked:
    candidate_id: int
    external_id: str
    score: float
    qualified: bool
    required_met: int


@dataclass(frozen=True)
class RankedPage:
    total: int
    items: list[Ranked]
    # The whole ranked pool (candidate ids, scores, qualified), for bias audits (§7).
    population: tuple[np.ndarray, np.ndarray, np.ndarray] | None = field(
        default=None, repr=False, compare=False)


def explain_page(job: Job, page: RankedPage,
                 load: Callable[[list[int]], Mapping[int, Candidate]],
                 context: Context) -> list[CandidateResult]:
    """The reference explanation of a ranked page, in page order.

    ``load`` fetches the page's candidates by id (from the database, or a dict).
    """
    candidates = load([r.candidate_id for r in page.items])
    return [evaluate(job, candidates[r.candidate_id], context) for r in page.items]


class CandidateIndex:
    """Compiled evidence of one organization's candidates."""

    def __init__(self) -> None:
        self.columns = SkillColumns()
        self.segments: list[Segment] = []
        self.alive: list[np.ndarray] = []
        self.where: dict[int, tuple[int, int]] = {}
        self.revision: object = None
        self._proximity_map: tuple | None = None

    @classmethod
    def build(cls, candidates: Iterable[Candidate]) -> CandidateIndex:
        index = cls()
        index.upsert(candidates)
        return index

    def __len__(self) -> int:
        return len(self.where)

    def nbytes(self) -> int:
        return sum(s.nbytes() for s in self.segments) + sum(a.nbytes for a in self.alive)

    def upsert(self, candidates: Iterable[Candidate]) -> None:
        """Add or replace candidates (by id) without touching the others."""
        # The last copy of a candidate given twice wins.
        latest = {c.id if c.id is not None else -i - 1: c for i, c in enumerate(candidates)}
        segment = build_segment(latest.values(), self.columns)
        if len(segment) == 0:
            return
        self.remove(int(c) for c in segment.candidate_ids)
        number = len(self.segments)
        self.segments.append(segment)
        self.alive.append(np.ones(len(segment), dtype=bool))
        for slot, candidate_id in enumerate(segment.candidate_ids):
            self.where[int(candidate_id)] = (number, slot)
        if len(self.segments) > MAX_SEGMENTS:
            self.compact()

    def remove(self, candidate_ids: Iterable[int]) -> None:
        for candidate_id in candidate_ids:
            found = self.where.pop(candidate_id, None)
            if found is not None:
                self.alive[found[0]][found[1]] = False

    def compact(self) -> None:
        """Merge every segment into one, dropping dead slots."""
        merged = merge_segments(self.segments, self.alive)
        self.segments, self.alive = [merged], [np.ones(len(merged), dtype=bool)]
        self.where = {int(c): (0, slot) for slot, c in enumerate(merged.candidate_ids)}

    # -- ranking ---------------------------------------------------------------------------

    def _columns_for(self, skill_id: str | None, data: RankingInput
                     ) -> tuple[np.ndarray, np.ndarray]:
        """Index columns t with p(t, s) > 0 for required skill s, and p."""
        own = self.columns.index.get(skill_id) if skill_id else None
        alone = (np.array([own], dtype=np.int64), np.array([1.0])) if own is not None else \
            (np.empty(0, dtype=np.int64), np.empty(0))
        if skill_id is None or not data.policy.related_skills or data.proximity is None:
            return alone
        if data.proximity.format != "csc":
            # Row-major would silently read p(s, t) for p(t, s).
            raise TypeError("RankingInput.proximity must be a CSC matrix (columns: required)")
        to_col, positions = self._proximity_to_columns(data)
        position = positions.get(skill_id)
        if position is None:
            return alone
        matrix = data.proximity
        lo, hi = matrix.indptr[position], matrix.indptr[position + 1]
        cols = to_col[matrix.indices[lo:hi]]
        keep = cols >= 0
        return cols[keep], matrix.data[lo:hi][keep]

    def _proximity_to_columns(self, data: RankingInput) -> tuple[np.ndarray, dict[str, int]]:
        """Proximity-matrix row -> index column (-1: no candidate has that skill)."""
        # Holding the matrix and ids themselves: an id() could be reused after a free.
        key = (data.proximity, data.proximity_ids, len(self.columns))
        cached = self._proximity_map
        if cached is None or cached[0][0] is not key[0] or cached[0][1] is not key[1] \
                or cached[0][2] != key[2]:
            positions = {s: i for i, s in enumerate(data.proximity_ids)}
            to_col = np.full(len(data.proximity_ids), -1, dtype=np.int64)
            for skill_id, col in self.columns.index.items():
                if skill_id in positions:
                    to_col[positions[skill_id]] = col
            cached = self._proximity_map = (key, to_col, positions)
        return cached[1], cached[2]

    def rank(self, job: Job, data: RankingInput, *, limit: int = 50, offset: int = 0,
             candidate_ids: Sequence[int] | None = None, mode: str | None = None
             ) -> RankedPage:
        """The requested page of the ordering of every (or the given) candidates."""
        mode = mode or data.policy.mode
        wanted = [self._columns_for(r.skill.skill_id, data) for r in job.requirements]
        parts = [self._score_segment(seg, alive, job, wanted, data)
                 for seg, alive in zip(self.segments, self.alive, strict=True)]
        if not parts:
            return RankedPage(0, [])
        ids, external, score, qualified, met = (np.concatenate([p[i] for p in parts])
                                                for i in range(5))
        if candidate_ids is not None:
            keep = np.isin(ids, np.asarray(list(candidate_ids), dtype=np.int64))
            ids, external, score, qualified, met = (a[keep] for a in
                                                    (ids, external, score, qualified, met))
        total = len(ids)
        pool = _pool(score, qualified, mode, offset + limit)
        def key(i: int) -> tuple:
            if mode == "soft":
                return (-score[i], external[i])
            return (not qualified[i], -score[i], -met[i], external[i])
        ordered = sorted(pool.tolist(), key=key)[offset:offset + limit]
        return RankedPage(total, [Ranked(int(ids[i]), str(external[i]), float(score[i]),
                                         bool(qualified[i]), int(met[i])) for i in ordered],
                          population=(ids, score, qualified))

    def _matches(self, seg: Segment, skill_id: str | None, min_years: float | None,
                 cols: np.ndarray, ps: np.ndarray, data: RankingInput
                 ) -> tuple[np.ndarray, np.ndarray]:
        """Per-requirement evidence, remembered: jobs share skills, pages repeat rankings."""
        # The entry holds the proximity matrix, so its id() cannot be reused meanwhile.
        key = (data.as_of, data.issuers_version, data.policy, id(data.proximity), skill_id,
               min_years, len(self.columns))
        cache = seg.requirement_cache
        found = cache.get(key)
        if found is None:
            rows, match = _evidence_matches(seg, len(self.columns), min_years, cols, ps, data)
            found = cache[key] = (rows, match, data.proximity)
            seg.requirement_bytes += rows.nbytes + match.nbytes
            while seg.requirement_bytes > REQUIREMENT_CACHE_BYTES and len(cache) > 1:
                _, (old_rows, old_match, _) = cache.popitem(last=False)
                seg.requirement_bytes -= old_rows.nbytes + old_match.nbytes
        else:
            cache.move_to_end(key)
        return found[0], found[1]

    def _score_segment(self, seg: Segment, alive: np.ndarray, job: Job,
                       wanted: list[tuple[np.ndarray, np.ndarray]], data: RankingInput
                       ) -> tuple[np.ndarray, ...]:
        policy, n = data.policy, len(seg)
        total_weight = sum(r.weight for r in job.requirements)
        weighted = np.zeros(n)
        met = np.zeros(n, dtype=np.int64)
        required = 0
        for requirement, (cols, ps) in zip(job.requirements, wanted, strict=True):
            # Only candidates with evidence can gain: the rest add M = 0.
            rows, match = self._matches(seg, requirement.skill.skill_id, requirement.min_years,
                                        cols, ps, data)
            weighted[rows] += requirement.weight * match
            if requirement.importance is Importance.REQUIRED:
                required += 1
                if policy.match_threshold <= 0:
                    met += 1
                else:
                    met[rows[match >= policy.match_threshold]] += 1
        qualified = met == required
        total_years = seg.total_years(data.as_of)
        if job.min_total_years:
            qualified &= total_years >= job.min_total_years
        if job.education is not None and job.education.level.rank > 0:
            educated = seg.degree_rank >= job.education.level.rank
            months = job.education.experience_in_place_months
            if months is not None:
                educated |= total_years * 12 >= months
            qualified &= educated
        score = 100.0 * weighted / total_weight
        return (seg.candidate_ids[alive], seg.external[alive], score[alive], qualified[alive],
                met[alive])


def _evidence_matches(seg: Segment, n_cols: int, min_years: float | None, cols: np.ndarray,
                      ps: np.ndarray, data: RankingInput) -> tuple[np.ndarray, np.ndarray]:
    """(rows, M) for the candidates of ``seg`` with any evidence for one requirement."""
    creds = seg.credential_matrix(n_cols, data.as_of, data.issuers, data.issuers_version,
                                  data.policy)
    roles, years, strength = seg.experience_matrix(n_cols, data.as_of, data.policy)
    n = len(seg)
    best_c, best_e, touched = np.zeros(n), np.zeros(n), np.zeros(n, dtype=bool)
    rows_c, at_c, p_c = _gather(creds, cols, ps)
    if len(rows_c):
        np.maximum.at(best_c, rows_c, creds.data[at_c] * p_c)
        touched[rows_c] = True
    rows_e, at_e, p_e = _gather(roles, cols, ps)
    if len(rows_e):
        value = strength[at_e]
        if min_years:
            y = years[at_e]
            value = np.where(y < min_years, value * (y / min_years), value)
        np.maximum.at(best_e, rows_e, value * p_e)
        touched[rows_e] = True
    rows = np.flatnonzero(touched).astype(np.int32)
    c, e = best_c[rows], best_e[rows]
    return rows, 1.0 - (1.0 - c) * (1.0 - e)


def _gather(matrix: sp.csc_matrix, cols: np.ndarray, ps: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, data positions and p of every stored entry in the given columns."""
    starts = matrix.indptr[cols]
    lengths = matrix.indptr[cols + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0)
    positions = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
    return matrix.indices[positions], positions, np.repeat(ps, lengths)


def _pool(score: np.ndarray, qualified: np.ndarray, mode: str, k: int) -> np.ndarray:
    """Slots that can be in the first k: the top k by (qualified, score), ties included."""
    if k >= len(score):
        return np.arange(len(score))
    primary = score if mode == "soft" else score + np.where(qualified, 1000.0, 0.0)
    threshold = np.partition(primary, len(primary) - k)[len(primary) - k]
    return np.flatnonzero(primary >= threshold)
