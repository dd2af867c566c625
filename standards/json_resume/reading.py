"""Import: a JSON Resume document read into the body of the candidate endpoint.

The section readers live beside this module (``experience``, ``credentials``);
here are the entry point, ``basics``, the declared ``skills`` and the walk over
the sections.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from matcher.mentions import MentionFinder
from matcher.skills import SkillResolver
from standards.errors import DocumentError
from standards.json_resume.credentials import CredentialReader
from standards.json_resume.experience import ExperienceReader
from standards.json_resume.fields import (
    MAX_ITEMS,
    NOT_MAPPED,
    SkillList,
    limited,
    list_of,
    object_of,
    text_of,
)
from standards.result import ImportResult, join

__all__ = ["resume_to_candidate"]

_SECTIONS = {"basics", "work", "volunteer", "certificates", "education", "skills", "$schema"}


def resume_to_candidate(resume: dict, *, external_id: str | None, resolver: SkillResolver,
                        finder: MentionFinder, path: str = "", today: date | None = None
                        ) -> ImportResult:
    """A candidate input body (plus declared ``skills``) from a JSON Resume document.

    Parameters
    ----------
    resume : dict
        The parsed document.
    external_id : str or None
        The HR system's id; ``None`` takes ``basics.email`` (case-folded).
    resolver, finder : SkillResolver, MentionFinder
        Find skills in names and text; the body holds their labels.
    path : str
        Prefix of every document path reported (``"2"``, ``"2.resume"``).
    today : date, optional
        Education ending after it is not a completed degree (default: today).

    Raises
    ------
    DocumentError
        The document cannot be read as a resume, or exceeds the endpoint's limits.

    Examples
    --------
    >>> from matcher.model import Skill
    >>> resolver = SkillResolver([Skill("sql", "SQL")])
    >>> doc = {"basics": {"name": "Ana Lima", "email": "Ana@example.com"},
    ...        "work": [{"position": "Analyst", "startDate": "2020-03",
    ...                  "highlights": ["Reports in sql"]}], "awards": [{"title": "Best"}]}
    >>> result = resume_to_candidate(doc, external_id=None, resolver=resolver,
    ...                              finder=MentionFinder(resolver))
    >>> result.body["external_id"], result.body["experience"][0]["skills"]
    ('ana@example.com', ['SQL'])
    >>> result.document_path("experience.0.skills.0"), result.unrecognised[0]["path"]
    ('work.0.highlights.0', 'awards')
    """
    if not isinstance(resume, dict):
        raise DocumentError(path, "A JSON Resume document is a JSON object.")
    return _Importer(resume, resolver, finder, path, today or date.today()).run(external_id)


class _Importer(ExperienceReader, CredentialReader):
    """One resume read into ``self.result``, section by section."""

    def run(self, external_id: str | None) -> ImportResult:
        self._basics(external_id)
        experience = self._entries("work", self._work, "experience")
        experience += self._entries("volunteer", self._volunteer, "experience", len(experience))
        credentials = self._entries("certificates", self._certificate, "credentials")
        credentials += self._entries("education", self._degree, "credentials", len(credentials))
        body = self.result.body
        body["experience"], body["credentials"] = experience, credentials
        body["skills"] = self._declared()
        for key, value in self.doc.items():
            if key not in _SECTIONS and value not in (None, "", [], {}):
                self.result.skip(self.at(key), NOT_MAPPED, value)
        return self.result

    # basics

    def _basics(self, external_id: str | None) -> None:
        at = self.at("basics")
        basics = object_of(self.doc.get("basics") or {}, at)
        body = self.result.body
        name = text_of(basics, "name", join(at, "name"))
        if name is None:
            raise DocumentError(join(at, "name"), "A candidate needs a name: basics.name is "
                                                  "missing or empty.")
        email = text_of(basics, "email", join(at, "email"))
        if external_id is None:
            if email is None:
                raise DocumentError(join(at, "email"), "Give external_id or basics.email: "
                                                       "the candidate needs an external id.")
            self.put(body, "", "external_id",
                     limited(email.casefold(), "external id", join(at, "email")),
                     join(at, "email"))
        else:
            body["external_id"] = external_id
        self.put(body, "", "name", limited(name, "name", join(at, "name")), join(at, "name"))
        if email is not None:
            self.put(body, "", "email", limited(email, "email", join(at, "email")),
                     join(at, "email"))
        location = self._location(basics, join(at, "location"))
        if location is not None:
            self.put(body, "", "location", location, join(at, "location"))
        self.ignore(basics, at, {"name", "email", "location"})

    def _location(self, basics: dict, at: str) -> str | None:
        if basics.get("location") is None:
            return None
        place = object_of(basics["location"], at)
        fields = ("city", "region", "countryCode")
        text = ", ".join(filter(None, (text_of(place, k, join(at, k)) for k in fields)))
        address = text_of(place, "address", join(at, "address"))
        if text:
            self.ignore(place, at, set(fields))
        elif address:  # only when that is all there is; its lines become one
            text = ", ".join(line.strip() for line in address.splitlines() if line.strip())
            self.ignore(place, at, {"address"})
        return limited(text, "location", at) if text else None

    # lists of entries

    def _entries(self, section: str, read: Callable[[str, dict, str], dict | None],
                 to: str, start: int = 0) -> list[dict]:
        items: list[dict] = []
        for index, entry in enumerate(list_of(self.doc, section, self.at(section))):
            at = self.at(section, index)
            body_path = join(to, start + len(items))
            item = read(at, object_of(entry, at), body_path)
            if item is None:
                continue
            if start + len(items) == MAX_ITEMS:
                raise DocumentError(at, f"More than {MAX_ITEMS} entries become {to}, the most "
                                        "a candidate holds.")
            items.append(item)
            self.result.origin[body_path] = at
        return items

    # declared skills

    def _declared(self) -> list[str]:
        at = self.at("skills")
        skills = SkillList(self.result, "skills", at)
        for index, entry in enumerate(list_of(self.doc, "skills", at)):
            entry_at = join(at, index)
            entry = object_of(entry, entry_at)
            # A name is often a heading ("Analytics", "Cloud"): only an exact or alias
            # match counts there, where a near miss is another word more often than a typo.
            self._declare(skills, [(join(entry_at, "name"), entry.get("name"))], False)
            keywords = list_of(entry, "keywords", join(entry_at, "keywords"))
            self._declare(skills, [(join(entry_at, "keywords", k), keyword)
                                   for k, keyword in enumerate(keywords)], True)
            self.ignore(entry, entry_at, {"name", "keywords"})
        return skills.names

    def _declare(self, skills: SkillList, named: list[tuple[str, Any]], fuzzy: bool) -> None:
        """Names that resolve become declared skills; the others are reported."""
        for source, value in named:
            if value is not None and not isinstance(value, str):
                raise DocumentError(source, "Must be a string.")
        present = [(source, value.strip()) for source, value in named if value and value.strip()]
        matches = self.resolver.resolve_many([name for _, name in present])
        for (source, name), match in zip(present, matches, strict=True):
            if match.skill_id and match.label and (match.method != "fuzzy" or fuzzy):
                skills.add(match.skill_id, match.label, source)
            else:
                self.result.skip(source, "No skill of the taxonomy matches it closely: "
                                         "not declared.", name)
