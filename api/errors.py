"""Every error leaves the service as RFC 9457 ``application/problem+json``.

One place turns HTTP exceptions, webargs validation failures, domain errors
and database integrity or availability failures into problem documents, so no
input can surface as an HTML page or a bare 500.
"""

from __future__ import annotations

import http
import logging
from typing import Any

import marshmallow as ma
from flask import Flask, Response, json, request
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from api import sqlite
from api.observability import request_id
from matcher.errors import Conflict, DomainError, InvalidInput, NotFound

__all__ = ["PROBLEM_JSON", "ProblemSchema", "flatten_messages", "from_http_exception", "problem",
           "register"]

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)

_TYPES = {
    400: "urn:talentmatch:problem:malformed-request",
    401: "urn:talentmatch:problem:unauthenticated",
    403: "urn:talentmatch:problem:forbidden",
    404: "urn:talentmatch:problem:not-found",
    405: "urn:talentmatch:problem:method-not-allowed",
    409: "urn:talentmatch:problem:conflict",
    413: "urn:talentmatch:problem:payload-too-large",
    415: "urn:talentmatch:problem:unsupported-media-type",
    422: "urn:talentmatch:problem:validation-error",
    503: "urn:talentmatch:problem:unavailable",
}


class ProblemSchema(ma.Schema):
    """An RFC 9457 problem document (used for the OpenAPI description)."""

    type = ma.fields.String(metadata={"description": "URI identifying the problem type"})
    title = ma.fields.String(metadata={"description": "Short summary of the problem type"})
    status = ma.fields.Integer(metadata={"description": "HTTP status code"})
    detail = ma.fields.String(metadata={"description": "What went wrong in this request"})
    instance = ma.fields.String(metadata={"description": "The request path"})
    request_id = ma.fields.String(metadata={
        "description": "This request's id (also in the X-Request-ID header); quote it when "
                       "reporting a problem: the service's log lines carry it"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Field path (dotted, list positions as numbers) -> messages"},
    )


def problem(status: int, detail: str | None = None, *, errors: dict | None = None,
            headers: dict | None = None, type_: str | None = None) -> Response:
    """A problem+json response."""
    body: dict[str, Any] = {
        "type": type_ or _TYPES.get(status, "about:blank"),
        "title": http.HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or http.HTTPStatus(status).description,
        "instance": request.path,
        "request_id": request_id(),
    }
    if errors:
        body["errors"] = errors
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """Flatten marshmallow's nested messages into ``{"a.0.b": [...]}``.

    Schema-level messages (``_schema``) are attached to their parent path, or
    to ``$`` for the document itself.

    Examples
    --------
    >>> flatten_messages({"credentials": {0: {"kind": ["Bad."]}}})
    {'credentials.0.kind': ['Bad.']}
    """
    if isinstance(messages, dict):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            path = prefix if key == "_schema" else f"{prefix}.{key}" if prefix else str(key)
            for sub_path, texts in flatten_messages(value, path).items():
                flat.setdefault(sub_path, []).extend(texts)
        return flat
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return {prefix or "$": list(messages)}
    if isinstance(messages, list):
        flat = {}
        for item in messages:
            for sub_path, texts in flatten_messages(item, prefix).items():
                flat.setdefault(sub_path, []).extend(texts)
        return flat
    return {prefix or "$": [str(messages)]}


def from_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("errors") or data.get("messages")
    errors = None
    if messages:
        # webargs nests messages under their location; the body is the usual one.
        if isinstance(messages, dict) and set(messages) <= {"json", "query", "path",
                                                            "headers", "form"}:
            errors = {}
            for location, nested in messages.items():
                prefix = "" if location == "json" else location
                errors.update(flatten_messages(nested, prefix))
        else:
            errors = flatten_messages(messages)
    detail = data.get("message") or error.description
    if status >= 500:
        log.error("%s %s: %s", status, error.name, detail)
    if status == 400 and errors and not data.get("message"):
        detail = "The request body is not valid JSON."
        errors = None
    elif status == 422 and not data.get("message"):
        detail = "The request failed validation; see errors for each field."
    headers = dict(data.get("headers") or {})
    if status == 405 and error.get_response().headers.get("Allow"):
        headers["Allow"] = error.get_response().headers["Allow"]
    return problem(status, detail, errors=errors, headers=headers)


def register(app: Flask) -> None:
    """Install the problem handlers on ``app``."""

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        return from_http_exception(error)

    @app.errorhandler(NotFound)
    def _not_found(error: NotFound) -> Response:
        return problem(404, str(error))

    @app.errorhandler(Conflict)
    def _conflict(error: Conflict) -> Response:
        return problem(409, str(error))

    @app.errorhandler(InvalidInput)
    def _invalid(error: InvalidInput) -> Response:
        return problem(422, str(error), errors=error.errors or None)

    @app.errorhandler(DomainError)
    def _domain(error: DomainError) -> Response:
        return problem(422, str(error))

    @app.errorhandler(IntegrityError)
    def _integrity(error: IntegrityError) -> Response:
        # A unique constraint lost a race with a concurrent request.
        log.info("integrity error: %s", error.orig)
        return problem(409, "The change conflicts with existing data; nothing was written.")

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeout)
    def _unavailable(error: Exception) -> Response:
        if sqlite.is_busy(error):
            # Another write held SQLite's write lock past the busy timeout (api/sqlite.py).
            log.warning("database busy: %s", error, extra={"status": 503})
            return problem(503, "The database is busy with another write and this request "
                                "could not get the write lock in time; nothing was written. "
                                "Retry shortly.",
                           headers={"Retry-After": "2"}, type_=sqlite.BUSY_PROBLEM)
        # The request id comes with the record (api.observability), to join with the reply.
        log.error("database unavailable: %s", error, extra={"status": 503})
        return problem(503, "The database is unavailable; retry shortly.",
                       headers={"Retry-After": "5"})

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        log.exception("unhandled error", extra={"status": 500})
        return problem(500, "An unexpected error occurred; it has been logged.")
