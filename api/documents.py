"""Request bodies that are documents of a standard, taken as they come.

Importers accept whole JSON Resume, JobPosting, CTDL and Open Badges
documents, so their bodies have no schema of ours to load through; this
module reads them with the same parser (and the same 400 for malformed or
too deeply nested JSON) and refuses text no database stores faithfully.
"""

from __future__ import annotations

import re
from typing import Any

import marshmallow as ma
from flask import request
from webargs import core

from api.openapi import Blueprint
from matcher.errors import InvalidInput

__all__ = ["ANY_JSON", "json_document"]

# NUL and lone surrogates: PostgreSQL's json type refuses them, so they would fail late.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

# OpenAPI: the body is a document of the standard (any JSON value; checked when read).
ANY_JSON: dict = {"required": True, "content": {"application/json": {"schema": {}}}}


def json_document() -> Any:
    """The request's JSON body, any shape; 422 when there is none or it holds unstorable text."""
    document = Blueprint.ARGUMENTS_PARSER.load_json(request, ma.Schema())
    if document is core.missing:
        raise InvalidInput("The request has no JSON document.",
                           {"$": ["Send the document as the JSON body."]})
    _check_text(document, "")
    return document


def _check_text(value: Any, path: str) -> None:
    if isinstance(value, str):
        if _UNSTORABLE.search(value):
            raise InvalidInput("The document holds text that cannot be stored.",
                               {path or "$": ["Contains NUL or an unpaired surrogate."]})
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, path)
            _check_text(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_text(item, f"{path}.{index}" if path else str(index))
