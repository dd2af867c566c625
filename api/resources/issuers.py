"""``/api/v1/issuers``: the issuer registry with accreditations."""

from __future__ import annotations

from flask.views import MethodView

from api import wiring
from api.auth import protect
from api.openapi import Blueprint, errors
from api.schemas.common import PageArgs, page_schema
from api.schemas.issuers import IssuerInSchema, IssuerOutSchema, IssuerPatchSchema
from matcher import model

blp = Blueprint("issuers", __name__, url_prefix="/api/v1/issuers",
                description="Issuers of credentials, their accreditations and keys")
protect(blp)
IssuerPage = page_schema(IssuerOutSchema, "IssuerPage")


def _out(issuer: model.Issuer) -> dict:
    return {
        "id": issuer.id, "name": issuer.name, "url": issuer.url, "country": issuer.country,
        "did": issuer.did, "public_keys": list(issuer.public_keys),
        "industry_recognized": issuer.industry_recognized, "reviewed": issuer.reviewed,
        "accreditations": [
            {"accrediting_body": a.accrediting_body, "status": a.status,
             "valid_from": a.valid_from, "valid_until": a.valid_until, "scope": a.scope}
            for a in issuer.accreditations
        ],
    }


@blp.route("")
class Issuers(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, IssuerPage)
    def get(self, page: dict) -> dict:
        """List the registry."""
        items, total = wiring.issuers().list(page["limit"], page["offset"])
        return {"items": [_out(i) for i in items], "total": total, **page}

    @blp.arguments(IssuerInSchema)
    @blp.response(201, IssuerOutSchema)
    @errors(blp, 409)
    def post(self, data: dict) -> dict:
        """Add an issuer (issuers added here count as reviewed)."""
        issuer = wiring.issuers().add(data, reviewed=True)
        wiring.commit()
        return _out(issuer)


@blp.route("/<id:issuer_id>")
class IssuerById(MethodView):
    @blp.response(200, IssuerOutSchema)
    @errors(blp, 404)
    def get(self, issuer_id: int) -> dict:
        """One issuer."""
        return _out(wiring.issuers().get(issuer_id))

    @blp.arguments(IssuerPatchSchema(partial=True))
    @blp.response(200, IssuerOutSchema)
    @errors(blp, 404, 409)
    def patch(self, data: dict, issuer_id: int) -> dict:
        """Change some fields; lists given replace the stored ones."""
        issuer = wiring.issuers().update(issuer_id, data)
        wiring.commit()
        return _out(issuer)

    @blp.response(204)
    @errors(blp, 404, 409)
    def delete(self, issuer_id: int) -> None:
        """Remove an issuer; credentials naming it become unknown-issuer credentials."""
        wiring.issuers().delete(issuer_id)
        wiring.commit()
