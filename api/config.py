"""Configuration from the environment (documented in README.md)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["load_config"]


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


def load_config(instance_path: str) -> dict:
    """Settings read from ``TALENTMATCH_*`` / ``DATABASE_URL`` variables."""
    default_db = "sqlite:///" + str(Path(instance_path) / "talentmatch.sqlite3")
    return {
        "DATABASE_URL": os.environ.get("DATABASE_URL", default_db),
        # Bulk imports of 1,000 rich candidates fit comfortably in 16 MiB.
        "MAX_CONTENT_LENGTH": _int("TALENTMATCH_MAX_BODY_BYTES", 16 * 1024 * 1024),
        "DB_POOL_SIZE": _int("TALENTMATCH_DB_POOL_SIZE", 5),
        "DB_STATEMENT_TIMEOUT_MS": _int("TALENTMATCH_DB_STATEMENT_TIMEOUT_MS", 30_000),
        "SECRET_KEY": os.environ.get("TALENTMATCH_SECRET_KEY", "dev-only-not-secret"),
    }
