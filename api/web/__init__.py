"""The recruiter interface: server-rendered pages on the same app and domain code as the API.

People sign in with email and password (session cookie, CSRF-protected forms);
each page acts as its user's organization, through the same repositories and
use cases as the API, so the interface can do nothing the API would refuse.
Every asset is in ``api/web/static``: nothing is loaded from a CDN.
"""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, url_for
from flask_wtf.csrf import CSRFProtect

__all__ = ["csrf", "init_web", "web"]

web = Blueprint("web", __name__, url_prefix="/ui", template_folder="templates",
                static_folder="static", static_url_path="/static")
csrf = CSRFProtect()


def init_web(app: Flask) -> None:
    """Register the interface; the API keeps bearer keys and needs no CSRF token."""
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    csrf.init_app(app)
    # Pages are added module by module; the menu shows only those that exist.
    app.jinja_env.globals["has_page"] = lambda endpoint: endpoint in app.view_functions
    from api.web import (  # noqa: F401  (routes register on import)
        admin_pages,
        candidate_pages,
        errors,
        job_pages,
        pages,
        ranking_pages,
        session,
    )

    app.register_blueprint(web)
    app.add_url_rule("/", "root", lambda: redirect(url_for("web.jobs")))
