"""Structured logs and request ids.

Every log line is one JSON object on stderr (``TALENTMATCH_LOG_FORMAT=text`` for a
terminal), and every line written while a request is served carries its request id.
The id is the caller's ``X-Request-ID`` when that is sane, else a new one; it is
returned in ``X-Request-ID`` on every response and in every problem body, so a
client's report, the access line and any error line can be joined.

Each request ends with one access line (logger ``talentmatch.access``) naming the URL
rule rather than the raw path, so aggregating by route stays bounded. Probe and
scrape lines (health, readiness, ``/metrics``) are logged at DEBUG when they succeed,
so they do not drown the rest. The same handler and formatter serve gunicorn's own
log through :func:`gunicorn_log_config`.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

__all__ = ["LOG_FORMATS", "REQUEST_ID_HEADER", "JsonLogFormatter", "RequestIdFilter",
           "StderrHandler", "TextLogFormatter", "configure_logging", "elapsed",
           "gunicorn_log_config", "init_observability", "make_formatter", "request_id",
           "route"]

REQUEST_ID_HEADER = "X-Request-ID"
LOG_FORMATS = ("json", "text")
UNMATCHED = "<unmatched>"  # the route of a request no URL rule matched (404, 405)
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_ENVIRON_ID = "talentmatch.request_id"
_ENVIRON_START = "talentmatch.started"
_QUIET_ROUTES = frozenset({"/api/v1/health", "/api/v1/ready", "/metrics"})
_USER_AGENT_MAX = 256
# Chatty at INFO about their own internals: shown from WARNING unless set otherwise.
_NOISY_LOGGERS = ("alembic.runtime.plugins",)

access_log = logging.getLogger("talentmatch.access")


def _iso_utc(created: float) -> str:
    stamp = datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")
    return stamp.replace("+00:00", "Z")


# -- request id ----------------------------------------------------------------------------

def request_id() -> str:
    """The current request's id: the caller's ``X-Request-ID`` if sane, else a new uuid4 hex.

    Kept in the WSGI environ (one per request, even when tests reuse an app context)
    and mirrored in ``flask.g.request_id``.
    """
    rid = request.environ.get(_ENVIRON_ID)
    if rid is None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        # Anything else could forge log fields or explode label and index cardinality.
        rid = incoming if _SANE_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.environ[_ENVIRON_ID] = rid
    g.request_id = rid
    return rid


def elapsed() -> float:
    """Seconds since the current request entered the application."""
    started = request.environ.get(_ENVIRON_START)
    return time.perf_counter() - started if started is not None else 0.0


def route() -> str:
    """The URL rule of the current request (``/api/v1/jobs/<id:job_id>``), bounded in number."""
    return request.url_rule.rule if request.url_rule is not None else UNMATCHED


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record logged while a request is served."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id") and has_request_context():
            record.request_id = request_id()
        return True


# -- formatting ----------------------------------------------------------------------------

class JsonLogFormatter(JsonFormatter):
    """One JSON object per record: time (ISO 8601 UTC), level, logger, pid, message, extras."""

    def __init__(self) -> None:
        super().__init__("%(levelname)s %(name)s %(process)d %(message)s",
                         rename_fields={"levelname": "level", "name": "logger",
                                        "process": "pid"})

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord,
                   message_dict: dict[str, Any]) -> None:
        log_data["time"] = _iso_utc(record.created)  # first, for people reading raw lines
        super().add_fields(log_data, record, message_dict)


class TextLogFormatter(logging.Formatter):
    """``time level logger [request id] message`` for a person at a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s [%(rid)s] %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return _iso_utc(record.created)

    def format(self, record: logging.LogRecord) -> str:
        # A copy: other handlers (pytest's caplog) must not see the placeholder.
        copy = logging.makeLogRecord(record.__dict__)
        copy.rid = getattr(record, "request_id", "-")
        return super().format(copy)


def make_formatter(fmt: str = "json") -> logging.Formatter:
    """The formatter for ``TALENTMATCH_LOG_FORMAT`` (``json`` or ``text``)."""
    if fmt not in LOG_FORMATS:
        raise ValueError(f"TALENTMATCH_LOG_FORMAT={fmt!r}: use one of {', '.join(LOG_FORMATS)}.")
    return JsonLogFormatter() if fmt == "json" else TextLogFormatter()


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record is emitted (pytest swaps it)."""

    def __init__(self, level: int | str = logging.NOTSET) -> None:
        super().__init__(sys.stderr)
        self.setLevel(level)
        self.addFilter(RequestIdFilter())

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass  # always the current sys.stderr


def configure_logging(level: str = "INFO", fmt: str = "json") -> StderrHandler:
    """Send log records at ``level`` and above to stderr, formatted as ``fmt``.

    Idempotent (tests build many apps): the one handler on the root logger is reused,
    whether an earlier call or gunicorn's ``logconfig_dict`` installed it. Other
    handlers (pytest's caplog) are left alone, and the root level is only ever lowered.
    """
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise ValueError(f"TALENTMATCH_LOG_LEVEL={level!r} is not a logging level.")
    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h, StderrHandler)), None)
    if handler is None:
        handler = StderrHandler()
        root.addHandler(handler)
    handler.setFormatter(make_formatter(fmt))
    handler.setLevel(numeric)
    if root.level == logging.NOTSET or root.level > numeric:
        root.setLevel(numeric)
    for name in _NOISY_LOGGERS:
        noisy = logging.getLogger(name)
        if noisy.level == logging.NOTSET:
            noisy.setLevel(logging.WARNING)
    return handler


def gunicorn_log_config(level: str | None = None, fmt: str | None = None) -> dict[str, Any]:
    """A gunicorn ``logconfig_dict``: its error log goes through the same JSON handler.

    Read from the environment by default, since gunicorn's master has no app config.
    """
    level = (level or os.environ.get("TALENTMATCH_LOG_LEVEL") or "INFO").upper()
    fmt = fmt or os.environ.get("TALENTMATCH_LOG_FORMAT") or "json"
    make_formatter(fmt)  # a bad value fails here, before any worker starts
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"talentmatch": {"()": make_formatter, "fmt": fmt}},
        "handlers": {"stderr": {"()": StderrHandler, "formatter": "talentmatch"}},
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            # No handler of its own: propagates to the root's JSON handler.
            "gunicorn.error": {"level": level, "handlers": [], "propagate": True},
            # A logconfig_dict turns gunicorn's access log on; the app's access line,
            # with route and request id, replaces it.
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
            **{name: {"level": "WARNING"} for name in _NOISY_LOGGERS},
        },
    }


# -- per-request hooks -----------------------------------------------------------------------

def init_observability(app: Flask) -> None:
    """Configure logging and install the request-id and access-log hooks on ``app``."""
    configure_logging(app.config.get("LOG_LEVEL", "INFO"), app.config.get("LOG_FORMAT", "json"))
    # First before-request hook (the clock starts before rate limits and authentication)
    # and last after-request hook (the header lands on whatever the others produced).
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request_funcs.setdefault(None, []).insert(0, _finish)


def _start() -> None:
    request.environ.setdefault(_ENVIRON_START, time.perf_counter())
    request_id()


def _principal() -> dict[str, Any]:
    principal = g.get("principal")
    if principal is None:
        return {}
    who = f"user:{principal.user_id}" if principal.user_id else f"key:{principal.key_id}"
    return {"organization_id": principal.organization_id, "principal": who}


def _finish(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = request_id()
    status = response.status_code
    rule = route()
    duration_ms = round(elapsed() * 1000, 2)
    level = logging.WARNING if status >= 500 else logging.INFO
    if rule in _QUIET_ROUTES and status < 400:
        level = logging.DEBUG
    if access_log.isEnabledFor(level):
        access_log.log(level, "%s %s %s %.1f ms", request.method, request.path, status,
                       duration_ms, extra={
                           "method": request.method, "route": rule, "path": request.path,
                           "status": status, "duration_ms": duration_ms, **_principal(),
                           "remote_addr": request.remote_addr,
                           "user_agent": request.user_agent.string[:_USER_AGENT_MAX] or None})
    return response
