"""``/api/v1/candidates``: profiles with credentials and experience, and bulk upsert."""

from __future__ import annotations

import marshmallow as ma
from flask import jsonify
from flask.views import MethodView

from api import wiring
from api.auth import protect
from api.intake import candidates_from_input
from api.openapi import Blueprint, errors
from api.schemas.candidates import (
    BulkInSchema,
    BulkOutSchema,
    CandidateInSchema,
    CandidateOutSchema,
)
from api.schemas.common import PageArgs, page_schema, valid_external_id
from matcher import model
from matcher.errors import InvalidInput, NotFound
from standards.json_resume import candidate_to_resume

blp = Blueprint("candidates", __name__, url_prefix="/api/v1/candidates",
                description="Candidates pushed by HR systems")
protect(blp)
CandidatePage = page_schema(CandidateOutSchema, "CandidatePage")


class CandidateFormatArgs(ma.Schema):
    format = ma.fields.String(load_default="json",
                              validate=ma.validate.OneOf(["json", "json-resume"]),
                              metadata={"description": "json-resume: a JSON Resume document"})


def _skills(refs: tuple[model.SkillRef, ...]) -> list[dict]:
    return [{"name": r.name, "skill_id": r.skill_id} for r in refs]


def candidate_out(c: model.Candidate) -> dict:
    return {
        "id": c.id, "external_id": c.external_id, "name": c.name, "email": c.email,
        "location": c.location,
        "credentials": [
            {"id": k.id, "name": k.name, "kind": k.kind.value, "issuer": k.issuer_name,
             "issuer_id": k.issuer_id, "issued_on": k.issued_on, "expires_on": k.expires_on,
             "skills": _skills(k.skills), "level": k.level,
             "badge": k.badge is not None,
             "verification": {"status": k.verification.status.value,
                              "method": k.verification.method,
                              "checked_at": k.verification.checked_at,
                              "detail": k.verification.detail}}
            for k in c.credentials
        ],
        "experience": [
            {"id": e.id, "title": e.title, "employer": e.employer, "industry": e.industry,
             "start_date": e.start_date, "end_date": e.end_date, "skills": _skills(e.skills)}
            for e in c.experience
        ],
        "skills": _skills(c.skills),
    }


def _to_domain(bodies: list[dict], path: str = "") -> list[model.Candidate]:
    return candidates_from_input(bodies, wiring.skill_resolver(), wiring.issuers(), path)


@blp.route("")
class Candidates(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, CandidatePage)
    def get(self, page: dict) -> dict:
        """List candidates, oldest first."""
        items, total = wiring.candidates().list(page["limit"], page["offset"])
        return {"items": [candidate_out(c) for c in items], "total": total, **page}

    @blp.arguments(CandidateInSchema)
    @blp.response(201, CandidateOutSchema)
    @errors(blp, 409)
    def post(self, data: dict) -> dict:
        """Add a candidate; an existing external_id is a 409 (use PUT to replace)."""
        (candidate,) = _to_domain([data])
        created = wiring.candidates().add(candidate)
        wiring.commit()
        return candidate_out(created)


@blp.route("/bulk")
class CandidatesBulk(MethodView):
    @blp.arguments(BulkInSchema)
    @blp.response(200, BulkOutSchema)
    def post(self, data: dict) -> dict:
        """Upsert up to 1,000 candidates by external_id, all or nothing."""
        candidates = _to_domain(data["candidates"], "candidates")
        saved = wiring.candidates().save_many(candidates, keep_badges=True)
        wiring.commit()
        results = [
            {"index": i, "external_id": c.external_id, "id": cid,
             "status": "created" if created else "updated"}
            for i, (c, (cid, created)) in enumerate(zip(candidates, saved, strict=True))
        ]
        created = sum(1 for r in results if r["status"] == "created")
        return {"created": created, "updated": len(results) - created, "results": results}


@blp.route("/<id:candidate_id>")
class CandidateById(MethodView):
    @blp.arguments(CandidateFormatArgs, location="query")
    @blp.response(200, CandidateOutSchema)
    @errors(blp, 404)
    def get(self, args: dict, candidate_id: int):
        """One candidate with credentials and experience.

        ``?format=json-resume`` answers a JSON Resume 1.x document instead
        (basics, work, certificates, education, skills).
        """
        candidate = wiring.candidates().get(candidate_id)
        if args["format"] == "json-resume":
            issuers = wiring.issuers().by_ids(
                {k.issuer_id for k in candidate.credentials if k.issuer_id is not None})
            return jsonify(candidate_to_resume(candidate, issuers=issuers))
        return candidate_out(candidate)

    @blp.arguments(CandidateInSchema)
    @blp.response(200, CandidateOutSchema)
    @errors(blp, 404, 409)
    def put(self, data: dict, candidate_id: int) -> dict:
        """Replace a candidate wholesale (credentials and experience included)."""
        (candidate,) = _to_domain([data])
        replaced = wiring.candidates().replace(candidate_id, candidate, keep_badges=True)
        wiring.commit()
        return candidate_out(replaced)

    @blp.response(204)
    @errors(blp, 404)
    def delete(self, candidate_id: int) -> None:
        """Delete a candidate and everything held about them."""
        wiring.candidates().delete(candidate_id)
        wiring.commit()


@blp.route("/by-external-id/<path:external_id>")
class CandidateByExternalId(MethodView):
    @blp.response(200, CandidateOutSchema)
    @errors(blp, 404)
    def get(self, external_id: str) -> dict:
        """One candidate, by the HR system's id."""
        repo = wiring.candidates()
        candidate_id = (repo.id_for_external_id(external_id)
                        if valid_external_id(external_id) else None)
        if candidate_id is None:
            raise NotFound(f"No candidate with external_id {external_id!r}.")
        return candidate_out(repo.get(candidate_id))

    @blp.arguments(CandidateInSchema)
    @blp.response(200, CandidateOutSchema)
    @blp.alt_response(201, schema=CandidateOutSchema, description="Created")
    @errors(blp, 422)
    def put(self, data: dict, external_id: str):
        """Upsert by external_id: 201 when created, 200 when replaced."""
        if data["external_id"] != external_id:
            raise InvalidInput("external_id in the body must match the path.",
                               {"external_id": ["Must match the path."]})
        (candidate,) = _to_domain([data])
        repo = wiring.candidates()
        ((candidate_id, created),) = repo.save_many([candidate], keep_badges=True)
        wiring.commit()
        return candidate_out(repo.get(candidate_id)), 201 if created else 200
