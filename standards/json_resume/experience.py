"""JSON Resume ``work`` and ``volunteer`` entries read as a candidate's experience."""

from __future__ import annotations

from datetime import date

from standards.errors import DocumentError
from standards.json_resume.common import EXTENSION, iso
from standards.json_resume.fields import LIMITS, Reader, SkillList, day_of, limited, text_of
from standards.result import join

__all__ = ["ExperienceReader"]

_ONGOING = {"present", "current", "now", "ongoing"}


class ExperienceReader(Reader):
    """Reads one entry into an experience item of the body, or skips it (``None``)."""

    def _work(self, at: str, entry: dict, to: str) -> dict | None:
        return self._role(at, entry, to, "name")

    def _volunteer(self, at: str, entry: dict, to: str) -> dict | None:
        """Unpaid experience is experience; the organization is the employer."""
        return self._role(at, entry, to, "organization")

    def _role(self, at: str, entry: dict, to: str, employer_key: str) -> dict | None:
        title = text_of(entry, "position", join(at, "position"))
        start_text = text_of(entry, "startDate", join(at, "startDate"))
        if title is None:
            self.result.skip(at, "No position: an experience needs a title.", entry)
            return None
        if start_text is None:
            self.result.skip(at, "No startDate: an experience needs a start date.", entry)
            return None
        start = day_of(start_text, join(at, "startDate"), last=False)
        end = self._end(entry, join(at, "endDate"))
        if end is not None and end < start:
            raise DocumentError(join(at, "endDate"), "Before startDate.")
        item: dict = {}
        self.put(item, to, "title", limited(title, "title", join(at, "position")),
                 join(at, "position"))
        employer = text_of(entry, employer_key, join(at, employer_key))
        if employer is not None:
            self.put(item, to, "employer", limited(employer, "employer", join(at, employer_key)),
                     join(at, employer_key))
        self._industry(entry, item, to, join(at, "description"))
        self.put(item, to, "start_date", start.isoformat(), join(at, "startDate"))
        if text_of(entry, "endDate", join(at, "endDate")) is None:
            item["end_date"] = None
        else:  # a date, or "Present": the role goes on
            self.put(item, to, "end_date", iso(end), join(at, "endDate"))
        item["skills"] = self._role_skills(entry, at, join(to, "skills"))
        self.ignore(entry, at, {"position", employer_key, "startDate", "endDate", "summary",
                                "description", "highlights", EXTENSION})
        return item

    def _end(self, entry: dict, at: str) -> date | None:
        text = text_of(entry, "endDate", at)
        if text is None or text.casefold() in _ONGOING:
            return None
        return day_of(text, at, last=True)

    def _industry(self, entry: dict, item: dict, to: str, at: str) -> None:
        """JSON Resume's work description ("Social Media Company") is the employer's line."""
        description = text_of(entry, "description", at)
        if description is None:
            return
        if len(description) > LIMITS["industry"] or "\n" in description:
            self.result.skip(at, "Too long for an industry: read for skills only.", description)
        else:
            self.put(item, to, "industry", description, at)

    def _role_skills(self, entry: dict, at: str, to: str) -> list[str]:
        skills = SkillList(self.result, to, at)
        ext = self._extension(entry, at)
        if ext is not None and "skills" in ext:
            self._exact_skills(ext, skills, join(at, EXTENSION, "skills"))
            return skills.names
        for key in ("position", "summary", "description"):
            skills.mentions(self.finder, text_of(entry, key, join(at, key)), join(at, key))
        self._mine_list(entry, "highlights", at, skills)
        return skills.names
