"""``/api/v1/jobs/{id}/decisions``: human oversight of the ranking (EU AI Act Art. 14).

A recruiter advances, rejects or holds a candidate for a job, with a reason, and
may overrule the ranking; every decision is kept and logged, the latest counts,
and it is what the selection-rate audit counts as selected (§7).
"""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from api import wiring
from api.audit import actor
from api.auth import protect
from api.db import get_session
from api.openapi import Blueprint, errors
from api.repositories.decisions import DecisionRepository
from api.schemas.common import Id, PageArgs, Text, page_schema
from matcher.errors import InvalidInput

blp = Blueprint("decisions", __name__, url_prefix="/api/v1/jobs",
                description="Recruiters' decisions (advance, reject, hold) on ranked candidates")
protect(blp)

DECISIONS = ("advance", "reject", "hold")


class DecisionInSchema(ma.Schema):
    decision = ma.fields.String(required=True, validate=ma.validate.OneOf(DECISIONS))
    reason = Text(2000, required=True, metadata={
        "description": "Why: shown in audits; required so that every overrule is explained"})
    ranking_id = Id(allow_none=True, load_default=None, metadata={
        "description": "The ranking run the decision was made on (default: the latest run "
                       "of the job that ranked the candidate)"})


class RankedSchema(ma.Schema):
    qualified = ma.fields.Boolean(required=True)
    rank = ma.fields.Integer(allow_none=True)
    score = ma.fields.Float(required=True)


class DecisionOutSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    job_id = ma.fields.Integer(allow_none=True)
    candidate_id = ma.fields.Integer(allow_none=True)
    decision = ma.fields.String(required=True)
    reason = ma.fields.String(required=True)
    decided_by = ma.fields.String(required=True)
    decided_at = ma.fields.DateTime(required=True)
    ranking_id = ma.fields.Integer(allow_none=True)
    ranked = ma.fields.Nested(RankedSchema, allow_none=True, metadata={
        "description": "What the ranking said when the decision was made"})
    overrides_ranking = ma.fields.Boolean(required=True, metadata={
        "description": "An unqualified candidate advanced, or a qualified one rejected"})


class DecisionListArgs(PageArgs):
    history = ma.fields.Boolean(load_default=False, metadata={
        "description": "Every decision, not only the latest per candidate"})


DecisionPage = page_schema(DecisionOutSchema, "DecisionPage")


def _repository() -> DecisionRepository:
    return DecisionRepository(get_session(), wiring.organization_id())


@blp.route("/<id:job_id>/decisions/<id:candidate_id>")
class CandidateDecision(MethodView):
    @blp.arguments(DecisionInSchema)
    @blp.response(200, DecisionOutSchema)
    @errors(blp, 404, 422)
    def put(self, data: dict, job_id: int, candidate_id: int) -> dict:
        """Record a decision on the candidate for the job (the latest one counts)."""
        wiring.jobs().get(job_id)
        wiring.candidates().get(candidate_id)
        if data["ranking_id"] is not None and wiring.rankings().get(
                data["ranking_id"]).job_id != job_id:
            raise InvalidInput("The ranking is of another job.",
                               {"ranking_id": [f"Ranking {data['ranking_id']} did not rank "
                                               f"job {job_id}."]})
        saved = _repository().record(job_id, candidate_id, data["decision"], data["reason"],
                                     actor(), data["ranking_id"])
        wiring.commit(resource_id=saved["id"], detail={
            "job_id": job_id, "candidate_id": candidate_id, "decision": data["decision"],
            "overrides_ranking": saved["overrides_ranking"]})
        return saved

    @blp.arguments(PageArgs, location="query")
    @blp.response(200, DecisionPage)
    @errors(blp, 404)
    def get(self, page: dict, job_id: int, candidate_id: int) -> dict:
        """Every decision on the candidate for the job, newest first."""
        wiring.jobs().get(job_id)
        items, total = _repository().history(job_id, candidate_id, page["limit"],
                                             page["offset"])
        return {"items": items, "total": total, **page}


@blp.route("/<id:job_id>/decisions")
class JobDecisions(MethodView):
    @blp.arguments(DecisionListArgs, location="query")
    @blp.response(200, DecisionPage)
    @errors(blp, 404)
    def get(self, args: dict, job_id: int) -> dict:
        """The latest decision per candidate for the job (``?history=true``: all)."""
        wiring.jobs().get(job_id)
        repo = _repository()
        if args["history"]:
            items, total = repo.history(job_id, None, args["limit"], args["offset"])
        else:
            items, total = repo.current(job_id, args["limit"], args["offset"])
        return {"items": items, "total": total, "limit": args["limit"],
                "offset": args["offset"]}
