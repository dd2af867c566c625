"""CTDL organizations -> issuers, with the accreditations of CTDL's QA relations.

Every organization described, or named as owner or offerer of a credential,
becomes an issuer once: name, ``subjectWebpage`` as url, an ISO 3166-1 alpha-2
``addressCountry`` as country, and ``ctid``/``ref`` for the API to
de-duplicate. ``accreditedBy``, ``approvedBy`` and ``recognizedBy`` become
active accreditations naming the QA body; ``regulatedBy`` is reported, since
regulation is not accreditation.
"""

from __future__ import annotations

import re
from typing import Any

from standards.ctdl.graph import Graph
from standards.ctdl.terms import QA, USED, values_of
from standards.errors import DocumentError
from standards.result import join

__all__ = ["OrganizationReader"]

_ORGANIZATION_TERMS = USED | {"address", "owns", "offers"}


class OrganizationReader(Graph):
    """Adds issuers (and their accreditations) to the result."""

    def _organization(self, node: dict, where: str) -> int:
        """The position of the issuer ``node`` describes, adding it on first sight."""
        ref = self._key(node, where)
        if ref in self.issuers:
            return self.issuers[ref]
        position = self.issuers[ref] = len(self.result.body["issuers"])
        to = f"issuers.{position}"
        name = self._text(node, "name", where) or self._id(node)
        if name is None:
            raise DocumentError(join(where, "ceterms:name"), "An organization needs a name "
                                                             "or an id.")
        if name == self._id(node):
            self._skip(where, "the document gives no name: the issuer is named by its id "
                              "until someone reviews it", name)
        issuer: dict = {"name": name, "url": self._url(node, where), "country": None,
                        "accreditations": [], "ctid": self._ctid(node, ref),
                        "ref": self._id(node)}
        self.result.body["issuers"].append(issuer)
        self.result.origin[to] = self.result.origin[f"{to}.name"] = where
        self._map(where, to, name)
        self._country(node, where, issuer, to)
        for term in QA:
            for agent, spot in self._refs(node, term, where):
                self._accredit(position, agent, spot, None)
        for agent, spot in self._refs(node, "regulatedBy", where):
            self._regulated(agent, spot)
        self._report_rest(node, where, _ORGANIZATION_TERMS)
        return position

    def _organization_by_ref(self, ref: str, where: str) -> int:
        if ref in self.issuers:
            return self.issuers[ref]
        node, spot = self.nodes.get(ref, ({"@id": ref}, where))
        return self._organization(node, spot)

    def _agents(self, node: dict, term: str, where: str) -> list[tuple[str, str]]:
        """(key, path) of the organizations ``term`` names (by id or described in place)."""
        found = []
        for item, spot in self._refs(node, term, where):
            if isinstance(item, dict) and self._id(item) is None:
                self._organization(item, spot)  # no id to find it by later
            found.append((self._key(item, spot) if isinstance(item, dict) else item, spot))
        return found

    def _country(self, node: dict, where: str, issuer: dict, to: str) -> None:
        for place, spot in values_of(self._get(node, "address"),
                                     join(where, "ceterms:address")):
            country = self._text(place, "addressCountry", spot) if isinstance(place, dict) else None
            if country is None:
                continue
            spot = join(spot, "ceterms:addressCountry")
            if re.fullmatch(r"[A-Za-z]{2}", country):
                issuer["country"] = country.upper()
                self.result.origin[f"{to}.country"] = spot
                self._map(spot, f"{to}.country", issuer["country"])
                return
            self._skip(spot, "not an ISO 3166-1 alpha-2 country code", country)

    def _accredit(self, issuer: int, agent: Any, where: str, scope: str | None) -> None:
        ref = agent if isinstance(agent, str) else self._id(agent)
        described = self.nodes.get(ref, ({}, ""))[0] if ref else {}
        body = (self._text(agent, "name", where) if isinstance(agent, dict) else None) or (
            self._text(described, "name", where) if described else None) or ref
        if not body:
            raise DocumentError(where, "A quality-assurance agent needs a name or an id.")
        accreditations = self.result.body["issuers"][issuer]["accreditations"]
        entry = {"accrediting_body": body, "status": "active", "scope": scope}
        if entry in accreditations:
            return
        to = f"issuers.{issuer}.accreditations.{len(accreditations)}"
        accreditations.append(entry)
        self.result.origin[to] = self.result.origin[f"{to}.accrediting_body"] = where
        self._map(where, to, entry)

    def _regulated(self, agent: Any, where: str) -> None:
        name = self._text(agent, "name", where) if isinstance(agent, dict) else None
        self._skip(where, "regulation is not accreditation: noted, not imported",
                   name or (agent if isinstance(agent, str) else self._id(agent)))
