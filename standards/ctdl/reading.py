"""Reading a whole CTDL document: organizations first, then credentials and their offerings."""

from __future__ import annotations

from matcher.skills import SkillResolver
from standards.ctdl.offerings import OfferingReader
from standards.ctdl.terms import ORGANIZATIONS, PARTS, as_list, credential_kind, local, type_key
from standards.errors import DocumentError
from standards.result import ImportResult, join

__all__ = ["ctdl_to_registry"]


def ctdl_to_registry(document: dict, *, resolver: SkillResolver, path: str = "") -> ImportResult:
    """Issuers (with accreditations) and catalogue offerings from a CTDL document.

    Parameters
    ----------
    document : dict
        One CTDL resource, a Credential Registry ``@graph``, or a Verifiable
        Credential whose ``credentialSubject.achievement`` holds CTDL resources.
    resolver : SkillResolver
        Resolves competencies (ESCO skill URIs, names and statements) to skills.
    path : str
        Where ``document`` sits in the request, prefixed to every reported path.

    Returns
    -------
    ImportResult
        ``body`` is ``{"issuers": [...], "offerings": [...]}``: issuers as
        ``POST /issuers`` takes them plus ``ctid`` and ``ref``; offerings as
        ``POST /catalog`` takes them, with ``issuer`` naming one of the issuers.

    Raises
    ------
    DocumentError
        Not a JSON object, a resource without a type or a credential without a
        name, members of the wrong type, or no CTDL resource at all.
    """
    registry = _Registry(document, resolver, path)
    registry.read()
    return registry.result


class _Registry(OfferingReader):
    """One CTDL document being read."""

    def read(self) -> None:
        resources = list(self._resources())
        organizations = [(n, p) for n, p, t in resources if t in ORGANIZATIONS]
        credentials = [(n, p, t) for n, p, t in resources if credential_kind(t)]
        for node, where in organizations:
            self._organization(node, where)
        owned, embedded = self._owned(organizations)
        known = {self._id(node) for node, _, _ in credentials} - {None}
        for node, where, kind in embedded:
            if self._id(node) is None or self._id(node) not in known:
                known.add(self._id(node))
                credentials.append((node, where, kind))
        for node, where, kind in credentials:
            self._credential(node, where, kind, owned.get(self._key(node, where), []))
        for node, where, kind in resources:
            if kind not in ORGANIZATIONS and not credential_kind(kind) and kind not in PARTS:
                self._skip(join(where, type_key(node)), "not a CTDL type talentmatch imports "
                           "(organizations, credentials, assessments, learning opportunities)",
                           kind)
        if not organizations and not credentials:
            where = join(resources[0][1], type_key(resources[0][0])) if len(
                resources) == 1 else self.base
            raise DocumentError(where, "Holds no CTDL organization, credential, assessment or "
                                       "learning opportunity.")

    def _owned(self, organizations: list[tuple[dict, str]]
               ) -> tuple[dict[str, list[tuple[str, str]]], list[tuple[dict, str, str]]]:
        """From the organizations' owns/offers: credential IRI (or path, when written
        in place without one) -> [(organization, path)], and the credentials written in place.
        """
        owned: dict[str, list[tuple[str, str]]] = {}
        embedded: list[tuple[dict, str, str]] = []
        for node, where in organizations:
            for item, spot in (found for term in ("owns", "offers")
                               for found in self._refs(node, term, where)):
                if isinstance(item, dict):
                    types = [local(t) for t in as_list(item.get(type_key(item)))
                             if isinstance(t, str)]
                    kind = next((t for t in types if credential_kind(t)), None)
                    if kind is not None:
                        embedded.append((item, spot, kind))
                    item = self._key(item, spot)
                elif item not in self.nodes:
                    self._skip(spot, "the document does not describe this credential", item)
                owned.setdefault(item, []).append((self._key(node, where), spot))
        return owned, embedded
