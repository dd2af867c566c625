"""Fixtures of the operations tests: one backend parameter, real server processes."""

from __future__ import annotations

import pytest

from tests.conftest import BACKENDS


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each operations test runs on SQLite and, when TEST_DATABASE_URL is set, PostgreSQL."""
    return request.param
