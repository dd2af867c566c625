"""Use case behind ``POST /audits/bias``: the LL144 tables from stored rankings or records.

From stored rankings, the sample is everyone each run ranked (kept in full for this
purpose, not only the page), once per job and candidate (the latest run wins); the
score is the run's score; *selected* is the recruiter's latest decision for that job
(advance) when there is one, else what the tool selected: qualified, or ranked
within the ``shortlist`` when one is given (DESIGN.md §7). Demographics come from
their own table; people without any are unknown.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from api import models
from api.repositories.candidates import CandidateRepository
from api.repositories.decisions import DecisionRepository
from api.repositories.demographics import DemographicsRepository
from api.repositories.rankings import RankingRunRepository
from matcher.errors import InvalidInput
from matcher.fairness import AUDIT_COLUMNS, AuditRecord, BiasAudit, audit_rows

__all__ = ["audit_csv", "records_from_rankings"]

MAX_RUNS = 1000


def records_from_rankings(session: Session, organization_id: int, *,
                          job_ids: Sequence[int] = (), ranking_ids: Sequence[int] = (),
                          since: date | None = None, until: date | None = None,
                          shortlist: int | None = None) -> tuple[list[AuditRecord], list[int]]:
    """The audit records of the runs selected, and the ids of those runs."""
    runs = _runs(session, organization_id, job_ids, ranking_ids, since, until)
    scores = RankingRunRepository(session, organization_id)
    latest: dict[tuple[int, int], tuple[float, bool]] = {}
    for run_id, job_id in runs:  # oldest first: later runs overwrite
        population = scores.population(run_id)
        if population is None:
            continue
        ids, score, qualified = population
        chosen = qualified if shortlist is None else _shortlisted(score, qualified, shortlist)
        for cid, s, q in zip(ids.tolist(), score.tolist(), chosen.tolist(), strict=True):
            latest[(job_id or 0, cid)] = (s, q)
    decisions = DecisionRepository(session, organization_id).latest_for(
        sorted({job for job, _ in latest}))
    people = DemographicsRepository(CandidateRepository(session, organization_id)).of(
        [cid for _, cid in latest if cid])
    records = []
    for (job_id, cid), (score, tool_selected) in latest.items():
        decided = decisions.get((job_id, cid))
        sex, race = people.get(cid, (None, None))
        records.append(AuditRecord(score, decided == "advance" if decided else tool_selected,
                                   sex, race))
    return records, [run_id for run_id, _ in runs]


def _runs(session: Session, organization_id: int, job_ids: Sequence[int],
          ranking_ids: Sequence[int], since: date | None, until: date | None
          ) -> list[tuple[int, int | None]]:
    run = models.RankingRun
    query = select(run.id, run.job_id).where(run.organization_id == organization_id)
    if job_ids or ranking_ids:
        query = query.where(run.job_id.in_(list(job_ids)) | run.id.in_(list(ranking_ids)))
    if since:
        query = query.where(run.as_of >= since)
    if until:
        query = query.where(run.as_of <= until)
    found = [(run_id, job_id) for run_id, job_id in
             session.execute(query.order_by(run.id).limit(MAX_RUNS + 1))]
    if len(found) > MAX_RUNS:
        raise InvalidInput(f"More than {MAX_RUNS} ranking runs match; narrow the audit.",
                           {"job_ids": [f"Select at most {MAX_RUNS} runs (by job, ranking "
                                        "or dates)."]})
    return found


def _shortlisted(score: np.ndarray, qualified: np.ndarray, shortlist: int) -> np.ndarray:
    """Within the first ``shortlist`` of the run's order (qualified first, then score)."""
    order = np.lexsort((-score, ~qualified))
    chosen = np.zeros(len(score), dtype=bool)
    chosen[order[:shortlist]] = True
    return chosen


def audit_csv(audit: BiasAudit) -> str:
    """The three tables as CSV, with the sample's figures in comment-free header rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["sample_size", audit.sample_size, "median", audit.median,
                     "small_share", audit.small_share, "four_fifths", audit.four_fifths])
    writer.writerow(AUDIT_COLUMNS)
    for row in audit_rows(audit):
        writer.writerow(["" if row[c] is None else row[c] for c in AUDIT_COLUMNS])
    return out.getvalue()
