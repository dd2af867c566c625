"""talentmatch's adapter layer: the Flask application factory.

The only package that imports Flask, marshmallow or SQLAlchemy; it wires the
domain (``matcher``) and the skill graph (``graph``) to HTTP and storage.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, request
from werkzeug.exceptions import UnsupportedMediaType

from api import errors
from api.config import load_config
from api.db import init_db
from api.limits import init_limits
from api.metrics import init_metrics
from api.observability import init_observability
from api.openapi import IdConverter, ProblemApi
from api.web import init_web

__all__ = ["create_app"]

_BODY_METHODS = {"POST", "PUT", "PATCH"}


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application.

    Parameters
    ----------
    test_config : dict, optional
        Settings that replace the environment's (tests pass ``DATABASE_URL``
        or ``DB_BIND``).
    """
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(load_config(app.instance_path))
    app.config.update(
        API_TITLE="talentmatch",
        API_VERSION="1.0.0",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {"description": "Employer-side talent matching: rank candidates for a job "
                                    "from credentials and experience, with explanations."},
            "components": {"securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer",
                               "description": "An API key issued by `talentmatch create-org`"}}},
            "security": [{"bearerAuth": []}],
        },
        JSON_SORT_KEYS=False,
    )
    if test_config:
        app.config.update(test_config)

    init_observability(app)  # first: its hooks time and tag everything after
    init_db(app)
    app.url_map.converters["id"] = IdConverter
    api = ProblemApi(app)
    api.register_converter(IdConverter, lambda _c: {"type": "integer", "minimum": 1,
                                                     "maximum": 2**31 - 1})
    _register_blueprints(api)
    errors.register(app)  # after flask-smorest, so these handlers win
    init_web(app)
    init_limits(app)  # before the body check: a throttled request is turned away first
    app.before_request(_require_json_body)
    init_metrics(app)

    from api.cli import register_commands

    register_commands(app)
    return app


def _register_blueprints(api: ProblemApi) -> None:
    from api.resources import (
        audits,
        badges,
        candidates,
        catalog,
        decisions,
        demographics,
        graphs,
        health,
        imports,
        issuers,
        jobs,
        keys,
        privacy,
        rankings,
        skills,
    )

    for module in (health, skills, issuers, catalog, candidates, badges, demographics,
                   privacy, jobs, decisions, graphs, imports, audits, keys):
        api.register_blueprint(module.blp)
    api.register_blueprint(rankings.jobs_blp)
    api.register_blueprint(rankings.runs_blp)


def _require_json_body() -> None:
    """415 for an API body that is not JSON, before any parsing happens (pages post forms)."""
    if request.method not in _BODY_METHODS or request.blueprint == "web":
        return
    has_body = (request.content_length or 0) > 0 or request.headers.get("Transfer-Encoding")
    mimetype = request.mimetype or ""
    is_json = mimetype == "application/json" or (
        mimetype.startswith("application/") and mimetype.endswith("+json"))
    if (has_body or mimetype) and not is_json:
        raise UnsupportedMediaType(
            f"Send the body as application/json (got {mimetype or 'no Content-Type'}).")
