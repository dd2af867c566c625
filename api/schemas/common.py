"""Fields and schemas shared by every resource."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import marshmallow as ma
from marshmallow import validate

__all__ = ["CONTROL", "MAX_ID", "Code", "DateField", "Id", "PageArgs", "SkillRefSchema", "Text",
           "Url", "page_schema", "valid_external_id"]

# Ids are 32-bit on PostgreSQL; larger numbers can name nothing.
MAX_ID = 2**31 - 1
# Control characters and lone surrogates: no database stores them faithfully.
_BAD = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f\\ud800-\\udfff"
CONTROL = re.compile(f"[{_BAD}]")
# Documented in OpenAPI: at least one visible character, no control characters.
TEXT_PATTERN = f"^[^{_BAD}]*[^\\s{_BAD}][^{_BAD}]*$"
DATE_PATTERN = r"^(19|20)\d\d-\d\d-\d\d$"


class Text(ma.fields.String):
    """A trimmed, non-empty string without control characters, at most ``max_len`` long."""

    def __init__(self, max_len: int = 200, *, allow_empty: bool = False, **kwargs: Any):
        self.max_len = max_len
        validators = [validate.Length(min=0 if allow_empty else 1, max=max_len)]
        super().__init__(validate=validators, **kwargs)
        self.metadata.setdefault("pattern", f"^[^{_BAD}]*$" if allow_empty else TEXT_PATTERN)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if CONTROL.search(text):
            raise ma.ValidationError("Must not contain control characters.")
        return text


class DateField(ma.fields.Date):
    """An ISO date from 1900 to 2099 (anything else is a typo, not a credential)."""

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.metadata.setdefault("pattern", DATE_PATTERN)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        day = super()._deserialize(value, attr, data, **kwargs)
        if not date(1900, 1, 1) <= day <= date(2099, 12, 31):
            raise ma.ValidationError("Must be between 1900-01-01 and 2099-12-31.")
        return day


def valid_external_id(value: str) -> bool:
    """Whether ``value`` could be a stored external_id (else no lookup is needed)."""
    return 0 < len(value) <= 200 and not CONTROL.search(value) and value == value.strip()


class Url(ma.fields.URL):
    """An http(s) URL of at most 500 characters, without control characters."""

    def __init__(self, **kwargs: Any):
        super().__init__(schemes={"http", "https"}, validate=validate.Length(max=500), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, str) and CONTROL.search(value):
            raise ma.ValidationError("Must not contain control characters.")
        return super()._deserialize(value, attr, data, **kwargs)


def Code(length: int, **kwargs: Any) -> ma.fields.String:
    """An upper-case code of exactly ``length`` letters (ISO country, currency)."""
    pattern = re.compile(f"[A-Z]{{{length}}}")

    def check(value: str) -> None:
        # fullmatch: a trailing newline must not slip through as it would with '$'
        if not pattern.fullmatch(value):
            raise ma.ValidationError(f"Must be {length} upper-case letters.")

    metadata = {"pattern": f"^[A-Z]{{{length}}}$", **kwargs.pop("metadata", {})}
    return ma.fields.String(validate=check, metadata=metadata, **kwargs)


def Id(*, strict: bool = True, **kwargs: Any) -> ma.fields.Integer:
    """An integer id of an existing resource (``strict=False`` for query strings)."""
    return ma.fields.Integer(strict=strict, validate=validate.Range(1, MAX_ID), **kwargs)


class PageArgs(ma.Schema):
    limit = ma.fields.Integer(load_default=50, validate=validate.Range(1, 500),
                              metadata={"description": "Page size (default 50, max 500)"})
    offset = ma.fields.Integer(load_default=0, validate=validate.Range(0, MAX_ID),
                               metadata={"description": "Items to skip"})


class SkillRefSchema(ma.Schema):
    """A skill as written, and the canonical skill it resolved to (null: unresolved)."""

    name = ma.fields.String(required=True)
    skill_id = ma.fields.String(allow_none=True)


def page_schema(item: type[ma.Schema], name: str) -> type[ma.Schema]:
    """The ``{"items", "total", "limit", "offset"}`` envelope around ``item``."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item), required=True),
            "total": ma.fields.Integer(required=True),
            "limit": ma.fields.Integer(required=True),
            "offset": ma.fields.Integer(required=True),
        },
        name=name,
    )
