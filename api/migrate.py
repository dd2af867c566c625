"""Running alembic migrations programmatically (CLI, tests, demo)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

__all__ = ["alembic_config", "upgrade"]


def alembic_config(url: str, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "api:migrations")
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url: str, revision: str = "head", connection: Connection | None = None) -> None:
    """Bring the database at ``url`` (or on ``connection``) to ``revision``."""
    command.upgrade(alembic_config(url, connection), revision)
