"""``talentmatch serve``: gunicorn workers, probes, index warm-up and graceful shutdown."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from pathlib import Path

from fixtures.generate import generate_candidates
from tests.ops.servers import TALENTMATCH, call, ops_database, running_server, tenant_key


def _bulk(server, key: str, bodies: list[dict]):
    return call("POST", server.url("/candidates/bulk"), {"candidates": bodies},
                headers={"Authorization": f"Bearer {key}"}, timeout=120)


def test_workers_warm_their_indexes_before_they_say_ready(backend: str, tmp_path: Path) -> None:
    url = ops_database(backend, tmp_path, "serve")
    key = tenant_key(url)
    tenant_key(url, "Second Org")
    with running_server(url, tmp_path) as first:
        assert _bulk(first, key, list(generate_candidates(40, seed=3))).status == 200

    with running_server(url, tmp_path, workers=2) as server:
        assert len(server.worker_pids()) == 2
        health = call("GET", server.url("/health"))
        assert health.status == 200 and health.body == {"status": "ok", "database": "ok"}
        ready = call("GET", server.url("/ready"))
        assert ready.status == 200
        index = ready.body["index"]
        assert index["state"] == "ready"
        assert (index["organizations"], index["built"], index["candidates"]) == (2, 2, 40)


def test_sigterm_lets_the_request_in_flight_finish(backend: str, tmp_path: Path) -> None:
    url = ops_database(backend, tmp_path, "graceful")
    key = tenant_key(url)
    bodies = list(generate_candidates(1000, seed=11))
    with running_server(url, tmp_path, workers=1) as server:
        outcome: dict = {}

        def post() -> None:
            outcome["response"] = _bulk(server, key, bodies)
            outcome["answered_at"] = time.monotonic()

        poster = threading.Thread(target=post)
        poster.start()
        time.sleep(0.15)  # the idle worker has accepted the request; 1,000 take much longer
        stopped_at = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        poster.join(120)
        exit_code = server.process.wait(60)

    assert outcome["answered_at"] > stopped_at, "the request finished before SIGTERM: no proof"
    response = outcome["response"]
    assert response.status == 200, response.body
    assert response.body["created"] == 1000
    assert exit_code == 0
    assert "Handling signal: term" in server.log() or "signal: term" in server.log().lower()


def test_serve_refuses_bad_options() -> None:
    result = subprocess.run([TALENTMATCH, "serve", "--workers", "-1"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    assert "--workers" in result.stderr


def test_serve_documents_its_options() -> None:
    result = subprocess.run([TALENTMATCH, "serve", "--help"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0
    for option in ("--workers", "--threads", "--timeout", "--graceful-timeout",
                   "--max-requests", "TALENTMATCH_WORKERS"):
        assert option in result.stdout
