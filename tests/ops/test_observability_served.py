"""Observability under the real server: ``talentmatch serve`` with two gunicorn workers.

A scrape is answered by one worker but must count the requests every worker
served (prometheus_client's multiprocess mode, wired by ``talentmatch serve``),
and everything the server writes, gunicorn's own lines included, is JSON.
The server logs at DEBUG here so that the worker answering each scrape is known.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import BACKENDS
from tests.ops.servers import Server, call, ops_database, running_server, tenant_key

JOBS_ROUTE = "/api/v1/jobs"


@pytest.fixture(scope="module", params=BACKENDS)
def served(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, dict]]:
    tmp = tmp_path_factory.mktemp(f"obs-{request.param}")
    url = ops_database(request.param, tmp, "ha_obs")
    headers = {"Authorization": f"Bearer {tenant_key(url)}"}
    with running_server(url, tmp, workers=2, threads=2,
                        env={"TALENTMATCH_LOG_LEVEL": "DEBUG"}) as server:
        yield server, headers


def records(server: Server) -> list[dict]:
    """The server's output, one JSON object per line (fails on any other line)."""
    return [json.loads(line) for line in server.log().splitlines() if line.strip()]


def answered_by(server: Server, prefix: str) -> dict[str, int]:
    """request id -> pid of the worker whose access line carries it."""
    return {r["request_id"]: r["pid"] for r in records(server)
            if r.get("logger") == "talentmatch.access"
            and str(r.get("request_id", "")).startswith(prefix)}


def jobs_count(server: Server, rid: str) -> float:
    response = call("GET", f"{server.base_url}/metrics", headers={"X-Request-ID": rid})
    assert response.status == 200, response.body
    for family in text_string_to_metric_families(str(response.body)):
        for sample in family.samples:
            if (sample.name == "talentmatch_http_request_duration_seconds_count"
                    and sample.labels == {"method": "GET", "route": JOBS_ROUTE,
                                          "status": "200"}):
                return sample.value
    return 0.0


def test_a_scrape_counts_the_requests_of_every_worker(served):
    server, headers = served
    assert len(server.worker_pids()) == 2
    before = jobs_count(server, "scrape-before")
    sent = 0
    with ThreadPoolExecutor(8) as pool:
        # Concurrent batches until both workers have answered some (bounded).
        for batch in range(20):
            rids = [f"agg-{batch}-{i}" for i in range(16)]
            replies = list(pool.map(lambda rid: call(
                "GET", server.url("/jobs"), headers={**headers, "X-Request-ID": rid}), rids))
            assert [r.status for r in replies] == [200] * len(rids)
            assert [r.headers["x-request-id"] for r in replies] == rids
            sent += len(rids)
            if len(set(answered_by(server, "agg-").values())) == 2:
                break
        assert len(answered_by(server, "agg-")) == sent
        assert len(set(answered_by(server, "agg-").values())) == 2, "one worker took all"

        # Whichever worker answers a scrape, it reports every worker's requests.
        for batch in range(10):
            rids = [f"scrape-{batch}-{i}" for i in range(4)]
            counts = list(pool.map(lambda rid: jobs_count(server, rid), rids))
            assert counts == [before + sent] * len(rids)
            if len(set(answered_by(server, "scrape-").values())) == 2:
                break
    assert set(answered_by(server, "scrape-").values()) == set(server.worker_pids())


def test_every_output_line_is_json_and_carries_our_request_id(served):
    server, headers = served
    reply = call("GET", server.url("/jobs/987654"), headers={**headers,
                                                             "X-Request-ID": "served-404"})
    assert reply.status == 404
    assert reply.headers["x-request-id"] == "served-404"
    assert reply.body["request_id"] == "served-404"

    lines = records(server)
    access = [r for r in lines if r.get("request_id") == "served-404"]
    assert [(r["logger"], r["route"], r["status"]) for r in access] == [
        ("talentmatch.access", "/api/v1/jobs/<id:job_id>", 404)]
    assert access[0]["organization_id"] >= 1 and access[0]["duration_ms"] >= 0
    # gunicorn's own lines go through the same formatter.
    booted = [r for r in lines if r["logger"] == "gunicorn.error"
              and r["message"].startswith("Booting worker")]
    assert {r["level"] for r in booted} == {"INFO"} and len(booted) >= 2
    # One access line per request: the app's, not also gunicorn's.
    assert not [r for r in lines if r["logger"] == "gunicorn.access"]
    assert all({"time", "level", "logger", "pid", "message"} <= set(r) for r in lines)


def test_the_metrics_directory_is_removed_on_shutdown(tmp_path: Path):
    url = ops_database("sqlite", tmp_path, "ha_obs_exit")
    with running_server(url, tmp_path, workers=1, threads=1) as server:
        directories = {Path(line.split("PROMETHEUS_MULTIPROC_DIR=", 1)[1].split()[0])
                       for r in records(server) for line in [r["message"]]
                       if "PROMETHEUS_MULTIPROC_DIR=" in line}
        assert len(directories) == 1
        (directory,) = directories
        assert any(directory.glob("*.db"))
    assert server.process.returncode == 0
    assert not directory.exists()
