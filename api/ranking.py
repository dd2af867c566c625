"""Ranking as a use case: keep each organization's index current, rank, explain, store.

The index lives in this process (one per organization, in the app) and
catches up with writes made by any process through the organization's
revision: candidates written after the index's revision are reloaded and
deleted ones dropped, so no write forces a rebuild.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from api import metrics, models
from api.repositories.candidates import CandidateRepository
from api.repositories.catalog import OfferingRepository
from api.repositories.issuers import IssuerRepository
from api.repositories.rankings import RankingRunRepository
from graph.skillgraph import SkillGraph
from matcher import model
from matcher.index import CandidateIndex, RankingInput, explain_page
from matcher.policy import DEFAULT_POLICY, ScoringPolicy
from matcher.scoring import Context

__all__ = ["IndexCache", "RankingRequest", "index_cache", "rank_job"]


@dataclass
class IndexCache:
    """One index per organization, shared by the requests of this process."""

    indexes: dict[int, CandidateIndex] = field(default_factory=dict)
    locks: dict[int, threading.Lock] = field(default_factory=dict)
    guard: threading.Lock = field(default_factory=threading.Lock)

    def current(self, session: Session, organization_id: int) -> tuple[CandidateIndex, int]:
        """The organization's index, caught up with the database; and its revision."""
        with self.guard:
            lock = self.locks.setdefault(organization_id, threading.Lock())
        with lock:
            revision = session.scalar(select(models.Organization.revision)
                                      .where(models.Organization.id == organization_id)) or 0
            repo = CandidateRepository(session, organization_id)
            index = self.indexes.get(organization_id)
            started = time.perf_counter()
            if index is None:
                index = CandidateIndex.build(repo.stream_all())
                self.indexes[organization_id] = index
                metrics.observe_index(organization_id, index, "build",
                                      time.perf_counter() - started)
            elif index.revision != revision:
                changed, deleted = repo.changed_since(int(index.revision))
                index.remove(deleted)
                index.upsert(changed)
                metrics.observe_index(organization_id, index, "catch_up",
                                      time.perf_counter() - started)
            index.revision = revision
            return index, revision


def index_cache(app: Flask | None = None) -> IndexCache:
    app = app or current_app
    return app.extensions.setdefault("talentmatch.indexes", IndexCache())


@dataclass(frozen=True)
class RankingRequest:
    limit: int = 50
    offset: int = 0
    candidate_ids: tuple[int, ...] | None = None
    mode: str | None = None
    policy_overrides: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"limit": self.limit, "offset": self.offset, "mode": self.mode,
                "candidate_ids": list(self.candidate_ids) if self.candidate_ids else None,
                "policy_overrides": self.policy_overrides}


def _fingerprint(job: model.Job, policy: ScoringPolicy, revision: int, as_of: date,
                 request: RankingRequest) -> str:
    """Identifies the inputs: same job, policy, data revision, date and request."""
    payload = {"job": repr(job), "policy": policy.as_dict(), "revision": revision,
               "as_of": as_of.isoformat(), "request": request.as_dict()}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def rank_job(session: Session, organization_id: int, job: model.Job, request: RankingRequest,
             graph: SkillGraph, serialise, as_of: date | None = None) -> model.RankingRun:
    """Rank, explain the page, store the run (the caller commits)."""
    started = time.perf_counter()
    as_of = as_of or datetime.now(UTC).date()
    policy = DEFAULT_POLICY.with_overrides(job.policy_overrides) \
        .with_overrides(request.policy_overrides)
    mode = request.mode or policy.mode
    policy = policy.with_overrides({"mode": mode})
    index, revision = index_cache().current(session, organization_id)
    issuers = {i.id: i for i in IssuerRepository(session, organization_id).all()}
    # Credential strengths depend on the registry only through these facts.
    issuers_version = hash(tuple((i.id, i.reviewed, i.industry_recognized, i.accreditations)
                                 for i in issuers.values()))
    proximity = graph.compiled()
    page = index.rank(job, RankingInput(
        as_of=as_of, policy=policy, issuers=issuers, issuers_version=issuers_version,
        proximity_ids=proximity.ids, proximity=proximity.csc()),
        limit=request.limit, offset=request.offset, candidate_ids=request.candidate_ids,
        mode=mode)
    context = Context(as_of=as_of, policy=policy, proximity=graph, issuers=issuers,
                      offerings=OfferingRepository(session, organization_id).all())
    results = explain_page(job, page, CandidateRepository(session, organization_id).get_many,
                           context)
    run = model.RankingRun(
        job_id=job.id or 0, as_of=as_of, mode=mode, policy=policy.as_dict(),
        fingerprint=_fingerprint(job, policy, revision, as_of, request), total=page.total,
        request=request.as_dict(), organization_revision=revision,
        results=tuple(serialise(request.offset + i + 1, r, issuers)
                      for i, r in enumerate(results)))
    runs = RankingRunRepository(session, organization_id)
    stored = runs.add(run)
    if page.population is not None:
        runs.add_population(stored.id, page.population)
    metrics.observe_ranking(mode, time.perf_counter() - started)
    return stored
