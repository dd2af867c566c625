"""Values in an Open Badge: plain strings, clean text, dates and multi-valued members.

The small readers that :mod:`standards.badges` and its parts
(:mod:`standards.badge_documents`, :mod:`standards.badge_issuers`,
:mod:`standards.badge_skills`) share, and :func:`put`, which records a mapped
value together with the document path a body field came from.

Examples
--------
>>> from standards.badge_values import items_of, parse_day
>>> items_of(["sql", "python"], "badge.tags")
[('sql', 'badge.tags.0'), ('python', 'badge.tags.1')]
>>> parse_day("2024-03-01T09:00:00Z", "validFrom").isoformat()
'2024-03-01'
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from standards.errors import DocumentError
from standards.result import ImportResult, join

__all__ = ["CONTROL", "Located", "clean_text", "first_day", "items_of", "localized",
           "parse_day", "put", "type_names"]

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_LANGUAGE = re.compile(r"@none|[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
Located = tuple[Any, str]  # a document value and its dotted path


def localized(value: object, language: str = "en") -> str | None:
    """A plain string from a string, a language map or JSON-LD value objects.

    The ``language`` (or a regional form of it) wins, else the first given.

    >>> localized({"de": "Teamarbeit", "en-GB": "Teamwork"})
    'Teamwork'
    >>> localized([{"@value": "Travail d'équipe", "@language": "fr"}, {"@value": "Equipo"}])
    "Travail d'équipe"
    >>> localized({"id": "https://ex.org", "type": "Image"}) is None
    True
    """
    if isinstance(value, str):
        return value
    options: list[tuple[str, Any]] = []
    if isinstance(value, dict) and "@value" in value:
        options = [(str(value.get("@language", "")), value["@value"])]
    elif isinstance(value, dict) and value and all(map(_LANGUAGE.fullmatch, value)):
        options = list(value.items())
    elif isinstance(value, list):
        options = [(str(v.get("@language", "")), v.get("@value")) if isinstance(v, dict)
                   else ("", v) for v in value]
    options = [(tag.casefold(), text) for tag, text in options if isinstance(text, str)]
    wanted = language.casefold()
    for tag, text in options:
        if tag == wanted or tag.startswith(wanted + "-"):
            return text
    return options[0][1] if options else None


def clean_text(value: object, limit: int, path: str, result: ImportResult) -> str | None:
    """A clean one-line string from a document value, cut to the API's ``limit``."""
    text = localized(value)
    if text is None:
        return None
    text = CONTROL.sub("", " ".join(text.split()))
    if len(text) > limit:
        result.skip(path, f"Longer than {limit} characters: shortened.", text)
        text = text[:limit - 1].rstrip() + "\u2026"
    return text or None


def put(result: ImportResult, path: str, to: str, value: object) -> None:
    """Report ``value`` as mapped from ``path`` to body field ``to``, and remember the origin."""
    result.map(path, to, value)
    result.origin[to] = path


def items_of(value: object, path: str) -> list[Located]:
    """A JSON-LD member's values: a single value counts as a list of one."""
    if value is None:
        return []
    if isinstance(value, list):
        return [(item, join(path, i)) for i, item in enumerate(value)]
    return [(value, path)]


def type_names(obj: object) -> set[str]:
    """The names in an object's ``type`` member (a string or a list of them)."""
    kinds = obj.get("type", []) if isinstance(obj, dict) else []
    if isinstance(kinds, str):
        return {kinds}
    return {k for k in kinds if isinstance(k, str)} if isinstance(kinds, list) else set()


def first_day(candidates: list[Located]) -> tuple[date, str] | None:
    """The date of the first given value and its path; ``None`` when none is given."""
    for value, path in candidates:
        if value is not None:
            return parse_day(value, path), path
    return None


def parse_day(value: object, path: str) -> date:
    """The calendar date of an ISO 8601 date or date-time, as written, or of a Unix time."""
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) > 8:
        value = int(value.strip())  # OB 1.0 allowed Unix times; YYYYMMDD has 8 digits
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, UTC).date()
        if isinstance(value, str):
            return datetime.fromisoformat(value.strip()).date()
    except (ValueError, OverflowError, OSError):
        pass
    raise DocumentError(path, f"Not a date: {value!r} (an ISO 8601 date or date-time is "
                              "expected).")
