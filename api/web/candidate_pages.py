"""The candidate page (profile, credentials, timeline, evidence graph) and the bias audit.

Both only read: the candidate through the organization's repository, the graph from
:mod:`graph.evidence`, the audit from :mod:`api.bias` and :mod:`matcher.fairness`,
exactly as the API computes them.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Response, render_template, request

from api import wiring
from api.bias import audit_csv, records_from_rankings
from api.db import get_session
from api.errors import flatten_messages
from api.schemas.audits import BiasAuditInSchema
from api.web import web
from api.web.session import login_required
from api.web.svg import draw_evidence
from graph.evidence import evidence_subgraph
from matcher import model
from matcher.errors import InvalidInput, NotFound
from matcher.fairness import BiasAudit, bias_audit

MAX_JOBS = 500
# The form's fields, in the order the page shows them.
AUDIT_FIELDS = ("job", "since", "until", "shortlist")


def _job_choice(raw: str | None) -> tuple[int | None, str | None]:
    """The job id of ``?job=``, or an error message for anything but a positive number."""
    if not raw:
        return None, None
    if not raw.isdigit() or not 0 < int(raw) < 2**31:
        return None, "Choose a job from the list."
    return int(raw), None


def _skill_label(ref: model.SkillRef) -> str:
    skill = wiring.skill_graph().skill(ref.skill_id) if ref.skill_id else None
    return skill.label if skill else ref.name


@web.route("/candidates/<int:candidate_id>")
@login_required()
def candidate(candidate_id: int) -> Any:
    jobs, _ = wiring.jobs().list_jobs(MAX_JOBS, 0)
    try:
        person = wiring.candidates().get(candidate_id)
    except NotFound:
        return render_template("candidate.html", person=None, jobs=jobs,
                               error="There is no such candidate in your organization."), 404
    job_id, error = _job_choice(request.args.get("job"))
    job, drawing = None, None
    if job_id is not None:
        try:
            job = wiring.jobs().get(job_id)
        except NotFound:
            error = "There is no such job in your organization; choose one from the list."
    if job is not None:
        graph = evidence_subgraph(job, person, wiring.skill_graph())
        drawing = draw_evidence(graph, f"Evidence of {person.name} for {job.title}")
    timeline = sorted(person.experience, key=lambda e: (e.end_date is None, e.start_date),
                      reverse=True)
    page = render_template("candidate.html", person=person, jobs=jobs, job=job,
                           drawing=drawing, timeline=timeline, error=error,
                           declared=[_skill_label(s) for s in person.skills],
                           label=_skill_label)
    return page, 400 if error and job_id is None else 404 if error else 200


def _audit_input(args: Any) -> dict:
    """The form as the API's audit request (validated by the API's own schema)."""
    job_id, error = _job_choice(args.get("job"))
    if error:
        raise InvalidInput(error, {"job": [error]})
    body: dict[str, Any] = {"job_ids": [job_id] if job_id else []}
    for name in ("since", "until", "shortlist"):
        if args.get(name, "").strip():
            body[name] = args[name].strip()
    try:
        return BiasAuditInSchema().load(body)
    except ma.ValidationError as invalid:
        raise InvalidInput("Check the form.", flatten_messages(invalid.messages)) from None


def _run_audit(args: Any) -> tuple[BiasAudit, list[int], dict]:
    data = _audit_input(args)
    if data["job_ids"]:
        wiring.jobs().get(data["job_ids"][0])  # another organization's job: NotFound
    records, runs = records_from_rankings(
        get_session(), wiring.organization_id(), job_ids=data["job_ids"],
        since=data["since"], until=data["until"], shortlist=data["shortlist"])
    audit = bias_audit(records, small_share=data["small_share"],
                       exclude_small=data["exclude_small"])
    # Running an audit is itself on the record, as through the API.
    wiring.commit(detail={"source": "rankings", "runs": len(runs),
                          "sample_size": audit.sample_size})
    return audit, runs, data


@web.route("/audit")
@login_required(role="admin")
def audit() -> Any:
    jobs, _ = wiring.jobs().list_jobs(MAX_JOBS, 0)
    form = {name: request.args.get(name, "") for name in AUDIT_FIELDS}
    context: dict[str, Any] = {"jobs": jobs, "form": form, "result": None, "errors": {}}
    if "run" not in request.args:
        return render_template("audit.html", **context)
    try:
        result, runs, data = _run_audit(request.args)
    except InvalidInput as invalid:
        context["errors"] = invalid.errors or {"job": [str(invalid)]}
        return render_template("audit.html", **context), 400
    except NotFound:
        context["errors"] = {"job": ["There is no such job in your organization."]}
        return render_template("audit.html", **context), 404
    selection = ("the recruiter's latest decision (advance), else "
                 + ("qualified" if data["shortlist"] is None
                    else f"within the first {data['shortlist']}"))
    context["result"] = result
    return render_template("audit.html", **context, runs=runs,
                           selection=selection, query=request.query_string.decode())


@web.route("/audit.csv", endpoint="audit_csv")
@login_required(role="admin")
def audit_csv_download() -> Any:
    try:
        result, _, _ = _run_audit(request.args)
    except (InvalidInput, NotFound) as error:
        return Response(f"{error}\n", status=404 if isinstance(error, NotFound) else 400,
                        mimetype="text/plain")
    return Response(audit_csv(result), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="bias-audit.csv"'})

