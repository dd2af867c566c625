"""The small exception hierarchy of the domain.

Adapters translate these into HTTP problems; the domain never knows about HTTP.
"""

from __future__ import annotations

__all__ = ["Conflict", "DomainError", "InvalidInput", "NotFound"]


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""


class NotFound(DomainError):
    """A referenced entity does not exist (in the caller's organization)."""


class Conflict(DomainError):
    """The change would violate a uniqueness or reference rule."""


class InvalidInput(DomainError):
    """Input is well formed but refers to something invalid.

    ``errors`` maps a field path (dotted, list indexes as numbers) to messages.
    """

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.errors = errors or {}
