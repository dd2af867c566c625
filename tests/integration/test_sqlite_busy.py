"""SQLite's single writer: writes queue for the lock, give up with a clear 503, never half-write.

These tests need real commits and a second connection, so each has its own SQLite file
(not the rolled-back fixture connection). The competing writer is a plain ``sqlite3``
connection, as another process would be.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, event, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from api import create_app, models
from api.errors import PROBLEM_JSON
from api.sqlite import BUSY_PROBLEM, WRITE_LOCK, WRITING_READS, configure, is_busy
from tests.ops.servers import ops_database, tenant_key


class Store:
    """A private SQLite database with one organization and its key."""

    def __init__(self, tmp_path: Path):
        self.url = ops_database("sqlite", tmp_path, "busy")
        self.path = self.url.removeprefix("sqlite:///")
        self.key = tenant_key(self.url)
        self.headers = {"Authorization": f"Bearer {self.key}"}

    def app(self, busy_timeout_ms: int = 15_000) -> Flask:
        return create_app({"TESTING": True, "DATABASE_URL": self.url,
                           "SQLITE_BUSY_TIMEOUT_MS": busy_timeout_ms,
                           "RATELIMIT_ENABLED": False})

    def other_writer(self, timeout_s: float = 0.0) -> sqlite3.Connection:
        """Another connection (another process, for SQLite) that writes."""
        return sqlite3.connect(self.path, timeout=timeout_s, isolation_level=None,
                               check_same_thread=False)

    def count(self, table: str, where: str = "1=1", args: tuple = ()) -> int:
        with sqlite3.connect(self.path) as conn:
            return conn.execute(f"SELECT count(*) FROM {table} WHERE {where}", args).fetchone()[0]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path)


def _candidate(external_id: str) -> dict:
    return {"external_id": external_id, "name": f"Candidate {external_id}",
            "experience": [{"title": "Data Analyst", "start_date": "2021-01-01",
                            "skills": ["SQL"]}]}


def _put(client, store: Store, external_id: str):
    return client.put(f"/api/v1/candidates/by-external-id/{external_id}",
                      json=_candidate(external_id), headers=store.headers)


def test_a_write_that_cannot_get_the_lock_is_503_database_busy_and_writes_nothing(
        store: Store) -> None:
    client = store.app(busy_timeout_ms=200).test_client()
    holder = store.other_writer()
    holder.execute("BEGIN IMMEDIATE")
    try:
        reply = _put(client, store, "E-BUSY")
        # Readers are not blocked by the writer (WAL).
        listed = client.get("/api/v1/candidates", headers=store.headers)
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert reply.status_code == 503
    assert reply.mimetype == PROBLEM_JSON
    body = reply.get_json()
    assert body["type"] == BUSY_PROBLEM
    assert "nothing was written" in body["detail"]
    assert int(reply.headers["Retry-After"]) >= 1
    assert listed.status_code == 200
    assert store.count("candidates") == 0
    assert store.count("audit_events") == 0
    # Once the lock is free the same write goes through.
    assert _put(client, store, "E-BUSY").status_code == 201


def test_a_write_waits_for_a_lock_released_in_time(store: Store) -> None:
    app = store.app(busy_timeout_ms=20_000)
    asked = threading.Event()

    @event.listens_for(app.extensions["talentmatch.engine"], "connect")
    def _trace(dbapi_connection, _record) -> None:
        # Called as SQLite starts the statement, before it tries for the lock.
        dbapi_connection.set_trace_callback(
            lambda sql: asked.set() if sql == "BEGIN IMMEDIATE" else None)

    holder = store.other_writer()
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE organizations SET revision = revision + 100")
    outcome: dict = {}
    writer = threading.Thread(target=lambda: outcome.update(reply=_put(app.test_client(),
                                                                        store, "E-WAIT")))
    writer.start()
    try:
        assert asked.wait(10), "the write never began"
        time.sleep(0.2)  # let it queue on the lock (the outcome does not depend on this)
        assert "reply" not in outcome, "the write went through while the lock was held"
    finally:
        holder.execute("COMMIT")
        holder.close()
    writer.join(30)

    assert outcome["reply"].status_code == 201, outcome["reply"].get_json()
    # It wrote after the holder's commit: its revision counts on from the holder's.
    assert store.count("candidates", "external_id = ? AND revision = 101", ("E-WAIT",)) == 1


def _compete_at_first_read(app: Flask, store: Store) -> dict:
    """Once the request has read (auth), another connection tries to write and commit."""
    seen: dict = {}

    @event.listens_for(app.extensions["talentmatch.engine"], "after_cursor_execute")
    def _after(_conn, _cursor, statement: str, *_args) -> None:
        if "attempt" in seen or not statement.lstrip().upper().startswith("SELECT"):
            return
        other = store.other_writer(timeout_s=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("UPDATE organizations SET name = name || ' (synced)'")
            other.execute("COMMIT")
            seen["attempt"] = "committed"
        except sqlite3.OperationalError as error:
            seen["attempt"] = f"refused: {error}"
        finally:
            other.close()

    return seen


@pytest.mark.parametrize("path, body", [
    ("/api/v1/candidates/by-external-id/E-RACE", _candidate("E-RACE")),
    ("/api/v1/candidates/bulk", {"candidates": [_candidate("E-RACE-1"),
                                                _candidate("E-RACE-2")]}),
])
def test_a_read_then_write_request_racing_another_writer_succeeds(
        store: Store, path: str, body: dict) -> None:
    app = store.app()
    seen = _compete_at_first_read(app, store)
    method = "put" if "by-external-id" in path else "post"
    reply = getattr(app.test_client(), method)(path, json=body, headers=store.headers)

    assert reply.status_code in (200, 201), reply.get_json()
    # The request held the write lock from its first read, so the other writer had to
    # wait its turn instead of invalidating the request's snapshot...
    assert seen["attempt"].startswith("refused: database is locked")
    assert store.count("candidates", "external_id LIKE 'E-RACE%'") == \
        (2 if "bulk" in path else 1)
    # ... and gets it as soon as the request is done.
    other = store.other_writer(timeout_s=5)
    other.execute("UPDATE organizations SET name = name || ' (synced)'")
    other.close()


def test_without_begin_immediate_the_same_race_fails(store: Store) -> None:
    """The race above is real: a transaction that read first cannot write after it."""
    app = store.app()
    engine = app.extensions["talentmatch.engine"]  # plain BEGIN, as reads use
    with Session(engine) as session:
        session.scalar(select(models.Organization.revision))  # the snapshot starts here
        other = store.other_writer(timeout_s=5)
        other.execute("UPDATE organizations SET name = name || ' (synced)'")
        other.close()
        with pytest.raises(OperationalError) as raised:
            session.execute(update(models.Organization).values(revision=models.Organization
                                                               .revision + 1))
    assert is_busy(raised.value), raised.value  # SQLITE_BUSY_SNAPSHOT: no wait helps


def test_reads_do_not_take_the_write_lock(store: Store) -> None:
    client = store.app(busy_timeout_ms=200).test_client()
    assert _put(client, store, "E-READ").status_code == 201
    holder = store.other_writer()
    holder.execute("BEGIN IMMEDIATE")
    try:
        got = client.get("/api/v1/candidates/by-external-id/E-READ", headers=store.headers)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert got.status_code == 200 and got.get_json()["name"] == "Candidate E-READ"


def test_the_busy_timeout_setting_reaches_every_connection(store: Store,
                                                          monkeypatch) -> None:
    monkeypatch.setenv("TALENTMATCH_SQLITE_BUSY_TIMEOUT_MS", "1234")
    app = create_app({"DATABASE_URL": store.url})
    assert app.config["SQLITE_BUSY_TIMEOUT_MS"] == 1234
    with app.extensions["talentmatch.engine"].connect() as conn:
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 1234


def test_the_get_views_that_write_still_exist(store: Store) -> None:
    """WRITING_READS names views by endpoint: a rename must not drop one silently."""
    app = store.app()
    endpoints = {rule.endpoint: rule.methods for rule in app.url_map.iter_rules()}
    for endpoint in WRITING_READS:
        assert "GET" in endpoints.get(endpoint, set()), endpoint


def test_only_busy_and_locked_errors_count_as_busy() -> None:
    with sqlite3.connect(":memory:") as conn, pytest.raises(sqlite3.OperationalError) as other:
        conn.execute("SELECT * FROM missing")
    assert not is_busy(other.value)
    assert not is_busy(ValueError("database is locked"))
    assert is_busy(sqlite3.OperationalError("database is locked"))  # no error code known


def _engine_without_sqlite_wait(store: Store, budget_ms: int, attempts: list[str]):
    """Our engine, but SQLite answers busy at once (as when its busy handler is skipped)."""
    engine = configure(create_engine(store.url), budget_ms)

    @event.listens_for(engine, "connect")
    def _no_wait(dbapi_connection, _record) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=0")
        dbapi_connection.set_trace_callback(
            lambda sql: attempts.append(sql) if sql == "BEGIN IMMEDIATE" else None)

    return engine.execution_options(**{WRITE_LOCK: True})


def test_begin_immediate_retries_with_backoff_until_the_lock_is_free(store: Store) -> None:
    attempts: list[str] = []
    writer = _engine_without_sqlite_wait(store, 20_000, attempts)
    holder = store.other_writer()
    holder.execute("BEGIN IMMEDIATE")

    def release_after_a_retry() -> None:
        deadline = time.monotonic() + 10
        while len(attempts) < 3 and time.monotonic() < deadline:
            time.sleep(0.005)
        holder.execute("COMMIT")

    releaser = threading.Thread(target=release_after_a_retry)
    releaser.start()
    try:
        with writer.begin() as conn:
            conn.execute(update(models.Organization).values(name="Retried"))
    finally:
        releaser.join(15)
        holder.close()
    assert len(attempts) >= 3  # refused at least twice, then got the lock
    assert store.count("organizations", "name = 'Retried'") == 1


def test_begin_immediate_gives_up_after_the_busy_timeout(store: Store) -> None:
    attempts: list[str] = []
    writer = _engine_without_sqlite_wait(store, 300, attempts)
    holder = store.other_writer()
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperationalError) as raised, writer.begin() as conn:
            conn.execute(update(models.Organization).values(name="Never"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert is_busy(raised.value)
    assert len(attempts) > 1  # it did retry before giving up
    assert store.count("organizations", "name = 'Never'") == 0


def test_a_write_request_reads_its_answer_back_without_the_write_lock(store: Store) -> None:
    """After its commit, a request reading what it stored must not queue behind writers."""
    app = store.app()
    begins: list[str] = []

    @event.listens_for(app.extensions["talentmatch.engine"], "connect")
    def _trace(dbapi_connection, _record) -> None:
        dbapi_connection.set_trace_callback(
            lambda sql: begins.append(sql) if sql.startswith("BEGIN") else None)

    client = app.test_client()
    assert _put(client, store, "E-BACK").status_code == 201
    assert begins == ["BEGIN IMMEDIATE", "BEGIN"]
    begins.clear()
    assert client.get("/api/v1/candidates", headers=store.headers).status_code == 200
    assert begins == ["BEGIN"]
