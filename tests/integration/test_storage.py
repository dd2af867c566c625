"""Schema, migrations and backend settings against real SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, insert, inspect, text
from sqlalchemy.exc import IntegrityError

from api import models
from api.db import make_engine
from api.migrate import alembic_config
from api.models import Base

# The skill lists and their owner columns (migration 0007 keys them by owner and position).
SKILL_LISTS = {"candidate_skills": "candidate_id", "credential_skills": "credential_id",
               "experience_skills": "experience_id", "offering_skills": "offering_id"}


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


@pytest.fixture
def empty_schema(connection: Connection, tmp_path: Path) -> Iterator[Connection]:
    """A connection to an empty schema, in a transaction, for migrating up and down."""
    if connection.dialect.name == "postgresql":
        # Inside the test's transaction: its rollback takes the schema away again.
        connection.execute(text("CREATE SCHEMA migrations_under_test"))
        connection.execute(text("SET LOCAL search_path TO migrations_under_test"))
        yield connection
        return
    engine = make_engine(f"sqlite:///{tmp_path / 'migrations.sqlite3'}")
    with engine.connect() as conn, conn.begin():
        yield conn
    engine.dispose()


def _migrate(connection: Connection, revision: str, *, down: bool = False) -> None:
    config = alembic_config(connection.engine.url.render_as_string(hide_password=False),
                            connection)
    (command.downgrade if down else command.upgrade)(config, revision)


def _skill_rows(connection: Connection) -> dict[str, list[tuple]]:
    return {table: [tuple(row) for row in connection.execute(text(
        f"SELECT {owner}, position, name, skill_id FROM {table} ORDER BY {owner}, position"))]
        for table, owner in SKILL_LISTS.items()}


def _fill_skill_lists_at_0006(connection: Connection) -> None:
    """Two owners per skill list, three skills each (inserted out of order), ids drawn."""
    def new(model: type, **values: object) -> int:
        return connection.execute(insert(model).values(**values)
                                  .returning(model.__table__.c.id)).scalar_one()

    org = new(models.Organization, name="Migrating")
    issuer = new(models.Issuer, organization_id=org, name="I", name_key="i")
    owners = {"candidate_skills": [], "credential_skills": [], "experience_skills": [],
              "offering_skills": []}
    for n in range(2):
        person = new(models.Candidate, organization_id=org, external_id=f"c{n}", name="C")
        owners["candidate_skills"].append(person)
        owners["credential_skills"].append(new(
            models.Credential, candidate_id=person, name="K", kind="badge"))
        owners["experience_skills"].append(new(
            models.Experience, candidate_id=person, title="T", start_date=date(2020, 1, 1)))
        owners["offering_skills"].append(new(
            models.Offering, organization_id=org, issuer_id=issuer, name=f"O{n}",
            kind="certification", delivery="online"))
    for table, owner in SKILL_LISTS.items():
        for owner_id in owners[table]:
            for position in (2, 0, 1):
                connection.execute(text(
                    f"INSERT INTO {table} ({owner}, position, name, skill_id) "
                    "VALUES (:owner, :position, :name, :skill_id)"),
                    {"owner": owner_id, "position": position, "name": f"skill {position}",
                     "skill_id": None if position == 1 else f"esco:{owner_id}-{position}"})


def test_0007_keys_skill_lists_by_owner_and_position_and_keeps_their_rows(
        empty_schema: Connection) -> None:
    connection = empty_schema
    _migrate(connection, "0006")
    _fill_skill_lists_at_0006(connection)
    before = _skill_rows(connection)
    assert all(len(rows) == 6 for rows in before.values())

    _migrate(connection, "0007")
    assert _skill_rows(connection) == before
    inspector = inspect(connection)
    for table, owner in SKILL_LISTS.items():
        assert inspector.get_pk_constraint(table)["name"] == f"pk_{table}"
        assert inspector.get_pk_constraint(table)["constrained_columns"] == [owner, "position"]
        assert inspector.get_indexes(table) == []
        assert "id" not in {column["name"] for column in inspector.get_columns(table)}
        owner_id, position, *_ = before[table][0]
        with pytest.raises(IntegrityError), connection.begin_nested():
            connection.execute(text(f"INSERT INTO {table} ({owner}, position, name) "
                                    "VALUES (:owner, :position, 'twice')"),
                               {"owner": owner_id, "position": position})

    _migrate(connection, "0006", down=True)
    assert _skill_rows(connection) == before
    inspector = inspect(connection)
    for table, owner in SKILL_LISTS.items():
        assert inspector.get_pk_constraint(table)["constrained_columns"] == ["id"]
        assert [(ix["name"], ix["column_names"]) for ix in inspector.get_indexes(table)] == [
            (f"ix_{table}_{owner}", [owner])]
        ids = connection.execute(text(f"SELECT id FROM {table}")).scalars().all()
        assert len(set(ids)) == 6
        # New rows draw their id as before 0007.
        owner_id = before[table][0][0]
        connection.execute(text(f"INSERT INTO {table} ({owner}, position, name) "
                                "VALUES (:owner, 3, 'added')"), {"owner": owner_id})
        assert connection.execute(text(f"SELECT id FROM {table} WHERE position = 3")
                                  ).scalar_one() not in ids

    _migrate(connection, "head")
    assert all(len(rows) == 7 for rows in _skill_rows(connection).values())
