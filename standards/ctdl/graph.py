"""One CTDL document: its resources, its nodes by IRI, and the readings of their members.

CTDL travels as one resource, as the Credential Registry's ``@graph``, or inside
a Verifiable Credential's ``credentialSubject.achievement``. :class:`Graph`
finds the resources of any of these, indexes every described node by its IRI
(compact IRIs expanded with the prefixes of the document's own ``@context``;
nothing is fetched) and reads members by their CTDL names. The readers of
organizations, competencies and offerings build on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from matcher.skills import SkillResolver
from standards.ctdl.terms import TERMS, as_list, local, type_key, useful, values_of
from standards.errors import DocumentError
from standards.result import ImportResult, join

__all__ = ["Graph", "prefixes"]

_CTID = re.compile(r"ce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def prefixes(context: Any) -> dict[str, str]:
    """The prefixes an inline ``@context`` defines (remote contexts are never fetched).

    >>> prefixes(["https://credreg.net/ctdl/schema/context/json",
    ...           {"res": "https://credentialengineregistry.org/resources/"}])
    {'res': 'https://credentialengineregistry.org/resources/'}
    """
    found: dict[str, str] = {}
    for entry in as_list(context):
        if isinstance(entry, dict):
            found.update({k: v for k, v in entry.items()
                          if isinstance(v, str) and not k.startswith("@")})
    return found


class Graph:
    """One CTDL document being read: its nodes, the resolver and the result."""

    def __init__(self, document: Any, resolver: SkillResolver, path: str):
        if not isinstance(document, dict):
            raise DocumentError(path or "$", "A CTDL document is a JSON object.")
        self.document, self.resolver, self.base = document, resolver, path
        self.prefixes = prefixes(document.get("@context"))
        self.nodes: dict[str, tuple[dict, str]] = {}
        self._index(document, path)
        self.result = ImportResult(body={"issuers": [], "offerings": []})
        self.issuers: dict[str, int] = {}  # organization IRI -> position in body["issuers"]

    # -- the document --------------------------------------------------------------------

    def _index(self, value: Any, where: str) -> None:
        """Every described node by IRI (the fullest description of each wins)."""
        if isinstance(value, list):
            for index, item in enumerate(value):
                self._index(item, join(where, index))
        elif isinstance(value, dict):
            node_id = self._id(value)
            if node_id and len(value) > len(self.nodes.get(node_id, ({}, ""))[0]):
                self.nodes[node_id] = (value, where)
            for key, item in value.items():
                if key != "@context":
                    self._index(item, join(where, key))

    def _resources(self) -> Iterator[tuple[dict, str, str]]:
        """(node, path, CTDL type) of each top-level resource."""
        document, base = self.document, self.base
        if "@graph" in document:
            if not isinstance(document["@graph"], list):
                raise DocumentError(join(base, "@graph"), "Must be a list of resources.")
            items = list(values_of(document["@graph"], join(base, "@graph")))
        elif "credentialSubject" in document:
            items = []
            for subject, where in values_of(document["credentialSubject"],
                                            join(base, "credentialSubject")):
                achievement = subject.get("achievement") if isinstance(subject, dict) else None
                if achievement is None:
                    raise DocumentError(join(where, "achievement"), "Holds no CTDL resource.")
                items += values_of(achievement, join(where, "achievement"))
        else:
            items = [(document, base)]
        for node, where in items:
            if not isinstance(node, dict):
                raise DocumentError(where, "A CTDL resource is a JSON object.")
            types = [local(t) for t in as_list(node.get(type_key(node))) if isinstance(t, str)]
            if not types:
                raise DocumentError(join(where, type_key(node)), "A CTDL resource needs a type.")
            yield node, where, next((t for t in types if useful(t)), types[0])

    # -- reporting -----------------------------------------------------------------------

    def _skip(self, where: str, reason: str, value: object = None) -> None:
        self.result.skip(where or "$", reason, value)

    def _map(self, where: str, to: str, value: object) -> None:
        self.result.map(where or "$", to, value)

    def _report_rest(self, node: dict, where: str, used: set[str]) -> None:
        for member, value in node.items():
            if member not in {"@id", "id", "@type", "type", "@context"} and local(
                    member) not in used:
                self._skip(join(where, member), "not used by talentmatch", value)

    # -- values --------------------------------------------------------------------------

    def _get(self, node: dict, term: str) -> Any:
        return next((node[k + term] for k in TERMS if k + term in node), None)

    def _key(self, node: dict, where: str) -> str:
        """What identifies a resource here: its IRI, else its path (``$`` for the document)."""
        return self._id(node) or where or "$"

    def _id(self, node: dict) -> str | None:
        value = node.get("@id", node.get("id"))
        return self._expand(value) if isinstance(value, str) and value.strip() else None

    def _expand(self, iri: str) -> str:
        """A compact IRI expanded with the document's own prefixes."""
        prefix, _, rest = iri.strip().partition(":")
        if prefix in self.prefixes and not rest.startswith("//"):
            return self.prefixes[prefix] + rest
        return iri.strip()

    def _refs(self, node: dict, term: str, where: str) -> Iterator[tuple[str | dict, str]]:
        """What ``term`` refers to: expanded IRIs, and objects as written."""
        for item, spot in values_of(self._get(node, term), join(where, f"ceterms:{term}")):
            if not isinstance(item, str | dict):
                raise DocumentError(spot, "Must be an id or an object.")
            yield (self._expand(item) if isinstance(item, str) else item), spot

    def _text(self, node: dict, term: str, where: str) -> str | None:
        return self._lang(self._get(node, term), join(where, f"ceterms:{term}"))

    def _lang(self, value: Any, where: str) -> str | None:
        """Text of a string, a language map (English first) or a list of either."""
        if isinstance(value, list):
            texts = [self._lang(v, join(where, i)) for i, v in enumerate(value)]
            return next(filter(None, texts), None)
        if isinstance(value, dict):
            if "@value" in value:
                return self._lang(value["@value"], join(where, "@value"))
            languages = sorted(value, key=lambda k: (k != "en-US", k != "en",
                                                     not k.startswith("en")))
            texts = [self._lang(value[k], join(where, k)) for k in languages]
            return next(filter(None, texts), None)
        if value is not None and not isinstance(value, str):
            raise DocumentError(where, "Must be text or a language map.")
        return (" ".join(value.split()) or None) if value else None

    def _url(self, node: dict, where: str) -> str | None:
        value = self._get(node, "subjectWebpage")
        url = self._expand(value) if isinstance(value, str) else None
        if url and re.match(r"https?://", url):
            return url
        if value is not None:
            self._skip(join(where, "ceterms:subjectWebpage"), "not an http(s) URL", value)
        return None

    def _ctid(self, node: dict, ref: str) -> str | None:
        ctid = self._get(node, "ctid")
        if isinstance(ctid, str) and ctid.strip():
            return ctid.strip()
        found = _CTID.search(ref)
        return found.group(0) if found else None
