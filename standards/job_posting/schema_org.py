"""schema.org JobPosting -> a job body.

A JobPosting stands alone or is the one JobPosting of an ``@graph``; its
``@context`` must be schema.org's, since members are read by schema.org's names.
``skills`` holds text (a list, or one text with commas) or ``DefinedTerm``s,
an ESCO skill URI in ``@id``, ``url`` or ``termCode`` naming the skill exactly.
"""

from __future__ import annotations

import re
from typing import Any

from matcher.model import Importance
from standards.errors import DocumentError, UnknownContext
from standards.job_posting.job import JobReader
from standards.job_posting.members import values_of
from standards.result import ImportResult, join

__all__ = ["JOB_POSTING", "PostingReader"]

JOB_POSTING = "schema.org JobPosting"
_SCHEMA_ORG = re.compile(r"https?://schema\.org/?(?:docs/jsonldcontext\.json)?")
_POSTING_TYPES = {"JobPosting", "schema:JobPosting", "http://schema.org/JobPosting",
                  "https://schema.org/JobPosting"}
_ESCO_SKILL = re.compile(r"https?://data\.europa\.eu/esco/skill/[0-9a-f-]{36}")
_LIST_SEPARATORS = re.compile(r"[,;\n\u2022]+")
_HANDLED = {"@context", "@type", "@id", "identifier", "url", "title", "description", "industry",
            "validThrough", "skills", "qualifications", "responsibilities",
            "experienceRequirements", "educationRequirements", "experienceInPlaceOfEducation"}


class PostingReader(JobReader):
    """Reads a schema.org JobPosting."""

    def read(self, document: dict) -> None:
        _check_context(document.get("@context"), join(self.base, "@context"), self.result)
        posting, self.base = _find_posting(document, self.base)
        self.result.map(self.at("@type"), "standard", JOB_POSTING)
        self._identify(posting, [("identifier",), ("@id",), ("url",)])
        self._set("title", self._text(posting.get("title"), self.at("title"), required=True),
                  self.at("title"))
        self._describe(posting)
        if "industry" in posting:
            self._set("industry", self._text(posting["industry"], self.at("industry")),
                      self.at("industry"))
        self._status(posting.get("validThrough"))
        for value, where in values_of(posting.get("skills"), self.at("skills")):
            self._skill(value, where)
        self._qualifications(posting.get("qualifications"))
        self._experience_and_education(posting, "experienceRequirements")
        self._free_text(posting.get("responsibilities"), "responsibilities")
        self._report_rest(posting, _HANDLED)

    def _skill(self, value: Any, where: str) -> None:
        if isinstance(value, str):
            for piece in filter(None, map(str.strip, _LIST_SEPARATORS.split(value))):
                self._listed(piece, where)
            return
        if not isinstance(value, dict):
            raise DocumentError(where, "A skill is text or a DefinedTerm.")
        for key in ("@id", "url", "termCode"):
            uri = value.get(key)
            if isinstance(uri, str) and _ESCO_SKILL.fullmatch(uri.strip()):
                skill_id = uri.strip().replace("https://", "http://", 1)
                if self.resolver.get(skill_id) is not None:
                    self._add(skill_id, uri, join(where, key), Importance.REQUIRED, False)
                    return
        name = value.get("name")
        if isinstance(name, str) and name.strip():
            self._listed(name.strip(), join(where, "name"))
        else:
            self.result.skip(where, "a DefinedTerm without a name or a known ESCO skill URI",
                             value)


def _find_posting(document: dict, path: str) -> tuple[dict, str]:
    """The JobPosting node of ``document`` and its path."""
    if "@graph" not in document:
        if not _is_posting(document.get("@type")):
            raise DocumentError(join(path, "@type"), "Must be JobPosting.")
        return document, path
    graph = document["@graph"]
    if not isinstance(graph, list):
        raise DocumentError(join(path, "@graph"), "Must be a list of nodes.")
    postings = [i for i, node in enumerate(graph)
                if isinstance(node, dict) and _is_posting(node.get("@type"))]
    if len(postings) != 1:
        raise DocumentError(join(path, "@graph"), f"Holds {len(postings)} JobPostings: "
                                                  "import exactly one at a time.")
    return graph[postings[0]], join(path, "@graph", postings[0])


def _is_posting(types: Any) -> bool:
    return any(t in _POSTING_TYPES for t in (types if isinstance(types, list) else [types])
               if isinstance(t, str))


def _check_context(context: Any, where: str, result: ImportResult) -> None:
    """Member names are read as schema.org's, so the context must be schema.org."""
    if context is None:
        return
    entries = list(values_of(context, where))
    others: list[tuple[str, str]] = []
    schema_org = False
    for entry, spot in entries:
        if isinstance(entry, str):
            if _SCHEMA_ORG.fullmatch(entry.strip()):
                schema_org = True
            else:
                others.append((entry, spot))
        elif isinstance(entry, dict):
            vocab = entry.get("@vocab")
            schema_org |= isinstance(vocab, str) and _SCHEMA_ORG.fullmatch(vocab) is not None
        else:
            raise DocumentError(spot, "A JSON-LD context is a URL or an object.")
    if not schema_org:
        if others:
            raise UnknownContext(*others[0])
        raise DocumentError(where, "Does not name schema.org, so the members are not "
                                   "schema.org's.")
    for url, spot in others:
        result.skip(spot, "members are read as schema.org's; this context is not used", url)
