"""What both job standards share: the job's id, title, description and status.

:class:`JobReader` is the base of the two standards' readers; ``finish`` adds
the skills the description mentions and returns the result. Members talentmatch
has no field for (salary, employer, location, employment type, dates,
occupation) are reported as not mapped, with the reason.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from matcher.model import JobStatus
from standards.errors import DocumentError
from standards.job_posting.experience import ExperienceReader
from standards.job_posting.members import dig, identifier
from standards.result import ImportResult, join

__all__ = ["DESCRIPTION_LIMIT", "NOT_MAPPED", "JobReader"]

DESCRIPTION_LIMIT = 20_000  # JobInSchema's description length
NOT_MAPPED = {
    "baseSalary": "talentmatch neither stores nor scores pay",
    "hiringOrganization": "a job belongs to the organization that posts it; no employer is "
                          "stored on a job",
    "jobLocation": "locations never take part in matching (DESIGN.md §7, P7)",
    "employmentType": "talentmatch jobs have no employment type",
    "datePosted": "the API keeps the job's own timestamps",
    "occupationalCategory": "jobs have no occupation field, and requirements are not guessed "
                            "from an occupation code: list the skills in `skills`",
}
NOT_MAPPED |= {alias: NOT_MAPPED[known] for alias, known in {
    "estimatedSalary": "baseSalary", "salaryCurrency": "baseSalary", "salary": "baseSalary",
    "company": "hiringOrganization", "location": "jobLocation", "remote": "jobLocation",
    "jobLocationType": "jobLocation", "applicantLocationRequirements": "jobLocation",
    "type": "employmentType", "date": "datePosted"}.items()}


class JobReader(ExperienceReader):
    """Reads one job document; each standard's reader implements :meth:`read`."""

    def read(self, document: dict) -> None:
        """Read ``document`` into ``self.result``."""
        raise NotImplementedError

    def finish(self) -> ImportResult:
        self._free_text_description()
        if not self.requirements:
            raise DocumentError(self.at("skills"), "The posting names no skills talentmatch "
                                                    "recognises.")
        self.result.body["requirements"] = self.requirements
        self.result.origin.setdefault("requirements", self.at("skills"))
        return self.result

    def _identify(self, document: dict, sources: list[tuple[str, ...]]) -> None:
        if "external_id" in self.result.body:  # given by the caller
            return
        for source in sources:
            value = dig(document, source)
            found = identifier(value, self.at(*source)) if value is not None else None
            if found is not None:
                text, where = found
                self._set("external_id", text, where)
                return
        names = " or ".join(".".join(source) for source in sources) or "meta.canonical"
        raise DocumentError(self.at(*sources[0]) if sources else self.at("meta", "canonical"),
                            f"No id for the job: give an external_id, or {names} in the "
                            "document.")

    def _describe(self, document: dict) -> None:
        if document.get("description") is None:
            return
        text = self._text(document["description"], self.at("description")) or ""
        if len(text) > DESCRIPTION_LIMIT:
            text = text[:DESCRIPTION_LIMIT - 1].rsplit(maxsplit=1)[0] + "\u2026"
            self.result.skip(self.at("description"), f"shortened to the API's "
                                                      f"{DESCRIPTION_LIMIT} characters")
        self._set("description", text, self.at("description"))

    def _status(self, value: Any) -> None:
        if value is None:
            return
        where = self.at("validThrough")
        try:
            until = date.fromisoformat(str(value)[:10])
        except ValueError:
            self.result.skip(where, "not an ISO 8601 date: the job stays open", value)
            return
        status = JobStatus.CLOSED if until < self.today else JobStatus.OPEN
        self._set("status", status.value, where)

    def _report_rest(self, document: dict, handled: set[str]) -> None:
        used = self.result.origin.get("external_id", "")
        for member, value in document.items():
            where = self.at(member)
            unused_id = member in {"identifier", "@id", "url"} and not (
                used == where or used.startswith(where + "."))
            if member in handled and not unused_id:
                continue
            if member == "meta" and isinstance(value, dict):
                for key, item in value.items():
                    if join(where, key) != used:
                        self.result.skip(join(where, key), "document metadata", item)
                continue
            reason = NOT_MAPPED.get(member, "no matching field on a talentmatch job")
            if unused_id:
                reason = "the job's external_id comes from elsewhere"
            self.result.skip(where, reason, value)
