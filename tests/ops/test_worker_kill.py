"""A worker killed in the middle of a bulk import leaves no partial import.

The kill lands at a point the test makes certain, not at a guessed moment: every row
of the import has been written inside its transaction and the commit has not happened.

- PostgreSQL: the test holds ``LOCK TABLE audit_events IN SHARE MODE``. The import's
  last statement before ``COMMIT`` inserts its audit event, so the worker's backend
  waits on that lock (``pg_stat_activity``) with a transaction id assigned (it wrote).
- SQLite: a trigger on ``audit_events`` (so, after the import's rows) writes ballast ten
  times SQLite's page cache, so SQLite spills the uncommitted transaction into the WAL.
  Once the WAL holds 1 MB of it the test freezes the worker (SIGSTOP) and checks, while
  it is frozen, that the WAL holds less than the ballast (the trigger was still running,
  so the commit had not begun) and that the worker holds the write lock; then kills it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select, text

from api import models
from api.db import make_engine
from fixtures.generate import generate_candidates
from tests.ops.servers import Server, call, ops_database, running_server, tenant_key

DEADLINE_S = 90
BALLAST = 200 * 100_000  # bytes the SQLite trigger writes: ten times SQLite's page cache
SPILLED = 1_000_000  # WAL bytes that show the uncommitted transaction being spilled
_IMPORT_TABLES = (models.Candidate, models.Credential, models.CredentialSkill,
                  models.Experience, models.ExperienceSkill, models.CandidateSkill,
                  models.AuditEvent)


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = {t.__tablename__: conn.scalar(select(func.count()).select_from(t))
                 for t in _IMPORT_TABLES}
        found["revision"] = conn.scalar(select(models.Organization.revision))
    engine.dispose()
    return found


def _until(condition: Callable[[], object], what: str, timeout: float = DEADLINE_S):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.005)
    raise AssertionError(f"timed out waiting for {what}")


def _kill_postgres_worker_before_commit(url: str, worker: int) -> None:
    engine = make_engine(url)
    holder = engine.connect()
    holder.execute(text("LOCK TABLE audit_events IN SHARE MODE"))
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as watcher:
            def blocked_import() -> int | None:
                return watcher.scalar(text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                    " AND wait_event_type = 'Lock' AND backend_xid IS NOT NULL"
                    " AND query ILIKE 'INSERT INTO audit_events%'"))

            backend = _until(blocked_import, "the import to wait before its commit")
            os.kill(worker, signal.SIGKILL)
            holder.rollback()
            # The backend notices its client is gone once it has the lock, and aborts.
            _until(lambda: not watcher.scalar(
                text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                {"pid": backend}), "the killed worker's backend to end")
    finally:
        holder.close()
        engine.dispose()


def _prepare_sqlite_spill(path: str) -> None:
    with sqlite3.connect(path, isolation_level=None) as conn:
        conn.executescript("""
            CREATE TABLE ballast (x BLOB);
            CREATE TABLE ballast_rows (n INTEGER);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
                INSERT INTO ballast_rows SELECT i FROM n;
            CREATE TRIGGER import_spills AFTER INSERT ON audit_events BEGIN
                INSERT INTO ballast SELECT randomblob(100000) FROM ballast_rows;
            END;
        """)
        # An empty WAL: from here on it grows only by the import's uncommitted pages.
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0


def _kill_sqlite_worker_before_commit(path: str, worker: int) -> None:
    wal = Path(f"{path}-wal")
    _until(lambda: wal.exists() and wal.stat().st_size > SPILLED, "the import to spill")
    os.kill(worker, signal.SIGSTOP)
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        # Frozen with less than the ballast in the WAL: the trigger, which runs after the
        # import's rows and before its commit, was still writing.
        assert wal.stat().st_size < BALLAST, "the import got to its commit before the freeze"
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)  # frozen inside its write transaction: kill it there
    else:
        probe.execute("ROLLBACK")
        raise AssertionError("the import committed before the worker was frozen")
    finally:
        probe.close()
        os.kill(worker, signal.SIGKILL)
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER import_spills")


def _replaced(server: Server, killed: int) -> list[int]:
    pids = server.worker_pids()
    return pids if pids and killed not in pids else []


def test_a_worker_killed_mid_import_leaves_no_partial_import(backend: str,
                                                             tmp_path: Path) -> None:
    url = ops_database(backend, tmp_path, "kill")
    headers = {"Authorization": f"Bearer {tenant_key(url)}"}
    bodies = list(generate_candidates(1000, seed=21))
    before = _counts(url)
    sqlite_path = url.removeprefix("sqlite:///") if backend == "sqlite" else None
    if sqlite_path:
        _prepare_sqlite_spill(sqlite_path)

    with running_server(url, tmp_path, workers=1, threads=2) as server:
        (worker,) = server.worker_pids()
        outcome: dict = {}

        def post() -> None:
            try:
                outcome["reply"] = call("POST", server.url("/candidates/bulk"),
                                        {"candidates": bodies}, headers=headers, timeout=120)
            except OSError as error:
                outcome["error"] = error

        poster = threading.Thread(target=post)
        poster.start()
        if sqlite_path:
            _kill_sqlite_worker_before_commit(sqlite_path, worker)
        else:
            _kill_postgres_worker_before_commit(url, worker)
        poster.join(60)

        # The client lost its connection: it was never told the import happened...
        assert "reply" not in outcome, outcome["reply"]
        assert isinstance(outcome.get("error"), OSError)
        # ... and it did not happen, not even in part.
        assert _counts(url) == before
        if sqlite_path:
            with sqlite3.connect(sqlite_path) as conn:
                assert conn.execute("SELECT count(*) FROM ballast").fetchone()[0] == 0

        # gunicorn replaced the worker; the service answers without a restart.
        replacement = _until(lambda: _replaced(server, worker), "a replacement worker")
        assert len(replacement) == 1 and server.process.poll() is None
        _until(lambda: call("GET", server.url("/ready"), timeout=5).status == 200,
               "the replacement worker to be ready")

        again = call("POST", server.url("/candidates/bulk"), {"candidates": bodies},
                     headers=headers, timeout=120)
        assert again.status == 200, again.body
        assert (again.body["created"], again.body["updated"]) == (1000, 0)

    after = _counts(url)
    assert after["candidates"] == 1000
    assert after["credentials"] == sum(len(b.get("credentials", [])) for b in bodies)
    assert after["experiences"] == sum(len(b.get("experience", [])) for b in bodies)
    assert after["audit_events"] == 1
    assert after["revision"] == before["revision"] + 1
