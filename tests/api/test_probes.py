"""Liveness and readiness probes, and the index warm-up readiness waits for."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from flask import Flask

from api import create_app
from api.migrate import upgrade
from api.ranking import index_cache
from api.readiness import start_warmup
from fixtures.generate import generate_candidates
from tests.api.helpers import PROBLEM_JSON
from tests.ops.servers import tenant_key


def _app_on_file(tmp_path: Path) -> tuple[Flask, dict[str, str]]:
    url = f"sqlite:///{tmp_path / 'probes.sqlite3'}"
    upgrade(url)
    key = tenant_key(url)
    return create_app({"TESTING": True, "DATABASE_URL": url}), {"Authorization": f"Bearer {key}"}


def _wait(predicate, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_process_without_warm_up_is_ready_and_builds_lazily(client) -> None:
    response = client.get("/api/v1/ready")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "database": "ok",
                                   "index": {"state": "lazy"}}


def test_ready_waits_for_the_warm_up_and_then_reports_the_index(tmp_path: Path) -> None:
    app, headers = _app_on_file(tmp_path)
    client = app.test_client()
    bodies = list(generate_candidates(25, seed=5))
    assert client.post("/api/v1/candidates/bulk", json={"candidates": bodies},
                       headers=headers).status_code == 200
    cache = index_cache(app)
    with cache.guard:
        held = cache.locks.setdefault(1, threading.Lock())
    held.acquire()  # a ranking is building organization 1's index: warm-up must wait
    try:
        warmup = start_warmup(app)
        _wait(lambda: warmup.organizations == 1)
        waiting = client.get("/api/v1/ready")
        assert waiting.status_code == 503
        assert waiting.mimetype == PROBLEM_JSON
        assert waiting.get_json()["type"] == "urn:talentmatch:problem:not-ready"
        assert waiting.headers["Retry-After"]
        assert client.get("/api/v1/health").status_code == 200  # alive all the same
    finally:
        held.release()
    warmup.thread.join(30)
    ready = client.get("/api/v1/ready")
    assert ready.status_code == 200
    assert ready.get_json()["index"]["candidates"] == 25
    assert len(cache.indexes[1]) == 25  # the first ranking will not build it again
    assert start_warmup(app) is warmup


def test_warm_up_keeps_trying_while_the_database_is_down() -> None:
    app = create_app({"TESTING": True,
                      "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:9/nowhere"})
    warmup = start_warmup(app)
    try:
        _wait(lambda: warmup.last_error is not None)
        assert warmup.state == "warming" and warmup.thread.is_alive()
        client = app.test_client()
        for path in ("/api/v1/ready", "/api/v1/health"):
            response = client.get(path)
            assert response.status_code == 503
            assert response.mimetype == PROBLEM_JSON
            assert response.headers["Retry-After"]
    finally:
        warmup.stop()  # else it retries, and logs, for the rest of the run
    assert not warmup.thread.is_alive()
    assert warmup.state == "warming"  # it gave up; it never claims to be ready
