"""What an importer hands to the API: an input body and a report of the mapping."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ImportResult", "join", "values_of"]


def join(path: str, *parts: str | int) -> str:
    """A dotted document path.

    >>> join("work", 2, "startDate")
    'work.2.startDate'
    >>> join("", "basics")
    'basics'
    """
    return ".".join(p for p in (path, *map(str, parts)) if p != "")


def values_of(value: Any, where: str) -> Iterator[tuple[Any, str]]:
    """The values of a member that may hold one value or a list, with their paths.

    >>> list(values_of(["SQL", "Python"], "skills")), list(values_of("SQL", "skills"))
    ([('SQL', 'skills.0'), ('Python', 'skills.1')], [('SQL', 'skills')])
    """
    if isinstance(value, list):
        yield from ((item, join(where, i)) for i, item in enumerate(value))
    elif value is not None:
        yield value, where


@dataclass
class ImportResult:
    """One document turned into an API input body.

    ``body`` has the shape the matching API endpoint accepts (a candidate, a
    job, ...). ``mapped`` and ``unrecognised`` are the report shown to the
    caller: ``{"path", "to", "value"}`` and ``{"path", "value", "reason"}``
    items. ``origin`` maps a path in ``body`` to the document path it came
    from, so that the API can point a validation error at the document.
    """

    body: dict
    mapped: list[dict] = field(default_factory=list)
    unrecognised: list[dict] = field(default_factory=list)
    origin: dict[str, str] = field(default_factory=dict)

    def map(self, path: str, to: str, value: object = None) -> None:
        self.mapped.append({"path": path, "to": to, "value": value})

    def skip(self, path: str, reason: str, value: object = None) -> None:
        self.unrecognised.append({"path": path, "value": value, "reason": reason})

    def document_path(self, body_path: str) -> str:
        """The document path of a body path (the longest known prefix wins)."""
        parts = body_path.split(".")
        for end in range(len(parts), 0, -1):
            prefix = ".".join(parts[:end])
            if prefix in self.origin:
                return join(self.origin[prefix], *parts[end:])
        return body_path
