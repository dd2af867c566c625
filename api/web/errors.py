"""Errors on pages are pages: a person gets a readable message and a way back, not JSON."""

from __future__ import annotations

from typing import Any

from flask import render_template
from werkzeug.exceptions import HTTPException

from api.web import web
from matcher.errors import Conflict, DomainError, InvalidInput, NotFound


def _page(status: int, title: str, detail: str) -> Any:
    return render_template("error.html", status=status, title=title, detail=detail), status


@web.errorhandler(HTTPException)
def _http(error: HTTPException) -> Any:
    return _page(error.code or 500, error.name, error.description or "")


@web.errorhandler(NotFound)
def _not_found(error: NotFound) -> Any:
    return _page(404, "Not found", str(error))


@web.errorhandler(Conflict)
def _conflict(error: Conflict) -> Any:
    return _page(409, "Conflict", str(error))


@web.errorhandler(InvalidInput)
def _invalid(error: InvalidInput) -> Any:
    details = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.errors.items())
    return _page(422, "Check what you entered", f"{error} {details}".strip())


@web.errorhandler(DomainError)
def _domain(error: DomainError) -> Any:
    return _page(422, "Check what you entered", str(error))
