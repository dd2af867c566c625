"""PostgreSQL restarted under a burst of writes: 503 while it is down, nothing acknowledged lost.

A real server (two gunicorn workers) on its own database takes a stream of candidate
writes (single upserts and small bulks) from a writer thread that remembers every write
it got a 2xx for. The test stops PostgreSQL (fast shutdown: open transactions are cut),
checks that writes, reads, rankings and both probes answer 503 problem+json (never a 500,
never a dropped connection), starts it again and checks that the same worker processes
serve again by themselves and the writer carries on; finally every acknowledged write
is read back from the database with the content that was acknowledged.

PostgreSQL only; needs TEST_DATABASE_URL pointing at the local cluster and root (it runs
``pg_ctlcluster``). PostgreSQL is always started again, whatever happens.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from api import models
from api.db import make_engine
from api.errors import PROBLEM_JSON
from tests.conftest import BACKENDS
from tests.ops.servers import Response, Server, call, ops_database, running_server, tenant_key

pytestmark = pytest.mark.skipif("postgresql" not in BACKENDS,
                                reason="PostgreSQL fault test: set TEST_DATABASE_URL")

RECOVERY_S = 30
BULK_EVERY = 4  # every fourth write is a bulk of BULK_SIZE
BULK_SIZE = 5


def _cluster(action: str) -> None:
    (version,) = os.listdir("/etc/postgresql")
    extra = ["-m", "fast"] if action == "stop" else []
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action,
                    *extra], check=True, timeout=60, capture_output=True)


def _candidate(external_id: str, n: int) -> dict:
    return {"external_id": external_id, "name": f"Writer Candidate {n}",
            "location": f"City {n % 7}",
            "credentials": [{"name": f"SQL Certificate {n}", "kind": "certification",
                             "issuer": "Kestrel University", "issued_on": "2022-03-01",
                             "skills": ["SQL"]}],
            "experience": [{"title": f"Analyst {n}", "start_date": "2020-01-01",
                            "skills": ["Python"]}]}


class Writer(threading.Thread):
    """Writes until stopped; keeps what was acknowledged and every unexpected answer."""

    def __init__(self, server: Server, headers: dict[str, str]):
        super().__init__(name="burst-writer", daemon=True)
        self.server, self.headers = server, headers
        self.acknowledged: dict[str, dict] = {}
        self.unavailable = 0
        self.unexpected: list[str] = []
        self.halt = threading.Event()
        self.lock = threading.Lock()

    def acked(self) -> int:
        with self.lock:
            return len(self.acknowledged)

    def run(self) -> None:
        n = 0
        while not self.halt.is_set():
            n += 1
            if n % BULK_EVERY == 0:
                bodies = [_candidate(f"B-{n:05d}-{i}", n) for i in range(BULK_SIZE)]
                request = ("POST", self.server.url("/candidates/bulk"), {"candidates": bodies})
            else:
                bodies = [_candidate(f"W-{n:05d}", n)]
                request = ("PUT", self.server.url(f"/candidates/by-external-id/W-{n:05d}"),
                           bodies[0])
            try:
                reply = call(*request, headers=self.headers, timeout=30)
            except OSError as error:  # a dropped connection is a failure too
                self.unexpected.append(f"{request[0]} {request[1]}: {error!r}")
                continue
            if reply.status in (200, 201):
                with self.lock:
                    self.acknowledged.update((b["external_id"], b) for b in bodies)
            elif _is_unavailable(reply):
                self.unavailable += 1
                time.sleep(0.05)  # as a client honouring Retry-After would, but briefly
            else:
                self.unexpected.append(f"{request[0]} {request[1]}: {reply.status} {reply.body}")


def _is_unavailable(reply: Response) -> bool:
    return (reply.status == 503 and reply.content_type == PROBLEM_JSON
            and reply.body.get("status") == 503 and "retry-after" in reply.headers)


def _probes(server: Server, headers: dict[str, str], job_id: int) -> dict[str, Callable]:
    """One request of each kind: writes, reads, a ranking and the two probes."""
    return {
        "write": lambda: call("PUT", server.url("/candidates/by-external-id/P-1"),
                              _candidate("P-1", 0), headers=headers),
        "bulk": lambda: call("POST", server.url("/candidates/bulk"),
                             {"candidates": [_candidate("P-2", 0)]}, headers=headers),
        "list": lambda: call("GET", server.url("/candidates?limit=5"), headers=headers),
        "read": lambda: call("GET", server.url("/candidates/by-external-id/P-0"),
                             headers=headers),
        "ranking": lambda: call("POST", server.url(f"/jobs/{job_id}/rankings"),
                                {"limit": 5}, headers=headers),
        "health": lambda: call("GET", server.url("/health")),
        "ready": lambda: call("GET", server.url("/ready")),
    }


def _until(condition: Callable[[], bool], what: str, timeout: float = RECOVERY_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s: {what}")


def _stored(url: str, external_ids: list[str]) -> dict[str, dict]:
    """What the database holds for these candidates, shaped like the bodies written."""
    engine = make_engine(url)
    found: dict[str, dict] = {}
    with engine.connect() as conn:
        by_id = {}
        for row in conn.execute(select(models.Candidate).where(
                models.Candidate.external_id.in_(external_ids))):
            by_id[row.id] = found[row.external_id] = {
                "name": row.name, "location": row.location, "credentials": [],
                "experience": []}
        for row in conn.execute(select(models.Credential.candidate_id, models.Credential.name)
                                .where(models.Credential.candidate_id.in_(by_id))):
            by_id[row.candidate_id]["credentials"].append(row.name)
        for row in conn.execute(select(models.Experience.candidate_id, models.Experience.title)
                                .where(models.Experience.candidate_id.in_(by_id))):
            by_id[row.candidate_id]["experience"].append(row.title)
    engine.dispose()
    return found


def _expected(body: dict) -> dict:
    return {"name": body["name"], "location": body["location"],
            "credentials": [k["name"] for k in body["credentials"]],
            "experience": [e["title"] for e in body["experience"]]}


def test_postgres_restart_under_a_burst_of_writes(tmp_path: Path) -> None:
    url = ops_database("postgresql", tmp_path, "restart")
    headers = {"Authorization": f"Bearer {tenant_key(url)}"}
    with running_server(url, tmp_path, workers=2, threads=2) as server:
        workers = sorted(server.worker_pids())
        job = call("POST", server.url("/jobs"), {"external_id": "req-1", "title": "Analyst",
                                                 "requirements": [{"skill": "SQL"}]},
                   headers=headers)
        assert job.status == 201, job.body
        probes = _probes(server, headers, job.body["id"])
        assert call("PUT", server.url("/candidates/by-external-id/P-0"), _candidate("P-0", 0),
                    headers=headers).status == 201

        writer = Writer(server, headers)
        writer.start()
        _until(lambda: writer.acked() >= 20, "the writer's first acknowledged writes")
        down: dict[str, list[Response]] = {}
        try:
            _cluster("stop")
            acked_before = writer.acked()
            # Several rounds, so both workers and their pooled connections are hit.
            for _ in range(3):
                for name, probe in probes.items():
                    down.setdefault(name, []).append(probe())
        finally:
            _cluster("start")

        _until(lambda: probes["ready"]().status == 200, "/ready answers 200 again")
        _until(lambda: writer.acked() >= acked_before + 20, "the writer's writes succeed again")
        recovered = {name: probe() for name, probe in probes.items()}
        writer.halt.set()
        writer.join(60)
        assert sorted(server.worker_pids()) == workers, "a worker was replaced"
        assert server.process.poll() is None

    for name, replies in down.items():
        for reply in replies:
            assert _is_unavailable(reply), (name, reply)
            assert reply.body["type"] == "urn:talentmatch:problem:unavailable", (name, reply)
    assert {name: reply.status for name, reply in recovered.items()} == {
        "write": 201, "bulk": 200, "list": 200, "read": 200, "ranking": 201, "health": 200,
        "ready": 200}
    # A failure names what the server logged besides the expected outages.
    logged = [line for line in server.log().splitlines()
              if '"ERROR"' in line and "database unavailable" not in line]
    assert writer.unexpected == [], logged[-5:]
    assert writer.unavailable > 0, "the writer never saw the database down"
    acknowledged = dict(writer.acknowledged)
    stored = _stored(url, list(acknowledged))
    missing = sorted(set(acknowledged) - set(stored))
    assert missing == [], f"{len(missing)} acknowledged writes lost: {missing[:10]}"
    assert {ext: _expected(body) for ext, body in acknowledged.items()} == stored
