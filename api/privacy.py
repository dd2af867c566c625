"""Privacy: everything held about a candidate, exported in one document or erased everywhere.

This module is the one map of where a person's data lives (docs/privacy.md): the
candidate row and its children (credentials with their Open Badge documents,
credential skills, experience and its skills, declared skills, demographics), the
ranking results that explain them, the ranked pools of every run (``ranking_scores``),
the ranking requests that named them, recruiters' decisions and the audit log. A new
table holding personal data belongs here, in :func:`export_candidate` and
:func:`erase_traces` alike.

Erasure keeps what accountability needs, anonymously: a run keeps its ranks and
scores, a decision keeps its outcome, the audit log keeps who did what, so the bias
audit's counts and the log stay true while nothing links them to the person.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus, unquote, unquote_plus

import numpy as np
from sqlalchemy import Text, cast, or_, select, update
from sqlalchemy.orm import Session

from api import models
from api.repositories.rankings import RankingRunRepository, decode_ids, encode_ids
from matcher import model

if TYPE_CHECKING:  # the repository calls erase_traces: no import at run time
    from api.repositories.candidates import CandidateRepository

__all__ = ["ERASED", "PLACEHOLDER_ID", "erase_traces", "export_candidate"]

ERASED = "[erased]"
# An erased candidate's place in a ranked pool: ids start at 1, so 0 names nobody.
PLACEHOLDER_ID = 0
_BATCH = 50
_BY_EXTERNAL_ID = "/candidates/by-external-id/"


def _runs_of(organization_id: int):
    return select(models.RankingRun.id).where(models.RankingRun.organization_id == organization_id)


# -- export -------------------------------------------------------------------------------

def export_candidate(session: Session, candidates: CandidateRepository, candidate_id: int,
                     now: datetime | None = None) -> dict:
    """Everything held about a candidate of ``candidates``' organization (404 otherwise)."""
    candidate = candidates.get(candidate_id)
    org = candidates.organization_id
    created_at, updated_at = session.execute(
        select(models.Candidate.created_at, models.Candidate.updated_at)
        .where(models.Candidate.id == candidate_id)).one()
    demographics = session.get(models.Demographics, candidate_id)
    return {
        "exported_at": now or datetime.now(UTC),
        "candidate": {**_profile(candidate), "created_at": created_at,
                      "updated_at": updated_at},
        "demographics": demographics and {
            "sex": demographics.sex, "race_ethnicity": demographics.race_ethnicity,
            "updated_at": demographics.updated_at},
        "rankings": _rankings(session, org, candidate_id),
        "decisions": _decisions(session, org, candidate_id),
        "audit_events": [_event_out(e) for e in _events_about(
            session, org, _Person(candidate_id, candidate.external_id))],
    }


def _refs(refs: tuple[model.SkillRef, ...]) -> list[dict]:
    return [{"name": r.name, "skill_id": r.skill_id} for r in refs]


def _profile(c: model.Candidate) -> dict:
    return {
        "id": c.id, "external_id": c.external_id, "name": c.name, "email": c.email,
        "location": c.location, "skills": _refs(c.skills),
        "credentials": [{
            "id": k.id, "name": k.name, "kind": k.kind.value, "issuer": k.issuer_name,
            "issuer_id": k.issuer_id, "issued_on": k.issued_on, "expires_on": k.expires_on,
            "level": k.level, "skills": _refs(k.skills), "badge": k.badge,
            "verification": {"status": k.verification.status.value,
                             "method": k.verification.method,
                             "checked_at": k.verification.checked_at,
                             "detail": k.verification.detail}} for k in c.credentials],
        "experience": [{
            "id": e.id, "title": e.title, "employer": e.employer, "industry": e.industry,
            "start_date": e.start_date, "end_date": e.end_date, "skills": _refs(e.skills)}
            for e in c.experience],
    }


def _rankings(session: Session, org: int, candidate_id: int) -> list[dict]:
    """Every run that ranked them, oldest first: the explained result, or their pool entry."""
    found: dict[int, dict] = {}
    for run_id, score, qualified in _pool_entries(session, org, candidate_id):
        found[run_id] = {"rank": None, "score": score, "qualified": qualified,
                         "trainable": None, "breakdown": None}
    result = models.RankingResult
    for row in session.execute(
            select(result.run_id, result.rank, result.score, result.qualified,
                   result.trainable, result.breakdown)
            .where(result.candidate_id == candidate_id, result.run_id.in_(_runs_of(org)))):
        found[row.run_id] = {"rank": row.rank, "score": row.score, "qualified": row.qualified,
                             "trainable": row.trainable, "breakdown": row.breakdown}
    run = models.RankingRun
    runs = {}
    for ids in _batches(sorted(found)):
        runs.update((r.id, r) for r in session.execute(
            select(run.id, run.job_id, run.created_at, models.Job.title)
            .outerjoin(models.Job, models.Job.id == run.job_id).where(run.id.in_(ids))))
    return [{"run_id": rid, "job_id": runs[rid].job_id, "job_title": runs[rid].title,
             "created_at": runs[rid].created_at, **found[rid]} for rid in sorted(runs)]


def _pool_entries(session: Session, org: int,
                  candidate_id: int) -> Iterator[tuple[int, float, bool]]:
    """(run, score, qualified) of every stored pool the candidate is in."""
    runs = RankingRunRepository(session, org)
    scores = models.RankingScores
    for run_id in session.scalars(select(scores.run_id).where(scores.run_id.in_(_runs_of(org)))
                                  .order_by(scores.run_id)).all():
        ids, values, qualified = runs.population(run_id)
        where = np.flatnonzero(ids == candidate_id)
        if where.size:
            yield run_id, round(float(values[where[0]]), 4), bool(qualified[where[0]])


_DECISION_FIELDS = ("id", "job_id", "ranking_run_id", "decision", "reason", "decided_by",
                    "decided_at", "ranked_qualified", "ranked_rank", "ranked_score")
_EVENT_FIELDS = ("id", "at", "actor", "action", "method", "path", "resource_type",
                 "resource_id", "fingerprint", "policy_version", "detail")


def _decisions(session: Session, org: int, candidate_id: int) -> list[dict]:
    d = models.Decision
    rows = session.execute(
        select(d, models.Job.title).outerjoin(models.Job, models.Job.id == d.job_id)
        .where(d.organization_id == org, d.candidate_id == candidate_id).order_by(d.id))
    return [{**{f: getattr(row, f) for f in _DECISION_FIELDS}, "job_title": title}
            for row, title in rows]


def _event_out(e: models.AuditEvent) -> dict:
    return {f: getattr(e, f) for f in _EVENT_FIELDS}


# -- audit events: which name the candidate, and the same events without them -------------

@dataclass(frozen=True)
class _Person:
    id: int
    external_id: str


def _events_about(session: Session, org: int, person: _Person) -> list[models.AuditEvent]:
    """Audit events naming the person (by internal or external id), oldest first."""
    e = models.AuditEvent
    detail = cast(e.detail, Text)
    spellings = _spellings(person.external_id)
    # A coarse filter in SQL; :func:`_scrubbed` decides exactly, in Python.
    maybe = select(e.id).where(e.organization_id == org, or_(
        e.resource_id.in_([str(person.id), person.external_id]),
        e.path.contains(f"/candidates/{person.id}"), e.path.contains(f"/decisions/{person.id}"),
        detail.contains(str(person.id)),
        *[e.path.contains(f, autoescape=True) for f in spellings],
        *[detail.contains(f, autoescape=True) for f in spellings])).order_by(e.id)
    found = []
    for ids in _batches(session.scalars(maybe).all()):
        found.extend(event for event in session.scalars(select(e).where(e.id.in_(ids))
                                                         .order_by(e.id))
                     if _scrubbed(event, person) != (event.path, event.resource_id,
                                                     event.detail))
    return found


def _spellings(external_id: str) -> list[str]:
    """How an external id may be written in a stored path or JSON text."""
    return list(dict.fromkeys([external_id, quote(external_id, safe="/"),
                               quote(external_id, safe=""), quote_plus(external_id),
                               json.dumps(external_id)[1:-1]]))


def _scrubbed(event: models.AuditEvent, person: _Person) -> tuple[str, str | None, Any]:
    """The event's path, resource id and detail without the person's ids."""
    by_type = (event.resource_type or "candidates").lower() in ("candidate", "candidates")
    # On /candidates/{id}/... routes the resource id is the candidate's id.
    by_route = re.search(rf"/candidates/{person.id}(?=[/?]|$)", event.path) is not None
    resource_id = event.resource_id
    if (by_type and resource_id == person.external_id) or (
            by_route and resource_id == str(person.id)):
        resource_id = ERASED
    return (_scrub_path(event.path, person)[:500], resource_id,
            _scrub_json(event.detail, person))


def _scrub_path(path: str, person: _Person) -> str:
    """Erase the person's ids where routes put them, and query values equal to them.

    Only there: a short external id such as ``1`` must not erase ``/jobs/1``.
    """
    route, mark, query = path.partition("?")
    route = re.sub(rf"(/(?:candidates|decisions)/){person.id}(?=/|$)",
                   lambda m: m.group(1) + ERASED, route)
    head, by, tail = route.partition(_BY_EXTERNAL_ID)
    if by and unquote(tail) == person.external_id:
        route = head + by + ERASED
    if mark:
        query = "&".join(
            f"{k}={ERASED}" if sep and unquote_plus(v) in (person.external_id, str(person.id))
            else part for part in query.split("&") for k, sep, v in [part.partition("=")])
    return route + mark + query


def _scrub_json(value: Any, person: _Person) -> Any:
    """``value`` without the person: ids under candidate id keys, the external id as a token."""
    if isinstance(value, dict):
        return {_scrub_text(k, person): _scrub_member(k, v, person) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_json(v, person) for v in value]
    if isinstance(value, str):
        return _scrub_text(_scrub_path(value, person), person)
    return value


def _scrub_member(key: str, value: Any, person: _Person) -> Any:
    if key == "candidate_id" and type(value) is int and value == person.id:
        return None
    if key == "candidate_ids" and isinstance(value, list):
        return [PLACEHOLDER_ID if type(i) is int and i == person.id else i for i in value]
    return _scrub_json(value, person)


def _scrub_text(value: str, person: _Person) -> str:
    # A token, not any substring: erasing "ATS-1" must leave "ATS-10" alone.
    token = rf"(?<![0-9A-Za-z]){re.escape(person.external_id)}(?![0-9A-Za-z])"
    return re.sub(token, lambda _m: ERASED, value)


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _BATCH):
        yield ids[start:start + _BATCH]


# -- erasure ------------------------------------------------------------------------------

def erase_traces(session: Session, organization_id: int, candidate_id: int,
                 external_id: str) -> None:
    """Anonymise everything that outlives the candidate's own rows.

    The caller deletes the candidate row (its children cascade) in the same
    transaction, so erasure happens entirely or not at all.
    """
    _anonymise_results(session, organization_id, candidate_id)
    _anonymise_pools(session, organization_id, candidate_id)
    _anonymise_requests(session, organization_id, candidate_id)
    _anonymise_decisions(session, organization_id, candidate_id)
    _scrub_events(session, organization_id, candidate_id, external_id)
    session.flush()


def _placeholder(rank: int, score: float, qualified: bool, trainable: bool,
                 breakdown: dict) -> dict:
    """What a run keeps of an erased person: the place, no explanation, no identity.

    Null and empty members keep the shape of a result, so readers of runs still work.
    """
    return {"rank": rank, "candidate_id": None, "external_id": None, "name": None,
            "score": score, "qualified": qualified, "trainable": trainable,
            "required_met": (breakdown or {}).get("required_met"), "unmet": [],
            "requirements": [], "gaps": [], "erased": True}


def _anonymise_results(session: Session, org: int, candidate_id: int) -> None:
    r = models.RankingResult
    rows = session.execute(
        select(r.id, r.rank, r.score, r.qualified, r.trainable, r.breakdown)
        .where(r.candidate_id == candidate_id, r.run_id.in_(_runs_of(org)))).all()
    if rows:
        session.execute(update(r), [
            {"id": row.id, "candidate_id": None,
             "breakdown": _placeholder(row.rank, row.score, row.qualified, row.trainable,
                                       row.breakdown)} for row in rows])


def _anonymise_pools(session: Session, org: int, candidate_id: int) -> None:
    """Replace the id in every ranked pool of the organization by the placeholder 0.

    Scores and qualification stay where they are: the bias audit's counts stay true.
    """
    scores = models.RankingScores
    run_ids = session.scalars(select(scores.run_id).where(scores.run_id.in_(_runs_of(org)))
                              .order_by(scores.run_id)).all()
    for ids in _batches(run_ids):
        changed = []
        for run_id, blob in session.execute(
                select(scores.run_id, scores.candidate_ids).where(scores.run_id.in_(ids))):
            pool = decode_ids(blob)
            hit = pool == candidate_id
            if hit.any():
                changed.append({"run_id": run_id,
                                "candidate_ids": encode_ids(np.where(hit, PLACEHOLDER_ID, pool))})
        if changed:
            session.execute(update(scores), changed)


def _anonymise_requests(session: Session, org: int, candidate_id: int) -> None:
    """A run asked for by candidate ids names the candidate too: same placeholder."""
    run = models.RankingRun
    changed = []
    for run_id, request in session.execute(
            select(run.id, run.request).where(
                run.organization_id == org, cast(run.request, Text).contains(str(candidate_id)))):
        ids = request.get("candidate_ids") if isinstance(request, dict) else None
        if isinstance(ids, list) and candidate_id in ids:
            changed.append({"id": run_id, "request": {
                **request, "candidate_ids": [PLACEHOLDER_ID if i == candidate_id else i
                                             for i in ids]}})
    if changed:
        session.execute(update(run), changed)


def _anonymise_decisions(session: Session, org: int, candidate_id: int) -> None:
    """The decision stays, anonymous, for the selection-rate audit; its reason may name them."""
    d = models.Decision
    session.execute(update(d).where(d.organization_id == org, d.candidate_id == candidate_id)
                    .values(candidate_id=None, reason=ERASED),
                    execution_options={"synchronize_session": False})


def _scrub_events(session: Session, org: int, candidate_id: int, external_id: str) -> None:
    """The log keeps who did what and when, not to whom: both ids of the person go.

    The erasure's own event is recorded after this, so it still says which id was erased.
    """
    person = _Person(candidate_id, external_id)
    for event in _events_about(session, org, person):
        event.path, event.resource_id, event.detail = _scrubbed(event, person)
