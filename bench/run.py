"""Print the §8 figures this build can measure.

Run with ``make bench``. Figures so far:

* bulk import into SQLite through the real API path (validation, skill
  resolution, issuer matching, set-based inserts), 1,000 candidates a call;
* skill-name resolution throughput for exact/alias hits and for fuzzy hits
  (typos), over the full taxonomy (ESCO + extension);
* taxonomy load, resolver build, skill-graph build and proximity compile
  times for the full taxonomy;
* ranking (:mod:`bench.ranking`): index build, memory, rank and explanation
  latency for 10k, 100k and 1M generated candidates, side by side with one
  SQLite query and the bare scipy floor. ``BENCH_SIZES=10000,100000`` picks
  the sizes (1M takes about 10 minutes of the run).
* standards (:mod:`bench.standards`): offline badge verification (OB 3.0 Data
  Integrity and VC-JWT, OB 2.0 signed) and JSON Resume / JobPosting import
  throughput, about 30 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from itertools import islice
from pathlib import Path

from api import create_app
from api.db import get_session
from api.migrate import upgrade
from api.repositories.organizations import SCOPES, OrganizationRepository
from bench.ranking import DEFAULT_SIZES, bench_ranking, parse_sizes
from bench.standards import bench_standards
from fixtures.generate import generate_candidates
from graph.skillgraph import SkillGraph
from graph.taxonomy import load_taxonomy
from matcher.skills import SkillResolver


def bench_bulk_import(total: int, batch: int = 1000) -> float:
    """Candidates per second through ``POST /candidates/bulk`` on a fresh SQLite file."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(url)
        app = create_app({"DATABASE_URL": url, "LOG_LEVEL": "WARNING"})  # no access line per call
        with app.app_context():
            orgs = OrganizationRepository(get_session())
            key = orgs.issue_key(orgs.create("bench"), SCOPES).plaintext
            get_session().commit()
        client = app.test_client()
        headers = {"Authorization": f"Bearer {key}"}
        stream = iter(generate_candidates(total, seed=7))
        batches = [list(islice(stream, batch)) for _ in range(total // batch)]
        # Warm the process (taxonomy, resolver and its lazily built phrase stage) as a
        # running service would be.
        warm = list(generate_candidates(10, seed=8))
        warm[0]["experience"] = [{"title": "Warm-up", "start_date": "2020-01-01",
                                  "skills": ["an unknown phrase for warming up"]}]
        client.post("/api/v1/candidates/bulk", json={"candidates": warm}, headers=headers)
        started = time.perf_counter()
        for items in batches:
            response = client.post("/api/v1/candidates/bulk", json={"candidates": items},
                                   headers=headers)
            assert response.status_code == 200, response.get_data(as_text=True)[:500]
        return total / (time.perf_counter() - started)


def _timed(work, rounds: int = 3) -> float:
    """Median seconds of ``work()`` over ``rounds`` runs."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _typos(names: list[str], count: int, seed: int = 3) -> list[str]:
    """One deleted or swapped inner character per name (names of 6+ characters)."""
    rng = random.Random(seed)
    pool = [n for n in names if len(n) >= 6]
    out = []
    for name in rng.sample(pool, count):
        i = rng.randrange(1, len(name) - 2)
        out.append(name[:i] + name[i + 1] + name[i] + name[i + 2:] if rng.random() < 0.5
                   else name[:i] + name[i + 1:])
    return out


def bench_taxonomy() -> None:
    """Build times, then resolution throughput, over the full taxonomy."""
    load_taxonomy.cache_clear()
    started = time.perf_counter()
    taxonomy = load_taxonomy()
    print(f"taxonomy load (ESCO + extension)  : {time.perf_counter() - started:10.3f} s "
          f"({len(taxonomy):,} skills)")
    started = time.perf_counter()
    resolver = SkillResolver(taxonomy.skills)
    print(f"resolver build (exact + fuzzy)    : {time.perf_counter() - started:10.3f} s")
    started = time.perf_counter()
    graph = SkillGraph(taxonomy.skills, taxonomy.groups)
    print(f"skill graph build (networkx)      : {time.perf_counter() - started:10.3f} s "
          f"({graph.graph.number_of_edges():,} edges)")
    seconds = _timed(graph.compile)
    matrix = graph.compile()
    print(f"proximity compile, all skills     : {seconds:10.3f} s "
          f"({matrix.matrix.nnz:,} non-zero pairs)  (target: well under 1 s)")
    names = [n.upper() for s in taxonomy.skills for n in (s.label, *s.curated_aliases)]
    rate = len(names) / _timed(lambda: resolver.resolve_many(names))
    print(f"skill resolution, exact/alias     : {rate:10,.0f} names/s  (target >= 100,000)")
    typos = _typos([s.label for s in taxonomy.skills], 2000)
    results = resolver.resolve_many(typos)
    fuzzy = sum(1 for m in results if m.method == "fuzzy")
    rate = len(typos) / _timed(lambda: resolver.resolve_many(typos))
    print(f"skill resolution, fuzzy (typos)   : {rate:10,.0f} names/s  (target >= 1,000; "
          f"{fuzzy / len(typos):.0%} matched)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=20_000)
    args = parser.parse_args()
    print("talentmatch benchmark (DESIGN.md §8)")
    rate = bench_bulk_import(args.candidates)
    print(f"bulk import, SQLite, API path     : {rate:10,.0f} candidates/s  (target >= 2,000)")
    bench_taxonomy()
    bench_standards()
    sizes = parse_sizes(os.environ.get("BENCH_SIZES", DEFAULT_SIZES))
    bench_ranking(sizes)


if __name__ == "__main__":
    main()
