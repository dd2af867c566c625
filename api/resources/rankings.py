"""``POST /api/v1/jobs/{id}/rankings`` and ``GET /api/v1/rankings/{id}`` (JSON or CSV)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

from flask import Response, request
from flask.views import MethodView

from api import wiring
from api.auth import protect
from api.db import get_session
from api.openapi import Blueprint, errors
from api.ranking import RankingRequest, rank_job
from api.schemas.rankings import RankingArgs, RankingInSchema, RankingRunSchema
from graph.skillgraph import SkillGraph
from matcher import model
from matcher.scoring import CandidateResult, CredentialEvidence, ExperienceEvidence

jobs_blp = Blueprint("rankings", __name__, url_prefix="/api/v1/jobs",
                     description="Rank a job's candidates, with explanations")
runs_blp = Blueprint("ranking_runs", __name__, url_prefix="/api/v1/rankings",
                     description="Stored ranking runs (audit)")
protect(jobs_blp)
protect(runs_blp)
CSV = "text/csv"


def _credential(e: CredentialEvidence | None, issuers: Mapping[int, model.Issuer]) -> dict | None:
    if e is None:
        return None
    k, f = e.credential, e.factors
    return {
        "credential_id": k.id, "name": k.name, "kind": k.kind.value, "issuer": k.issuer_name,
        "issuer_id": k.issuer_id, "issued_on": k.issued_on and k.issued_on.isoformat(),
        "expires_on": k.expires_on and k.expires_on.isoformat(), "skill_id": e.skill_id,
        "proximity": e.proximity, "strength": f.strength, "value": e.value,
        "verification_status": k.verification.status.value,
        "verification_method": k.verification.method,
        "verification_detail": k.verification.detail,
        "badge": k.badge is not None,
        "factors": {"kind": f.kind, "trust": f.trust, "trust_reason": f.trust_reason,
                    "verification": f.verification, "currency": f.currency,
                    "age_years": f.age_years, "expired": f.expired},
        "accredited": f.trust_reason.startswith("accredited"),
    }


def _experience(e: ExperienceEvidence | None) -> dict | None:
    if e is None:
        return None
    return {"skill_id": e.skill_id, "years": e.years, "gap_years": e.gap_years,
            "strength": e.strength, "proximity": e.proximity, "value": e.value,
            "roles": list(e.roles)}


def _label(ref: model.SkillRef, graph: SkillGraph) -> str:
    skill = graph.skill(ref.skill_id) if ref.skill_id else None
    return skill.label if skill else ref.name


def result_out(rank: int, result: CandidateResult, issuers: Mapping[int, model.Issuer]) -> dict:
    """One ranked candidate with the explanation of §5."""
    names = {i: issuer.name for i, issuer in issuers.items()}
    graph = wiring.skill_graph()  # once: a page has 50 results of 20 requirements each
    return {
        "rank": rank, "candidate_id": result.candidate.id,
        "external_id": result.candidate.external_id, "name": result.candidate.name,
        "score": result.score, "qualified": result.qualified, "trainable": result.trainable,
        "required_met": result.required_met, "unmet": list(result.unmet),
        "requirements": [{
            "skill": r.requirement.skill.name, "skill_id": r.requirement.skill.skill_id,
            "label": _label(r.requirement.skill, graph),
            "importance": r.requirement.importance.value,
            "weight": r.requirement.weight, "match": r.match, "contribution": r.contribution,
            "met": r.met, "corroborated": r.corroborated,
            "credential": _credential(r.credential, issuers),
            "experience": _experience(r.experience),
            "path": [{"skill_id": p.skill_id, "label": p.label, "relation": p.relation}
                     for p in r.path],
        } for r in result.requirements],
        "gaps": [{
            "skill": g.requirement.skill.name, "skill_id": g.requirement.skill.skill_id,
            "label": _label(g.requirement.skill, graph),
            "importance": g.requirement.importance.value,
            "offerings": [{"id": o.id, "name": o.name, "kind": o.kind.value,
                           "issuer_id": o.issuer_id, "issuer": names.get(o.issuer_id),
                           "duration_weeks": o.duration_weeks, "cost": o.cost,
                           "currency": o.currency, "delivery": o.delivery.value, "url": o.url}
                          for o in g.offerings],
        } for g in result.gaps],
    }


def run_out(run: model.RankingRun) -> dict:
    return {"id": run.id, "job_id": run.job_id, "created_at": run.created_at,
            "as_of": run.as_of, "mode": run.mode, "policy": run.policy,
            "fingerprint": run.fingerprint, "total": run.total,
            "limit": run.request.get("limit", len(run.results)),
            "offset": run.request.get("offset", 0), "results": list(run.results)}


def _cell(text: object) -> object:
    """Text a spreadsheet would take for a formula gets a leading apostrophe."""
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def run_csv(run: model.RankingRun) -> Response:
    """One row per ranked candidate; a match and a contribution column per requirement."""
    out = io.StringIO()
    writer = csv.writer(out)
    # An erased person's placeholder has no requirements: take the labels from another.
    explained = next((r for r in run.results if r["requirements"]), None)
    labels = [q["label"] for q in explained["requirements"]] if explained else []
    writer.writerow(["rank", "candidate_id", "external_id", "name", "score", "qualified",
                     "trainable", "required_met", "gaps",
                     *[_cell(f"match: {label}") for label in labels],
                     *[_cell(f"contribution: {label}") for label in labels]])
    for r in run.results:
        writer.writerow([r["rank"], r["candidate_id"], _cell(r["external_id"]), _cell(r["name"]),
                         f"{r['score']:.2f}", r["qualified"], r["trainable"], r["required_met"],
                         _cell("; ".join(g["label"] for g in r["gaps"])),
                         *([f"{q['match']:.4f}" for q in r["requirements"]]
                           or [""] * len(labels)),
                         *([f"{q['contribution']:.2f}" for q in r["requirements"]]
                           or [""] * len(labels))])
    return Response(out.getvalue(), mimetype=CSV, headers={
        "Content-Disposition": f'attachment; filename="ranking-{run.id}.csv"'})


def wants_csv(args: dict) -> bool:
    """CSV when ``?format=csv``, or when the Accept header prefers it over JSON."""
    if args.get("format"):
        return args["format"] == "csv"
    return request.accept_mimetypes.best_match(["application/json", CSV]) == CSV


@jobs_blp.route("/<id:job_id>/rankings")
class JobRankings(MethodView):
    @jobs_blp.arguments(RankingInSchema)
    @jobs_blp.response(201, RankingRunSchema)
    @errors(jobs_blp, 404)
    def post(self, data: dict, job_id: int) -> dict:
        """Rank the job's candidates; the run is stored and returned with explanations."""
        job = wiring.jobs().get(job_id)
        ranking = RankingRequest(
            limit=data["limit"], offset=data["offset"], mode=data.get("mode"),
            candidate_ids=tuple(data["candidate_ids"]) if "candidate_ids" in data else None,
            policy_overrides=dict(data["policy_overrides"]))
        run = rank_job(get_session(), wiring.organization_id(), job, ranking,
                       wiring.skill_graph(), result_out)
        wiring.commit(resource_id=run.id, policy_version=run.policy_version,
                      detail={"job_id": job_id, "fingerprint": run.fingerprint,
                              "total": run.total})
        return run_out(run)


@runs_blp.route("/<id:run_id>")
class RankingRun(MethodView):
    @runs_blp.arguments(RankingArgs, location="query")
    @runs_blp.response(200, RankingRunSchema)
    @runs_blp.doc(responses={"200": {"content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/RankingRun"}},
        CSV: {"schema": {"type": "string"}}}}})
    @errors(runs_blp, 404)
    def get(self, args: dict, run_id: int):
        """A stored run, as JSON or as CSV (``?format=csv`` or ``Accept: text/csv``)."""
        run = wiring.rankings().get(run_id)
        return run_csv(run) if wants_csv(args) else run_out(run)
