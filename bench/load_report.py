"""Figures of a load run: throughput, latency percentiles and errors, per class and overall.

Only requests dealt inside the measurement window count (the warm-up is excluded); the
window ends when the last of them has answered, so the slowest requests are never cut
off. Percentiles are nearest-rank over the client-side latencies (connect, send,
server time, full body read).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bench.load_client import MIX, Sample

__all__ = ["Stats", "markdown_table", "metrics_summary", "percentile", "summarise"]


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of an ascending sequence (``p`` in 0..100)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


@dataclass(frozen=True)
class Stats:
    """One row of the report."""

    name: str
    requests: int
    errors: int
    seconds: float  # the window the throughput is over
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    @classmethod
    def of(cls, name: str, samples: Sequence[Sample], seconds: float) -> Stats:
        latencies = sorted(s.seconds * 1000 for s in samples)
        return cls(name, len(samples), sum(1 for s in samples if s.error), seconds,
                   percentile(latencies, 50), percentile(latencies, 90),
                   percentile(latencies, 99), latencies[-1] if latencies else math.nan)


def summarise(samples: Sequence[Sample], window_start: float
              ) -> tuple[list[Stats], list[Stats], float]:
    """(rows per class and overall, rows per operation, window seconds)."""
    measured = [s for s in samples if s.measured]
    end = max((s.started + s.seconds for s in measured), default=window_start)
    seconds = end - window_start
    classes = [Stats.of(kind, [s for s in measured if s.kind == kind], seconds)
               for kind, _ in MIX]
    classes.append(Stats.of("overall", measured, seconds))
    operations = sorted({(s.kind, s.operation) for s in measured})
    per_operation = [Stats.of(f"{kind}: {operation}",
                              [s for s in measured if s.operation == operation], seconds)
                     for kind, operation in operations]
    return classes, per_operation, seconds


def markdown_table(rows: Sequence[Stats]) -> str:
    """A table that can be pasted into the docs."""
    lines = ["| class | requests | share | req/s | p50 ms | p90 ms | p99 ms | max ms | errors |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    total = next((r.requests for r in rows if r.name == "overall"), None)
    total = total or sum(r.requests for r in rows) or 1
    for r in rows:
        lines.append(f"| {r.name} | {r.requests:,} | {100 * r.requests / total:.1f} % | "
                     f"{r.throughput:,.1f} | {_ms(r.p50_ms)} | {_ms(r.p90_ms)} | "
                     f"{_ms(r.p99_ms)} | {_ms(r.max_ms)} | {r.errors} |")
    return "\n".join(lines)


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:,.1f}"


def metrics_summary(before: dict[str, float], after: dict[str, float]) -> list[str]:
    """Server-side histograms over the run (count, mean) and index/pool gauges at its end.

    The metric names belong to the service; whatever it exposes is summarised (label
    sets added up per family), so this keeps working as metrics are added. With several
    workers a scrape shows what the service aggregates across them.
    """
    counts, sums = _delta(before, after, "_count"), _delta(before, after, "_sum")
    lines = []
    for family, count in sorted(counts.items()):
        if count <= 0 or family not in sums:
            continue
        mean = sums[family] / count
        lines.append(f"{family}: {count:,.0f} observed in the window, mean "
                     + (f"{1000 * mean:,.1f} ms" if family.endswith("_seconds")
                        else f"{mean:,.4g}"))
    for name, value in sorted(after.items()):
        base = name.split("{", 1)[0]
        if any(word in base for word in ("index", "pool")) and not base.endswith(
                ("_bucket", "_count", "_sum", "_created")):
            lines.append(f"{name} = {value:,.6g}")
    return lines


def _delta(before: dict[str, float], after: dict[str, float], suffix: str) -> dict[str, float]:
    """Per family (name without ``suffix``), the change of its samples summed over labels."""
    out: dict[str, float] = {}
    for name, value in after.items():
        base = name.split("{", 1)[0]
        if base.endswith(suffix):
            family = base.removesuffix(suffix)
            out[family] = out.get(family, 0.0) + value - before.get(name, 0.0)
    return out
