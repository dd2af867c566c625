"""Running a bulk load (``api.bulk_load``): in this process, or in worker processes.

Validation and skill resolution are CPU-bound Python; on a machine with several cores
``jobs`` worker processes do them in parallel. Each worker also writes its own
batches, on its own connection, but only when its turn comes (:class:`Turns`): batch
``n`` commits after batch ``n - 1``, so the database sees the file in order and no two
workers contend for the organization's row lock. Workers are started with ``spawn``:
they share no connection, lock or thread with the parent.
"""

from __future__ import annotations

import dataclasses
import gc
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from api.bulk_load import STAGES, Batch, BatchLoader, BatchOutcome, ImportReport, numbered_batches
from api.db import make_engine
from api.postgres import PostgresSettings

__all__ = ["Turns", "format_errors", "format_summary", "gc_tuned", "import_file",
           "load_in_process", "load_in_workers", "tune_gc", "worker_engine_options"]

Progress = Callable[[ImportReport, BatchOutcome], None]
#: Errors shown per failed batch; the rest are counted.
SHOWN_ERRORS = 20


def tune_gc() -> None:
    """Collect less often, for the rest of the process (a worker's, a command's).

    Validation allocates many short-lived objects, and the long-lived ones (taxonomy,
    resolver) need never be scanned again: about 15 % of validation time.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


@contextmanager
def gc_tuned() -> Iterator[None]:
    """:func:`tune_gc` for a while, then the previous collector settings."""
    before = gc.get_threshold()
    tune_gc()
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


class Turns:
    """Batch numbers take turns: ``wait(n)`` returns once batch ``n - 1`` is ``done``."""

    def __init__(self, context: Any) -> None:
        self._next = context.Value("q", 0, lock=False)
        self._changed = context.Condition()

    def wait(self, number: int) -> None:
        with self._changed:
            self._changed.wait_for(lambda: self._next.value == number)

    def done(self, number: int) -> None:
        with self._changed:
            self._next.value = number + 1
            self._changed.notify_all()


def load_in_process(loader: BatchLoader, batches: Iterable[Batch],
                    progress: Progress | None = None) -> ImportReport:
    """Load every batch with ``loader``, one after the other."""
    report = ImportReport()
    for batch in batches:
        outcome = loader.load(batch)
        report.add(outcome)
        if progress is not None:
            progress(report, outcome)
    return report


def load_in_workers(batches: Iterable[Batch], *, jobs: int, database_url: str,
                    engine_options: dict[str, Any], organization_id: int, source: str = "",
                    progress: Progress | None = None) -> ImportReport:
    """Load every batch in ``jobs`` worker processes, committing in file order."""
    context = multiprocessing.get_context("spawn")
    turns = Turns(context)
    report = ImportReport()
    pending: deque[Future[BatchOutcome]] = deque()

    def collect() -> None:
        outcome = pending.popleft().result()
        report.add(outcome)
        if progress is not None:
            progress(report, outcome)

    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                             initargs=(database_url, engine_options, organization_id, source,
                                       turns)) as pool:
        try:
            for number, batch in enumerate(batches):
                pending.append(pool.submit(_load_batch, number, batch))
                if len(pending) > 2 * jobs:  # bounded read-ahead: memory stays flat
                    collect()
            while pending:
                collect()
        except BaseException:
            # Not-started batches come after every started one (FIFO), so cancelling
            # them leaves no started batch waiting for a turn that never comes.
            for future in pending:
                future.cancel()
            raise
    return report


_worker: tuple[BatchLoader, Turns] | None = None


def _start_worker(database_url: str, engine_options: dict[str, Any], organization_id: int,
                  source: str, turns: Turns) -> None:
    global _worker
    engine = make_engine(database_url, **engine_options)
    _worker = (BatchLoader(Session(engine, expire_on_commit=False), organization_id, source),
               turns)
    tune_gc()


def _load_batch(number: int, batch: Batch) -> BatchOutcome:
    assert _worker is not None, "worker not initialised"
    loader, turns = _worker
    waited = False

    def wait() -> None:
        nonlocal waited
        turns.wait(number)
        waited = True

    try:
        return loader.load(batch, before_write=wait)
    finally:
        if not waited:  # failed before writing: still hand the turn on, in order
            turns.wait(number)
        turns.done(number)


def worker_engine_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """An app's database settings for a worker, which needs one connection."""
    settings = PostgresSettings.from_config(config)
    return dataclasses.asdict(dataclasses.replace(settings, pool_size=1, max_overflow=0))


def import_file(path: Path, organization_id: int, *, session: Session, database_url: str,
                engine_options: dict[str, Any], batch: int = 1000, jobs: int = 1,
                progress: Progress | None = None) -> ImportReport:
    """Load a JSON Lines file of candidate bodies into an organization.

    ``jobs == 1`` uses ``session`` (the caller's); more use their own connections to
    ``database_url`` (``session`` is closed first, so it holds no transaction open).
    """
    with path.open(encoding="utf-8") as lines:
        batches = numbered_batches(lines, batch)
        if jobs == 1:
            with gc_tuned():
                return load_in_process(BatchLoader(session, organization_id, str(path)),
                                       batches, progress)
        session.close()
        return load_in_workers(batches, jobs=jobs, database_url=database_url,
                               engine_options=engine_options, organization_id=organization_id,
                               source=str(path), progress=progress)


def format_summary(report: ImportReport) -> str:
    """Counts, throughput and where the time went (stage seconds summed over workers)."""
    stages = ", ".join(f"{stage} {report.seconds.get(stage, 0.0):.1f}" for stage in STAGES)
    return (f"{report.created} created, {report.updated} updated in {report.elapsed:.1f} s "
            f"({report.rate():.0f} candidates/s); stage seconds: {stages}")


def format_errors(report: ImportReport) -> list[str]:
    """One line per error of each batch that was not written."""
    out = []
    for outcome in report.failed:
        out.append(f"lines {outcome.first_line}-{outcome.last_line} not written "
                   f"({outcome.count} candidates):")
        out.extend(f"  {error}" for error in outcome.errors[:SHOWN_ERRORS])
        if len(outcome.errors) > SHOWN_ERRORS:
            out.append(f"  ... and {len(outcome.errors) - SHOWN_ERRORS} more")
    return out
