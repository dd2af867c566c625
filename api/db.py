"""Engine and session handling: one session per request, closed on teardown.

SQLite gets WAL (readers do not block the writer), enforced foreign keys and a
busy timeout; PostgreSQL goes through psycopg 3 with a statement timeout.
"""

from __future__ import annotations

import sqlite3

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["get_session", "init_db", "make_engine"]


def make_engine(url: str, *, pool_size: int = 5, statement_timeout_ms: int = 30_000) -> Engine:
    """An engine for ``url`` with the per-backend settings this service relies on."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling breaks SAVEPOINT; emit BEGIN ourselves
        # (the recipe in SQLAlchemy's SQLite dialect documentation).
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(
        url,
        pool_size=pool_size,
        pool_pre_ping=True,
        connect_args={"options": f"-c statement_timeout={statement_timeout_ms}"},
    )


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # Erasure must not leave deleted bytes in free pages (builds differ in the default).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


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
        engine = make_engine(
            app.config["DATABASE_URL"],
            pool_size=app.config["DB_POOL_SIZE"],
            statement_timeout_ms=app.config["DB_STATEMENT_TIMEOUT_MS"],
        )
        app.extensions["talentmatch.engine"] = engine
        factory = sessionmaker(engine, expire_on_commit=False)
    app.extensions["talentmatch.sessionmaker"] = factory
    app.teardown_appcontext(_close_session)


def get_session() -> Session:
    """The session of the current request (created on first use)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["talentmatch.sessionmaker"]()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
