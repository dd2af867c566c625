"""Recruiters' decisions on candidates for jobs: every one kept, the latest counts."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlalchemy import Select, func, select

from api import models
from api.repositories.base import TenantRepository
from api.repositories.rankings import RankingRunRepository

__all__ = ["DecisionRepository"]


def decision_out(row: models.Decision) -> dict:
    ranked = None if row.ranked_qualified is None else {
        "qualified": row.ranked_qualified, "rank": row.ranked_rank, "score": row.ranked_score}
    return {"id": row.id, "job_id": row.job_id, "candidate_id": row.candidate_id,
            "decision": row.decision, "reason": row.reason, "decided_by": row.decided_by,
            "decided_at": row.decided_at, "ranking_id": row.ranking_run_id, "ranked": ranked,
            "overrides_ranking": _overrides(row)}


def _overrides(row: models.Decision) -> bool:
    """The recruiter overruled the ranking: advanced the unqualified, rejected the qualified."""
    if row.ranked_qualified is None:
        return False
    return (row.decision == "advance") != row.ranked_qualified and row.decision != "hold"


class DecisionRepository(TenantRepository[models.Decision, dict]):
    model = models.Decision
    noun = "decision"

    def to_domain(self, row: models.Decision) -> dict:
        return decision_out(row)

    def record(self, job_id: int, candidate_id: int, decision: str, reason: str,
               decided_by: str, ranking_id: int | None) -> dict:
        """Add a decision, with what the ranking said about the candidate at the time."""
        row = models.Decision(organization_id=self.organization_id, job_id=job_id,
                              candidate_id=candidate_id, decision=decision, reason=reason,
                              decided_by=decided_by, ranking_run_id=ranking_id)
        run_id = ranking_id if ranking_id is not None else self._latest_run_with(
            job_id, candidate_id)
        if run_id is not None:
            self._ranked(row, run_id, candidate_id)
        self.session.add(row)
        self.session.flush()
        return decision_out(row)

    def current(self, job_id: int, limit: int, offset: int) -> tuple[list[dict], int]:
        """The latest decision per candidate for the job."""
        query = self._scoped().where(models.Decision.job_id == job_id,
                                     models.Decision.id.in_(self._latest_ids(job_id)))
        return self._page(query, limit, offset)

    def history(self, job_id: int, candidate_id: int | None, limit: int, offset: int
                ) -> tuple[list[dict], int]:
        query = self._scoped().where(models.Decision.job_id == job_id)
        if candidate_id is not None:
            query = query.where(models.Decision.candidate_id == candidate_id)
        return self._page(query, limit, offset)

    def latest_for(self, job_ids: Sequence[int]) -> dict[tuple[int, int], str]:
        """``(job_id, candidate_id) -> decision`` of the latest decisions (for audits)."""
        latest = (select(func.max(models.Decision.id)).where(
            models.Decision.organization_id == self.organization_id,
            models.Decision.job_id.in_(list(job_ids)),
            models.Decision.candidate_id.is_not(None))
            .group_by(models.Decision.job_id, models.Decision.candidate_id))
        rows = self.session.execute(select(models.Decision.job_id, models.Decision.candidate_id,
                                           models.Decision.decision)
                                    .where(models.Decision.id.in_(latest)))
        return {(job, candidate): decision for job, candidate, decision in rows}

    def _latest_ids(self, job_id: int) -> Select:
        return (select(func.max(models.Decision.id))
                .where(models.Decision.organization_id == self.organization_id,
                       models.Decision.job_id == job_id)
                .group_by(models.Decision.candidate_id))

    def _page(self, query: Select, limit: int, offset: int) -> tuple[list[dict], int]:
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.scalars(query.order_by(models.Decision.id.desc())
                                    .limit(limit).offset(offset))
        return [decision_out(r) for r in rows], total

    def _latest_run_with(self, job_id: int, candidate_id: int) -> int | None:
        runs = self.session.scalars(
            select(models.RankingRun.id).where(
                models.RankingRun.organization_id == self.organization_id,
                models.RankingRun.job_id == job_id)
            .order_by(models.RankingRun.id.desc()).limit(20))
        scores = RankingRunRepository(self.session, self.organization_id)
        for run_id in runs:
            population = scores.population(run_id)
            if population is not None and candidate_id in population[0]:
                return run_id
        return None

    def _ranked(self, row: models.Decision, run_id: int, candidate_id: int) -> None:
        population = RankingRunRepository(self.session, self.organization_id).population(run_id)
        if population is None:
            return
        ids, scores, qualified = population
        where = np.flatnonzero(ids == candidate_id)
        if not len(where):
            return
        i = int(where[0])
        row.ranking_run_id = run_id
        row.ranked_qualified = bool(qualified[i])
        row.ranked_score = round(float(scores[i]), 4)
        row.ranked_rank = self.session.scalar(
            select(models.RankingResult.rank).where(models.RankingResult.run_id == run_id,
                                                    models.RankingResult.candidate_id
                                                    == candidate_id))
