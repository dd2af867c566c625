"""The vocabulary JSON Resume import and export share.

The extension member's name, the schema an export declares, and the readings of
JSON Resume's loose values (partial dates, credential names, degree names).
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from matcher.model import CredentialKind

__all__ = ["EXTENSION", "SCHEMA_URL", "degree_name", "iso", "kind_from_name", "partial_date"]

EXTENSION = "x-talentmatch"
SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_KINDS = [(CredentialKind.LICENSE, r"\blicen[cs](e|ed|es|ure)\b"),
          (CredentialKind.MICRO_CREDENTIAL, r"\bmicro[-\s]?credentials?\b"),
          (CredentialKind.BADGE, r"\bbadges?\b"),
          (CredentialKind.CERTIFICATE, r"\bcertificates?\b"),
          (CredentialKind.CERTIFICATION, r"\bcertifications?\b")]


def partial_date(value: str, *, last: bool = False) -> date:
    """A JSON Resume date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) as one day.

    ``last`` picks the last day of a year or month (for an end), else the first.
    Raises ``ValueError`` for anything else, including impossible days.

    >>> partial_date("2019"), partial_date("2019", last=True)
    (datetime.date(2019, 1, 1), datetime.date(2019, 12, 31))
    >>> partial_date("2024-02", last=True)
    datetime.date(2024, 2, 29)
    """
    match = _DATE.fullmatch(value)
    if match is None:
        raise ValueError(f"{value!r} is not a date")
    year, month, day = (None if g is None else int(g) for g in match.groups())
    assert year is not None  # the pattern requires it
    if month is None:
        return date(year, 12, 31) if last else date(year, 1, 1)
    if day is None:
        return date(year, month, calendar.monthrange(year, month)[1] if last else 1)
    return date(year, month, day)


def kind_from_name(name: str, default: CredentialKind = CredentialKind.CERTIFICATION
                   ) -> CredentialKind:
    """The credential kind a name announces; ``default`` when it announces none.

    >>> kind_from_name("Registered Nurse Licence").value
    'license'
    >>> kind_from_name("Certified Kubernetes Administrator").value
    'certification'
    """
    lowered = name.casefold()
    return next((kind for kind, pattern in _KINDS if re.search(pattern, lowered)), default)


def degree_name(study_type: str | None, area: str | None) -> str | None:
    """A readable degree name from JSON Resume's ``studyType`` and ``area``.

    >>> degree_name("Bachelor of Science", "Computer Science")
    'Bachelor of Science in Computer Science'
    >>> degree_name("MSc Data Science", "Data Science"), degree_name(None, "Law")
    ('MSc Data Science', 'Law')
    """
    if study_type and area and area.casefold() not in study_type.casefold():
        return f"{study_type} in {area}"
    return study_type or area


def iso(day: date | None) -> str | None:
    """A day as JSON Resume writes it; ``None`` stays absent.

    >>> iso(date(2020, 3, 1)), iso(None)
    ('2020-03-01', None)
    """
    return day.isoformat() if day else None
