"""CTDL credentials, assessments and learning opportunities -> catalogue offerings.

Each becomes an offering of every organization that offers it (its owners when
no offerer is named): kind from the type (:func:`~standards.ctdl.terms.credential_kind`),
skills from its competencies, duration from ``estimatedDuration``
(:func:`~standards.ctdl.durations.iso_weeks`), cost from ``estimatedCost``,
delivery from ``deliveryType``. A QA relation on a credential accredits that
credential only, so it goes to the credential's owners with its name as scope.
A resource none of whose competencies resolves is not offered.
"""

from __future__ import annotations

import re
from typing import Any

from matcher.model import Delivery
from standards.ctdl.competencies import CompetencyReader
from standards.ctdl.durations import iso_weeks
from standards.ctdl.organizations import OrganizationReader
from standards.ctdl.terms import QA, USED, credential_kind, type_key, values_of
from standards.errors import DocumentError
from standards.result import join

__all__ = ["OfferingReader"]

_CREDENTIAL_TERMS = USED | {"ownedBy", "offeredBy", "teaches", "assesses", "requires",
                            "estimatedDuration", "estimatedCost", "deliveryType"}
_DELIVERY = {"InPerson": Delivery.IN_PERSON, "OnlineOnly": Delivery.ONLINE,
             "BlendedDelivery": Delivery.BLENDED}


class OfferingReader(OrganizationReader, CompetencyReader):
    """Adds the offerings of a credential (and its accreditations) to the result."""

    def _credential(self, node: dict, where: str, ctdl_type: str,
                    listed_by: list[tuple[str, str]]) -> None:
        name = self._text(node, "name", where)
        if name is None:
            raise DocumentError(join(where, "ceterms:name"), "A credential needs a name.")
        offerers = self._agents(node, "offeredBy", where) or self._agents(node, "ownedBy", where)
        owners = self._agents(node, "ownedBy", where) or offerers
        offerers = offerers or listed_by
        for term in QA:
            for agent, spot in self._refs(node, term, where):
                for ref, at in owners or listed_by:
                    self._accredit(self._organization_by_ref(ref, at), agent, spot, name)
        for agent, spot in self._refs(node, "regulatedBy", where):
            self._regulated(agent, spot)
        skills = self._skills(node, where)
        self._report_rest(node, where, _CREDENTIAL_TERMS)
        if not offerers:
            self._skip(where, "no organization owns or offers it, so it has no issuer", name)
        elif not skills:
            self._skip(where, "none of its competencies matches a talentmatch skill, and an "
                              "offering only serves to close skill gaps", name)
        else:
            for ref, at in offerers:
                self._offering(node, where, name, ctdl_type, skills, ref, at)

    def _offering(self, node: dict, where: str, name: str, ctdl_type: str,
                  skills: list[tuple[str, str, str]], ref: str, at: str) -> None:
        kind = credential_kind(ctdl_type)
        assert kind is not None  # only credential types reach here
        issuer = self.result.body["issuers"][self._organization_by_ref(ref, at)]
        position = len(self.result.body["offerings"])
        to = f"offerings.{position}"
        offering: dict = {"name": name, "issuer": issuer["name"], "kind": kind.value,
                          "skills": [label for label, _, _ in skills]}
        self.result.body["offerings"].append(offering)
        self.result.origin.update({to: where, f"{to}.name": join(where, "ceterms:name"),
                                   f"{to}.issuer": at, f"{to}.kind": join(where, type_key(node))})
        self._map(where, to, {"name": name, "kind": kind.value, "issuer": issuer["name"],
                              "type": ctdl_type})
        for index, (label, spot, how) in enumerate(skills):
            self.result.origin[f"{to}.skills.{index}"] = spot
            self._map(spot, f"{to}.skills.{index}", {"skill": label, "matched_by": how})
        self._details(node, where, offering, to)

    def _details(self, node: dict, where: str, offering: dict, to: str) -> None:
        """Duration, cost, delivery and url of an offering, where the document gives them."""
        found = {"duration_weeks": self._duration(node, where),
                 "url": (self._url(node, where), join(where, "ceterms:subjectWebpage")),
                 "delivery": self._delivery(node, where)}
        cost = self._cost(node, where)
        if cost is not None:
            (price, currency), spot = cost
            found |= {"cost": (price, spot), "currency": (currency, spot)}
        for member, value in found.items():
            if value is not None and value[0] is not None:
                offering[member] = value[0]
                self.result.origin[f"{to}.{member}"] = value[1]
                self._map(value[1], f"{to}.{member}", value[0])

    def _duration(self, node: dict, where: str) -> tuple[float, str] | None:
        for profile, spot in values_of(self._get(node, "estimatedDuration"),
                                       join(where, "ceterms:estimatedDuration")):
            if not isinstance(profile, str | dict):
                self._skip(spot, "not a duration or a duration profile", profile)
                continue
            for term in ("exactDuration", "maximumDuration", "minimumDuration"):
                text = profile if isinstance(profile, str) else self._text(profile, term, spot)
                at = spot if isinstance(profile, str) else join(spot, f"ceterms:{term}")
                weeks = iso_weeks(text) if text else None
                if weeks:
                    return weeks, at
                if text:
                    self._skip(at, "not an ISO 8601 duration", text)
        return None

    def _cost(self, node: dict, where: str) -> tuple[tuple[float, str], str] | None:
        """The summed prices of the cost profiles in the first currency named."""
        total: tuple[float, str] | None = None
        at = join(where, "ceterms:estimatedCost")
        for profile, spot in values_of(self._get(node, "estimatedCost"), at):
            price: Any = self._get(profile, "price") if isinstance(profile, dict) else None
            currency = self._text(profile, "currency", spot) if isinstance(profile, dict) else None
            try:
                amount = float(price)
            except (TypeError, ValueError):
                self._skip(spot, "a cost profile without a price", price)
                continue
            if not currency or not re.fullmatch(r"[A-Z]{3}", currency):
                self._skip(spot, "a price without an ISO 4217 currency", price)
            elif total is None or total[1] == currency:
                total = ((total[0] if total else 0.0) + amount, currency)
            else:
                self._skip(spot, f"priced in {currency}, not {total[1]}", price)
        return (total, at) if total is not None else None

    def _delivery(self, node: dict, where: str) -> tuple[str, str] | None:
        at = join(where, "ceterms:deliveryType")
        kinds = set()
        for item, spot in values_of(self._get(node, "deliveryType"), at):
            code = self._get(item, "targetNode") if isinstance(item, dict) else item
            if isinstance(code, str) and code.rsplit(":", 1)[-1] in _DELIVERY:
                kinds.add(_DELIVERY[code.rsplit(":", 1)[-1]])
            else:
                self._skip(spot, "not a CTDL delivery type talentmatch knows", item)
        if not kinds:
            return None
        return (kinds.pop() if len(kinds) == 1 else Delivery.BLENDED).value, at
