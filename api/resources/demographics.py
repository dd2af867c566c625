"""``/api/v1/candidates/{id}/demographics``: self-reported, for bias audits only (§7)."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from api import wiring
from api.auth import protect, requires
from api.openapi import Blueprint, errors
from api.repositories.demographics import DemographicsRepository
from matcher.errors import NotFound
from matcher.fairness import (
    RACE_ETHNICITY_INPUTS,
    SEX_INPUTS,
    normalise_race_ethnicity,
    normalise_sex,
)

blp = Blueprint("demographics", __name__, url_prefix="/api/v1/candidates",
                description="Self-reported demographics (never read by scoring)")
protect(blp)


class DemographicsInSchema(ma.Schema):
    sex = ma.fields.String(allow_none=True, load_default=None, validate=ma.validate.Length(
        max=50), metadata={"description": "Male, Female, or declined (EEO-1 spellings and "
                                          f"M/F accepted): one of {', '.join(SEX_INPUTS)}"})
    race_ethnicity = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=100), metadata={
            "description": "An LL144 / EEO-1 race or ethnicity category, or declined: one of "
                           + ", ".join(RACE_ETHNICITY_INPUTS)})


class DemographicsOutSchema(ma.Schema):
    candidate_id = ma.fields.Integer(required=True)
    sex = ma.fields.String(allow_none=True, metadata={
        "description": "The rule's category, or what was reported when it is none (declined)"})
    race_ethnicity = ma.fields.String(allow_none=True)
    updated_at = ma.fields.DateTime(required=True)


def _stored(value: str | None, category: str | None) -> str | None:
    """The category, else the answer as given ("declined", "non-binary"): never a guess."""
    if category is not None or value is None:
        return category
    return " ".join(value.split()).lower() or None


def _repository() -> DemographicsRepository:
    return DemographicsRepository(wiring.candidates())


@blp.route("/<id:candidate_id>/demographics")
class CandidateDemographics(MethodView):
    @blp.arguments(DemographicsInSchema)
    @blp.response(200, DemographicsOutSchema)
    @errors(blp, 404, 422)
    def put(self, data: dict, candidate_id: int) -> dict:
        """Record what the candidate reported (an HR system pushes it; write scope).

        Kept apart from the profile; scoring code cannot read it. Values outside the
        rule's categories are refused (422), declining is an answer of its own.
        """
        sex = normalise_sex(data["sex"])
        race = normalise_race_ethnicity(data["race_ethnicity"])
        saved = _repository().put(candidate_id, _stored(data["sex"], sex),
                                  _stored(data["race_ethnicity"], race))
        wiring.commit()
        return saved

    @requires("admin")
    @blp.response(200, DemographicsOutSchema)
    @errors(blp, 404)
    def get(self, candidate_id: int) -> dict:
        """What the candidate reported (admin scope: recruiters never see it)."""
        found = _repository().get(candidate_id)
        if found is None:
            raise NotFound(f"No demographics recorded for candidate {candidate_id}.")
        return found
