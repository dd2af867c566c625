"""Experience and education requirements written as prose.

Without structured requirements, a posting says what it needs in its
experience text and qualifications: "5+ years", "a Bachelor's degree or
equivalent experience". These readings find the years and the degree.
"""

from __future__ import annotations

import re

from matcher.model import EducationLevel

__all__ = ["EQUIVALENT_EXPERIENCE", "education_in_text", "years_in_text"]

_NUMBER = r"(\d{1,2}(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen)"
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15}
_YEARS = re.compile(
    rf"\b{_NUMBER}\s*\+\s*(?P<u1>years?|yrs?|months?)\b"
    rf"|\b(?:at least|a minimum of|minimum of|min\.?)\s+{_NUMBER}\s*(?P<u2>years?|yrs?|months?)\b"
    rf"|\b{_NUMBER}\s+or more\s+(?P<u3>years?|yrs?|months?)\b"
    rf"|\b{_NUMBER}(?:\s*(?:-|\u2013|to)\s*\d{{1,2}})?\s+(?P<u4>years?|yrs?|months?)['\u2019]?"
    r"\s+(?:of\s+)?(?:[\w/+#.-]+\s+){0,4}?experience\b", re.IGNORECASE)
# Lowest level first: when a text names several, the lowest is what it requires.
_DEGREES = [
    (EducationLevel.SECONDARY, r"high[ -]school|secondary (?:school|education)|\bged\b"),
    (EducationLevel.ASSOCIATE, r"associate'?s? degree|associate of|two-year degree"),
    (EducationLevel.BACHELOR, r"bachelor|\bb\.?sc\b|\bb\.[as]\.|undergraduate degree|"
                              r"college degree|university degree|four-year degree"),
    (EducationLevel.MASTER, r"master'?s?(?= degree| of| in)|\bm\.?sc\b|\bmba\b|post-?graduate|"
                            r"\bgraduate degree"),
    (EducationLevel.DOCTORATE, r"\bph\.?\s?d\b|doctora(?:te|l)|doctor of"),
]
EQUIVALENT_EXPERIENCE = re.compile(r"equivalent\s+(?:\w+\s+){0,2}experience", re.IGNORECASE)


def years_in_text(text: str) -> float | None:
    """The largest number of years of experience ``text`` asks for, or ``None``.

    >>> years_in_text("3+ years with Python; at least 5 years in software")
    5.0
    >>> years_in_text("18 months of hands-on experience"), years_in_text("Senior")
    (1.5, None)
    """
    found = []
    for match in _YEARS.finditer(text):
        number = next(g for g in match.groups()[::2] if g is not None)
        unit = next(g for g in match.groups()[1::2] if g is not None)
        value = _WORDS.get(number.lower()) or float(number)
        found.append(round(value / 12 if unit.lower().startswith("month") else value, 2))
    return float(max(found)) if found else None


def education_in_text(text: str) -> EducationLevel | None:
    """The lowest education level ``text`` names, or ``None``.

    >>> education_in_text("Bachelor's degree in CS; a Master's degree is a plus")
    <EducationLevel.BACHELOR: 'bachelor'>
    >>> education_in_text("postgraduate degree"), education_in_text("professional certificate")
    (<EducationLevel.MASTER: 'master'>, None)
    """
    text = text.replace("\u2019", "'")
    for level, pattern in _DEGREES:
        if re.search(pattern, text, re.IGNORECASE):
            return level
    return None
