"""Which requests write: one rule for the key scope, the rate-limit class and SQLite's lock.

Kept apart from :mod:`api.auth` because :mod:`api.db` (through :mod:`api.sqlite`) needs it
too, and ``auth`` imports ``db``.
"""

from __future__ import annotations

__all__ = ["WRITE_METHODS"]

#: Methods that change state: they need the ``write`` scope, count as writes for rate
#: limits, and take SQLite's write lock at BEGIN.
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
