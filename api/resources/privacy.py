"""``GET /api/v1/candidates/{id}/export``: everything held about a person, in one document.

Erasure is ``DELETE /api/v1/candidates/{id}`` (api/resources/candidates.py), which
anonymises every trace through :func:`api.privacy.erase_traces`; docs/privacy.md says
what each does and keeps.
"""

from __future__ import annotations

from flask.views import MethodView

from api import wiring
from api.auth import protect, requires
from api.db import get_session
from api.openapi import Blueprint, errors
from api.privacy import export_candidate
from api.schemas.privacy import CandidateExportSchema

__all__ = ["blp"]

blp = Blueprint("privacy", __name__, url_prefix="/api/v1",
                description="Privacy: a candidate's data export (erasure: DELETE the candidate)")
protect(blp)

_DISPOSITION = {"Content-Disposition": {
    "description": "attachment; a file name for the export",
    "schema": {"type": "string"}}}


@blp.route("/candidates/<id:candidate_id>/export")
class CandidateExport(MethodView):
    # Admin, not read: it holds the audit log and demographics, both admin-only elsewhere.
    @requires("admin")
    @blp.response(200, CandidateExportSchema, headers=_DISPOSITION)
    @errors(blp, 404)
    def get(self, candidate_id: int):
        """Everything held about a candidate: profile, credentials with their badge documents,
        experience, declared skills, demographics, every ranking run that ranked them,
        recruiters' decisions and the audit log entries naming them.

        For a data subject's access or portability request (admin scope, since it holds
        demographics and audit log entries); answered as a download.
        """
        export = export_candidate(get_session(), wiring.candidates(), candidate_id)
        wiring.commit()  # an export of personal data is an event worth logging
        name = f"candidate-{candidate_id}-export.json"
        return export, 200, {"Content-Disposition": f'attachment; filename="{name}"'}
