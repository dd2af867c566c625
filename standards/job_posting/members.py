"""Reading schema.org member values: one value or a list, booleans and identifiers.

Each reader takes the member's document path and raises
:class:`~standards.errors.DocumentError` there when the value cannot be read.
"""

from __future__ import annotations

from typing import Any

from standards.errors import DocumentError
from standards.result import join, values_of

__all__ = ["boolean", "dig", "identifier", "values_of"]


def boolean(value: Any, where: str) -> bool:
    """A schema.org Boolean: true/false, also written as text or as schema.org's True/False.

    >>> boolean("https://schema.org/True", "x"), boolean("false", "x"), boolean(True, "x")
    (True, False, True)
    """
    if isinstance(value, str):
        value = {"true": True, "false": False}.get(value.rsplit("/", 1)[-1].casefold(), value)
    if not isinstance(value, bool):
        raise DocumentError(where, "Must be true or false.")
    return value


def dig(document: Any, keys: tuple[str, ...]) -> Any:
    """The value at ``keys`` inside nested objects, or ``None`` when any is missing."""
    for key in keys:
        document = document.get(key) if isinstance(document, dict) else None
    return document


def identifier(value: Any, where: str) -> tuple[str, str] | None:
    """(text, path) of an identifier: text, a number or a PropertyValue; the first of a list.

    >>> identifier([{"@type": "PropertyValue", "value": 42}], "identifier")
    ('42', 'identifier.0.value')
    """
    for item, spot in values_of(value, where):
        if isinstance(item, dict):
            item, spot = item.get("value", item.get("@id")), join(spot, "value")
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            if item is not None:
                raise DocumentError(spot, "An identifier is text or a PropertyValue.")
            continue
        if str(item).strip():
            return str(item).strip(), spot
    return None
