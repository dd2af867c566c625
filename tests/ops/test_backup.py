"""``talentmatch db status`` and ``db backup``: a backup restores to the same data."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sqlalchemy import func, make_url, select, text

from api import models
from api.db import make_engine
from tests.ops.servers import TALENTMATCH, ops_database, tenant_key


def _talentmatch(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([TALENTMATCH, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "DATABASE_URL": url})


def _counts(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = (conn.scalar(select(func.count()).select_from(models.Organization)) or 0,
                 conn.scalar(select(func.count()).select_from(models.ApiKey)) or 0)
    engine.dispose()
    return found


def test_status_tells_a_deploy_script_whether_migrations_are_pending(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    pending = _talentmatch(url, "db", "status")
    assert pending.returncode == 1
    assert "talentmatch db upgrade" in pending.stderr
    assert _talentmatch(url, "db", "upgrade").returncode == 0
    current = _talentmatch(url, "db", "status")
    assert current.returncode == 0, current.stderr
    assert "empty" not in current.stdout


def test_a_backup_restores_to_the_same_data(backend: str, tmp_path: Path) -> None:
    url = ops_database(backend, tmp_path, "backup")
    tenant_key(url, "Backed Up")
    tenant_key(url, "Also Backed Up")
    destination = tmp_path / "talentmatch.backup"
    made = _talentmatch(url, "db", "backup", str(destination))
    assert made.returncode == 0, made.stderr
    assert destination.stat().st_size > 0

    if backend == "sqlite":
        restored = f"sqlite:///{destination}"
    else:
        restored = ops_database(backend, tmp_path, "restored")
        engine = make_engine(restored)
        with engine.begin() as conn:  # an empty database, as after CREATE DATABASE
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        target = make_url(restored).set(drivername="postgresql")
        result = subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={target.render_as_string(False)}",
             str(destination)], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
    assert _counts(restored) == _counts(url) == (2, 2)
    assert _talentmatch(restored, "db", "status").returncode == 0


def test_backup_never_overwrites_a_file(tmp_path: Path) -> None:
    url = ops_database("sqlite", tmp_path, "overwrite")
    existing = tmp_path / "keep.me"
    existing.write_text("precious")
    refused = _talentmatch(url, "db", "backup", str(existing))
    assert refused.returncode == 1
    assert "exists" in refused.stderr
    assert existing.read_text() == "precious"
