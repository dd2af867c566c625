"""The pages: jobs first (more to come: see the README's interface section)."""

from __future__ import annotations

from typing import Any

from flask import render_template

from api import wiring
from api.web import web
from api.web.session import login_required


@web.route("/")
@login_required()
def jobs() -> Any:
    items, total = wiring.jobs().list_jobs(200, 0, None)
    return render_template("jobs.html", jobs=items, total=total)
