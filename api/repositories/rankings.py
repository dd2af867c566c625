"""Stored ranking runs (audit): what was ranked, how, and what came back."""

from __future__ import annotations

import zlib

import numpy as np
from sqlalchemy import insert, select

from api import models
from api.repositories.base import TenantRepository
from matcher import model

__all__ = ["Population", "RankingRunRepository", "decode_ids", "encode_ids"]

# (candidate ids, scores, qualified) of everyone a run ranked.
Population = tuple[np.ndarray, np.ndarray, np.ndarray]


def encode_ids(ids: np.ndarray) -> bytes:
    """Candidate ids as zlib-compressed int32 differences: ids run mostly in order, so a
    million compress to ~20 kB in ~10 ms (compressing the raw ids takes ten times longer)."""
    values = np.asarray(ids, dtype=np.int64)
    deltas = np.diff(values, prepend=np.int64(0)).astype(np.int32)
    return zlib.compress(deltas.tobytes(), 1)


def decode_ids(blob: bytes) -> np.ndarray:
    return np.cumsum(np.frombuffer(zlib.decompress(blob), dtype=np.int32), dtype=np.int64)


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

    def add_population(self, run_id: int, population: Population) -> None:
        """Keep every ranked candidate's score, not only the page (bias audits need all)."""
        ids, scores, qualified = population
        # Scores are left raw: floats hardly compress, and compressing a million costs
        # more time than the ranking itself.
        self.session.add(models.RankingScores(
            run_id=run_id, count=len(ids), candidate_ids=encode_ids(ids),
            scores=np.asarray(scores, dtype=np.float32).tobytes(),
            qualified=np.packbits(np.asarray(qualified, dtype=bool)).tobytes()))
        self.session.flush()

    def population(self, run_id: int) -> Population | None:
        """What :meth:`add_population` kept for one of this organization's runs."""
        row = self.session.scalar(
            select(models.RankingScores).join(models.RankingRun).where(
                models.RankingRun.organization_id == self.organization_id,
                models.RankingScores.run_id == run_id))
        if row is None:
            return None
        return (decode_ids(row.candidate_ids), np.frombuffer(row.scores, dtype=np.float32),
                np.unpackbits(np.frombuffer(row.qualified, dtype=np.uint8))[:row.count]
                .astype(bool))

