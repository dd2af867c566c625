"""JSON Resume job -> a job body.

The JSON Resume job schema's members are plain: ``skills`` is a list of
``{name, level, keywords}``, whose names and keywords are listed skills (a job
requirement has no level), and the id is ``meta.canonical``.
"""

from __future__ import annotations

from typing import Any

from standards.errors import DocumentError
from standards.job_posting.job import JobReader
from standards.result import join

__all__ = ["JSON_RESUME_JOB", "RESUME_JOB_MEMBERS", "ResumeJobReader"]

JSON_RESUME_JOB = "JSON Resume job"
RESUME_JOB_MEMBERS = {"title", "company", "type", "date", "description", "location", "remote",
                      "salary", "experience", "responsibilities", "qualifications", "skills",
                      "meta"}
_HANDLED = {"title", "description", "skills", "qualifications", "responsibilities", "experience"}


class ResumeJobReader(JobReader):
    """Reads a JSON Resume job."""

    def read(self, document: dict) -> None:
        self.result.map(self.base or "$", "standard", JSON_RESUME_JOB)
        meta = document.get("meta")
        self._identify(document, [("meta", "canonical")] if isinstance(meta, dict) else [])
        self._set("title", self._text(document.get("title"), self.at("title"), required=True),
                  self.at("title"))
        self._describe(document)
        skills = document.get("skills")
        if skills is not None and not isinstance(skills, list):
            raise DocumentError(self.at("skills"), "Must be a list of skills.")
        for index, skill in enumerate(skills or ()):
            self._resume_skill(skill, self.at("skills", index))
        self._qualifications(document.get("qualifications"))
        self._experience_and_education(document, "experience")
        self._free_text(document.get("responsibilities"), "responsibilities")
        self._report_rest(document, _HANDLED)

    def _resume_skill(self, skill: Any, where: str) -> None:
        if not isinstance(skill, dict):
            raise DocumentError(where, "A skill is an object with name, level and keywords.")
        if skill.get("name") is not None:
            self._listed(self._text(skill["name"], join(where, "name")) or "",
                         join(where, "name"))
        keywords = skill.get("keywords")
        if keywords is not None and not isinstance(keywords, list):
            raise DocumentError(join(where, "keywords"), "Must be a list of text.")
        for index, keyword in enumerate(keywords or ()):
            spot = join(where, "keywords", index)
            self._listed(self._text(keyword, spot) or "", spot)
        if skill.get("level") is not None:
            self.result.skip(join(where, "level"), "requirements have no skill level",
                             skill["level"])
