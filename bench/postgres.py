"""PostgreSQL at scale: bulk load of generated candidates, then the ranking index built from it.

``make bench-pg`` (``python -m bench.postgres``)::

    BENCH_PG_URL   database to (re)create          [postgresql+psycopg://postgres@127.0.0.1:5432/talentmatch_bench]
    BENCH_PG_SIZE  candidates to generate and load [1000000]
    BENCH_PG_JOBS  worker processes of the load    [cores + 1: each waits on the database]
    BENCH_PG_SEED  generator seed                  [7]

1. The schema is dropped and migrated afresh; one organization gets the demo issuer
   registry, so issuer matching does real work.
2. ``fixtures.generate`` writes the candidates to a JSON Lines file (timed apart).
3. The file goes through ``talentmatch candidates import``'s path (``api.bulk_jobs``):
   the bulk endpoint's validation, intake and ``save_many`` (COPY), 1,000 per
   transaction; candidates/s and rows/s are of that load, end to end.
4. ``VACUUM ANALYZE`` (what autovacuum does after a load) is timed apart.
5. A fresh process builds the index as ``IndexCache.current`` does,
   ``CandidateIndex.build(CandidateRepository(...).stream_all())``, and reports seconds,
   candidates, index bytes and its RSS; then the database size.

Only a database on this machine is accepted: the schema is dropped.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from sqlalchemy import func, make_url, select, text
from sqlalchemy.orm import Session

from api import models
from api.bulk_jobs import format_errors, format_summary, load_in_workers
from api.bulk_load import BatchOutcome, ImportReport, numbered_batches
from api.db import make_engine
from api.migrate import upgrade
from api.repositories.issuers import IssuerRepository
from api.repositories.organizations import OrganizationRepository
from api.schemas.issuers import IssuerInSchema
from bench.load_setup import database_size
from fixtures.generate import ISSUERS_PATH, generate_candidates, write_jsonl

__all__ = ["main"]

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/talentmatch_bench"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# The load's engine settings: one connection per worker; no statement is near the limit.
WORKER_ENGINE = {"pool_size": 1, "max_overflow": 0}
CHILD_TABLES = (models.Credential, models.CredentialSkill, models.Experience,
                models.ExperienceSkill, models.CandidateSkill)


def _setting(name: str, default: str) -> str:
    return os.environ.get(name) or default


def fresh_database(url: str) -> int:
    """Drop and migrate the schema; one organization with the demo issuers. Its id."""
    if make_url(url).host not in LOCAL_HOSTS:
        raise SystemExit(f"refusing {url}: the benchmark drops the schema of a local "
                         "database only")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        upgrade(url)
        with Session(engine) as session:
            org_id = OrganizationRepository(session).create("Bench: PostgreSQL at scale")
            issuers = IssuerRepository(session, org_id)
            for body in json.loads(ISSUERS_PATH.read_text("utf-8")):
                issuers.add(IssuerInSchema().load(body))
            session.commit()
        return org_id
    finally:
        engine.dispose()


def server_settings(url: str) -> str:
    """The server settings a bulk load depends on most, as printed with the figures."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return ", ".join(f"{name} {conn.scalar(text(f'SHOW {name}'))}"
                             for name in ("server_version", "shared_buffers", "max_wal_size",
                                          "synchronous_commit", "autovacuum"))
    finally:
        engine.dispose()


def generate(path: Path, size: int, seed: int) -> float:
    """Write ``size`` generated candidates to ``path``; the seconds it took."""
    started = time.perf_counter()
    with path.open("w", encoding="utf-8") as out:
        write_jsonl(generate_candidates(size, seed), out)
    return time.perf_counter() - started


def load(url: str, org_id: int, path: Path, jobs: int) -> float:
    """Bulk-load the file; prints the summary, returns the seconds."""
    def progress(report: ImportReport, outcome: BatchOutcome) -> None:
        if report.candidates % 100_000 < outcome.count:
            print(f"  {report.written:>9,} written  {report.rate():>6,.0f} candidates/s",
                  flush=True)

    with path.open(encoding="utf-8") as lines:
        report = load_in_workers(numbered_batches(lines, 1000), jobs=jobs, database_url=url,
                                 engine_options=WORKER_ENGINE, organization_id=org_id,
                                 source=str(path), progress=progress)
    for line in format_errors(report):
        print(line)
    if report.failed:
        raise SystemExit("the load rejected batches: see above")
    print(f"load: {format_summary(report)}")
    return report.elapsed


def row_counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return {table.__tablename__: session.scalar(
                select(func.count()).select_from(table)) or 0
                for table in (models.Candidate, *CHILD_TABLES)}
    finally:
        engine.dispose()


def vacuum_analyze(url: str) -> float:
    engine = make_engine(url, statement_timeout_ms=0)
    try:
        started = time.perf_counter()
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM (ANALYZE)"))
        return time.perf_counter() - started
    finally:
        engine.dispose()


def build_index(url: str, org_id: int) -> dict[str, float]:
    """In a fresh process: the index built from PostgreSQL, as a server worker builds it."""
    from api.repositories.candidates import CandidateRepository
    from bench.memory import rss_mb
    from matcher.index import CandidateIndex

    engine = make_engine(url)
    try:
        before = rss_mb()
        with Session(engine) as session:
            started = time.perf_counter()
            index = CandidateIndex.build(CandidateRepository(session, org_id).stream_all())
            seconds = time.perf_counter() - started
        return {"seconds": seconds, "candidates": len(index), "bytes": index.nbytes(),
                "rss_mb": rss_mb(), "rss_before_mb": before,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    finally:
        engine.dispose()


def main() -> None:
    url = _setting("BENCH_PG_URL", DEFAULT_URL)
    size = int(_setting("BENCH_PG_SIZE", "1000000"))
    jobs = int(_setting("BENCH_PG_JOBS", str((os.cpu_count() or 1) + 1)))
    seed = int(_setting("BENCH_PG_SEED", "7"))
    print(f"PostgreSQL benchmark: {size:,} candidates into {make_url(url).render_as_string()}"
          f", {jobs} load workers, {os.cpu_count()} cores")
    org_id = fresh_database(url)
    print(f"server: {server_settings(url)}")
    with tempfile.TemporaryDirectory(prefix="bench-pg-") as tmp:
        path = Path(tmp) / "candidates.jsonl"
        seconds = generate(path, size, seed)
        print(f"generate: {size:,} candidates in {seconds:.1f} s "
              f"({path.stat().st_size / 2**20:,.0f} MiB of JSON Lines)")
        seconds = load(url, org_id, path, jobs)
    counts = row_counts(url)
    rows = sum(counts.values())
    print(f"bulk load: {counts['candidates'] / seconds:,.0f} candidates/s, "
          f"{rows / seconds:,.0f} rows/s ({rows:,} rows: "
          + ", ".join(f"{n:,} {table}" for table, n in counts.items()) + ")")
    print(f"vacuum analyze: {vacuum_analyze(url):.1f} s")
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        built = pool.submit(build_index, url, org_id).result()
    print(f"index from PostgreSQL: {built['candidates']:,} candidates in "
          f"{built['seconds']:.1f} s ({built['candidates'] / built['seconds']:,.0f}/s); "
          f"index {built['bytes'] / 2**20:,.0f} MiB; process RSS {built['rss_mb']:,.0f} MiB, "
          f"peak {built['peak_rss_mb']:,.0f} MiB (before the build {built['rss_before_mb']:,.0f}"
          " MiB)")
    print(f"database size: {database_size(url) / 2**20:,.0f} MiB")


if __name__ == "__main__":
    main()
