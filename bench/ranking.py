"""Ranking benchmark (DESIGN.md §8): the index against plain SQL and the bare scipy floor.

For each size N (default 10k, 100k, 1M generated candidates) and one 20-requirement job
(7 required, 13 preferred, some min_years), warm, related-skill credit on, top 50:

* index build time, ``index.nbytes()`` and the process RSS growth (after the build, and
  once the first ranking has filled the index's per-date caches);
* ``index.rank`` median and p95, the explanation of the page (``evaluate`` of the 50
  candidates, as ``api/ranking.py`` does) median and p95, and the two together;
* the same ranking as ONE SQLite query over normalised evidence tables, and the bare
  floor (one sparse mat-vec plus ``argpartition``), as ratios;
* cross-checks: the explanation scores and order equal the index page, and the SQL top
  50 equals the index top 50.

Run: ``python -m bench.ranking --sizes 10000,100000,1000000`` (``make bench`` runs it with
``BENCH_SIZES``). Generation of the largest size is shared: the first k candidates of a
run are the workload of size k. Timings on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import time
from dataclasses import dataclass, field

import numpy as np

from bench.memory import index_memory, rss_mb
from bench.ranking_data import AS_OF, Workload, load_workload
from bench.ranking_sql import Floor, SqlRanker, job_vector, requirement_columns
from graph.skillgraph import SkillGraph
from graph.taxonomy import load_taxonomy
from matcher.index import CandidateIndex, RankingInput
from matcher.scoring import Context, evaluate, order_key

__all__ = ["main", "run_size"]

DEFAULT_SIZES = "10000,100000,1000000"
TARGETS_MS = {100_000: 50.0, 1_000_000: 300.0}  # rank + explain, median
TARGET_MEMORY_MB = {1_000_000: 1024.0}
LIMIT = 50


def _stats(seconds: list[float]) -> tuple[float, float]:
    """(median, p95) in milliseconds."""
    ms = np.asarray(seconds) * 1000.0
    return float(np.median(ms)), float(np.percentile(ms, 95))


@dataclass
class Figures:
    n: int
    build_s: float = 0.0
    nbytes_mb: float = 0.0
    memory: dict[str, float] = field(default_factory=dict)
    rss_build_mb: float = 0.0
    rss_warm_mb: float = 0.0
    first_rank_ms: float = 0.0
    rank: tuple[float, float] = (0.0, 0.0)
    explain: tuple[float, float] = (0.0, 0.0)
    total: tuple[float, float] = (0.0, 0.0)
    new_job: tuple[float, float] = (0.0, 0.0)
    sql_load_s: float = 0.0
    sql: tuple[float, float] = (0.0, 0.0)
    sql_runs: int = 0
    sql_rows: int = 0
    floor: tuple[float, float] = (0.0, 0.0)
    floor_mb: float = 0.0
    runs: int = 0
    checks: list[str] = field(default_factory=list)


def timed_runs(work, runs: int, budget_s: float) -> list[float]:
    """Seconds of ``work()`` per run: ``runs`` runs, fewer (>= 3) past ``budget_s``."""
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < runs and (len(times) < 3 or time.perf_counter() - started < budget_s):
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
    return times


def run_size(work: Workload, graph: SkillGraph, n: int, runs: int, sql_budget_s: float,
             profile: bool = False) -> Figures:
    """Every figure for the first ``n`` candidates of ``work``."""
    fig = Figures(n)
    candidates = work.candidates[:n]
    proximity = graph.compiled()
    issuers = {i.id: i for i in work.issuers}
    data = RankingInput(as_of=AS_OF, issuers=issuers, issuers_version=1,
                        proximity_ids=proximity.ids, proximity=proximity.csc())
    job = work.job

    gc.collect()
    before = rss_mb()
    t0 = time.perf_counter()
    index = CandidateIndex.build(candidates)
    fig.build_s = time.perf_counter() - t0
    gc.collect()
    fig.rss_build_mb, fig.nbytes_mb = rss_mb() - before, index.nbytes() / 2**20
    t0 = time.perf_counter()
    page = index.rank(job, data, limit=LIMIT)
    fig.first_rank_ms = (time.perf_counter() - t0) * 1000.0
    fig.rss_warm_mb = rss_mb() - before
    fig.memory = index_memory(index)

    def explain(items: list) -> list:
        """As api/ranking.py does: a Context per request (its offerings cache included)."""
        context = Context(as_of=AS_OF, proximity=graph, issuers=issuers,
                          offerings=work.offerings)
        return [evaluate(job, work.candidates[r.candidate_id - 1], context) for r in items]

    ranks, explains, totals = [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        page = index.rank(job, data, limit=LIMIT)
        t1 = time.perf_counter()
        results = explain(page.items)
        t2 = time.perf_counter()
        ranks.append(t1 - t0)
        explains.append(t2 - t1)
        totals.append(t2 - t0)
    fig.runs = runs
    fig.rank, fig.explain, fig.total = _stats(ranks), _stats(explains), _stats(totals)
    # A job never ranked before: the per-requirement evidence cache starts empty.
    cold = []
    for _ in range(max(3, runs // 4)):
        for segment in index.segments:
            segment.requirement_cache.clear()
            segment.requirement_bytes = 0
        t0 = time.perf_counter()
        explain(index.rank(job, data, limit=LIMIT).items)
        cold.append(time.perf_counter() - t0)
    fig.new_job = _stats(cold)
    if profile:
        ranked = index.rank
        _profile(lambda: explain(ranked(job, data, limit=LIMIT).items), n)

    # The explanation (the reference scorer) must agree with the index page.
    worst = max((abs(r.score - x.score) for r, x in zip(page.items, results, strict=True)),
                default=0.0)
    reordered = sorted(results, key=lambda x: order_key(x, "hard"))
    same_order = [x.candidate.id for x in reordered] == [r.candidate_id for r in page.items]
    fig.checks.append(f"explanations vs index: max |score diff| {worst:.1e}, "
                      f"order {'same' if same_order else 'DIFFERENT'}, "
                      f"{sum(r.qualified for r in page.items)}/{len(page.items)} qualified, "
                      f"{page.total:,} ranked")
    top = [(r.candidate_id, r.score) for r in page.items]
    del index, page, results
    gc.collect()
    _baselines(work, fig, top, proximity, runs, sql_budget_s)
    return fig


def _baselines(work: Workload, fig: Figures, top: list[tuple[int, float]], proximity,
               runs: int, sql_budget_s: float) -> None:
    n, job, ev = fig.n, work.job, work.evidence
    cred, exp = ev.credential_rows(n), ev.experience_rows(n)
    columns = requirement_columns(job, ev.skill_ids, proximity.ids, proximity.csc())

    sql = SqlRanker()
    t0 = time.perf_counter()
    fig.sql_rows = sql.load([c.external_id for c in work.candidates[:n]], ev.skill_ids, cred,
                            exp)
    fig.sql_load_s = time.perf_counter() - t0
    text = sql.query(job, columns, limit=LIMIT)
    rows = sql.rank(text)  # first run: warms SQLite's page cache
    times = timed_runs(lambda: sql.rank(text), runs, sql_budget_s)
    fig.sql, fig.sql_runs = _stats(times), len(times)
    sql.close()
    same = sum(1 for (a, _), b in zip(top, rows, strict=False) if a == b[0])
    common = {b[0]: b[2] for b in rows}
    diff = max((abs(s - common[c]) for c, s in top if c in common), default=float("nan"))
    fig.checks.append(f"SQL vs index ({fig.sql_rows:,} evidence rows): {same}/{len(top)} same "
                      f"candidate at the same rank, "
                      f"max |score diff| {diff:.1e} over {len(common.keys() & dict(top))} "
                      f"shared")

    floor = Floor.build(n, len(ev.skill_ids), cred, exp)
    fig.floor_mb = floor.nbytes() / 2**20
    vector = job_vector(job, columns, len(ev.skill_ids))
    best = floor.rank(vector, LIMIT)
    fig.floor = _stats(timed_runs(lambda: floor.rank(vector, LIMIT), max(runs, 20), 60.0))
    overlap = len({int(i) + 1 for i in best} & {c for c, _ in top})
    fig.checks.append(f"floor vs index: {overlap}/{len(top)} of the top 50 shared "
                      f"(the floor is not the §4 score)")


def _profile(work, n: int, repeat: int = 5) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        work()
    profiler.disable()
    print(f"\n--- cProfile: {repeat} x (rank + explain), {n:,} candidates, by own time ---")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(18)


def _verdict(value: float, target: float | None) -> str:
    if target is None:
        return ""
    return f"(target <= {target:,.0f}: {'pass' if value <= target else 'MISS'})"


def report(fig: Figures) -> None:
    n = fig.n
    ratio_floor = fig.total[0] / fig.floor[0] if fig.floor[0] else float("nan")
    print(f"\n== {n:,} candidates, 20-requirement job, top {LIMIT} ==")
    print(f"index build                      : {fig.build_s:9.2f} s")
    mem = fig.memory
    print(f"index memory, nbytes()           : {fig.nbytes_mb:9.1f} MB (evidence arrays)")
    print(f"index memory, warm, counted      : {mem['total']:9.1f} MB = arrays "
          f"{mem['arrays']:.1f} + caches {mem['caches']:.1f} + Python objects "
          f"{mem['python']:.1f} {_verdict(mem['total'], TARGET_MEMORY_MB.get(n))}")
    print(f"RSS growth (indicative)          : {fig.rss_build_mb:9.1f} MB after build, "
          f"{fig.rss_warm_mb:.1f} MB after the first rank")
    print(f"first rank (fills caches)        : {fig.first_rank_ms:9.1f} ms")
    print(f"rank, index only (median / p95)  : {fig.rank[0]:9.1f} / {fig.rank[1]:.1f} ms")
    print(f"explain 50 (median / p95)        : {fig.explain[0]:9.1f} / {fig.explain[1]:.1f} ms")
    print(f"rank + explain (median / p95)    : {fig.total[0]:9.1f} / {fig.total[1]:.1f} ms  "
          f"{_verdict(fig.total[0], TARGETS_MS.get(n))}   [{fig.runs} runs]")
    print(f"  a job never ranked before      : {fig.new_job[0]:9.1f} / {fig.new_job[1]:.1f} ms  "
          f"{_verdict(fig.new_job[0], TARGETS_MS.get(n))}   (per-requirement cache empty)")
    print(f"plain SQL, one query (median/p95): {fig.sql[0]:9.1f} / {fig.sql[1]:.1f} ms   "
          f"[{fig.sql_runs} runs; load {fig.sql_load_s:.1f} s]")
    print(f"scipy floor (median / p95)       : {fig.floor[0]:9.2f} / {fig.floor[1]:.2f} ms   "
          f"[matrix {fig.floor_mb:.1f} MB]")
    print(f"ratios                           : index/floor {fig.rank[0] / fig.floor[0]:.1f}x "
          f"(with explanations {ratio_floor:.1f}x), SQL/index {fig.sql[0] / fig.rank[0]:.1f}x "
          f"(SQL/(index+explain) {fig.sql[0] / fig.total[0]:.1f}x)")
    for line in fig.checks:
        print(f"check: {line}")


def summary(figures: list[Figures]) -> None:
    print("\n   N        build s  nbytes MB  warm MB  rank ms med/p95  +explain ms med/p95"
          "   SQL ms   floor ms  idx/floor  SQL/idx  §8")
    for f in figures:
        target = TARGETS_MS.get(f.n)
        mem = TARGET_MEMORY_MB.get(f.n)
        verdict = "-" if target is None else "pass" if f.total[0] <= target else "MISS"
        if mem is not None:
            verdict += "/mem " + ("pass" if f.memory["total"] <= mem else "MISS")
        print(f"{f.n:>9,} {f.build_s:8.2f} {f.nbytes_mb:9.1f} {f.memory['total']:8.0f} "
              f"{f.rank[0]:8.1f}/{f.rank[1]:<7.1f} {f.total[0]:10.1f}/{f.total[1]:<8.1f} "
              f"{f.sql[0]:8.0f} {f.floor[0]:9.2f} {f.rank[0] / f.floor[0]:9.1f}x "
              f"{f.sql[0] / f.rank[0]:7.1f}x  {verdict}")


def bench_ranking(sizes: list[int], runs: int = 20, sql_budget_s: float = 60.0,
                  profile: bool = False) -> list[Figures]:
    print(f"\nranking benchmark (DESIGN.md §8), sizes {', '.join(f'{n:,}' for n in sizes)}; "
          "timings are wall clock on a shared machine: noisy")
    started = time.perf_counter()
    taxonomy = load_taxonomy()
    graph = SkillGraph(taxonomy.skills, taxonomy.groups)
    t0 = time.perf_counter()
    proximity = graph.compiled()
    print(f"proximity matrix, full taxonomy  : {time.perf_counter() - t0:9.2f} s "
          f"({len(proximity.ids):,} skills, {proximity.matrix.nnz:,} pairs)")
    t0 = time.perf_counter()
    gc.disable()  # millions of long-lived objects: full collections would go quadratic
    try:
        work = load_workload(max(sizes), progress=max(sizes) >= 500_000)
    finally:
        gc.enable()
    gc.freeze()  # ... and would scan the workload during the timed runs
    seconds = time.perf_counter() - t0
    print(f"workload: {max(sizes):,} candidates generated, resolved ({work.distinct_names:,} "
          f"distinct skill names) and converted in {seconds:.1f} s "
          f"({max(sizes) / seconds:,.0f}/s)")
    figures = []
    for n in sorted(sizes):
        t0 = time.perf_counter()
        fig = run_size(work, graph, n, runs if n < 1_000_000 else max(5, runs // 2),
                       sql_budget_s, profile=profile and n == max(sizes))
        report(fig)
        print(f"({n:,}: {time.perf_counter() - t0:.0f} s)")
        figures.append(fig)
    summary(figures)
    print("targets (§8): rank + explain median <= 50 ms at 100,000 and <= 300 ms at "
          "1,000,000; index memory <= 1 GB at 1,000,000 (warm, counted)")
    print(f"ranking benchmark total: {time.perf_counter() - started:.0f} s")
    return figures


def parse_sizes(text: str) -> list[int]:
    sizes = sorted({int(s.replace("_", "")) for s in text.split(",") if s.strip()})
    if not sizes or sizes[0] <= LIMIT:
        raise argparse.ArgumentTypeError(f"sizes must be > {LIMIT}")
    return sizes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_sizes,
                        default=parse_sizes(os.environ.get("BENCH_SIZES", DEFAULT_SIZES)))
    parser.add_argument("--runs", type=int, default=20, help="warm runs per size")
    parser.add_argument("--sql-budget", type=float, default=60.0,
                        help="seconds of SQL runs per size (at least 3 runs)")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile rank + explain at the largest size")
    args = parser.parse_args(argv)
    bench_ranking(args.sizes, args.runs, args.sql_budget, args.profile)


if __name__ == "__main__":
    main()
