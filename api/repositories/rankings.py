"""Stored ranking runs (audit): what was ranked, how, and what came back."""

from __future__ import annotations

from sqlalchemy import insert

from api import models
from api.repositories.base import TenantRepository
from matcher import model

__all__ = ["RankingRunRepository"]


class RankingRunRepository(TenantRepository[models.RankingRun, model.RankingRun]):
    model = models.RankingRun
    noun = "ranking run"

    def to_domain(self, row: models.RankingRun) -> model.RankingRun:
        results = self.session.scalars(
            models.RankingResult.__table__.select()
            .where(models.RankingResult.run_id == row.id)
            .order_by(models.RankingResult.rank)
            .with_only_columns(models.RankingResult.breakdown)).all()
        return model.RankingRun(
            id=row.id, job_id=row.job_id, created_at=row.created_at, as_of=row.as_of,
            mode=row.mode, policy=row.policy, fingerprint=row.input_fingerprint,
            total=row.total, request=row.request, results=tuple(results),
            organization_revision=row.organization_revision)

    def add(self, run: model.RankingRun) -> model.RankingRun:
        row = models.RankingRun(
            organization_id=self.organization_id, job_id=run.job_id,
            policy_version=run.policy_version, policy=run.policy, mode=run.mode,
            as_of=run.as_of, request=run.request, input_fingerprint=run.fingerprint,
            total=run.total, organization_revision=run.organization_revision)
        self.session.add(row)
        self.session.flush()
        if run.results:
            self.session.execute(insert(models.RankingResult), [
                {"run_id": row.id, "candidate_id": r["candidate_id"], "rank": r["rank"],
                 "score": r["score"], "qualified": r["qualified"], "trainable": r["trainable"],
                 "breakdown": r} for r in run.results])
        return self.get(row.id)
