"""Candidate repository: profiles with credentials and experience, tenant-scoped.

Writes go through :meth:`CandidateRepository.save_many`, one set-based path
for a single candidate and for a bulk import of a thousand: one ``executemany``
(SQLite, small sets) or ``COPY`` (PostgreSQL) per table instead of an ORM unit of
work per row (``api.repositories.candidate_rows``). Reads of many candidates (the
ranking index, its catch-up, a ranking page) go through
``api.repositories.candidate_loader``: a few column queries per batch.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from functools import partial

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    any_,
    bindparam,
    delete,
    func,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import selectinload

from api import models
from api.privacy import erase_traces
from api.repositories import candidate_rows as rows_of
from api.repositories.base import TenantRepository, bump_revision
from api.repositories.candidate_loader import Memo, fewer_collections, load_batch
from matcher import model
from matcher.errors import Conflict

__all__ = ["CandidateRepository", "candidate_to_domain", "credential_to_domain"]

_IdSource = Callable[[type, int], list[int]]
# The children's keys to their candidate: deferrable, so a bulk import can write the
# children before it takes the tenant's lock (stage_new).
_TO_CANDIDATES = ("fk_credentials_candidate_id_candidates",
                  "fk_experiences_candidate_id_candidates",
                  "fk_candidate_skills_candidate_id_candidates")
# Stay far below SQLite's bound-parameter limit in IN (...) lists.
_CHUNK = 500


def _refs(rows: Sequence[models.SkillRow]) -> tuple[model.SkillRef, ...]:
    return tuple(model.SkillRef(r.name, r.skill_id) for r in rows)


def credential_to_domain(c: models.Credential) -> model.Credential:
    return model.Credential(
        id=c.id,
        name=c.name,
        kind=model.CredentialKind(c.kind),
        skills=_refs(c.skills),
        issuer_name=c.issuer_name,
        issuer_id=c.issuer_id,
        issued_on=c.issued_on,
        expires_on=c.expires_on,
        verification=model.Verification(
            status=model.VerificationStatus(c.verification_status),
            method=c.verification_method,
            checked_at=c.verification_checked_at,
            detail=c.verification_detail,
        ),
        level=model.EducationLevel(c.level) if c.level else None,
        badge=c.badge,
    )


def candidate_to_domain(row: models.Candidate) -> model.Candidate:
    return model.Candidate(
        id=row.id,
        external_id=row.external_id,
        name=row.name,
        email=row.email,
        location=row.location,
        credentials=tuple(credential_to_domain(c) for c in row.credentials),
        experience=tuple(
            model.Experience(
                id=e.id,
                title=e.title,
                employer=e.employer,
                industry=e.industry,
                start_date=e.start_date,
                end_date=e.end_date,
                skills=_refs(e.skills),
            )
            for e in row.experience
        ),
        skills=_refs(row.skills),
    )


_LOAD = (
    selectinload(models.Candidate.credentials).selectinload(models.Credential.skills),
    selectinload(models.Candidate.experience).selectinload(models.Experience.skills),
    selectinload(models.Candidate.skills),
)


class CandidateRepository(TenantRepository[models.Candidate, model.Candidate]):
    """The candidates of one organization."""

    model = models.Candidate
    noun = "candidate"

    def to_domain(self, row: models.Candidate) -> model.Candidate:
        return candidate_to_domain(row)

    def _scoped(self) -> Select:
        return super()._scoped().options(*_LOAD)

    def id_for_external_id(self, external_id: str) -> int | None:
        return self.session.scalar(
            select(models.Candidate.id).where(
                models.Candidate.organization_id == self.organization_id,
                models.Candidate.external_id == external_id))

    def external_ids_by_email(self, emails: Sequence[str]) -> dict[str, str]:
        """external_id of the candidates with these emails (lower case), oldest first."""
        wanted = sorted({e.lower() for e in emails if e})
        found: dict[str, str] = {}
        for start in range(0, len(wanted), _CHUNK):
            rows = self.session.execute(
                select(func.lower(models.Candidate.email), models.Candidate.external_id).where(
                    models.Candidate.organization_id == self.organization_id,
                    func.lower(models.Candidate.email).in_(wanted[start:start + _CHUNK]))
                .order_by(models.Candidate.id))
            for email, external_id in rows:
                found.setdefault(email, external_id)
        return found

    def badges_held(self, ids: Sequence[int]) -> dict[int, tuple[model.Credential, ...]]:
        """The credentials that came from Open Badges, per candidate id (own candidates only)."""
        held: dict[int, list[model.Credential]] = {}
        for start in range(0, len(ids), _CHUNK):
            rows = self.session.scalars(
                select(models.Credential).join(models.Candidate).where(
                    models.Candidate.organization_id == self.organization_id,
                    models.Credential.candidate_id.in_(ids[start:start + _CHUNK]),
                    models.Credential.badge.is_not(None))
                .options(selectinload(models.Credential.skills)).order_by(models.Credential.id))
            for row in rows:
                if row.badge is not None:
                    held.setdefault(row.candidate_id, []).append(credential_to_domain(row))
        return {cid: tuple(found) for cid, found in held.items()}

    def delete(self, row_id: int) -> None:
        """Erase a candidate everywhere; leave a note (id only) for other processes' indexes.

        Their rows go (children cascade); what must outlive them (ranking runs, decisions,
        the audit log) is anonymised first, in the same transaction (docs/privacy.md).
        """
        external_id = self._row(row_id).external_id
        revision = bump_revision(self.session, self.organization_id)
        erase_traces(self.session, self.organization_id, row_id, external_id)
        self.session.execute(delete(models.Candidate).where(models.Candidate.id == row_id),
                             execution_options={"synchronize_session": False})
        self.session.add(models.CandidateDeletion(organization_id=self.organization_id,
                                                  candidate_id=row_id, revision=revision))
        self.session.flush()
        self.session.expire_all()

    def get_many(self, ids: Sequence[int]) -> dict[int, model.Candidate]:
        """Candidates by id (missing or foreign ids are left out)."""
        memo = Memo()
        wanted = sorted(set(ids))
        found: dict[int, model.Candidate] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start:start + _CHUNK]
            found.update((c.id, c) for c in load_batch(
                self.session, self.organization_id, 0, len(chunk),
                models.Candidate.id.in_(chunk), memo=memo))
        return found

    def changed_since(self, revision: int) -> tuple[list[model.Candidate], list[int]]:
        """Candidates written, and ids deleted, after ``revision`` (for index catch-up)."""
        changed = list(self._batches(models.Candidate.revision > revision))
        deleted = self.session.scalars(
            select(models.CandidateDeletion.candidate_id).where(
                models.CandidateDeletion.organization_id == self.organization_id,
                models.CandidateDeletion.revision > revision)).all()
        return changed, list(deleted)

    def stream_all(self, batch: int = 5000) -> Iterator[model.Candidate]:
        """Every candidate, in id order, loaded in batches (for building an index)."""
        return self._batches(batch=batch)

    def _batches(self, *filters: ColumnElement[bool], batch: int = 5000
                 ) -> Iterator[model.Candidate]:
        memo = Memo()  # shared across batches: repeated values are stored once
        last = 0
        with fewer_collections():
            while found := load_batch(self.session, self.organization_id, last, batch,
                                      *filters, memo=memo):
                yield from found
                last = found[-1].id

    def add(self, candidate: model.Candidate) -> model.Candidate:
        """Create one candidate; an existing external_id is a conflict."""
        existing = self.id_for_external_id(candidate.external_id)
        if existing is not None:
            raise Conflict(
                f"A candidate with external_id {candidate.external_id!r} exists (id {existing}); "
                "use PUT to replace it.")
        (candidate_id, _), = self.save_many([candidate])
        return self.get(candidate_id)

    def replace(self, candidate_id: int, candidate: model.Candidate, *,
                keep_badges: bool = False) -> model.Candidate:
        """Replace candidate ``candidate_id`` wholesale with ``candidate``.

        ``keep_badges``: a profile write (an HR sync, a resume) carries no badges, and must
        not drop the verified evidence the candidate holds; badges change only through
        ``/candidates/{id}/badges``, which passes the whole credential list itself.
        """
        self.get(candidate_id)
        other = self.id_for_external_id(candidate.external_id)
        if other is not None and other != candidate_id:
            raise Conflict(
                f"external_id {candidate.external_id!r} belongs to candidate {other}.")
        self._write([(candidate_id, candidate)], [], keep_badges)
        return self.get(candidate_id)

    def save_many(self, candidates: Sequence[model.Candidate], *, keep_badges: bool = False,
                  reserved: rows_of.ReservedIds | None = None) -> list[tuple[int, bool]]:
        """Upsert by external_id; returns ``(id, created)`` per candidate, in order.

        ``keep_badges`` as for :meth:`replace`, for the candidates that exist.
        ``reserved``: primary keys drawn beforehand (PostgreSQL), used before new ones.
        """
        existing = self.ids_by_external_id([c.external_id for c in candidates])
        updates = [(existing[c.external_id], c) for c in candidates if c.external_id in existing]
        creates = [c for c in candidates if c.external_id not in existing]
        new_ids = iter(self._write(updates, creates, keep_badges, reserved))
        return [
            (existing[c.external_id], False) if c.external_id in existing else (next(new_ids), True)
            for c in candidates
        ]

    def ids_by_external_id(self, external_ids: Sequence[str]) -> dict[str, int]:
        if self.session.get_bind().dialect.name == "postgresql":
            # One array parameter: planning a thousand-item IN list cost more than the
            # lookups themselves (7 ms against 1.4 ms per bulk batch).
            return dict(self.session.execute(
                select(models.Candidate.external_id, models.Candidate.id).where(
                    models.Candidate.organization_id == self.organization_id,
                    models.Candidate.external_id == any_(
                        bindparam("external_ids", list(external_ids), type_=ARRAY(String))))
            ).all())
        found: dict[str, int] = {}
        for start in range(0, len(external_ids), _CHUNK):
            chunk = external_ids[start:start + _CHUNK]
            found.update(self.session.execute(
                select(models.Candidate.external_id, models.Candidate.id).where(
                    models.Candidate.organization_id == self.organization_id,
                    models.Candidate.external_id.in_(chunk))
            ).all())
        return found

    def _write(self, updates: Sequence[tuple[int, model.Candidate]],
               creates: Sequence[model.Candidate], keep_badges: bool = False,
               reserved: rows_of.ReservedIds | None = None) -> list[int]:
        """Update and create candidate rows, then rewrite all their children."""
        draw_ids: _IdSource = (partial(reserved.take, self.session) if reserved is not None
                               else partial(rows_of.allocate_ids, self.session))
        if keep_badges and updates:
            held = self.badges_held([cid for cid, _ in updates])
            updates = [(cid, dataclasses.replace(c, credentials=c.credentials + held[cid]))
                       if cid in held else (cid, c) for cid, c in updates]
        revision = bump_revision(self.session, self.organization_id)
        if updates:
            self.session.execute(update(models.Candidate), [
                {"id": cid, "revision": revision, **_profile(c)} for cid, c in updates])
            for start in range(0, len(updates), _CHUNK):
                ids = [cid for cid, _ in updates[start:start + _CHUNK]]
                # ON DELETE CASCADE removes their skill rows too.
                for table in (models.Credential, models.Experience, models.CandidateSkill):
                    self.session.execute(
                        delete(table).where(table.candidate_id.in_(ids)),
                        execution_options={"synchronize_session": False})
        new_ids = draw_ids(models.Candidate, len(creates))
        self._insert_candidates(new_ids, creates, revision)
        self._insert_children([*updates, *zip(new_ids, creates, strict=True)], draw_ids)
        # The set-based statements bypassed the identity map: reload on next read.
        self.session.expire_all()
        return new_ids

    def stage_new(self, candidates: Sequence[model.Candidate], reserved: rows_of.ReservedIds
                  ) -> list[int] | None:
        """Write the children of candidates that are all new, without the tenant's lock.

        The first half of a bulk import's write (PostgreSQL), done while another batch
        holds the organization's lock: credentials, experience and skill lists, most of
        the rows and their foreign-key checks. Their keys to ``candidates`` are checked
        at commit (the constraints are deferrable). :meth:`publish_staged` writes the
        candidates themselves. Returns their ids, or ``None`` (nothing written) when any
        of them exists: updates take :meth:`save_many`.
        """
        if self.ids_by_external_id([c.external_id for c in candidates]):
            return None
        self.session.execute(text(f"SET CONSTRAINTS {', '.join(_TO_CANDIDATES)} DEFERRED"))
        draw_ids: _IdSource = partial(reserved.take, self.session)
        ids = draw_ids(models.Candidate, len(candidates))
        self._insert_children(list(zip(ids, candidates, strict=True)), draw_ids)
        return ids

    def publish_staged(self, candidates: Sequence[model.Candidate], ids: Sequence[int]
                       ) -> list[tuple[int, bool]] | None:
        """The staged candidates' own rows, under the tenant's lock and a new revision.

        ``None`` when one of them was created since :meth:`stage_new`: the caller rolls
        back and saves the batch again with :meth:`save_many`.
        """
        revision = bump_revision(self.session, self.organization_id)
        # Looked up again under the lock: no other writer can create one now.
        if self.ids_by_external_id([c.external_id for c in candidates]):
            return None
        self._insert_candidates(ids, candidates, revision)
        self.session.expire_all()
        return [(cid, True) for cid in ids]

    def _insert_candidates(self, ids: Sequence[int], candidates: Sequence[model.Candidate],
                           revision: int) -> None:
        now = datetime.now(UTC)
        rows_of.insert_rows(self.session, models.Candidate, rows_of.CANDIDATE_COLUMNS, [
            rows_of.candidate_row(cid, self.organization_id, revision, c, now)
            for cid, c in zip(ids, candidates, strict=True)])

    def _insert_children(self, owners: Sequence[tuple[int, model.Candidate]],
                         draw_ids: _IdSource) -> None:
        self._insert_credentials(owners, draw_ids)
        self._insert_experience(owners, draw_ids)
        self._insert_skills(models.CandidateSkill, "candidate_id",
                            [(cid, c.skills) for cid, c in owners])

    def _insert_credentials(self, owners: Sequence[tuple[int, model.Candidate]],
                            draw_ids: _IdSource) -> None:
        items = [(cid, k) for cid, c in owners for k in c.credentials]
        ids = draw_ids(models.Credential, len(items))
        rows_of.insert_rows(self.session, models.Credential, rows_of.CREDENTIAL_COLUMNS, [
            rows_of.credential_row(kid, cid, k)
            for kid, (cid, k) in zip(ids, items, strict=True)])
        self._insert_skills(models.CredentialSkill, "credential_id",
                            [(kid, k.skills) for kid, (_, k) in zip(ids, items, strict=True)])

    def _insert_experience(self, owners: Sequence[tuple[int, model.Candidate]],
                           draw_ids: _IdSource) -> None:
        items = [(cid, e) for cid, c in owners for e in c.experience]
        ids = draw_ids(models.Experience, len(items))
        rows_of.insert_rows(self.session, models.Experience, rows_of.EXPERIENCE_COLUMNS, [
            rows_of.experience_row(eid, cid, e)
            for eid, (cid, e) in zip(ids, items, strict=True)])
        self._insert_skills(models.ExperienceSkill, "experience_id",
                            [(eid, e.skills) for eid, (_, e) in zip(ids, items, strict=True)])

    def _insert_skills(self, table: type, owner_column: str,
                       owners: list[tuple[int, tuple[model.SkillRef, ...]]]) -> None:
        rows_of.insert_rows(self.session, table, rows_of.skill_columns(owner_column),
                            rows_of.skill_rows(owners))


def _profile(c: model.Candidate) -> dict:
    return {"external_id": c.external_id, "name": c.name, "email": c.email,
            "location": c.location}
