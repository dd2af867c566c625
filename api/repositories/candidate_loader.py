"""Reading many candidates fast: one query per table per batch, no ORM objects.

Building the ranking index reads every candidate of an organization (a million in
the benchmark). ORM loading with ``selectinload`` costs an identity-map entry and an
``IN (...)`` list per relationship per batch; here each batch is six plain column
queries (candidates, their credentials, credential skills, experience, experience
skills, declared skills), each restricted to the batch's candidates through the
candidate table's primary key and the children's ``candidate_id`` indexes, and the
rows are assembled into domain values in Python.

Values repeat a lot across candidates (skill references, issuer names, titles,
verification states), so a :class:`Memo` shares one instance of each: a million
candidates then take a fraction of the memory.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, select
from sqlalchemy.orm import Session

from api import models
from matcher import model

__all__ = ["Memo", "fewer_collections", "load_batch"]

C = models.Candidate
K = models.Credential
X = models.Experience


_collections_lock = threading.Lock()
_collections_users = 0
_collections_before: tuple[int, int, int] = (700, 10, 10)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while candidates pile up.

    Reading a million candidates creates tens of millions of long-lived objects (none in
    cycles); at the default thresholds the collector rescans them over and over, a third
    of the read time. Thresholds are process-wide: the first of concurrent users raises
    them, the last restores them.
    """
    global _collections_users, _collections_before
    with _collections_lock:
        if _collections_users == 0:
            _collections_before = gc.get_threshold()
            gc.set_threshold(50_000, 50, 100)
        _collections_users += 1
    try:
        yield
    finally:
        with _collections_lock:
            _collections_users -= 1
            if _collections_users == 0:
                gc.set_threshold(*_collections_before)


class Memo:
    """One shared instance per distinct immutable value (frozen dataclasses, strings)."""

    def __init__(self) -> None:
        self._values: dict[Hashable, Any] = {}
        #: ``text(value, value)``: the shared copy of a repeated string (None stays None).
        self.text: Callable[[Any, Any], Any] = self._values.setdefault

    def verification(self, status: str, method: str | None, checked_at: Any,
                     detail: str | None) -> model.Verification:
        key = ("verification", status, method, checked_at, detail)
        found = self._values.get(key)
        if found is None:
            found = self._values[key] = model.Verification(
                status=_STATUSES[status], method=method, checked_at=checked_at, detail=detail)
        return found

    def refs(self, rows: list[tuple[str, str | None]] | None) -> tuple[model.SkillRef, ...]:
        if not rows:
            return ()
        values = self._values
        out = []
        for key in rows:
            ref = values.get(key)
            if ref is None:
                ref = values[key] = model.SkillRef(*key)
            out.append(ref)
        return tuple(out)


_KINDS = {kind.value: kind for kind in model.CredentialKind}
_STATUSES = {status.value: status for status in model.VerificationStatus}
_LEVELS = {level.value: level for level in model.EducationLevel}


def _grouped(rows: Any) -> dict[int, list[tuple[str, str | None]]]:
    """``{owner id: [(name, skill_id), ...]}`` from ``(owner, name, skill_id)`` rows
    ordered by owner."""
    return {owner: [(name, skill_id) for _, name, skill_id in group]
            for owner, group in groupby(rows, key=itemgetter(0))}


def load_batch(session: Session, organization_id: int, after_id: int, limit: int,
               *filters: ColumnElement[bool], memo: Memo | None = None
               ) -> list[model.Candidate]:
    """Up to ``limit`` candidates with ``id > after_id`` matching ``filters``, in id order."""
    memo = memo or Memo()
    session.flush()  # Core reads below: let them see the session's pending changes
    connection = session.connection()
    head = connection.execute(
        select(C.id, C.external_id, C.name, C.email, C.location)
        .where(C.organization_id == organization_id, C.id > after_id, *filters)
        .order_by(C.id).limit(limit)).all()
    if not head:
        return []
    owners: Select | list[int]
    if filters:
        # A few scattered ids (a ranking's page, a catch-up): name them. A range from the
        # first to the last would span most of the table and make every child query slow.
        owners = [row.id for row in head]
    else:
        # Keyset paging: the batch is exactly the candidates with ids in [lo, hi].
        owners = select(C.id).where(C.organization_id == organization_id,
                                    C.id.between(head[0].id, head[-1].id))
    credentials = _credentials(connection, owners, memo)
    experience = _experience(connection, owners, memo)
    declared = _grouped(connection.execute(
        _skills(models.CandidateSkill, models.CandidateSkill.candidate_id)
        .where(models.CandidateSkill.candidate_id.in_(owners))))
    text = memo.text
    return [
        model.Candidate(
            id=cid, external_id=external_id, name=name, email=email,
            location=text(location, location),
            credentials=tuple(credentials.get(cid, ())),
            experience=tuple(experience.get(cid, ())),
            skills=memo.refs(declared.get(cid)))
        for cid, external_id, name, email, location in head
    ]


def _skills(table: type[Any], owner: Any) -> Select:
    return select(owner, table.name, table.skill_id).order_by(owner, table.position)


def _credentials(connection: Connection, owners: Select | list[int], memo: Memo
                 ) -> dict[int, list[model.Credential]]:
    skills = _grouped(connection.execute(
        _skills(models.CredentialSkill, models.CredentialSkill.credential_id)
        .join(K, K.id == models.CredentialSkill.credential_id)
        .where(K.candidate_id.in_(owners))))
    rows = connection.execute(
        select(K.candidate_id, K.id, K.name, K.kind, K.issuer_name, K.issuer_id, K.issued_on,
               K.expires_on, K.verification_status, K.verification_method,
               K.verification_checked_at, K.verification_detail, K.level, K.badge)
        .where(K.candidate_id.in_(owners)).order_by(K.id))
    out: dict[int, list[model.Credential]] = {}
    text, refs, verification = memo.text, memo.refs, memo.verification
    for (cid, kid, name, kind, issuer_name, issuer_id, issued_on, expires_on, status, method,
         checked_at, detail, level, badge) in rows:
        out.setdefault(cid, []).append(model.Credential(
            id=kid, name=text(name, name), kind=_KINDS[kind], skills=refs(skills.get(kid)),
            issuer_name=text(issuer_name, issuer_name), issuer_id=issuer_id,
            issued_on=issued_on, expires_on=expires_on,
            verification=verification(status, method, checked_at, detail),
            level=_LEVELS[level] if level else None, badge=badge))
    return out


def _experience(connection: Connection, owners: Select | list[int], memo: Memo
                ) -> dict[int, list[model.Experience]]:
    skills = _grouped(connection.execute(
        _skills(models.ExperienceSkill, models.ExperienceSkill.experience_id)
        .join(X, X.id == models.ExperienceSkill.experience_id)
        .where(X.candidate_id.in_(owners))))
    rows = connection.execute(
        select(X.candidate_id, X.id, X.title, X.employer, X.industry, X.start_date, X.end_date)
        .where(X.candidate_id.in_(owners)).order_by(X.id))
    out: dict[int, list[model.Experience]] = {}
    text, refs = memo.text, memo.refs
    for cid, eid, title, employer, industry, start, end in rows:
        out.setdefault(cid, []).append(model.Experience(
            id=eid, title=text(title, title), employer=text(employer, employer),
            industry=text(industry, industry), start_date=start, end_date=end,
            skills=refs(skills.get(eid))))
    return out
