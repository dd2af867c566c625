"""Experience and education requirements of a job, structured or written as prose.

schema.org's ``monthsOfExperience`` / 12 is ``min_total_years`` and
``credentialCategory`` names the education level. With
``experienceInPlaceOfEducation`` either requirement suffices, so the months
become ``education.experience_in_place_months`` instead of a minimum of their
own. Without structured requirements, years and degree words are read from the
experience text and the qualifications (:mod:`standards.job_posting.text`),
reported as ``inferred``.
"""

from __future__ import annotations

from typing import Any

from matcher.model import Importance
from standards.errors import DocumentError
from standards.job_posting.members import boolean, values_of
from standards.job_posting.requirements import Reader
from standards.job_posting.text import EQUIVALENT_EXPERIENCE, education_in_text, years_in_text
from standards.result import join

__all__ = ["DEFAULT_EXPERIENCE_IN_PLACE_MONTHS", "ExperienceReader"]

# experienceInPlaceOfEducation without monthsOfExperience: four years, the
# nominal length of a bachelor's programme and the "four years of experience
# in lieu of a degree" rule employers commonly state.
DEFAULT_EXPERIENCE_IN_PLACE_MONTHS = 48


class ExperienceReader(Reader):
    """Reads qualifications, experience and education into the job body."""

    def _qualifications(self, value: Any) -> None:
        for item, where in values_of(value, self.at("qualifications")):
            if isinstance(item, dict) and ("credentialCategory" in item or item.get(
                    "@type") == "EducationalOccupationalCredential"):
                self.education_texts += self._category(item, where)
                continue
            text = self._text(item, where) or ""
            self.qualification_texts.append((text, where))
            self._mentioned(text, where, Importance.REQUIRED)

    def _experience_and_education(self, document: dict, member: str) -> None:
        months, years = self._experience(document.get(member), self.at(member))
        if months is None and years is None:
            years = self._inferred_years(self.qualification_texts)
        for item, where in values_of(document.get("educationRequirements"),
                                     self.at("educationRequirements")):
            if isinstance(item, dict):
                self.education_texts += self._category(item, where)
            else:
                text = self._text(item, where) or ""
                self.education_texts.append((text, where))
                self._mentioned(text, where, Importance.REQUIRED)
        in_place = boolean(document.get("experienceInPlaceOfEducation", False),
                           self.at("experienceInPlaceOfEducation"))
        education = self._education(in_place)
        if education is not None and in_place:
            # schema.org: "satisfying one of these requirements is sufficient"
            self._in_place(education, months, years)
            return
        if months is not None:
            self._set("min_total_years", round(months[0] / 12, 2), months[1])
        elif years is not None:
            self._infer("min_total_years", years[0], years[1])

    def _experience(self, value: Any, member: str
                    ) -> tuple[tuple[float, str] | None, tuple[float, str] | None]:
        """(months of experience, where) from structured data; (years, where) from text."""
        months: tuple[float, str] | None = None
        texts: list[tuple[str, str]] = []
        for item, where in values_of(value, member):
            if isinstance(item, dict) and item.get("monthsOfExperience") is not None:
                spot = join(where, "monthsOfExperience")
                try:
                    number = float(item["monthsOfExperience"])
                except (TypeError, ValueError):
                    raise DocumentError(spot, "Must be a number of months.") from None
                months = max(months or (number, spot), (number, spot))
                continue
            spot = join(where, "description") if isinstance(item, dict) else where
            text = self._text(item.get("description") if isinstance(item, dict) else item, spot)
            texts.append((text or "", spot))
            self._mentioned(text or "", spot, Importance.REQUIRED)
        years = self._inferred_years(texts)
        for text, spot in texts:
            if years is None and text:
                self.result.skip(spot, "names no number of years of experience", text)
        return months, years

    def _inferred_years(self, texts: list[tuple[str, str]]) -> tuple[float, str] | None:
        found = [(years, spot) for text, spot in texts
                 if (years := years_in_text(text)) is not None]
        return max(found) if found else None

    def _education(self, in_place: bool) -> dict | None:
        texts = self.education_texts or self.qualification_texts
        levels = [(level.rank, level, text, where) for text, where in texts
                  if (level := education_in_text(text)) is not None]
        for text, where in self.education_texts:
            if education_in_text(text) is None:
                self.result.skip(where, "names no education level talentmatch knows "
                                        "(none, secondary, associate, bachelor, master, "
                                        "doctorate)", text)
        if not levels:
            if in_place:
                self.result.skip(self.at("experienceInPlaceOfEducation"),
                                 "no education requirement for experience to stand in for")
            return None
        _, level, text, where = min(levels, key=lambda found: found[0])
        education: dict = {"level": level.value, "experience_in_place_months": None}
        self.result.body["education"] = education
        self.result.origin["education"] = where
        self.result.origin["education.level"] = where
        structured = bool(self.education_texts)
        self.result.map(where, "education.level",
                        level.value if structured else {"text": text, "inferred": True})
        if not in_place and any(EQUIVALENT_EXPERIENCE.search(t) for t, _ in texts):
            self._in_place(education, None, None, where)
        return education

    def _in_place(self, education: dict, months: tuple[float, str] | None,
                  years: tuple[float, str] | None, equivalent: str | None = None) -> None:
        """Experience accepted instead of the degree: stated months, else years, else default."""
        if months is not None:
            value, where, report = round(months[0]), months[1], None
        elif years is not None:
            value, where, report = round(years[0] * 12), years[1], "inferred"
        else:
            value = DEFAULT_EXPERIENCE_IN_PLACE_MONTHS
            report = "inferred" if equivalent else "default"
            where = equivalent or self.at("experienceInPlaceOfEducation")
        education["experience_in_place_months"] = value
        self.result.origin["education.experience_in_place_months"] = where
        self.result.map(where, "education.experience_in_place_months",
                        value if report is None else {"value": value, report: True})

    def _category(self, credential: dict, where: str) -> list[tuple[str, str]]:
        """(text, path) of an EducationalOccupationalCredential's categories (or its name)."""
        key = next((k for k in ("credentialCategory", "educationalLevel", "name", "description")
                    if credential.get(k) is not None), None)
        if key is None:
            return [("", where)]
        found = []
        for category, spot in values_of(credential[key], join(where, key)):
            if isinstance(category, dict) and "name" not in category:
                category = category.get("termCode")  # a DefinedTerm known by its code only
            found.append((self._text(category, spot) or "", spot))
        return found
