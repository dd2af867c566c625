"""Smoke run of the load benchmark (``make bench-load``), so the harness does not rot.

A real ``talentmatch serve`` with one worker over a few hundred generated candidates,
in a database of its own, for a fixed number of requests (not a duration: the figures
are printed, never asserted on). What is checked: no request failed, the mix is
honoured, the report carries the figures, the server stopped gracefully, and the
populated organization is found again by the next run.
"""

from __future__ import annotations

import os
import threading
from collections import Counter, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import func, select

from api import models
from api.db import make_engine
from bench.load import LoadConfig, report, run
from bench.load_client import DECK, Client, Dealer, Workload, run_clients
from bench.load_report import summarise
from bench.load_setup import LOAD_PREFIX, check_local, prepare, revoke_key
from tests.ops.servers import ops_database

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
CANDIDATES = 300
REQUESTS = 40  # >= 39 consecutive requests: every class is dealt at least once


@pytest.fixture(scope="module", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                 ) -> str:
    return ops_database(request.param, tmp_path_factory.mktemp("load"), "load")


def _config(url: str) -> LoadConfig:
    return LoadConfig(database_url=url, candidates=CANDIDATES, warmup=1.0, clients=2,
                      workers=1, threads=2, requests=REQUESTS)


def test_a_short_run_has_no_errors_and_honours_the_mix(database_url: str) -> None:
    lines: list[str] = []
    result = run(_config(database_url), log=lines.append)

    assert result.errors == [], "\n".join(result.errors[:5])
    assert result.server_exit == 0, "gunicorn did not stop gracefully on SIGTERM"
    assert result.ok
    assert result.dataset.size == CANDIDATES
    assert result.dataset.populate_seconds is not None
    assert any("populating 300 candidates" in line for line in lines)
    overall = result.row("overall")
    assert overall.requests == REQUESTS
    by_class = {kind: result.row(kind).requests for kind in ("ranking", "read", "write")}
    assert all(count > 0 for count in by_class.values()), by_class
    assert by_class["ranking"] > overall.requests / 2
    assert sum(by_class.values()) == overall.requests
    assert 0 < overall.p50_ms <= overall.p90_ms <= overall.p99_ms <= overall.max_ms
    assert result.row("ranking: rank job").requests == by_class["ranking"]
    before, after = result.database_bytes  # growth: SQLite may still hold it in its WAL
    assert after >= before > 0

    text = report(result)
    for heading in ("| class | requests | share | req/s | p50 ms | p90 ms | p99 ms | max ms "
                    "| errors |", "| ranking |", "| read |", "| write |", "| overall | 40 |",
                    "exit code 0 (graceful)", "errors: 0", "300 candidates"):
        assert heading in text, heading


def test_a_second_run_reuses_the_populated_organization(database_url: str) -> None:
    """After the run above: same organization, no repopulation, nothing left behind."""
    lines: list[str] = []
    dataset = prepare(database_url, CANDIDATES, seed=7, log=lines.append)
    revoke_key(database_url, dataset.key_id)

    assert dataset.populate_seconds is None
    assert any(line.startswith("reusing organization") for line in lines), lines
    assert dataset.size == CANDIDATES
    # The candidates the run's writes created were deleted again; its updates stayed.
    engine = make_engine(database_url)
    with engine.connect() as conn:
        created = conn.scalar(select(func.count()).select_from(models.Candidate).where(
            models.Candidate.external_id.startswith(LOAD_PREFIX)))
        total = conn.scalar(select(func.count()).select_from(models.Candidate))
    engine.dispose()
    assert (created, total) == (0, CANDIDATES)


def test_the_dealer_gives_the_exact_mix_in_any_39_consecutive_requests() -> None:
    assert Counter(DECK) == {"ranking": 16, "read": 3, "write": 1}
    dealer = Dealer(seed=7, window_start=0.0, stop_at=float("inf"), limit=2000)
    kinds = []
    while (dealt := dealer.deal()) is not None:
        kinds.append(dealt[0])
    assert len(kinds) == 2000 and Counter(kinds) == {"ranking": 1600, "read": 300, "write": 100}
    assert all(set(kinds[i:i + 39]) == {"ranking", "read", "write"}
               for i in range(len(kinds) - 38))


class _Failing(BaseHTTPRequestHandler):
    """Answers everything with a 503 problem, as a database outage would."""

    def _fail(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b'{"status": 503, "title": "Service Unavailable"}'
        self.send_response(503)
        self.send_header("Content-Type", "application/problem+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _fail

    def log_message(self, *_args: object) -> None:
        pass


def test_failed_requests_are_counted_as_errors_with_their_bodies() -> None:
    """The harness cannot report zero errors for a server that fails everything."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        workload = Workload(job_ids=(1,), candidate_ids=(1, 2),
                            update_bodies=({"external_id": "GEN-7-0000001"},),
                            new_bodies=({"external_id": "new"},), locations=("Lyon, FR",),
                            token="t")
        dealer = Dealer(seed=7, window_start=0.0, stop_at=float("inf"), limit=40)
        samples = run_clients(server.server_address[1], "key", workload, 2, 7, dealer)
    finally:
        server.shutdown()
        server.server_close()
    classes, _, _ = summarise(samples, 0.0)
    overall = classes[-1]
    assert (overall.name, overall.requests, overall.errors) == ("overall", 40, 40)
    assert all(s.status == 503 and "Service Unavailable" in (s.error or "") for s in samples)
    assert workload.run_ids == deque() and workload.created == []


def test_only_this_machine_is_loaded(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="refusing host"):
        Client("192.0.2.1", 80, "key")
    with pytest.raises(SystemExit, match="refusing database host"):
        check_local("postgresql+psycopg://postgres@db.example.com:5432/talentmatch")
    check_local(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    check_local("postgresql+psycopg://postgres@127.0.0.1:5432/talentmatch_load")
