"""``/api/v1/candidates/{id}/badges``: Open Badges 2.0 and 3.0, verified offline."""

from __future__ import annotations

from datetime import UTC, datetime

from flask.views import MethodView

from api import wiring
from api.auth import protect
from api.badging import add_badges, badges_of, remove_badge
from api.openapi import Blueprint, errors
from api.schemas.imports import BadgeImportOutSchema, BadgeListSchema, BadgesInSchema

blp = Blueprint("badges", __name__, url_prefix="/api/v1/candidates",
                description="Open Badges held by candidates, verified offline")
protect(blp)


@blp.route("/<id:candidate_id>/badges")
class CandidateBadges(MethodView):
    @blp.response(200, BadgeListSchema)
    @errors(blp, 404)
    def get(self, candidate_id: int) -> dict:
        """The candidate's Open Badges, each with its verification and its document."""
        return {"items": badges_of(wiring.candidates(), candidate_id)}

    @blp.arguments(BadgesInSchema)
    @blp.response(201, BadgeImportOutSchema)
    @errors(blp, 404, 422)
    def post(self, data: dict, candidate_id: int) -> dict:
        """Verify Open Badges and add them to the candidate as credentials.

        Accepts OB 3.0 credentials (JSON-LD with an ``eddsa-rdfc-2022`` Data
        Integrity proof, or a VC-JWT signed with RS256, ES256 or EdDSA) and
        OB 2.0 assertions (hosted, or a signed JWS). Keys come from
        ``did:key`` (resolved locally) or the issuer registry; nothing is
        fetched. A badge whose signature does not verify is kept as
        ``failed`` (it adds nothing to scores); one whose key is unknown as
        ``unverified``. Submitting a badge again (same id) replaces it.
        """
        if "credentials" in data:
            documents = data["credentials"]
            paths = [f"credentials.{i}" for i in range(len(documents))]
        else:
            documents, paths = [data["credential"]], ["credential"]
        results = add_badges(
            candidate_id, documents, data["status_lists"], data["linked"],
            candidates=wiring.candidates(),
            issuers=wiring.issuers(), status_lists=wiring.status_lists(),
            resolver=wiring.skill_resolver(), now=datetime.now(UTC),
            paths=paths)
        wiring.commit()
        return {"candidate_id": candidate_id, "results": results}


@blp.route("/<id:candidate_id>/badges/<id:credential_id>")
class CandidateBadge(MethodView):
    @blp.response(204)
    @errors(blp, 404)
    def delete(self, candidate_id: int, credential_id: int) -> None:
        """Remove one badge (profile updates never do: badges are managed here)."""
        remove_badge(wiring.candidates(), candidate_id, credential_id)
        wiring.commit()
