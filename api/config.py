"""Configuration from the environment (documented in README.md)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["load_config"]


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in _TRUE | _FALSE:
        raise ValueError(f"{name}={raw!r}: use one of {', '.join(sorted(_TRUE | _FALSE))}.")
    return raw in _TRUE


def load_config(instance_path: str) -> dict:
    """Settings read from ``TALENTMATCH_*`` / ``DATABASE_URL`` variables."""
    default_db = "sqlite:///" + str(Path(instance_path) / "talentmatch.sqlite3")
    return {
        "DATABASE_URL": os.environ.get("DATABASE_URL", default_db),
        # Bulk imports of 1,000 rich candidates fit comfortably in 16 MiB.
        "MAX_CONTENT_LENGTH": _int("TALENTMATCH_MAX_BODY_BYTES", 16 * 1024 * 1024),
        # PostgreSQL pool and server-side timeouts (api/postgres.py; reasons: README.md).
        # Per process: pool_size + max_overflow connections; keep workers x that below
        # the server's max_connections.
        "DB_POOL_SIZE": _int("TALENTMATCH_DB_POOL_SIZE", 5),
        "DB_MAX_OVERFLOW": _int("TALENTMATCH_DB_MAX_OVERFLOW", 5),
        # A request waiting longer than this for a connection is answered 503.
        "DB_POOL_TIMEOUT_S": _int("TALENTMATCH_DB_POOL_TIMEOUT_S", 10),
        "DB_POOL_RECYCLE_S": _int("TALENTMATCH_DB_POOL_RECYCLE_S", 1800),
        "DB_CONNECT_TIMEOUT_S": _int("TALENTMATCH_DB_CONNECT_TIMEOUT_S", 5),
        "DB_STATEMENT_TIMEOUT_MS": _int("TALENTMATCH_DB_STATEMENT_TIMEOUT_MS", 30_000),
        "DB_LOCK_TIMEOUT_MS": _int("TALENTMATCH_DB_LOCK_TIMEOUT_MS", 10_000),
        # Longer than the longest compute step inside a transaction (building the ranking
        # index of a million candidates); ends sessions that hold locks and do nothing.
        "DB_IDLE_TX_TIMEOUT_MS": _int("TALENTMATCH_DB_IDLE_TX_TIMEOUT_MS", 300_000),
        # SQLite: how long a write waits for the write lock before it answers 503
        # database-busy (api/sqlite.py says why 15 s).
        "SQLITE_BUSY_TIMEOUT_MS": _int("TALENTMATCH_SQLITE_BUSY_TIMEOUT_MS", 15_000),
        "SECRET_KEY": os.environ.get("TALENTMATCH_SECRET_KEY", "dev-only-not-secret"),
        # Rate limits per API key (api/limits.py; the reasons for each default: README.md).
        "RATELIMIT_ENABLED": _bool("TALENTMATCH_RATELIMIT_ENABLED", True),
        # memory:// counts per process; several processes must share redis://host:6379.
        "RATELIMIT_STORAGE_URI": os.environ.get("TALENTMATCH_RATELIMIT_STORAGE_URI",
                                                "memory://"),
        "RATELIMIT_READ": os.environ.get("TALENTMATCH_RATELIMIT_READ", "600/minute"),
        "RATELIMIT_WRITE": os.environ.get("TALENTMATCH_RATELIMIT_WRITE", "120/minute"),
        "RATELIMIT_RANKING": os.environ.get("TALENTMATCH_RATELIMIT_RANKING", "60/minute"),
        "RATELIMIT_AUTH_FAILURES": os.environ.get("TALENTMATCH_RATELIMIT_AUTH_FAILURES",
                                                  "600/minute"),
        # Logs and metrics (docs/observability.md); bad values fail at startup.
        "LOG_LEVEL": os.environ.get("TALENTMATCH_LOG_LEVEL", "INFO").upper(),
        "LOG_FORMAT": os.environ.get("TALENTMATCH_LOG_FORMAT", "json").lower(),
        "METRICS_TOKEN": os.environ.get("TALENTMATCH_METRICS_TOKEN") or None,
    }
