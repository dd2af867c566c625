"""schemathesis drives every operation of the served OpenAPI document.

Any 5xx, or any response that the document does not describe (status,
content type, body schema), fails the test, as does accepting data the
document forbids. Examples are bounded so the suite stays quick; the data is
rolled back afterwards like any other test.

One check is left out: "schema-valid request rejected". Some rules cannot be
written in JSON Schema (``issuer`` or ``issuer_id``; an issuer_id must name
an issuer of the caller's organization) and are rightly answered 422.
"""

from __future__ import annotations

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from api import create_app
from tests.conftest import Tenant

MAX_EXAMPLES = 30
OPENAPI = "/api/v1/openapi.json"


def _operations(app: Flask) -> dict:
    schema = schemathesis.openapi.from_wsgi(OPENAPI, app)
    return {op.label: op for op in (r.ok() for r in schema.get_all_operations())}


# The document needs no database: list the operations once, at collection.
LABELS = sorted(_operations(create_app({"DATABASE_URL": "sqlite://"})))


def test_every_resource_is_fuzzed() -> None:
    paths = {label.split(" ", 1)[1] for label in LABELS}
    assert {"/api/v1/candidates", "/api/v1/candidates/bulk", "/api/v1/jobs/{job_id}",
            "/api/v1/issuers/{issuer_id}", "/api/v1/catalog", "/api/v1/health",
            "/api/v1/skills", "/api/v1/skills/resolve", "/api/v1/skills/{skill_id}",
            "/api/v1/jobs/{job_id}/graph"} <= paths


@pytest.mark.parametrize("label", LABELS)
def test_operation_never_fails_or_breaks_its_contract(app: Flask, tenant: Tenant,
                                                      label: str) -> None:
    operation = _operations(app)[label]

    @given(case=operation.as_strategy())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def exercise(case) -> None:
        case.call_and_validate(headers=tenant.headers,
                               excluded_checks=[positive_data_acceptance])

    exercise()
