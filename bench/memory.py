"""Memory of a ranking index, counted object by object (RSS growth is only indicative).

``CandidateIndex.nbytes()`` counts the segments' evidence arrays. A warm index holds
more: the per-date caches a ranking fills (credential strengths, the slots x skills
credential matrix, years and gaps as sparse matrices, total years), the external ids
as Python strings, the id -> slot dictionary and the proximity-to-column map. RSS growth
in a process that has freed memory before undercounts (freed arenas are reused), so the
benchmark reports this count next to it.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import scipy.sparse as sp

from matcher.index import CandidateIndex

__all__ = ["deep_nbytes", "index_memory", "rss_mb"]


def rss_mb() -> float:
    """Resident set size of this process in MB (Linux)."""
    import os

    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def deep_nbytes(value: Any) -> int:
    """Bytes of numpy arrays and scipy sparse matrices in ``value`` (tuples, lists, dicts)."""
    if isinstance(value, np.ndarray):
        return value.nbytes
    if sp.issparse(value):
        return sum(getattr(value, name).nbytes for name in ("data", "indices", "indptr", "row",
                                                            "col") if hasattr(value, name))
    if isinstance(value, (tuple, list)):
        return sum(deep_nbytes(v) for v in value)
    if isinstance(value, dict):
        return sum(deep_nbytes(v) for v in value.values())
    return 0


def _python_bytes(index: CandidateIndex) -> int:
    """External id strings and lists, the id -> (segment, slot) dict, the column map."""
    size = sys.getsizeof
    total = size(index.where) + sum(size(k) + size(v) + size(v[0]) + size(v[1])
                                    for k, v in index.where.items())
    for segment in index.segments:
        total += size(segment.external_ids) + sum(size(e) for e in segment.external_ids)
    columns = index.columns
    total += size(columns.ids) + size(columns.index) + sum(size(s) for s in columns.ids)
    if index._proximity_map is not None:  # (key, to_col array, positions dict)
        total += size(index._proximity_map[2])
    return total


def index_memory(index: CandidateIndex) -> dict[str, float]:
    """MB by part: evidence arrays (``nbytes()``), warm caches, Python objects, total."""
    arrays = index.nbytes()
    caches = sum(deep_nbytes(seg._cache) for seg in index.segments)
    if index._proximity_map is not None:
        caches += deep_nbytes(index._proximity_map[1])
    python = _python_bytes(index)
    mb = 2.0 ** 20
    return {"arrays": arrays / mb, "caches": caches / mb, "python": python / mb,
            "total": (arrays + caches + python) / mb}
