"""Fixtures local to the API tests: callers bound to an organization's API key."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from api.repositories.organizations import OrganizationRepository
from tests.api.helpers import Caller
from tests.conftest import Tenant


def key_for(session: Session, tenant: Tenant, *scopes: str) -> dict[str, str]:
    """Headers with a new key of ``tenant``'s organization holding only ``scopes``."""
    issued = OrganizationRepository(session).issue_key(tenant.organization_id, scopes)
    session.commit()
    return {"Authorization": f"Bearer {issued.plaintext}"}


@pytest.fixture
def api(client: FlaskClient, tenant: Tenant) -> Caller:
    """The caller organization, with a key holding every scope."""
    return Caller(client, tenant.headers)


@pytest.fixture
def other_api(client: FlaskClient, other_tenant: Tenant) -> Caller:
    """Another organization, with a key holding every scope."""
    return Caller(client, other_tenant.headers)


@pytest.fixture
def anonymous(client: FlaskClient) -> Caller:
    return Caller(client, {})
