"""The production server: gunicorn running the application factory in each worker.

Ranking is CPU-bound and holds the GIL, so throughput comes from processes (one per
core by default); a few threads per worker let requests that wait on the database
overlap with a ranking in the same process. The ``gthread`` worker is used even with
one thread, because its main loop keeps answering the arbiter's heartbeat while a
long request (a first index build at a million candidates) runs.

Each worker builds its own app after the fork (no ``preload_app``): database
connections and the in-memory index are never shared between processes.

Metrics from every worker are merged at scrape time through prometheus_client's
multiprocess mode: the master points ``PROMETHEUS_MULTIPROC_DIR`` at an empty
directory before any worker starts, and drops a dead worker's live gauges.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from api.observability import gunicorn_log_config

__all__ = ["MULTIPROC_ENV", "ServeOptions", "TalentmatchServer", "default_workers",
           "prepare_metrics_dir"]

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
log = logging.getLogger(__name__)
_created_dirs: list[Path] = []


def default_workers() -> int:
    """One worker per core: rankings are CPU-bound, more processes only contend."""
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class ServeOptions:
    """What ``talentmatch serve`` hands to gunicorn (defaults explained in docs/operations.md)."""

    host: str = "127.0.0.1"
    port: int = 5000
    workers: int = 0  # 0: one per core
    threads: int = 4
    timeout: int = 120
    graceful_timeout: int = 30
    keepalive: int = 5
    max_requests: int = 0

    def gunicorn_settings(self) -> dict[str, Any]:
        return {
            "bind": f"{self.host}:{self.port}",
            "workers": self.workers or default_workers(),
            "threads": self.threads,
            "worker_class": "gthread",
            # A worker silent this long is killed and replaced; the gthread main loop
            # heartbeats while requests run, so this only catches a wedged process.
            "timeout": self.timeout,
            # SIGTERM: stop accepting, finish in-flight requests for up to this long.
            "graceful_timeout": self.graceful_timeout,
            "keepalive": self.keepalive,
            "max_requests": self.max_requests,
            "max_requests_jitter": self.max_requests // 10 if self.max_requests else 0,
            "preload_app": False,
            # gunicornc's socket sits at one fixed path per user: two instances (blue/green,
            # tests) would fight over it, and signals already cover what it offers.
            "control_socket_disable": True,
            "accesslog": None,  # the app logs every request itself, with its request id
            # gunicorn's own lines (boot, worker exits, timeouts) in the app's JSON format.
            "logconfig_dict": gunicorn_log_config(),
            "on_starting": _on_starting,
            "post_worker_init": _post_worker_init,
            "child_exit": _child_exit,
            "on_exit": _on_exit,
        }


def prepare_metrics_dir() -> Path:
    """Point ``PROMETHEUS_MULTIPROC_DIR`` at an empty directory (a new one unless set).

    An operator's directory is kept but emptied of the last run's files, as
    prometheus_client requires: stale files would add a dead run's counts.
    """
    configured = os.environ.get(MULTIPROC_ENV)
    if configured:
        directory = Path(configured)
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.glob("*.db"):
            stale.unlink()
    else:
        directory = Path(tempfile.mkdtemp(prefix="talentmatch-metrics-"))
        os.environ[MULTIPROC_ENV] = str(directory)
        _created_dirs.append(directory)
    # prometheus_client chose its value store when first imported, and the master has
    # imported it already (finding the serve command builds an app): choose again.
    # Every talentmatch metric has labels, so no value exists before a worker makes it.
    from prometheus_client import values

    values.ValueClass = values.get_value_class()
    log.info("metrics of every worker are merged from %s=%s", MULTIPROC_ENV, directory)
    return directory


def _on_starting(_arbiter: Any) -> None:
    logging.captureWarnings(True)  # Python warnings become JSON log lines too
    prepare_metrics_dir()


def _child_exit(_arbiter: Any, worker: Any) -> None:
    """A dead worker's live gauges (pool, index size) leave the merged figures."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def _on_exit(_arbiter: Any) -> None:
    while _created_dirs:
        shutil.rmtree(_created_dirs.pop(), ignore_errors=True)


def _post_worker_init(worker: Any) -> None:
    """Build this worker's indexes in the background; ``/ready`` says when it is done."""
    from api.readiness import start_warmup

    start_warmup(worker.wsgi)


class TalentmatchServer(BaseApplication):  # type: ignore[misc]
    """gunicorn, configured in code rather than from a config file.

    Parameters
    ----------
    factory : callable
        Returns the WSGI application; called once in every worker after the fork.
    settings : dict
        gunicorn settings (``ServeOptions.gunicorn_settings`` plus any hooks).
    """

    def __init__(self, factory: Callable[[], Any], settings: dict[str, Any]) -> None:
        self._factory = factory
        self._settings = settings
        super().__init__()

    def load_config(self) -> None:
        for name, value in self._settings.items():
            if name in self.cfg.settings and value is not None:
                self.cfg.set(name, value)

    def load(self) -> Any:
        return self._factory()
