"""``/api/v1/imports``: JSON Resume, schema.org JobPosting and CTDL documents, as they are."""

from __future__ import annotations

from datetime import date

from flask.views import MethodView

from api import wiring
from api.auth import protect
from api.documents import ANY_JSON, json_document
from api.importing import ResumeItem, import_ctdl, import_job_posting, import_resumes
from api.openapi import Blueprint, errors
from api.resources.jobs import job_out
from api.schemas.imports import (
    CtdlImportOutSchema,
    ImportArgs,
    JobImportOutSchema,
    ResumeImportOutSchema,
)
from matcher.errors import InvalidInput

blp = Blueprint("imports", __name__, url_prefix="/api/v1/imports",
                description="Documents of the standards (DESIGN.md §6) in, as they are")
protect(blp)

MAX_RESUMES = 100


def _resume_items(document: object, external_id: str | None) -> list[ResumeItem]:
    """A resume, ``{"external_id", "resume"}``, or a list of either."""
    many = isinstance(document, list)
    entries = document if isinstance(document, list) else [document]
    if not entries or len(entries) > MAX_RESUMES:
        raise InvalidInput("Send 1 to 100 resumes.", {"$": [f"Got {len(entries)}."]})
    if many and external_id is not None:
        raise InvalidInput("external_id names one resume; a list gives each its own.",
                           {"external_id": ["Give it inside each item of a list."]})
    items = []
    for index, entry in enumerate(entries):
        at = str(index) if many else ""
        if isinstance(entry, dict) and "resume" in entry and "basics" not in entry:
            given = entry.get("external_id")
            if given is not None and (not isinstance(given, str) or not given.strip()
                                      or len(given) > 200):
                raise InvalidInput("external_id must be a non-empty string (200 at most).",
                                   {f"{at}.external_id" if at else "external_id": ["Invalid."]})
            items.append(ResumeItem(entry["resume"], given and given.strip(),
                                    f"{at}.resume" if at else "resume"))
        else:
            items.append(ResumeItem(entry, external_id, at))
    return items


@blp.route("/json-resume")
class JsonResumeImport(MethodView):
    @blp.arguments(ImportArgs, location="query")
    @blp.doc(requestBody=ANY_JSON)
    @blp.response(200, ResumeImportOutSchema)
    @errors(blp, 422)
    def post(self, args: dict) -> dict:
        """Upsert candidates from JSON Resume documents (one, or a list of up to 100).

        Each item is a resume, or ``{"external_id": ..., "resume": {...}}``. A
        resume without an external id updates the candidate with its
        ``basics.email``, or creates one whose external id is that email.
        work and volunteer become experience (skills found in the position,
        summary and highlights), certificates become credentials (issuers
        looked up in the registry, or added unreviewed), education becomes
        degrees, skills and keywords the declared skills. Verified badges the
        candidate holds are kept. All or nothing.
        """
        items = _resume_items(json_document(), args.get("external_id"))
        results = import_resumes(items, candidates=wiring.candidates(), issuers=wiring.issuers(),
                                 resolver=wiring.skill_resolver(),
                                 finder=wiring.mention_finder())
        wiring.commit()
        created = sum(1 for r in results if r["status"] == "created")
        return {"created": created, "updated": len(results) - created, "results": results}


@blp.route("/job-posting")
class JobPostingImport(MethodView):
    @blp.arguments(ImportArgs, location="query")
    @blp.doc(requestBody=ANY_JSON)
    @blp.response(200, JobImportOutSchema)
    @blp.alt_response(201, schema=JobImportOutSchema, description="Created")
    @errors(blp, 422)
    def post(self, args: dict):
        """Upsert a job from a schema.org JobPosting (JSON-LD) or a JSON Resume job document.

        Listed skills become requirements; skills found in the description,
        qualifications and responsibilities become requirements marked
        ``to_confirm`` for a recruiter. 201 when the job is new, 200 when an
        existing job (same external id) was replaced.
        """
        job, created, result = import_job_posting(
            json_document(), external_id=args.get("external_id"), jobs=wiring.jobs(),
            resolver=wiring.skill_resolver(), finder=wiring.mention_finder(),
            today=date.today())
        wiring.commit()
        body = {"job": job_out(job), "created": created,
                "to_confirm": [r.skill.name for r in job.requirements if r.to_confirm],
                "mapped": result.mapped, "unrecognised": result.unrecognised}
        return body, 201 if created else 200


@blp.route("/ctdl")
class CtdlImport(MethodView):
    @blp.doc(requestBody=ANY_JSON)
    @blp.response(200, CtdlImportOutSchema)
    @errors(blp, 422)
    def post(self) -> dict:
        """Issuers, accreditations and catalogue offerings from a CTDL document.

        Organizations become issuers (added unreviewed, or completed when the
        registry has them); ``ceterms:accreditedBy``, ``approvedBy`` and
        ``recognizedBy`` become accreditations; credentials they own or offer
        become catalogue offerings (credential type -> kind).
        """
        report = import_ctdl(json_document(), issuers=wiring.issuers(),
                             catalog=wiring.catalog(), resolver=wiring.skill_resolver())
        wiring.commit()
        return report
