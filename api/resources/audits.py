"""``/api/v1/audit-log`` and ``/api/v1/audits/bias``: accountability (DESIGN.md §7)."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView

from api import wiring
from api.auth import protect, requires
from api.bias import audit_csv, records_from_rankings
from api.db import get_session
from api.openapi import Blueprint, errors
from api.repositories.audit_log import AuditLogRepository
from api.resources.rankings import CSV, wants_csv
from api.schemas.audits import AuditEventSchema, AuditLogArgs, BiasAuditArgs, BiasAuditInSchema
from api.schemas.common import page_schema
from matcher.fairness import AuditRecord, bias_audit

blp = Blueprint("audits", __name__, url_prefix="/api/v1",
                description="The audit log and LL144 bias audits")
protect(blp)
AuditPage = page_schema(AuditEventSchema, "AuditEventPage")


@blp.route("/audit-log")
class AuditLog(MethodView):
    @requires("admin")
    @blp.arguments(AuditLogArgs, location="query")
    @blp.response(200, AuditPage)
    def get(self, args: dict) -> dict:
        """Every write and ranking of the organization, newest first (admin scope).

        Filter by actor, method, action (a part of ``METHOD /route``), resource type and
        id, and time (``since`` inclusive, ``until`` exclusive).
        """
        limit, offset = args.pop("limit"), args.pop("offset")
        repo = AuditLogRepository(get_session(), wiring.organization_id())
        items, total = repo.search(args, limit, offset)
        return {"items": items, "total": total, "limit": limit, "offset": offset}


@blp.route("/audits/bias")
class BiasAudit(MethodView):
    @requires("admin")
    @blp.arguments(BiasAuditArgs, location="query")
    @blp.arguments(BiasAuditInSchema)
    @blp.response(200)
    @blp.doc(responses={"200": {"content": {"application/json": {"schema": {"type": "object"}},
                                            CSV: {"schema": {"type": "string"}}}}})
    @errors(blp, 422)
    def post(self, args: dict, data: dict):
        """An NYC Local Law 144 bias audit: sex, race/ethnicity and their intersection.

        From supplied ``records`` (another system's data), or from this organization's
        stored rankings (by ``job_ids``, ``ranking_ids``, and the dates ``since``/``until``;
        no filter: every run). For each category: count, scoring rate (share strictly above
        the median score of the whole sample), selection rate (the recruiter's latest
        decision when there is one, else qualified or within ``shortlist``), both impact
        ratios, the four-fifths flags and the under-2% flag; and the unknowns, excluded.
        JSON, or CSV with ``?format=csv`` / ``Accept: text/csv`` (admin scope).
        """
        if "records" in data:
            records = [AuditRecord(**r) for r in data["records"]]
            source, runs = "records", []
        else:
            records, runs = records_from_rankings(
                get_session(), wiring.organization_id(), job_ids=data["job_ids"],
                ranking_ids=data["ranking_ids"], since=data["since"], until=data["until"],
                shortlist=data["shortlist"])
            source = "rankings"
        audit = bias_audit(records, small_share=data["small_share"],
                           exclude_small=data["exclude_small"])
        wiring.commit(detail={"source": source, "runs": len(runs),
                              "sample_size": audit.sample_size})
        if wants_csv(args):
            return Response(audit_csv(audit), mimetype=CSV, headers={
                "Content-Disposition": 'attachment; filename="bias-audit.csv"'})
        selection = ("as supplied" if source == "records" else
                     "the recruiter's latest decision (advance), else "
                     + ("qualified" if data["shortlist"] is None
                        else f"within the first {data['shortlist']}"))
        return {"source": source, "ranking_ids": runs, "selection": selection,
                **audit.as_dict()}
