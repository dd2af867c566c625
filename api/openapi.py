"""flask-smorest wiring: OpenAPI 3.1 document, problem+json error responses, id paths."""

from __future__ import annotations

import http
from collections.abc import Callable
from typing import Any

import flask_smorest
from flask import Request
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from webargs import core
from webargs.flaskparser import FlaskParser, abort, is_json_request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from api.errors import PROBLEM_JSON, ProblemSchema, from_http_exception
from api.schemas.common import MAX_ID

__all__ = ["Blueprint", "IdConverter", "ProblemApi", "errors"]


class IdConverter(IntegerConverter):
    """A resource id in a path: 1 to 2**31-1, so no path can overflow a column."""

    def __init__(self, map: Any) -> None:
        super().__init__(map, min=1, max=MAX_ID)


class JsonParser(FlaskParser):
    """webargs' parser, plus a 400 for JSON nested too deeply to parse."""

    def _raw_load_json(self, req: Request) -> Any:
        if not is_json_request(req):
            return core.missing
        try:
            return core.parse_json(req.get_data(cache=True))
        except RecursionError:
            abort(400, messages={"json": ["JSON nested too deeply."]},
                  message="The request body is nested too deeply to parse.")


class Blueprint(flask_smorest.Blueprint):
    """The blueprint every resource uses: flask-smorest with :class:`JsonParser`."""

    ARGUMENTS_PARSER = JsonParser()


class ProblemApi(Api):
    """An :class:`~flask_smorest.Api` whose errors are RFC 9457 problems."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error: HTTPException):
        return from_http_exception(error)

    def _register_responses(self) -> None:
        # Same as flask-smorest, but documented as application/problem+json.
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Error (RFC 9457 problem)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def errors(blp: Any, *codes: int) -> Callable:
    """Document the error statuses an operation may answer besides the default."""

    def decorate(view: Callable) -> Callable:
        for code in codes:
            view = blp.alt_response(code, response=http.HTTPStatus(code).name)(view)
        return view

    return decorate
