"""Shared fixtures: real SQLite and (when TEST_DATABASE_URL is set) real PostgreSQL.

Database tests run once per backend. The schema comes from the alembic
migrations, once per backend and session; each test runs inside an outer
transaction that is rolled back, so tests never see each other's rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from api import create_app
from api.db import make_engine
from api.migrate import upgrade
from api.repositories.organizations import SCOPES, OrganizationRepository


def _postgres_reachable() -> bool:
    """Whether TEST_DATABASE_URL names a PostgreSQL we can reach.

    In CI it must be reachable: a missing server fails the run instead of
    quietly testing SQLite alone.
    """
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return False
    try:
        with make_engine(url).connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError:
        if os.environ.get("CI"):
            raise
        print(f"TEST_DATABASE_URL={url} is unreachable: testing SQLite only")
        return False
    return True


BACKENDS = ["sqlite"] + (["postgresql"] if _postgres_reachable() else [])


def backend_url(backend: str, tmp_dir: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_dir}/test.sqlite3"
    return os.environ["TEST_DATABASE_URL"]


def fresh_database(backend: str, tmp_dir: str) -> tuple[str, Engine]:
    """An empty database at the latest migration."""
    url = backend_url(backend, tmp_dir)
    engine = make_engine(url)
    if backend == "postgresql":
        # A failure here fails the run: PostgreSQL was asked for, so it must be there.
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    upgrade(url)
    return url, engine


@pytest.fixture(scope="session", params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    url, engine = fresh_database(request.param, str(tmp_path_factory.mktemp(request.param)))
    yield url, engine
    engine.dispose()


@pytest.fixture
def connection(database: tuple[str, Engine]) -> Iterator[Connection]:
    _, engine = database
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    with Session(bind=connection, join_transaction_mode="create_savepoint") as s:
        yield s


@pytest.fixture
def app(database: tuple[str, Engine], connection: Connection) -> Flask:
    url, _ = database
    return create_app({"TESTING": True, "DATABASE_URL": url, "DB_BIND": connection})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@dataclass(frozen=True)
class Tenant:
    organization_id: int
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def make_tenant(session: Session, name: str, scopes: tuple[str, ...] = SCOPES) -> Tenant:
    orgs = OrganizationRepository(session)
    org_id = orgs.create(name)
    key = orgs.issue_key(org_id, scopes)
    session.commit()
    return Tenant(org_id, key.plaintext)


@pytest.fixture
def tenant(session: Session) -> Tenant:
    return make_tenant(session, "Acme Hiring")


@pytest.fixture
def other_tenant(session: Session) -> Tenant:
    return make_tenant(session, "Globex Talent")
