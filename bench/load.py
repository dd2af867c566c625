"""Mixed load on ``talentmatch serve``: 80 % rankings, 15 % reads, 5 % writes.

Run with ``make bench-load`` (``python -m bench.load``). Steps:

1. the data set (:mod:`bench.load_setup`): ``BENCH_LOAD_URL`` migrated, one organization
   with ``BENCH_LOAD_CANDIDATES`` generated candidates, reused when already populated;
2. the server (:mod:`bench.load_server`): ``talentmatch serve --workers
   BENCH_LOAD_WORKERS`` on a free 127.0.0.1 port, rate limiter off, awaited through
   ``/ready``; the jobs are upserted through its API and ranked once each as a check;
3. the load (:mod:`bench.load_client`): ``BENCH_LOAD_CLIENTS`` closed-loop clients for
   ``BENCH_LOAD_WARMUP`` + ``BENCH_LOAD_SECONDS`` seconds (warm-up excluded), or for
   exactly ``BENCH_LOAD_REQUESTS`` measured requests when that is set;
4. the report (:mod:`bench.load_report`): requests, req/s, p50/p90/p99/max latency and
   errors per class and overall, database growth, server metrics when ``/metrics``
   exists; SIGTERM and a graceful exit are checked. Exit status 1 on any error.

Default concurrency: 4 clients for 2 workers on 2 cores. A ranking is CPU-bound and holds
its worker's GIL, so 2 requests in flight already keep both cores busy; 2 per worker keep
one ranking computing while the other request waits on PostgreSQL or the network. More
clients only lengthen queues (latency) on a machine whose cores the client and
PostgreSQL share.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.load_client import Client, Dealer, Sample, Workload, run_clients
from bench.load_report import Stats, markdown_table, metrics_summary, summarise
from bench.load_server import HOST, ServerProcess, scrape_metrics, start_server
from bench.load_setup import Dataset, Log, database_size, prepare, revoke_key
from bench.ranking_data import JOB_BODY
from fixtures.generate import ISSUERS_PATH, LOCATIONS, generate_candidates

__all__ = ["DEFAULT_URL", "LoadConfig", "LoadResult", "main", "run"]

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/talentmatch_load"
DEMO_JOBS = ("JOB-DA-001", "JOB-PY-005", "JOB-RN-010")  # beside the 20-requirement job
UPDATE_POOL = 500  # stored candidates the writes resync
MAX_ERRORS_SHOWN = 5


@dataclass(frozen=True)
class LoadConfig:
    database_url: str = DEFAULT_URL
    candidates: int = 100_000
    seconds: float = 60.0
    warmup: float = 5.0
    clients: int = 4
    workers: int = 2
    threads: int | None = None  # None: talentmatch serve's default
    seed: int = 7
    requests: int | None = None  # measure this many requests instead of ``seconds``

    @classmethod
    def from_env(cls) -> LoadConfig:
        env = os.environ.get
        threads, requests = env("BENCH_LOAD_THREADS"), env("BENCH_LOAD_REQUESTS")
        return cls(database_url=env("BENCH_LOAD_URL") or DEFAULT_URL,
                   candidates=int(env("BENCH_LOAD_CANDIDATES") or 100_000),
                   seconds=float(env("BENCH_LOAD_SECONDS") or 60),
                   warmup=float(env("BENCH_LOAD_WARMUP") or 5),
                   clients=int(env("BENCH_LOAD_CLIENTS") or 4),
                   workers=int(env("BENCH_LOAD_WORKERS") or 2),
                   threads=int(threads) if threads else None,
                   seed=int(env("BENCH_LOAD_SEED") or 7),
                   requests=int(requests) if requests else None)


@dataclass
class LoadResult:
    config: LoadConfig
    dataset: Dataset
    classes: list[Stats]
    operations: list[Stats]
    window_seconds: float
    errors: list[str]
    server_exit: int | None = None
    database_bytes: tuple[int, int] = (0, 0)  # at the window's start and end
    load_average: tuple[float, ...] = ()  # the machine's, just before the load
    metrics: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and self.server_exit == 0

    def row(self, name: str) -> Stats:
        return next(r for r in self.classes + self.operations if r.name == name)


def job_bodies() -> list[dict]:
    """The 20-requirement benchmark job and a few demo jobs (POST /jobs bodies)."""
    demo = json.loads((ISSUERS_PATH.parent / "jobs.json").read_text("utf-8"))
    return [JOB_BODY, *(j for j in demo if j["external_id"] in DEMO_JOBS)]


def run(config: LoadConfig, log: Log = print) -> LoadResult:
    """Set up, serve, load, report; the server is stopped whatever happens."""
    started = time.perf_counter()
    dataset = prepare(config.database_url, config.candidates, config.seed, log)
    if dataset.populate_seconds is not None:
        log(f"populated in {dataset.populate_seconds:,.1f} s "
            f"({dataset.size / max(dataset.populate_seconds, 1e-9):,.0f} candidates/s)")
    log_dir = Path(tempfile.mkdtemp(prefix="talentmatch-load-"))
    log(f"starting talentmatch serve --workers {config.workers}"
        + (f" --threads {config.threads}" if config.threads else "")
        + "; TALENTMATCH_RATELIMIT_ENABLED=false: this measures capacity, not the limiter")
    server = start_server(config.database_url, config.workers, config.threads, log_dir)
    log(f"ready on http://{HOST}:{server.port} after {time.perf_counter() - started:,.1f} s "
        "of setup")
    try:
        result = _load(config, dataset, server, log)
    except BaseException:
        log(f"server log: {server.log_path}")
        raise
    finally:
        exit_code = server.stop()
        revoke_key(config.database_url, dataset.key_id)
    result.server_exit = exit_code
    if result.ok:
        shutil.rmtree(log_dir, ignore_errors=True)
    else:
        log(f"server log: {server.log_path}")
    return result


def _load(config: LoadConfig, dataset: Dataset, server: ServerProcess, log: Log
          ) -> LoadResult:
    client = Client(HOST, server.port, dataset.api_key)
    errors: list[str] = []
    job_ids = tuple(_upsert_job(client, body, errors, log) for body in job_bodies())
    workload = Workload(
        job_ids=job_ids, candidate_ids=dataset.candidate_ids,
        update_bodies=tuple(generate_candidates(min(UPDATE_POOL, dataset.size), config.seed)),
        new_bodies=tuple(generate_candidates(100, config.seed + 1)),
        locations=LOCATIONS, token=f"{int(time.time()):x}")
    window_start = time.perf_counter() + config.warmup
    stop_at = window_start + config.seconds
    load_average = os.getloadavg()
    dealer = Dealer(config.seed, window_start, stop_at, config.requests)
    samples: list[Sample] = []
    loader = threading.Thread(target=lambda: samples.extend(run_clients(
        server.port, dataset.api_key, workload, config.clients, config.seed, dealer)))
    loader.start()
    time.sleep(max(0.0, window_start - time.perf_counter()))
    size_before, metrics_before = database_size(dataset.database_url), scrape_metrics(server.port)
    span = f"{config.requests} requests" if config.requests else f"{config.seconds:g} s"
    log(f"measuring {span} with {config.clients} clients (after {config.warmup:g} s of warm-up)")
    loader.join()
    size_after, metrics_after = database_size(dataset.database_url), scrape_metrics(server.port)
    classes, operations, seconds = summarise(samples, window_start)
    # Errors in the warm-up are not in the figures, but they are errors all the same.
    errors += [s.error if s.measured else f"(warm-up) {s.error}"
               for s in samples if s.error]
    client.close()
    _delete_created(Client(HOST, server.port, dataset.api_key), workload.created, errors)
    metrics = (metrics_summary(metrics_before, metrics_after)
               if metrics_before is not None and metrics_after is not None else [])
    return LoadResult(config, dataset, classes, operations, seconds, errors,
                      database_bytes=(size_before, size_after), metrics=metrics,
                      load_average=load_average)


def _upsert_job(client: Client, body: dict, errors: list[str], log: Log) -> int:
    """Create or replace the job through the API, then rank it once as a check."""
    status, raw = client.send("PUT", f"/api/v1/jobs/by-external-id/{body['external_id']}",
                              json.dumps(body).encode())
    if status not in (200, 201):
        raise RuntimeError(f"PUT job {body['external_id']}: {status} {raw[:1000]!r}")
    job_id = int(json.loads(raw)["id"])
    status, raw = client.send("POST", f"/api/v1/jobs/{job_id}/rankings",
                              json.dumps({"limit": 50}).encode())
    run = json.loads(raw) if status == 201 else {}
    results = run.get("results", [])
    explained = all(len(r["requirements"]) == len(body["requirements"]) for r in results)
    if status != 201 or len(results) != min(50, run["total"]) or not explained:
        errors.append(f"check ranking of {body['external_id']}: {status} {raw[:600]!r}")
    else:
        log(f"job {job_id} {body['external_id']} ({len(body['requirements'])} requirements): "
            f"{run['total']:,} ranked, top score {results[0]['score'] if results else 0:.1f}, "
            f"{len(results)} explained")
    return job_id


def _delete_created(client: Client, ids: list[int], errors: list[str]) -> None:
    """Remove the candidates this run created, so the data set stays the same size."""
    try:
        for candidate_id in ids:
            status, raw = client.send("DELETE", f"/api/v1/candidates/{candidate_id}")
            if status != 204:
                errors.append(f"cleanup DELETE /candidates/{candidate_id}: {status} "
                              f"{raw[:300]!r}")
    finally:
        client.close()


def report(result: LoadResult) -> str:
    """The printed report (markdown)."""
    c, d = result.config, result.dataset
    before, after = result.database_bytes
    rankings = result.row("ranking").requests
    lines = [
        f"## Load test: {d.size:,} candidates, {c.workers} gunicorn workers, "
        f"{c.clients} clients, {result.window_seconds:,.1f} s measured",
        "",
        "Mix 80 % rankings (POST /jobs/{id}/rankings, top 50 explained), 15 % reads, "
        "5 % writes (PUT /candidates/by-external-id). Rate limiter off. Latency is "
        "client-side, in ms.",
        "",
        markdown_table(result.classes),
        "",
        markdown_table(result.operations),
        "",
        f"- database: {before / 2**20:,.1f} MiB -> {after / 2**20:,.1f} MiB over the window "
        f"(+{(after - before) / 2**20:,.1f} MiB; "
        f"{(after - before) / 1024 / max(rankings, 1):,.0f} KiB per ranking: every run "
        "keeps its page and every score for audits)",
        f"- machine: {os.cpu_count()} cores shared by server, PostgreSQL and client; load "
        f"average {' / '.join(f'{x:.2f}' for x in result.load_average)} (1/5/15 min) "
        "before the load",
        f"- server stopped with SIGTERM: exit code {result.server_exit}"
        + (" (graceful)" if result.server_exit == 0 else " (NOT graceful)"),
        f"- errors: {len(result.errors)}",
    ]
    lines += [f"  - {e}" for e in result.errors[:MAX_ERRORS_SHOWN]]
    if result.metrics:
        lines += ["", "Server metrics over the window (GET /metrics):", ""]
        lines += [f"- {m}" for m in result.metrics]
    return "\n".join(lines)


def main() -> int:
    config = LoadConfig.from_env()
    result = run(config)
    print()
    print(report(result))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
