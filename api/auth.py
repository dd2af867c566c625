"""Bearer API-key authentication and scope checks for the ``/api/v1`` blueprints.

Reads need ``read``; writes need ``write``; a view may demand another scope
with :func:`requires`. Scopes are independent, so an HR system can hold a
write-only key that cannot read profiles back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, current_app, g, request
from werkzeug.exceptions import Forbidden, Unauthorized

from api.db import get_session
from api.http_methods import WRITE_METHODS
from api.repositories.organizations import Principal, authenticate

__all__ = ["PUBLIC", "current_principal", "protect", "requires"]

F = TypeVar("F", bound=Callable)
PUBLIC = "public"


def requires(scope: str) -> Callable[[F], F]:
    """Mark a view as needing ``scope`` (or :data:`PUBLIC` for none)."""

    def mark(view: F) -> F:
        view._required_scope = scope  # type: ignore[attr-defined]
        return view

    return mark


def current_principal() -> Principal:
    return g.principal


def _required_scope() -> str:
    view = current_app.view_functions.get(request.endpoint or "")
    method = getattr(getattr(view, "view_class", None), request.method.lower(), None)
    marked = getattr(method, "_required_scope", None) or getattr(view, "_required_scope", None)
    if marked:
        return marked
    return "write" if request.method in WRITE_METHODS else "read"


def _check() -> None:
    scope = _required_scope()
    if scope == PUBLIC:
        return
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    principal = None
    if scheme.lower() == "bearer" and token.strip():
        principal = authenticate(get_session(), token.strip())
    if principal is None:
        error = Unauthorized("A valid API key is required: Authorization: Bearer <key>.")
        error.data = {"headers": {"WWW-Authenticate": 'Bearer realm="talentmatch"'}}
        raise error
    if scope not in principal.scopes:
        raise Forbidden(f"This API key lacks the {scope!r} scope.")
    g.principal = principal


def protect(blueprint: Blueprint) -> None:
    """Authenticate every request to ``blueprint``."""
    blueprint.before_request(_check)

