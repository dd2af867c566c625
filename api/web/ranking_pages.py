"""The ranking page, its CSV export, recruiters' decisions and the side-by-side comparison.

Filters and pagination: each view of the ranking page ranks the job once, through
the API's own use case (``api.ranking.rank_job``, stored and audit-logged like
``POST /api/v1/jobs/{id}/rankings``), for the top ``RANK_WINDOW`` candidates, then
filters and paginates that list here. Why not rank page by page: whether a
candidate is trainable is only known once explained, so a filtered page could not
be cut from the index; and with one run per view the CSV export and the decisions
refer to exactly the ranking the recruiter saw. Candidates below the top
``RANK_WINDOW`` are not listed (the page says so when there are more).

The filters are a union: "qualified" and "trainable" exclude each other (trainable
means unqualified but closable with short courses), so ticking both shows either.
"""

from __future__ import annotations

import math
from typing import Any

from flask import flash, redirect, render_template, request, url_for

from api import wiring
from api.audit import actor
from api.db import get_session
from api.openapi import MAX_ID
from api.ranking import RankingRequest, rank_job
from api.repositories.decisions import DecisionRepository
from api.resources.rankings import result_out, run_csv
from api.web import web
from api.web.session import login_required
from matcher import model
from matcher.errors import InvalidInput

RANK_WINDOW = 500
PAGE_SIZE = 20
DECISIONS = ("advance", "reject", "hold")
MAX_REASON = 2000
# Enough for every decided candidate of a job; the ranking shows at most RANK_WINDOW.
MAX_DECISIONS = 10_000


def _rank(job: model.Job, ranking: RankingRequest) -> model.RankingRun:
    """Rank as the API does, and commit the run with its audit event."""
    run = rank_job(get_session(), wiring.organization_id(), job, ranking,
                   wiring.skill_graph(), result_out)
    wiring.commit(resource_id=run.id, policy_version=run.policy_version,
                  detail={"job_id": job.id, "fingerprint": run.fingerprint,
                          "total": run.total})
    return run


def _flag(name: str) -> bool:
    return request.args.get(name, "") in ("1", "on", "true")


def _is_id(text: str) -> bool:
    """A row id: anything larger would overflow the database's integer column."""
    return _digits(text) and 1 <= int(text) <= MAX_ID


def _digits(text: str) -> bool:
    # str.isdigit() accepts "²", which int() refuses.
    return text.isascii() and text.isdigit()


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not _digits(raw) or int(raw) < 1:
        raise InvalidInput("The page number must be a whole number from 1.",
                           {"page": [f"{raw!r} is not a page number."]})
    return int(raw)


def _decisions(job_id: int) -> dict[int, dict]:
    items, _ = DecisionRepository(get_session(), wiring.organization_id()).current(
        job_id, MAX_DECISIONS, 0)
    return {d["candidate_id"]: d for d in items}


def _keep(result: dict, qualified: bool, trainable: bool) -> bool:
    if not (qualified or trainable):
        return True
    return (qualified and result["qualified"]) or (trainable and result["trainable"])


@web.route("/jobs/<id:job_id>/ranking")
@login_required()
def ranking(job_id: int) -> Any:
    job = wiring.jobs().get(job_id)
    filters = {"qualified": _flag("qualified"), "trainable": _flag("trainable")}
    page = _page_number()
    if not job.requirements:
        return render_template("ranking.html", job=job, run=None, results=[], filters=filters)
    run = _rank(job, RankingRequest(limit=RANK_WINDOW))
    shown = [r for r in run.results if _keep(r, **filters)]
    pages = max(1, math.ceil(len(shown) / PAGE_SIZE))
    # A bookmarked page past the end (the data changed) shows the last one.
    page = min(page, pages)
    return render_template(
        "ranking.html", job=job, run=run, filters=filters, page=page, pages=pages,
        matching=len(shown), results=shown[(page - 1) * PAGE_SIZE:page * PAGE_SIZE],
        decisions=_decisions(job_id), choices=DECISIONS, window=RANK_WINDOW)


@web.route("/rankings/<id:run_id>.csv")
@login_required()
def ranking_csv(run_id: int) -> Any:
    return run_csv(wiring.rankings().get(run_id))


def _decision_form(job_id: int) -> tuple[str, str, int | None]:
    """The decision, reason and ranking run of the form; clear errors otherwise."""
    decision = request.form.get("decision", "")
    reason = request.form.get("reason", "").strip()
    errors: dict[str, list[str]] = {}
    if decision not in DECISIONS:
        errors["decision"] = ["Choose advance, reject or hold."]
    if not reason:
        errors["reason"] = ["Give a reason: it is shown in audits."]
    elif len(reason) > MAX_REASON:
        errors["reason"] = [f"Keep the reason under {MAX_REASON} characters."]
    raw_run = request.form.get("ranking_id", "")
    if raw_run and not _is_id(raw_run):
        errors["ranking_id"] = ["Not a ranking."]
    if errors:
        raise InvalidInput("The decision was not recorded.", errors)
    run_id = int(raw_run) if raw_run else None
    if run_id is not None and wiring.rankings().get(run_id).job_id != job_id:
        raise InvalidInput("The decision was not recorded.",
                           {"ranking_id": [f"Ranking {run_id} did not rank this job."]})
    return decision, reason, run_id


def _back_to_ranking(job_id: int, candidate_id: int) -> str:
    """The ranking page the form was on (same filters and page), at the candidate."""
    args = {k: request.form[k] for k in ("qualified", "trainable", "page")
            if request.form.get(k)}
    return url_for("web.ranking", job_id=job_id, **args) + f"#c{candidate_id}"


@web.route("/jobs/<id:job_id>/decisions/<id:candidate_id>", methods=["POST"])
@login_required()
def decide(job_id: int, candidate_id: int) -> Any:
    wiring.jobs().get(job_id)
    candidate = wiring.candidates().get(candidate_id)
    decision, reason, run_id = _decision_form(job_id)
    saved = DecisionRepository(get_session(), wiring.organization_id()).record(
        job_id, candidate_id, decision, reason, decided_by=actor(), ranking_id=run_id)
    wiring.commit(resource_id=saved["id"], detail={
        "job_id": job_id, "candidate_id": candidate_id, "decision": decision,
        "overrides_ranking": saved["overrides_ranking"]})
    flash(f"Recorded: {decision} {candidate.name or candidate.external_id}.")
    return redirect(_back_to_ranking(job_id, candidate_id))


def _compared_ids() -> tuple[int, ...]:
    raw = request.args.getlist("c")
    if not all(_is_id(c) for c in raw):
        raise InvalidInput("Pick candidates from the ranking to compare.",
                           {"c": ["Candidate ids are whole numbers from the ranking."]})
    ids = tuple(dict.fromkeys(int(c) for c in raw))
    if not 2 <= len(ids) <= 3:
        raise InvalidInput("Compare two or three candidates.",
                           {"c": [f"{len(ids)} different candidates were picked."]})
    return ids


@web.route("/jobs/<id:job_id>/compare")
@login_required()
def compare(job_id: int) -> Any:
    job = wiring.jobs().get(job_id)
    ids = _compared_ids()
    for candidate_id in ids:
        wiring.candidates().get(candidate_id)  # another organization's id: not found
    if not job.requirements:
        raise InvalidInput("This job has no requirements to compare candidates on.")
    run = _rank(job, RankingRequest(limit=len(ids), candidate_ids=ids))
    labels = [q["label"] for q in next(
        (r["requirements"] for r in run.results if r["requirements"]), [])]
    return render_template("compare.html", job=job, run=run, results=list(run.results),
                           labels=labels, decisions=_decisions(job_id))
