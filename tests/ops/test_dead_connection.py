"""A connection that dies under a request never turns its answer into a bare 500."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from api import create_app
from api.db import get_session, make_engine
from tests.conftest import BACKENDS
from tests.ops.servers import ops_database

pytestmark = pytest.mark.skipif("postgresql" not in BACKENDS,
                                reason="terminating a server backend needs TEST_DATABASE_URL")


def test_teardown_survives_a_connection_killed_mid_transaction(tmp_path: Path) -> None:
    url = ops_database("postgresql", tmp_path, "dead")
    app = create_app({"DATABASE_URL": url})
    killer = make_engine(url)
    with app.test_request_context("/api/v1/health"):
        session = get_session()
        pid = session.scalar(text("SELECT pg_backend_pid()"))  # a transaction is open
        with killer.connect() as conn:
            assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    # Leaving the context ran the teardown: closing the session's dead connection did not
    # raise, and the pool hands out a live connection next.
    with app.test_request_context("/api/v1/health"):
        assert get_session().scalar(text("SELECT 1")) == 1
    killer.dispose()
