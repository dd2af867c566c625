"""``/api/v1/jobs``: jobs with their requirements."""

from __future__ import annotations

from flask.views import MethodView

from api import wiring
from api.auth import protect
from api.intake import job_from_input
from api.openapi import Blueprint, errors
from api.schemas.common import page_schema, valid_external_id
from api.schemas.jobs import JobInSchema, JobListArgs, JobOutSchema
from matcher import model
from matcher.errors import InvalidInput, NotFound

blp = Blueprint("jobs", __name__, url_prefix="/api/v1/jobs",
                description="Jobs and their skill requirements")
protect(blp)
JobPage = page_schema(JobOutSchema, "JobPage")


def job_out(job: model.Job) -> dict:
    return {
        "id": job.id, "external_id": job.external_id, "title": job.title,
        "industry": job.industry, "description": job.description, "status": job.status.value,
        "requirements": [
            {"skill": r.skill.name, "skill_id": r.skill.skill_id,
             "importance": r.importance.value, "weight": r.weight, "min_years": r.min_years,
             "to_confirm": r.to_confirm}
            for r in job.requirements
        ],
        "min_total_years": job.min_total_years,
        "education": {
            "level": job.education.level,
            "experience_in_place_months": job.education.experience_in_place_months,
        } if job.education else None,
        "policy_overrides": job.policy_overrides,
    }


@blp.route("")
class Jobs(MethodView):
    @blp.arguments(JobListArgs, location="query")
    @blp.response(200, JobPage)
    def get(self, args: dict) -> dict:
        """List jobs, optionally only open or closed ones."""
        items, total = wiring.jobs().list_jobs(args["limit"], args["offset"], args.get("status"))
        return {"items": [job_out(j) for j in items], "total": total,
                "limit": args["limit"], "offset": args["offset"]}

    @blp.arguments(JobInSchema)
    @blp.response(201, JobOutSchema)
    @errors(blp, 409)
    def post(self, data: dict) -> dict:
        """Post a job; requirement skills are resolved to canonical skills."""
        job = wiring.jobs().add(job_from_input(data, wiring.skill_resolver()))
        wiring.commit()
        return job_out(job)


@blp.route("/<id:job_id>")
class JobById(MethodView):
    @blp.response(200, JobOutSchema)
    @errors(blp, 404)
    def get(self, job_id: int) -> dict:
        """One job with its requirements."""
        return job_out(wiring.jobs().get(job_id))

    @blp.arguments(JobInSchema)
    @blp.response(200, JobOutSchema)
    @errors(blp, 404, 409)
    def put(self, data: dict, job_id: int) -> dict:
        """Replace a job wholesale."""
        job = wiring.jobs().replace(job_id, job_from_input(data, wiring.skill_resolver()))
        wiring.commit()
        return job_out(job)

    @blp.response(204)
    @errors(blp, 404)
    def delete(self, job_id: int) -> None:
        """Delete a job (its stored ranking runs go with it)."""
        wiring.jobs().delete(job_id)
        wiring.commit()


@blp.route("/by-external-id/<path:external_id>")
class JobByExternalId(MethodView):
    @blp.response(200, JobOutSchema)
    @errors(blp, 404)
    def get(self, external_id: str) -> dict:
        """One job, by the HR system's id."""
        repo = wiring.jobs()
        job_id = repo.id_for_external_id(external_id) if valid_external_id(external_id) else None
        if job_id is None:
            raise NotFound(f"No job with external_id {external_id!r}.")
        return job_out(repo.get(job_id))

    @blp.arguments(JobInSchema)
    @blp.response(200, JobOutSchema)
    @blp.alt_response(201, schema=JobOutSchema, description="Created")
    def put(self, data: dict, external_id: str):
        """Upsert by external_id: 201 when created, 200 when replaced."""
        if data["external_id"] != external_id:
            raise InvalidInput("external_id in the body must match the path.",
                               {"external_id": ["Must match the path."]})
        repo = wiring.jobs()
        job = job_from_input(data, wiring.skill_resolver())
        job_id = repo.id_for_external_id(external_id)
        saved = repo.add(job) if job_id is None else repo.replace(job_id, job)
        wiring.commit()
        return job_out(saved), 201 if job_id is None else 200
