"""The state one job import shares, and the requirements it collects.

:class:`Reader` holds the resolver, the mention finder and the result, and
turns skills into requirements: a skill the employer *listed* is settled when
its name is a skill's name or alias and a guess to confirm otherwise; a skill
*mentioned* in free text is always to confirm. Each skill is kept once, from the
first place it is met, and at most :data:`MAX_REQUIREMENTS`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from matcher.mentions import MentionFinder
from matcher.model import Importance
from matcher.skills import SkillResolver
from standards.errors import DocumentError
from standards.html import html_to_text
from standards.job_posting.members import values_of
from standards.result import ImportResult, join

__all__ = ["MAX_REQUIREMENTS", "Reader"]

MAX_REQUIREMENTS = 100  # JobInSchema accepts at most 100 requirements


class Reader:
    """One document being read into a job body: its state and its requirements."""

    def __init__(self, resolver: SkillResolver, finder: MentionFinder, today: date, path: str):
        self.resolver, self.finder, self.today, self.base = resolver, finder, today, path
        self.result = ImportResult(body={})
        self.requirements: list[dict] = []
        self._skill_ids: set[str] = set()
        self.education_texts: list[tuple[str, str]] = []
        self.qualification_texts: list[tuple[str, str]] = []

    def at(self, *parts: str | int) -> str:
        return join(self.base, *parts)

    def _set(self, member: str, value: object, where: str) -> None:
        """``body[member] = value``, reported, and traced back to the document path."""
        self.result.body[member] = value
        self.result.origin[member] = where
        self.result.map(where, member, value)

    def _infer(self, member: str, value: float, where: str) -> None:
        self.result.body[member] = value
        self.result.origin[member] = where
        self.result.map(where, member, {"value": value, "inferred": True})

    def _text(self, value: Any, where: str, *, required: bool = False) -> str | None:
        """Plain text of a text member (HTML removed; a DefinedTerm gives its name)."""
        if isinstance(value, list) and len(value) == 1:
            value, where = value[0], join(where, 0)
        if isinstance(value, dict) and isinstance(value.get("name", value.get("@value")), str):
            value = value.get("name", value.get("@value"))
        if value is None and not required:
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            raise DocumentError(where, "Must be text." if value is not None else "Required.")
        return html_to_text(value)

    # -- requirements ------------------------------------------------------------------

    def _listed(self, name: str, where: str) -> None:
        """A skill the employer listed: settled when its name is a skill's name or alias.

        Otherwise what it means is a guess, to confirm: the skills it mentions when it
        is a phrase ("Apache Kafka streaming"), else the resolver's fuzzy match ("Pyhton").
        """
        if not name:
            return
        match = self.resolver.resolve(name)
        if match.skill_id is not None and match.method in ("exact", "alias"):
            # Kept as the employer wrote it: it resolves to the same skill again.
            self._add(match.skill_id, name, where, Importance.REQUIRED, False, as_written=True)
        elif self._mentioned(name, where, Importance.REQUIRED):
            return
        elif match.skill_id is not None:
            self._add(match.skill_id, name, where, Importance.REQUIRED, True)
        else:
            self.result.skip(where, "talentmatch knows no skill by this name", name)

    def _mentioned(self, text: str, where: str, importance: Importance) -> bool:
        mentions = self.finder.find(text) if text else []
        for mention in mentions:
            self._add(mention.skill_id, mention.text, where, importance, True)
        return bool(mentions)

    def _add(self, skill_id: str, written: str, where: str, importance: Importance,
             to_confirm: bool, *, as_written: bool = False) -> None:
        if skill_id in self._skill_ids:
            return
        skill = self.resolver.get(skill_id)
        label = written if as_written or skill is None else skill.label
        if len(self.requirements) >= MAX_REQUIREMENTS:
            self.result.skip(where, f"the API takes at most {MAX_REQUIREMENTS} requirements",
                             label)
            return
        self._skill_ids.add(skill_id)
        to = f"requirements.{len(self.requirements)}"
        self.requirements.append({"skill": label, "importance": importance.value,
                                  "to_confirm": to_confirm})
        self.result.origin[to] = self.result.origin[f"{to}.skill"] = where
        self.result.map(where, to, {"text": written, "skill": label, "skill_id": skill_id,
                                    "importance": importance.value, "to_confirm": to_confirm})

    def _free_text(self, value: Any, member: str) -> None:
        """Skills mentioned in a member saying what the role does: preferred, to confirm."""
        for item, where in values_of(value, self.at(member)):
            self._mentioned(self._text(item, where) or "", where, Importance.PREFERRED)

    def _free_text_description(self) -> None:
        text = self.result.body.get("description")
        if text:
            self._mentioned(text, self.result.origin["description"], Importance.PREFERRED)
