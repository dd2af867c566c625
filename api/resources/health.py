"""``/api/v1/health``: liveness with a database round trip (no key needed)."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from sqlalchemy import text

from api.db import get_session
from api.openapi import Blueprint, errors

blp = Blueprint("health", __name__, url_prefix="/api/v1/health", description="Liveness")


class HealthSchema(ma.Schema):
    status = ma.fields.String(required=True, metadata={"enum": ["ok"]})
    database = ma.fields.String(required=True, metadata={"enum": ["ok"]})


@blp.route("")
class Health(MethodView):
    @blp.doc(security=[])
    @blp.response(200, HealthSchema)
    @errors(blp, 503)
    def get(self) -> dict:
        """The service answers and its database answers."""
        get_session().execute(text("SELECT 1"))
        return {"status": "ok", "database": "ok"}
