"""Liveness (``/api/v1/health``) and readiness (``/api/v1/ready``); no key needed.

Liveness says the process answers and can reach its database; readiness adds that the
worker's in-memory indexes are built, so a load balancer sends rankings only to workers
that will not stall on a build.
"""

from __future__ import annotations

import marshmallow as ma
from flask import current_app
from flask.views import MethodView
from sqlalchemy import text

from api.db import get_session
from api.errors import problem
from api.openapi import Blueprint, errors
from api.readiness import warmup_of

blp = Blueprint("health", __name__, url_prefix="/api/v1",
                description="Liveness and readiness probes")


class HealthSchema(ma.Schema):
    status = ma.fields.String(required=True, metadata={"enum": ["ok"]})
    database = ma.fields.String(required=True, metadata={"enum": ["ok"]})


class IndexStateSchema(ma.Schema):
    state = ma.fields.String(required=True, metadata={
        "enum": ["ready", "warming", "lazy"],
        "description": "lazy: this process builds each index at its first ranking"})
    organizations = ma.fields.Integer()
    built = ma.fields.Integer()
    candidates = ma.fields.Integer()
    seconds = ma.fields.Float()
    last_error = ma.fields.String()


class ReadySchema(ma.Schema):
    status = ma.fields.String(required=True, metadata={"enum": ["ready"]})
    database = ma.fields.String(required=True, metadata={"enum": ["ok"]})
    index = ma.fields.Nested(IndexStateSchema, required=True)


@blp.route("/health")
class Health(MethodView):
    @blp.doc(security=[])
    @blp.response(200, HealthSchema)
    @errors(blp, 503)
    def get(self) -> dict:
        """The service answers and its database answers."""
        get_session().execute(text("SELECT 1"))
        return {"status": "ok", "database": "ok"}


@blp.route("/ready")
class Ready(MethodView):
    @blp.doc(security=[])
    @blp.response(200, ReadySchema)
    @errors(blp, 503)
    def get(self):
        """Ready for traffic: the database answers and the ranking indexes are built."""
        get_session().execute(text("SELECT 1"))
        warmup = warmup_of(current_app)
        if warmup is None:
            return {"status": "ready", "database": "ok", "index": {"state": "lazy"}}
        if warmup.state != "ready":
            state = warmup.as_dict()
            return problem(503, f"Building ranking indexes: {state['built']} of "
                                f"{state['organizations']} organizations done.",
                           headers={"Retry-After": "2"},
                           type_="urn:talentmatch:problem:not-ready")
        return {"status": "ready", "database": "ok", "index": warmup.as_dict()}
