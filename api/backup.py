"""Backups and schema status for operators (``talentmatch db backup`` / ``db status``).

SQLite is copied with its online backup API, which gives a consistent snapshot while the
service keeps writing (copying the file would miss what is still in the WAL).
PostgreSQL is dumped with ``pg_dump --format=custom``, the format ``pg_restore`` reads
back table by table; point-in-time recovery (WAL archiving) is the server's job, see
docs/operations.md.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import make_url

from api.db import make_engine
from api.migrate import alembic_config

__all__ = ["BackupError", "backup", "schema_status"]


class BackupError(Exception):
    """The backup could not be made; the message says why."""


def schema_status(url: str) -> tuple[str | None, str]:
    """The database's alembic revision (None when empty) and the code's head revision."""
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
    return current, head or ""


def backup(url: str, destination: Path) -> Path:
    """Write a consistent backup of the database at ``url`` to ``destination``."""
    if destination.exists():
        raise BackupError(f"{destination} exists; choose a new file.")
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _backup_sqlite(Path(parsed.database or ""), destination)
    if parsed.get_backend_name() == "postgresql":
        return _dump_postgres(parsed.set(drivername="postgresql"), destination)
    raise BackupError(f"No backup method for {parsed.get_backend_name()}.")


def _backup_sqlite(source: Path, destination: Path) -> Path:
    if not source.is_file():
        raise BackupError(f"No SQLite database at {source}.")
    with sqlite3.connect(source) as live, sqlite3.connect(destination) as copy:
        live.backup(copy)  # page by page, consistent even while others write
    return destination


def _dump_postgres(url, destination: Path) -> Path:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("pg_dump is not installed (Debian: apt-get install postgresql-client).")
    result = subprocess.run(
        [pg_dump, "--format=custom", "--no-owner", f"--file={destination}",
         f"--dbname={url.render_as_string(hide_password=False)}"],
        capture_output=True, text=True, check=False)
    if result.returncode != 0:
        destination.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return destination
