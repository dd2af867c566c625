"""Engine and session handling: one session per request, closed on teardown.

SQLite gets WAL (readers do not block the writer), enforced foreign keys, and
write requests that take the write lock at BEGIN with a bounded wait
(:mod:`api.sqlite`); PostgreSQL goes through psycopg 3 with a bounded connection pool and
server-side timeouts (:class:`api.postgres.PostgresSettings`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from api import sqlite
from api.postgres import PostgresSettings

log = logging.getLogger(__name__)

__all__ = ["get_session", "init_db", "make_engine"]


def make_engine(url: str, *, pool_size: int = 5, statement_timeout_ms: int = 30_000,
                sqlite_busy_timeout_ms: int = sqlite.DEFAULT_BUSY_TIMEOUT_MS,
                **postgres: Any) -> Engine:
    """An engine for ``url`` with the per-backend settings this service relies on.

    ``postgres``: the other :class:`PostgresSettings` fields (ignored for SQLite);
    ``sqlite_busy_timeout_ms``: how long a SQLite write waits for the write lock
    (:mod:`api.sqlite`; ignored for PostgreSQL).
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": sqlite_busy_timeout_ms / 1000})
        return sqlite.configure(engine, sqlite_busy_timeout_ms)
    settings = PostgresSettings(pool_size=pool_size, statement_timeout_ms=statement_timeout_ms,
                                **postgres)
    return settings.engine(url)


def init_db(app: Flask) -> None:
    """Create the engine and session factory; close the request session on teardown."""
    bind = app.config.get("DB_BIND")
    if bind is not None:
        # Tests hand in a connection inside an outer transaction; the app's commits
        # become savepoints and the test rolls everything back.
        factory = sessionmaker(bind=bind, expire_on_commit=False,
                               join_transaction_mode="create_savepoint")
        app.extensions["talentmatch.engine"] = bind.engine
    else:
        settings = PostgresSettings.from_config(app.config)
        engine = make_engine(app.config["DATABASE_URL"], **dataclasses.asdict(settings),
                             sqlite_busy_timeout_ms=app.config.get(
                                 "SQLITE_BUSY_TIMEOUT_MS", sqlite.DEFAULT_BUSY_TIMEOUT_MS))
        app.extensions["talentmatch.engine"] = engine
        factory = sessionmaker(engine, expire_on_commit=False)
        if engine.dialect.name == "sqlite":
            # Requests that write take the write lock at BEGIN (api/sqlite.py).
            app.extensions["talentmatch.write_sessionmaker"] = sqlite.write_sessionmaker(
                engine, expire_on_commit=False)
    app.extensions["talentmatch.sessionmaker"] = factory
    app.teardown_appcontext(_close_session)


def get_session() -> Session:
    """The session of the current request (created on first use)."""
    if "db_session" not in g:
        extensions = current_app.extensions
        writer = extensions.get("talentmatch.write_sessionmaker")
        factory = writer if writer is not None and sqlite.wants_write_lock() \
            else extensions["talentmatch.sessionmaker"]
        g.db_session = factory()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is None:
        return
    try:
        session.close()
    except SQLAlchemyError as error:
        # The connection died under the request (a database restart): its transaction died
        # with it. The answer already made (a 503) stands; the connection must not return to
        # the pool, and an error here must not turn that answer into a bare 500.
        log.warning("closing a session on a dead connection: %s", str(error).splitlines()[0])
        with contextlib.suppress(SQLAlchemyError):
            session.invalidate()
