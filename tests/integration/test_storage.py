"""Schema, migrations and backend settings against real SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import IntegrityError

from api.models import Base


def test_migrations_produce_exactly_the_models(connection: Connection) -> None:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    assert compare_metadata(context, Base.metadata) == []


def test_every_model_table_exists(connection: Connection) -> None:
    tables = set(inspect(connection).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_foreign_keys_are_enforced(connection: Connection) -> None:
    with pytest.raises(IntegrityError), connection.begin_nested():
        connection.execute(text(
            "INSERT INTO credentials (candidate_id, name, kind, verification_status) "
            "VALUES (987654, 'x', 'badge', 'unverified')"))


def test_sqlite_runs_in_wal_mode(connection: Connection) -> None:
    if connection.dialect.name != "sqlite":
        assert connection.dialect.driver == "psycopg"
        return
    assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
