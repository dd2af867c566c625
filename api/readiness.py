"""Index warm-up and readiness: a worker is ready once every organization's index is built.

Building an index costs about 1.5 s per 100,000 candidates, so a worker started by
``talentmatch serve`` builds them in a background thread straight after it boots; until
that is done ``/api/v1/ready`` answers 503 and a load balancer keeps traffic on workers
that are warm. A database that is down at boot is waited for, not given up on.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from api import models
from api.ranking import index_cache

__all__ = ["Warmup", "start_warmup", "warmup_of"]

log = logging.getLogger(__name__)
_EXTENSION = "talentmatch.warmup"
RETRY_SECONDS = 2.0


@dataclass
class Warmup:
    """Progress of one worker's index warm-up (read by the readiness endpoint)."""

    state: str = "warming"  # warming -> ready
    organizations: int = 0
    built: int = 0
    candidates: int = 0
    seconds: float | None = None
    last_error: str | None = None
    thread: threading.Thread | None = field(default=None, repr=False)
    stopping: threading.Event = field(default_factory=threading.Event, repr=False)

    def stop(self, timeout: float = 5.0) -> None:
        """Give up retrying (an app discarded while the database is down): ends the thread."""
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout)

    def as_dict(self) -> dict:
        body = {"state": self.state, "organizations": self.organizations,
                "built": self.built, "candidates": self.candidates}
        if self.seconds is not None:
            body["seconds"] = round(self.seconds, 3)
        if self.last_error:
            body["last_error"] = self.last_error
        return body


def warmup_of(app: Flask) -> Warmup | None:
    """The app's warm-up, or None when the app builds indexes lazily (tests, scripts)."""
    return app.extensions.get(_EXTENSION)


def start_warmup(app: Flask) -> Warmup:
    """Build every organization's index in a daemon thread; idempotent per app."""
    existing = warmup_of(app)
    if existing is not None:
        return existing
    warmup = Warmup()
    app.extensions[_EXTENSION] = warmup
    warmup.thread = threading.Thread(target=_run, args=(app, warmup), name="index-warmup",
                                     daemon=True)
    warmup.thread.start()
    return warmup


def _warm_shared() -> None:
    """What every worker's first write and first ranking would otherwise build (seconds)."""
    from api.wiring import taxonomy_graph
    from graph.taxonomy import taxonomy_resolver

    taxonomy_resolver()
    taxonomy_graph().compiled()


def _run(app: Flask, warmup: Warmup) -> None:
    started = time.perf_counter()
    _warm_shared()
    while True:
        try:
            _build_all(app, warmup)
        except (OperationalError, PoolTimeout) as error:
            # The database may come up after the service; keep trying, readiness says why.
            warmup.last_error = str(error).splitlines()[0]
            log.warning("index warm-up waits for the database: %s", warmup.last_error)
            if warmup.stopping.wait(RETRY_SECONDS):
                return
            continue
        except Exception as error:  # a bug must not leave the worker unready for ever
            log.exception("index warm-up failed; indexes will be built at first ranking")
            warmup.last_error = f"{type(error).__name__}: {error}"
        break
    warmup.seconds = time.perf_counter() - started
    warmup.state = "ready"
    log.info("index warm-up done", extra={"organizations": warmup.organizations,
                                          "candidates": warmup.candidates,
                                          "seconds": round(warmup.seconds, 3)})


def _build_all(app: Flask, warmup: Warmup) -> None:
    factory = app.extensions["talentmatch.sessionmaker"]
    cache = index_cache(app)
    with factory() as session:
        organization_ids = session.scalars(select(models.Organization.id)
                                           .order_by(models.Organization.id)).all()
        warmup.organizations = len(organization_ids)
        warmup.built = warmup.candidates = 0
        for organization_id in organization_ids:
            index, _ = cache.current(session, organization_id)
            session.rollback()  # end the read transaction: no snapshot held between builds
            warmup.built += 1
            warmup.candidates += len(index)
    warmup.last_error = None
