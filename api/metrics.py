"""Prometheus metrics and the ``/metrics`` endpoint (text exposition format).

Metrics are defined once per process, here at module level: tests build many apps in
one process, and prometheus_client refuses a second metric of the same name.

Under gunicorn each worker counts on its own, so ``talentmatch serve`` sets
``PROMETHEUS_MULTIPROC_DIR`` and prometheus_client keeps every worker's values in
memory-mapped files there; a scrape, answered by any one worker, merges them all.
Gauges say how workers combine (``multiprocess_mode``). Every metric carries labels,
so its values are only created at the first ``.labels()`` call, in a worker: the
gunicorn master imports this module (to find the ``serve`` command) before it sets
the directory, and a value made then would stay single-process.

``TALENTMATCH_METRICS_TOKEN``, when set, must be presented as a bearer token.
"""

from __future__ import annotations

import hmac
import os
import weakref
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import Engine, event
from sqlalchemy.pool import QueuePool

from api.errors import problem
from api.observability import elapsed, route

__all__ = ["HTTP_DURATION", "INDEX_BUILD", "INDEX_BYTES", "INDEX_CANDIDATES", "POOL_CHECKED_OUT",
           "POOL_LIMIT", "POOL_OVERFLOW", "POOL_SIZE", "RANKING_DURATION", "blp",
           "init_metrics", "instrument_engine", "observe_index", "observe_ranking"]

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
# A first build at a million candidates takes about 15 s; a catch-up, milliseconds.
_BUILD_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)

HTTP_DURATION = Histogram(
    "talentmatch_http_request_duration_seconds",
    "Time to answer an HTTP request, by method, URL rule and status.",
    ["method", "route", "status"], buckets=_LATENCY_BUCKETS)
RANKING_DURATION = Histogram(
    "talentmatch_ranking_duration_seconds",
    "Time of the ranking use case (index catch-up, rank, explain the page, store the run).",
    ["mode"], buckets=_LATENCY_BUCKETS)
INDEX_BUILD = Histogram(
    "talentmatch_index_build_seconds",
    "Time to build an organization's index (kind=build) or bring it up to date (catch_up).",
    ["kind"], buckets=_BUILD_BUCKETS)
INDEX_CANDIDATES = Gauge(
    "talentmatch_index_candidates", "Candidates in the organization's in-memory index "
    "(the largest over live workers).", ["organization"], multiprocess_mode="livemax")
INDEX_BYTES = Gauge(
    "talentmatch_index_bytes", "Memory held by the organization's index arrays "
    "(summed over live workers: each keeps its own copy).", ["organization"],
    multiprocess_mode="livesum")
POOL_SIZE = Gauge("talentmatch_db_pool_size", "Connections the pool keeps open "
                  "(summed over live workers).", ["database"], multiprocess_mode="livesum")
POOL_CHECKED_OUT = Gauge("talentmatch_db_pool_checked_out", "Connections in use by requests "
                         "(summed over live workers).", ["database"], multiprocess_mode="livesum")
POOL_OVERFLOW = Gauge("talentmatch_db_pool_overflow", "Connections open beyond the pool size "
                      "(summed over live workers).", ["database"], multiprocess_mode="livesum")
POOL_LIMIT = Gauge("talentmatch_db_pool_max_connections", "Most connections the pool may "
                   "open, size plus overflow (summed over live workers); checked_out at this "
                   "limit means requests wait for a connection.", ["database"],
                   multiprocess_mode="livesum")

blp = Blueprint("metrics", __name__)
_instrumented: weakref.WeakSet[Engine] = weakref.WeakSet()


def observe_ranking(mode: str, seconds: float) -> None:
    RANKING_DURATION.labels(mode=mode).observe(seconds)


def observe_index(organization_id: int, index: Any, kind: str, seconds: float) -> None:
    """Record a build or catch-up of ``index`` and its resulting size."""
    INDEX_BUILD.labels(kind=kind).observe(seconds)
    organization = str(organization_id)
    INDEX_CANDIDATES.labels(organization=organization).set(len(index))
    INDEX_BYTES.labels(organization=organization).set(index.nbytes())


# -- database pool ----------------------------------------------------------------------------

def _refresh_pool(engine: Engine, returning: int = 0) -> None:
    """Copy the pool's state into the gauges (``returning``: a connection being checked in)."""
    pool = engine.pool
    if not isinstance(pool, QueuePool):  # the only pool that counts (SQLite files use it too)
        return
    database = engine.dialect.name
    size = pool.size()
    POOL_SIZE.labels(database=database).set(size)
    POOL_CHECKED_OUT.labels(database=database).set(max(0, pool.checkedout() - returning))
    POOL_OVERFLOW.labels(database=database).set(max(0, pool.overflow()))
    # No public accessor for max_overflow; -1 means unbounded, reported as the size.
    POOL_LIMIT.labels(database=database).set(size + max(0, getattr(pool, "_max_overflow", 0)))


def instrument_engine(engine: Engine) -> None:
    """Keep the pool gauges current on every checkout and checkin; once per engine."""
    if engine in _instrumented:
        return
    _instrumented.add(engine)
    # On the engine, so the listeners survive engine.dispose() replacing the pool.
    event.listen(engine, "checkout", lambda *_args: _refresh_pool(engine))
    # The checkin event fires before the connection is back in the pool.
    event.listen(engine, "checkin", lambda *_args: _refresh_pool(engine, returning=1))
    _refresh_pool(engine)


# -- recording requests and the endpoint ------------------------------------------------------

def _observe_request(response: Response) -> Response:
    HTTP_DURATION.labels(method=request.method, route=route(),
                         status=str(response.status_code)).observe(elapsed())
    return response


def init_metrics(app: Flask) -> None:
    """Count ``app``'s requests, watch its database pool and serve ``/metrics``."""
    app.after_request(_observe_request)
    engine = app.extensions.get("talentmatch.engine")
    if engine is not None:
        instrument_engine(engine)
    app.register_blueprint(blp)


def _authorized(token: str) -> bool:
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(presented.strip().encode(),
                                                              token.encode())


def _exposition() -> bytes:
    directory = os.environ.get(MULTIPROC_ENV)
    if not directory:
        return generate_latest(REGISTRY)
    # Every worker's files, merged; a registry per scrape, as prometheus_client advises.
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=directory)
    return generate_latest(registry)


@blp.get("/metrics")
def metrics() -> Response:
    """Prometheus text exposition of this service's metrics (all workers)."""
    token = current_app.config.get("METRICS_TOKEN")
    if token and not _authorized(token):
        return problem(401, "Scraping needs Authorization: Bearer <TALENTMATCH_METRICS_TOKEN>.",
                       headers={"WWW-Authenticate": 'Bearer realm="talentmatch-metrics"'})
    engine = current_app.extensions.get("talentmatch.engine")
    if engine is not None:
        _refresh_pool(engine)  # this worker's figures exact at scrape time
    return Response(_exposition(), mimetype=None, content_type=CONTENT_TYPE_LATEST)
