"""Reading the members of a JSON Resume document, with the candidate endpoint's limits.

Every reader takes the member's document path and raises
:class:`~standards.errors.DocumentError` there when the member cannot be read.
:class:`Reader` is the state one import shares (document, resolver, result) and
the steps every section takes; the section readers build on it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from matcher.mentions import MentionFinder
from matcher.skills import SkillResolver
from standards.errors import DocumentError
from standards.json_resume.common import EXTENSION, partial_date
from standards.result import ImportResult, join

__all__ = ["FIRST_DAY", "LAST_DAY", "LIMITS", "MAX_ITEMS", "MAX_SKILLS", "NOT_MAPPED", "Reader",
           "SkillList", "day_of", "limited", "list_of", "object_of", "text_of"]

# The candidate endpoint's limits (api/schemas/candidates.py): exceeding one is an
# error at the document path, never a silent cut.
MAX_ITEMS, MAX_SKILLS = 200, 100
LIMITS = {"external id": 200, "name": 200, "email": 320, "location": 200, "title": 300,
          "employer": 200, "industry": 200, "credential name": 300, "issuer": 200,
          "skill name": 200}
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2099, 12, 31)
NOT_MAPPED = "Not mapped: a candidate has no place for it."


def text_of(entry: dict, key: str, at: str) -> str | None:
    """A string member, trimmed; missing, null and blank are all absent.

    >>> text_of({"name": "  Ana "}, "name", "basics.name"), text_of({"name": " "}, "name", "")
    ('Ana', None)
    """
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise DocumentError(at, "Must be a string.")
    return value.strip() or None


def list_of(entry: dict, key: str, at: str) -> list:
    """A list member; missing and null are an empty list."""
    value = entry.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise DocumentError(at, "Must be a list.")
    return value


def object_of(value: Any, at: str) -> dict:
    """``value`` itself when it is a JSON object."""
    if not isinstance(value, dict):
        raise DocumentError(at, "Must be an object.")
    return value


def limited(value: str, limit: str, at: str) -> str:
    """``value`` when it fits the endpoint's limit for ``limit`` (a key of LIMITS)."""
    if len(value) > LIMITS[limit]:
        raise DocumentError(at, f"Longer than {LIMITS[limit]} characters, the most a "
                                f"candidate's {limit} may have.")
    return value


def day_of(text: str, at: str, *, last: bool) -> date:
    """A partial date as one day in the endpoint's range (see ``partial_date``)."""
    try:
        day = partial_date(text, last=last)
    except ValueError:
        raise DocumentError(at, f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)."
                            ) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DocumentError(at, "Must be between 1900 and 2099.")
    return day


class SkillList:
    """One body skill list: labels (or names as written), one per skill, at most 100."""

    def __init__(self, result: ImportResult, to: str, at: str):
        self.result, self.to, self.at = result, to, at
        self.names: list[str] = []
        self._keys: set[str] = set()

    def add(self, key: str, name: str, source: str) -> None:
        if key in self._keys:
            return
        if len(self.names) == MAX_SKILLS:
            raise DocumentError(self.at, f"Names more than {MAX_SKILLS} skills, the most one "
                                         "skill list of a candidate holds.")
        to = join(self.to, len(self.names))
        self._keys.add(key)
        self.names.append(limited(name, "skill name", source))
        self.result.map(source, to, name)
        self.result.origin[to] = source

    def mentions(self, finder: MentionFinder, text: str | None, source: str) -> None:
        for mention in finder.find(text or ""):
            self.add(mention.skill_id, mention.label, source)


class Reader:
    """One resume read into ``self.result``; ``at`` gives prefixed document paths."""

    def __init__(self, doc: dict, resolver: SkillResolver, finder: MentionFinder, prefix: str,
                 today: date):
        self.doc, self.resolver, self.finder, self.today = doc, resolver, finder, today
        self.prefix = prefix
        self.result = ImportResult(body={})

    def at(self, *parts: str | int) -> str:
        return join(self.prefix, *parts)

    def put(self, item: dict, to: str, key: str, value: object, source: str) -> None:
        """Set ``item[key]`` (body path ``to``.``key``), reporting where it came from."""
        item[key] = value
        self.result.map(source, join(to, key), value)
        self.result.origin[join(to, key)] = source

    def ignore(self, entry: dict, at: str, used: set[str]) -> None:
        for key, value in entry.items():
            if key not in used and value not in (None, "", [], {}):
                self.result.skip(join(at, key), NOT_MAPPED, value)

    def _extension(self, entry: dict, at: str) -> dict | None:
        ext = entry.get(EXTENSION)
        return None if ext is None else object_of(ext, join(at, EXTENSION))

    def _exact_skills(self, ext: dict, skills: SkillList, at: str) -> None:
        """Skills an export wrote: ``{"name", "id"}``, the id winning when it is known."""
        for index, ref in enumerate(list_of(ext, "skills", at)):
            ref_at = join(at, index)
            ref = object_of(ref, ref_at)
            skill_id, name = text_of(ref, "id", join(ref_at, "id")), text_of(ref, "name",
                                                                             join(ref_at, "name"))
            skill = self.resolver.get(skill_id) if skill_id else None
            if skill is not None:
                skills.add(skill.id, skill.label, ref_at)
            elif name is not None:
                skills.add(f"name:{name.casefold()}", name, ref_at)
            else:
                raise DocumentError(ref_at, "A skill needs a name or a known id.")

    def _mine_list(self, entry: dict, key: str, at: str, skills: SkillList) -> None:
        for index, text in enumerate(list_of(entry, key, join(at, key))):
            if not isinstance(text, str):
                raise DocumentError(join(at, key, index), "Must be a string.")
            skills.mentions(self.finder, text, join(at, key, index))
