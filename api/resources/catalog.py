"""``/api/v1/catalog``: credential offerings used for upskilling advice."""

from __future__ import annotations

from flask.views import MethodView

from api import wiring
from api.auth import protect
from api.intake import IssuerDirectory, offering_from_input
from api.openapi import Blueprint, errors
from api.schemas.catalog import OfferingInSchema, OfferingOutSchema
from api.schemas.common import PageArgs, page_schema
from matcher import model

blp = Blueprint("catalog", __name__, url_prefix="/api/v1/catalog",
                description="Credential offerings (courses, micro-credentials, certifications)")
protect(blp)
OfferingPage = page_schema(OfferingOutSchema, "OfferingPage")


def _out(offering: model.CredentialOffering, issuer_names: dict[int, str]) -> dict:
    return {
        "id": offering.id, "name": offering.name, "issuer_id": offering.issuer_id,
        "issuer": issuer_names.get(offering.issuer_id, ""), "kind": offering.kind.value,
        "skills": [{"name": s.name, "skill_id": s.skill_id} for s in offering.skills],
        "duration_weeks": offering.duration_weeks, "cost": offering.cost,
        "currency": offering.currency, "delivery": offering.delivery.value, "url": offering.url,
    }


def _issuer_names(offerings: list[model.CredentialOffering]) -> dict[int, str]:
    found = wiring.issuers().by_ids(o.issuer_id for o in offerings)
    return {issuer_id: issuer.name for issuer_id, issuer in found.items()}


@blp.route("")
class Catalog(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, OfferingPage)
    def get(self, page: dict) -> dict:
        """List the catalogue."""
        items, total = wiring.catalog().list(page["limit"], page["offset"])
        names = _issuer_names(items)
        return {"items": [_out(o, names) for o in items], "total": total, **page}

    @blp.arguments(OfferingInSchema)
    @blp.response(201, OfferingOutSchema)
    def post(self, data: dict) -> dict:
        """Add an offering of a registered issuer."""
        directory = IssuerDirectory.for_payload(wiring.issuers(), [data])
        offering = offering_from_input(data, wiring.skill_resolver(), directory)
        saved = wiring.catalog().add(offering)
        wiring.commit()
        return _out(saved, _issuer_names([saved]))


@blp.route("/<id:offering_id>")
class OfferingById(MethodView):
    @blp.response(200, OfferingOutSchema)
    @errors(blp, 404)
    def get(self, offering_id: int) -> dict:
        """One offering."""
        offering = wiring.catalog().get(offering_id)
        return _out(offering, _issuer_names([offering]))

    @blp.response(204)
    @errors(blp, 404)
    def delete(self, offering_id: int) -> None:
        """Remove an offering."""
        wiring.catalog().delete(offering_id)
        wiring.commit()
