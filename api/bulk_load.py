"""Bulk loading candidates from JSON Lines through the API's bulk path.

``talentmatch candidates import FILE --org NAME`` reads one candidate body per line
(the format of ``python -m fixtures.generate``) and loads batches of up to 1,000
exactly as ``POST /api/v1/candidates/bulk`` does: the same validation (``BulkInSchema``,
through its msgspec fast path :func:`~api.schemas.candidate_decoder.decode_candidates`
when a batch is plainly valid), the same intake (skill resolution, issuer matching)
and ``CandidateRepository.save_many(keep_badges=True)``, one transaction per batch
with its audit event. A bad line rejects its whole batch, reported by line number, and the
other batches still load; candidates are upserted by external_id, so running the
same file again (after fixing it, or after an interruption) resumes without
duplicating anything.

With ``jobs > 1``, worker processes parse, validate and resolve batches in parallel
(the CPU-bound part) and write them themselves, one batch at a time in file order:
each waits for the previous batch's commit (:class:`~api.bulk_jobs.Turns`), so a
later line for the same external_id wins, as in a sequential run. Everything that can
be done before the turn is (on PostgreSQL the batch's primary keys are drawn then,
:class:`~api.repositories.candidate_rows.ReservedIds`): the turn is the bottleneck.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, cast

import marshmallow as ma
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from api import models
from api.errors import flatten_messages
from api.intake import candidates_from_input
from api.postgres import analyze_candidates
from api.repositories.candidate_rows import ReservedIds
from api.repositories.candidates import CandidateRepository
from api.repositories.issuers import IssuerRepository
from api.repositories.skills import OrgSkillRepository
from api.schemas.candidate_decoder import decode_candidates
from api.schemas.candidates import MAX_BULK, BulkInSchema
from graph.taxonomy import taxonomy_resolver
from matcher.errors import InvalidInput
from matcher.model import Candidate
from matcher.skills import SkillMatch, SkillResolver

__all__ = ["FIRST_ANALYZE", "STAGES", "BatchLoader", "BatchOutcome", "ImportReport", "LineError",
           "numbered_batches", "organization_resolver"]

#: A loader refreshes the planner's statistics after this many candidates, then at x4.
FIRST_ANALYZE = 2_000
#: Where a batch's time goes, in order (``stage``: new candidates' children written
#: before the turn; ``wait``: for the previous batch's commit).
STAGES = ("parse", "validate", "intake", "stage", "wait", "write")
Batch = list[tuple[int, str]]  # (line number, text)


@dataclass(frozen=True)
class LineError:
    """Why a line (or, with ``line == 0``, a whole batch) was not written."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "batch"
        return f"{where}: {self.field}: {self.message}" if self.field else \
            f"{where}: {self.message}"


@dataclass
class BatchOutcome:
    """One batch: its line range, what it wrote (nothing when ``errors``) and timings."""

    first_line: int
    last_line: int
    count: int
    created: int = 0
    updated: int = 0
    errors: tuple[LineError, ...] = ()
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class ImportReport:
    """The sum of the batches' outcomes."""

    candidates: int = 0
    created: int = 0
    updated: int = 0
    failed: list[BatchOutcome] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))
    started: float = field(default_factory=time.perf_counter)

    def add(self, outcome: BatchOutcome) -> None:
        self.candidates += outcome.count
        self.created += outcome.created
        self.updated += outcome.updated
        if outcome.errors:
            self.failed.append(outcome)
        for stage, seconds in outcome.seconds.items():
            self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds

    @property
    def written(self) -> int:
        return self.created + self.updated

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def rate(self) -> float:
        """Candidates written per second of wall time so far."""
        return self.written / max(self.elapsed, 1e-9)


def numbered_batches(lines: Iterable[str], size: int) -> Iterator[Batch]:
    """Non-blank lines with their (1-based) numbers, ``size`` per batch."""
    if not 1 <= size <= MAX_BULK:
        raise ValueError(f"batch size must be 1..{MAX_BULK} (the bulk endpoint's limit)")
    numbered = ((n, text) for n, text in enumerate(lines, start=1) if text.strip())
    while batch := list(islice(numbered, size)):
        yield batch


class _RememberingResolver:
    """The organization's resolver, remembering each name's resolution for the whole load.

    A million candidates name the same few thousand skills over and over; the resolver
    and the organization's skills do not change during a load, so neither do results.
    """

    def __init__(self, resolver: SkillResolver) -> None:
        self._resolver = resolver
        self._known: dict[str, SkillMatch] = {}

    def resolve_many(self, names: Sequence[str]) -> list[SkillMatch]:
        known = self._known
        missing = [n for n in dict.fromkeys(names) if n not in known]
        if missing:
            known.update(zip(missing, self._resolver.resolve_many(missing), strict=True))
        return [known[n] for n in names]


def organization_resolver(session: Session, organization_id: int) -> SkillResolver:
    """What ``api.wiring.skill_resolver`` gives a request of the organization, remembering."""
    resolver = taxonomy_resolver().with_skills(OrgSkillRepository(session, organization_id).all())
    # Only resolve_many is used by intake (ResolvedNames); the cast keeps its signature.
    return cast(SkillResolver, _RememberingResolver(resolver))


class BatchLoader:
    """Loads batches into one organization through one session (one per process).

    Parameters
    ----------
    session : Session
        Committed once per written batch, rolled back when a batch fails.
    organization_id : int
        The tenant the candidates belong to.
    source : str
        Named in the audit event of every batch (the file loaded).
    """

    def __init__(self, session: Session, organization_id: int, source: str = "") -> None:
        self.session = session
        self.organization_id = organization_id
        self.source = source
        self.written = 0
        self._next_analyze = FIRST_ANALYZE
        self.resolver = organization_resolver(session, organization_id)
        session.rollback()  # no transaction left open while other stages run

    def load(self, batch: Batch, before_write: Callable[[], None] | None = None
             ) -> BatchOutcome:
        """Validate and write one batch, all or nothing; ``before_write`` may block."""
        numbers = [n for n, _ in batch]
        outcome = BatchOutcome(numbers[0], numbers[-1], len(batch))
        clock = _Clock(outcome.seconds)
        try:
            fast = decode_candidates([text for _, text in batch])
            if fast is not None:
                bodies, errors = fast, []
            else:  # the schema's way, which says what is wrong with which line
                bodies, parsed, errors = self._parse(batch)
                clock.lap("parse")
                errors += self._validate(bodies, parsed)
            clock.lap("validate")
            if errors:
                outcome.errors = tuple(sorted(errors, key=lambda e: e.line))
                return outcome
            candidates = self._intake(bodies, numbers, outcome)
            reserved = self._reserve(candidates) if candidates is not None else None
            clock.lap("intake")
            staged = (self._stage(candidates, reserved, outcome) if candidates is not None
                      else None)
            clock.lap("stage")
            if before_write is not None:
                before_write()
            clock.lap("wait")
            if candidates is not None and not outcome.errors:
                self._write(candidates, batch, outcome, reserved, staged)
            clock.lap("write")
            return outcome
        finally:
            self.session.rollback()  # a no-op after a commit; releases a failed batch

    def _parse(self, batch: Batch) -> tuple[list[Any], list[int], list[LineError]]:
        """The JSON objects of the batch, their line numbers, and the lines that are not."""
        bodies: list[Any] = []
        numbers: list[int] = []
        errors: list[LineError] = []
        for number, text in batch:
            try:
                body = json.loads(text)
            except ValueError as error:
                errors.append(LineError(number, "", f"not valid JSON: {error}"))
                continue
            if not isinstance(body, dict):
                errors.append(LineError(number, "", "expected a JSON object (a candidate)"))
                continue
            bodies.append(body)
            numbers.append(number)
        return bodies, numbers, errors

    def _validate(self, bodies: list[Any], numbers: list[int]) -> list[LineError]:
        """The schema's errors by line; on success ``bodies`` become the loaded data."""
        if not bodies:
            return []
        try:
            loaded = BulkInSchema().load({"candidates": bodies})
        except ma.ValidationError as error:
            return _line_errors(flatten_messages(error.messages), numbers)
        bodies[:] = loaded["candidates"]
        return []

    def _intake(self, bodies: list[dict], numbers: list[int], outcome: BatchOutcome
                ) -> list[Candidate] | None:
        try:
            return candidates_from_input(bodies, self.resolver,
                                         IssuerRepository(self.session, self.organization_id),
                                         "candidates")
        except InvalidInput as error:
            outcome.errors = tuple(_line_errors(error.errors or {"candidates": [str(error)]},
                                                numbers))
            return None
        finally:
            self.session.rollback()  # read-only so far: hold no snapshot while waiting

    def _reserve(self, candidates: list[Candidate]) -> ReservedIds | None:
        """On PostgreSQL, the batch's primary keys, drawn before its turn to write."""
        if self.session.get_bind().dialect.name != "postgresql":
            return None
        try:
            return ReservedIds(self.session, {
                models.Candidate: len(candidates),
                models.Credential: sum(len(c.credentials) for c in candidates),
                models.Experience: sum(len(c.experience) for c in candidates)})
        finally:
            self.session.rollback()

    def _stage(self, candidates: list[Candidate], reserved: ReservedIds | None,
               outcome: BatchOutcome) -> list[int] | None:
        """New candidates' children, written before the turn (PostgreSQL): their ids."""
        if reserved is None:
            return None
        try:
            staged = CandidateRepository(self.session, self.organization_id).stage_new(
                candidates, reserved)
            if staged is None:
                self.session.rollback()  # hold no snapshot while waiting
            return staged
        except OperationalError:
            raise
        except DBAPIError as error:  # e.g. an issuer deleted since intake
            self.session.rollback()
            outcome.errors = (LineError(0, "", f"not written: {error.orig}"),)
            return None

    def _write(self, candidates: list[Candidate], batch: Batch, outcome: BatchOutcome,
               reserved: ReservedIds | None = None, staged: list[int] | None = None) -> None:
        repo = CandidateRepository(self.session, self.organization_id)
        try:
            saved = repo.publish_staged(candidates, staged) if staged is not None else None
            if saved is None:  # not staged, or one was created since: the whole write now
                self.session.rollback()
                saved = repo.save_many(candidates, keep_badges=True, reserved=reserved)
            outcome.created = sum(1 for _, created in saved if created)
            outcome.updated = len(saved) - outcome.created
            self.session.add(self._audit_event(batch, outcome))
            self.session.commit()
            self._keep_statistics(len(saved))
        except OperationalError:
            raise  # the database is unavailable: stop; a re-run resumes
        except DBAPIError as error:  # e.g. a concurrent writer took an external_id
            outcome.created = outcome.updated = 0
            outcome.errors = (LineError(0, "", f"not written: {error.orig}"),)

    def _keep_statistics(self, count: int) -> None:
        """ANALYZE as the tables grow (x4 per loader), as autovacuum would if it kept up.

        With the statistics of an empty database the planner answered the upsert's
        external-id lookup by filtering the whole tenant: 425 ms per batch at 40,000
        candidates, and growing with every batch.
        """
        self.written += count
        if self.written >= self._next_analyze:
            self._next_analyze = self.written * 4
            analyze_candidates(self.session)
            self.session.commit()

    def _audit_event(self, batch: Batch, outcome: BatchOutcome) -> models.AuditEvent:
        digest = hashlib.sha256()
        for _, text in batch:
            digest.update(text.encode())
            digest.update(b"\n")
        return models.AuditEvent(
            organization_id=self.organization_id, actor="cli", action="CLI candidates import",
            method="CLI", path=self.source[:500], resource_type="candidates",
            fingerprint=digest.hexdigest(),
            detail={"lines": [outcome.first_line, outcome.last_line],
                    "created": outcome.created, "updated": outcome.updated})


def _line_errors(messages: dict[str, list[str]], numbers: list[int]) -> list[LineError]:
    """``candidates.<i>.<field>`` paths as line numbers and fields."""
    errors: list[LineError] = []
    for path, texts in sorted(messages.items()):
        head, _, rest = path.removeprefix("candidates").lstrip(".").partition(".")
        line = numbers[int(head)] if head.isdigit() and int(head) < len(numbers) else 0
        errors.extend(LineError(line, rest if line else path, text) for text in texts)
    return sorted(errors, key=lambda e: e.line)


class _Clock:
    """Adds the time since the previous lap to a stage."""

    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds = seconds
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self.last
        self.last = now
