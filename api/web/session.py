"""Signing in and out, and acting as the signed-in person's organization."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, flash, g, redirect, render_template, request, session, url_for

from api.db import get_session
from api.repositories.organizations import Principal
from api.web import csrf, web
from api.web.users import SCOPES_OF, UserAccount, authenticate_user, get_user

__all__ = ["current_user", "login_required"]

F = TypeVar("F", bound=Callable[..., Any])


@web.before_request
def _load_user() -> None:
    if request.method == "POST":
        csrf.protect()
    user = get_user(get_session(), session["user_id"]) if "user_id" in session else None
    g.user = user
    if user is not None:
        # The same principal the API uses, so repositories and the audit log just work.
        g.principal = Principal(user.organization_id, 0, SCOPES_OF[user.role], user.id)


def current_user() -> UserAccount | None:
    return g.get("user")


def login_required(role: str = "recruiter") -> Callable[[F], F]:
    """Send strangers to the sign-in page; refuse recruiters what only admins may do."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                return redirect(url_for("web.login", next=request.full_path))
            if role == "admin" and user.role != "admin":
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate


@web.route("/login", methods=["GET", "POST"])
def login() -> Any:
    error = None
    if request.method == "POST":
        user = authenticate_user(get_session(), request.form.get("email", ""),
                                 request.form.get("password", ""))
        if user is not None:
            session.clear()
            session["user_id"] = user.id
            target = request.args.get("next", "")
            # Only paths of this site: never an open redirect.
            return redirect(target if target.startswith("/ui/") else url_for("web.jobs"))
        error = "That email and password do not match an account."
    return render_template("login.html", error=error), 401 if error else 200


@web.route("/logout", methods=["POST"])
def logout() -> Any:
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("web.login"))
