"""ISO 8601 durations as weeks of study.

CTDL's ``estimatedDuration`` gives a duration such as ``P12W`` or ``PT40H``;
an offering's ``duration_weeks`` is the same length in weeks.
"""

from __future__ import annotations

import re

__all__ = ["HOURS_PER_WEEK", "WEEKS_PER_YEAR", "iso_weeks"]

WEEKS_PER_YEAR = 52.1775  # 365.2425 / 7
# PT40H is forty hours of study, not forty hours of calendar time: hours count
# against a full-time week.
HOURS_PER_WEEK = 40
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_DURATION = re.compile(rf"P(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}W)?(?:{_NUMBER}D)?"
                       rf"(?:T(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?")
_DURATION_WEEKS = (WEEKS_PER_YEAR, WEEKS_PER_YEAR / 12, 1, 1 / 7, 1 / HOURS_PER_WEEK,
                   1 / HOURS_PER_WEEK / 60, 1 / HOURS_PER_WEEK / 3600)


def iso_weeks(duration: str) -> float | None:
    """Weeks in an ISO 8601 duration; hours count against a 40-hour week.

    >>> iso_weeks("P12W"), iso_weeks("P3M"), iso_weeks("PT40H"), iso_weeks("P1Y")
    (12.0, 13.04, 1.0, 52.18)
    >>> iso_weeks("twelve weeks") is None, iso_weeks("P") is None
    (True, True)
    """
    match = _DURATION.fullmatch(duration.strip().upper())
    if match is None or not any(match.groups()):
        return None
    return round(sum(float(part.replace(",", ".")) * factor for part, factor
                     in zip(match.groups(), _DURATION_WEEKS, strict=True) if part), 2)
