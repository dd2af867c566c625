"""The job editor's form: flat HTML fields to the API's job body and back.

The browser posts flat fields (``title``, ``req-3-skill`` ...); this module
turns them into the body ``JobInSchema`` validates, exactly as the API would
receive it, and turns the schema's error paths back into form field names so
each message shows next to its control. No domain rule lives here: limits,
defaults and skill resolution stay in the schema and in ``job_from_input``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from matcher import model

__all__ = ["MAX_ROWS", "JobForm", "form_from_job", "form_from_post"]

MAX_ROWS = 150  # above the schema's 100 requirements, so the schema gives the message
BLANK_ROWS = 3
MIN_ROWS = 5
_ROW_KEY = re.compile(r"^req-(\d{1,4})-skill$")
_TOP_FIELDS = {"external_id": "external_id", "title": "title", "industry": "industry",
               "description": "description", "status": "status",
               "min_total_years": "min_total_years", "education.level": "education_level",
               "education.experience_in_place_months": "education_months",
               "education": "education_level", "requirements": "requirements"}


@dataclass
class JobForm:
    """What the editor shows: field values as typed, requirement rows, errors by field."""

    values: dict[str, str]
    rows: list[dict[str, str]]
    errors: dict[str, list[str]] = field(default_factory=dict)
    policy_overrides: dict = field(default_factory=dict)
    # Position in body["requirements"] -> row number, to put errors on the right row.
    positions: list[int] = field(default_factory=list)

    def padded_rows(self) -> list[tuple[int, dict[str, str]]]:
        """Rows with blank ones appended, so the form works without JavaScript."""
        rows = list(self.rows)
        blanks = max(BLANK_ROWS, MIN_ROWS - len(rows))
        rows += [_blank_row() for _ in range(blanks)]
        return list(enumerate(rows))

    def body(self) -> dict:
        """The API body the form describes (validated afterwards by ``JobInSchema``)."""
        v = self.values
        body: dict = {"external_id": v["external_id"], "title": v["title"],
                      "industry": v["industry"].strip() or None,
                      "description": v["description"].strip() or None,
                      "status": v["status"] or model.JobStatus.OPEN.value,
                      "min_total_years": _number(v["min_total_years"]),
                      "policy_overrides": self.policy_overrides,
                      "education": None, "requirements": []}
        if v["education_level"]:
            body["education"] = {"level": v["education_level"],
                                 "experience_in_place_months": _number(v["education_months"])}
        elif v["education_months"].strip():
            self.add_error("education_months",
                           "Choose an education level to accept experience in its place.")
        self.positions = []
        for number, row in enumerate(self.rows):
            if not row["skill"].strip():
                continue
            self.positions.append(number)
            body["requirements"].append({
                "skill": row["skill"], "importance": row["importance"] or "required",
                "weight": _number(row["weight"]), "min_years": _number(row["min_years"]),
                "to_confirm": row["to_confirm"] == "1"})
        return body

    def add_error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def add_schema_errors(self, errors: Mapping[str, list[str]]) -> None:
        """Put the schema's messages (``requirements.2.weight``) on form fields."""
        for path, messages in errors.items():
            for message in messages:
                self.add_error(self._field_for(path), message)

    def _field_for(self, path: str) -> str:
        parts = path.split(".")
        if parts[0] == "requirements" and len(parts) >= 2 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(self.positions):
                return f"req-{self.positions[index]}-{parts[2] if len(parts) > 2 else 'skill'}"
        return _TOP_FIELDS.get(path, _TOP_FIELDS.get(parts[0], "form"))


def _blank_row() -> dict[str, str]:
    return {"skill": "", "importance": "required", "weight": "", "min_years": "",
            "to_confirm": "", "inferred": ""}


def _number(text: str) -> str | None:
    """Blank means "not set"; anything else goes to the schema, which says what is wrong."""
    text = text.strip()
    return text or None


def _text(value: object) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def form_from_job(job: model.Job | None) -> JobForm:
    """The editor filled with ``job`` (or empty for a new job)."""
    if job is None:
        values = {name: "" for name in ("external_id", "title", "industry", "description",
                                        "min_total_years", "education_level",
                                        "education_months")}
        values["status"] = model.JobStatus.OPEN.value
        return JobForm(values, [])
    education = job.education
    values = {"external_id": job.external_id, "title": job.title,
              "industry": _text(job.industry), "description": _text(job.description),
              "status": job.status.value, "min_total_years": _text(job.min_total_years),
              "education_level": education.level.value if education else "",
              "education_months": _text(education.experience_in_place_months)
              if education else ""}
    rows = [{"skill": r.skill.name, "importance": r.importance.value,
             "weight": _text(r.weight), "min_years": _text(r.min_years),
             "to_confirm": "1" if r.to_confirm else "",
             "inferred": "1" if r.to_confirm else ""} for r in job.requirements]
    return JobForm(values, rows, policy_overrides=dict(job.policy_overrides))


def form_from_post(form: Mapping[str, str], policy_overrides: dict | None = None) -> JobForm:
    """The editor as posted: every field kept as typed, so a re-shown form loses nothing."""
    names = ("external_id", "title", "industry", "description", "status", "min_total_years",
             "education_level", "education_months")
    values = {name: form.get(name, "") for name in names}
    numbers = sorted({int(m.group(1)) for key in form if (m := _ROW_KEY.match(key))})
    rows = [{part: form.get(f"req-{n}-{part}", "") for part in _blank_row()}
            for n in numbers[:MAX_ROWS]]
    # Blank rows are the spare ones (or removed ones): only filled rows count.
    rows = [r for r in rows if r["skill"].strip()]
    return JobForm(values, rows, policy_overrides=dict(policy_overrides or {}))
