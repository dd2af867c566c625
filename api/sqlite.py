"""SQLite as a store: pragmas, write transactions that lock at BEGIN, bounded busy waits.

SQLite has one writer at a time. In WAL mode readers never wait, but a transaction
that starts as a read (plain ``BEGIN``) and writes later is refused outright
(``SQLITE_BUSY_SNAPSHOT``, no waiting can help) when another connection committed
since its first read: a bulk import that resolves skills for seconds before it
writes would fail under any concurrent write. So the requests that write begin with
``BEGIN IMMEDIATE``: they take the write lock before their first read, queue behind
the writer in progress (SQLite's busy handler, then a few retries with backoff) for at
most ``TALENTMATCH_SQLITE_BUSY_TIMEOUT_MS``, and when the lock cannot be had in time
they fail before doing anything: ``503`` with the ``database-busy`` problem type
(:data:`BUSY_PROBLEM`) and ``Retry-After``. Reads keep a plain ``BEGIN``.

Which requests write: ``POST``/``PUT``/``PATCH``/``DELETE``, and the ``GET`` views that
store something (:data:`WRITING_READS`: the ranking page stores its run, a bias audit
and a personal-data export log an audit event). A ``GET`` that writes and is missing
there still never corrupts anything: under a concurrent write it fails with the same
503, and its client retries.
"""

from __future__ import annotations

import sqlite3
import time
from functools import partial

from flask import has_request_context, request
from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from api.http_methods import WRITE_METHODS

__all__ = ["BUSY_PROBLEM", "DEFAULT_BUSY_TIMEOUT_MS", "WRITE_LOCK", "WRITING_READS",
           "configure", "is_busy", "wants_write_lock", "write_sessionmaker"]

# A 1,000-candidate bulk import holds the write lock for about 5 s on a small machine
# (skill resolution happens inside its transaction), so 15 s lets a write queue behind
# two of them; a longer wait would outlast common 30 s client and proxy timeouts, which
# is worse than a clear 503 the client can retry.
DEFAULT_BUSY_TIMEOUT_MS = 15_000
BUSY_PROBLEM = "urn:talentmatch:problem:database-busy"
# Connection execution option: begin with BEGIN IMMEDIATE (take the write lock).
WRITE_LOCK = "talentmatch_sqlite_write_lock"
# GET views that store something; the unit tests check each name still exists.
WRITING_READS = frozenset({"web.ranking", "web.audit", "web.audit_csv",
                           "privacy.CandidateExport"})
_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
# Retries when SQLite answers busy without waiting (its busy handler is not called in
# every case, e.g. while another connection recovers the WAL).
_FIRST_DELAY_S = 0.01
_MAX_DELAY_S = 0.25


def configure(engine: Engine, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> Engine:
    """Install the pragmas and the BEGIN handling on a SQLite ``engine``; returns it."""
    event.listen(engine, "connect", partial(_pragmas, busy_timeout_ms=busy_timeout_ms))
    # pysqlite's own transaction handling breaks SAVEPOINT; emit BEGIN ourselves
    # (the recipe in SQLAlchemy's SQLite dialect documentation).
    event.listen(engine, "begin", partial(_begin, busy_timeout_ms=busy_timeout_ms))
    return engine


def _pragmas(dbapi_connection: sqlite3.Connection, _record: object, *,
             busy_timeout_ms: int) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # Erasure must not leave deleted bytes in free pages (builds differ in the default).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
    cursor.close()


def _begin(conn: Connection, *, busy_timeout_ms: int) -> None:
    if not conn.get_execution_options().get(WRITE_LOCK):
        conn.exec_driver_sql("BEGIN")
        return
    deadline = time.monotonic() + busy_timeout_ms / 1000
    delay = _FIRST_DELAY_S
    while True:
        try:
            # Waits in SQLite's busy handler for up to busy_timeout_ms.
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as error:
            if not is_busy(error) or time.monotonic() + delay >= deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, _MAX_DELAY_S)


def is_busy(error: BaseException) -> bool:
    """Whether ``error`` (SQLAlchemy's or sqlite3's) is SQLite's busy or locked."""
    cause = getattr(error, "orig", error)
    if not isinstance(cause, sqlite3.OperationalError):
        return False
    code = getattr(cause, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _BUSY_CODES  # extended codes (BUSY_SNAPSHOT...) included
    return "locked" in str(cause) or "busy" in str(cause)


def write_sessionmaker(engine: Engine, **options: object) -> sessionmaker[Session]:
    """Sessions whose first transaction takes the write lock at BEGIN.

    After their first commit they fall back to plain ``BEGIN``: what a request reads
    after committing (the stored row it answers with) must never wait for, or fail
    on, another writer.
    """
    factory = sessionmaker(engine.execution_options(**{WRITE_LOCK: True}), **options)
    event.listen(factory, "after_commit", partial(_read_after_commit, reader=engine))
    return factory


def _read_after_commit(session: Session, *, reader: Engine) -> None:
    session.bind = reader


def wants_write_lock() -> bool:
    """Whether the current request writes (so its session should begin IMMEDIATE)."""
    if not has_request_context():
        return False
    return request.method in WRITE_METHODS or request.endpoint in WRITING_READS
