"""Walking and editing JSON documents in tests: every path, and a copy with one value changed."""

from __future__ import annotations

import json
from typing import Any


def paths(document: Any, path: tuple = ()) -> list[tuple]:
    """Every key or index path into a JSON value, the root ``()`` first."""
    found = [path]
    if isinstance(document, dict):
        for key, value in document.items():
            found += paths(value, (*path, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += paths(value, (*path, index))
    return found


def replaced(document: Any, path: tuple, value: Any) -> Any:
    """A deep copy of ``document`` with the value at ``path`` replaced."""
    if not path:
        return value
    copy = json.loads(json.dumps(document))
    holder = copy
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = value
    return copy
