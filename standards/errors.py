"""Errors raised while reading a standard's document."""

from __future__ import annotations

from matcher.errors import InvalidInput

__all__ = ["DocumentError", "UnknownContext"]


class DocumentError(InvalidInput):
    """A document that cannot be read as its standard says.

    ``path`` is where in the document the problem is: dotted member names with
    list indexes as numbers (``work.2.startDate``), ``$`` for the whole document.

    >>> DocumentError("work.2.startDate", "Not a date.").errors
    {'work.2.startDate': ['Not a date.']}
    """

    def __init__(self, path: str, message: str,
                 title: str = "The document does not follow its standard."):
        super().__init__(title, {path or "$": [message]})
        self.path = path or "$"


class UnknownContext(DocumentError):
    """A JSON-LD context the bundled set does not hold; nothing is fetched."""

    def __init__(self, url: str, path: str = "@context"):
        super().__init__(path, f"Unknown JSON-LD context {url!r}: only bundled contexts are "
                               "used and nothing is fetched from the network.",
                         "The document uses a JSON-LD context that is not available offline.")
        self.url = url
