"""Job pages: post a job, edit it, import a JobPosting, and skill suggestions as you type.

Every save goes through the API's own schema (``JobInSchema``), mapping
(``job_from_input``), repository and importer, and commits with its audit
event through ``wiring.commit()``. Bad input re-shows the form with each
message next to its field (422, or 409 for a taken external id) and writes
nothing.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import marshmallow as ma
from flask import flash, jsonify, redirect, render_template, request, url_for

from api import wiring
from api.errors import flatten_messages
from api.importing import import_job_posting
from api.intake import job_from_input
from api.schemas.jobs import JobInSchema
from api.web import web
from api.web.job_form import JobForm, form_from_job, form_from_post
from api.web.session import login_required
from matcher import model
from matcher.errors import Conflict, InvalidInput

__all__ = ["job_edit", "job_import", "job_new", "skill_suggest"]

SUGGESTIONS = 10
MAX_QUERY = 100


def _editor(form: JobForm, job_id: int | None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "job_edit.html", form=form, job_id=job_id,
        statuses=[s.value for s in model.JobStatus],
        importances=[i.value for i in model.Importance],
        levels=[lvl.value for lvl in model.EducationLevel]), status


def _save(form: JobForm, job_id: int | None) -> tuple[model.Job | None, int]:
    """Validate and write the job: ``(job, 200)``, or ``(None, 422 | 409)`` with errors on form."""
    body = form.body()
    try:
        data = JobInSchema().load(body)
    except ma.ValidationError as error:
        form.add_schema_errors(flatten_messages(error.messages))
        return None, 422
    if form.errors:
        return None, 422
    job = job_from_input(data, wiring.skill_resolver())
    repo = wiring.jobs()
    try:
        saved = repo.add(job) if job_id is None else repo.replace(job_id, job)
    except Conflict:
        # The repository's message speaks API ("use PUT"); say it for a person.
        form.add_error("external_id", "Another job already has this external id; "
                                      "choose another one or edit that job.")
        return None, 409
    wiring.commit(resource_id=saved.id)
    return saved, 200


@web.route("/jobs/new", methods=["GET", "POST"])
@login_required()
def job_new() -> Any:
    if request.method == "GET":
        return _editor(form_from_job(None), None)
    form = form_from_post(request.form)
    saved, status = _save(form, None)
    if saved is None:
        return _editor(form, None, status)
    flash(f"Job \u201c{saved.title}\u201d saved.")
    return redirect(url_for("web.job_edit", job_id=saved.id))


@web.route("/jobs/<int:job_id>/edit", methods=["GET", "POST"])
@login_required()
def job_edit(job_id: int) -> Any:
    job = wiring.jobs().get(job_id)  # NotFound (another organization's too) -> 404
    if request.method == "GET":
        return _editor(form_from_job(job), job_id)
    # The form does not edit scoring overrides: keep the job's own.
    form = form_from_post(request.form, job.policy_overrides)
    saved, status = _save(form, job_id)
    if saved is None:
        return _editor(form, job_id, status)
    flash(f"Job \u201c{saved.title}\u201d saved.")
    return redirect(url_for("web.job_edit", job_id=job_id))


@web.route("/jobs/import", methods=["GET", "POST"])
@login_required()
def job_import() -> Any:
    if request.method == "GET":
        return _import_page({}, {})
    text = request.form.get("document", "")
    external_id = request.form.get("external_id", "").strip() or None
    try:
        document = json.loads(text)
    except ValueError as error:
        return _import_page({"document": [f"This is not valid JSON: {error}."]},
                            request.form, 422)
    try:
        job, created, result = import_job_posting(
            document, external_id=external_id, jobs=wiring.jobs(),
            resolver=wiring.skill_resolver(), finder=wiring.mention_finder(),
            today=date.today())
    except (InvalidInput, Conflict) as error:
        errors = getattr(error, "errors", None) or {"document": [str(error)]}
        return _import_page(errors, request.form, 422, str(error))
    wiring.commit(resource_id=job.id)
    flash(_import_summary(job, created, len(result.unrecognised)))
    return redirect(url_for("web.job_edit", job_id=job.id))


def _import_page(errors: dict, values: Any, status: int = 200,
                 summary: str | None = None) -> tuple[str, int]:
    return render_template("job_import.html", errors=errors, values=values,
                           summary=summary), status


def _import_summary(job: model.Job, created: bool, unrecognised: int) -> str:
    inferred = sum(1 for r in job.requirements if r.to_confirm)
    parts = [f"Job \u201c{job.title}\u201d {'imported' if created else 'updated'}."]
    if inferred:
        plural = inferred != 1
        parts.append(f"{inferred} requirement{'s' if plural else ''} found in the text "
                     f"need{'' if plural else 's'} your confirmation (highlighted below): "
                     "untick \u201cto confirm\u201d or remove each, then save.")
    if unrecognised:
        parts.append(f"{unrecognised} part{'s' if unrecognised != 1 else ''} of the document "
                     "could not be used.")
    return " ".join(parts)


@web.route("/skills/suggest")
@login_required()
def skill_suggest() -> Any:
    query = request.args.get("q", "")[:MAX_QUERY]
    found = wiring.skill_resolver().search(query, SUGGESTIONS) if query.strip() else []
    return jsonify([{"id": skill.id, "label": skill.label} for skill, _score, _how in found])
