"""Open Badges as talentmatch input: a badge's credential and issuer bodies (DESIGN.md §6).

:func:`badge_to_credential` reads an Open Badges 3.0 credential (W3C VC 2.0 or
1.1 shape, or a VC 1.1 JWT payload with its ``vc`` claim) or an Open Badges 2.0
assertion and returns the body of a held credential (the API's
``CredentialInSchema``) and of its issuer (``IssuerInSchema``), with a report
of what was mapped and what was not. It checks no signature (that is
:mod:`standards.verify`'s job) and fetches nothing: a BadgeClass, achievement or
issuer given only by its URL is read from the ``linked`` documents the caller
supplies, or not at all.

Skills come from the achievement's alignments (an ESCO concept URI is taken as
it is; other frameworks' terms by their names), its name, tags, field of study
and specialization, each only when the taxonomy knows it. A badge cannot vouch
for its own issuer's keys, so none are taken; the accreditations its issuer
profile claims are kept, and count only once someone has reviewed the issuer
(DESIGN.md §3).

The work is shared with :mod:`standards.badge_documents` (reading either
standard), :mod:`standards.badge_issuers` (the issuer and its accreditations),
:mod:`standards.badge_skills` (skills) and :mod:`standards.badge_values`
(strings, text and dates); this module puts the bodies together.

Examples
--------
>>> from matcher.model import Skill
>>> resolver = SkillResolver([Skill("custom:sql", "SQL")])
>>> badge = {"type": ["VerifiableCredential", "OpenBadgeCredential"],
...          "issuer": {"id": "did:web:academy.example", "name": "Data Academy"},
...          "validFrom": "2024-03-01T09:00:00Z",
...          "credentialSubject": {"achievement": {
...              "name": "Query Basics", "achievementType": "MicroCredential", "tag": ["sql"]}}}
>>> mapping = badge_to_credential(badge, resolver=resolver)
>>> mapping.credential["kind"], mapping.credential["issued_on"], mapping.skills
('micro-credential', '2024-03-01', ['SQL'])
>>> mapping.issuer["did"], mapping.issuer_ref
('did:web:academy.example', 'did:web:academy.example')
>>> mapping.document_path("credential.skills.0")
'credentialSubject.achievement.tag.0'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from matcher.model import CredentialKind, EducationLevel
from matcher.skills import SkillResolver
from standards import badge_documents, badge_issuers, badge_skills, badge_values
from standards.badge_documents import BadgeView, read_badge
from standards.badge_issuers import issuer_profile, map_issuer
from standards.badge_skills import MAX_SKILLS, map_skills
from standards.badge_values import clean_text, first_day, localized, put
from standards.errors import DocumentError
from standards.result import ImportResult

__all__ = ["MAX_SKILLS", "BadgeMapping", "achievement_kind", "badge_to_credential",
           "issuer_profile", "localized"]

# The parts' examples run with this module's (doctest.testmod(standards.badges)).
__test__ = {module.__name__: module for module in (
    badge_documents, badge_issuers, badge_skills, badge_values)} | {
    "issuer_profile": issuer_profile, "localized": localized}

_K, _L = CredentialKind, EducationLevel
_KINDS: dict[str, tuple[CredentialKind, EducationLevel | None]] = {
    "badge": (_K.BADGE, None), "certification": (_K.CERTIFICATION, None),
    "certificate": (_K.CERTIFICATE, None), "microcredential": (_K.MICRO_CREDENTIAL, None),
    "license": (_K.LICENSE, None),
    # Completion and apprenticeship certificates attest a programme finished, not a
    # maintained certification: the certificate weight is the honest one.
    "certificateofcompletion": (_K.CERTIFICATE, None),
    "apprenticeshipcertificate": (_K.CERTIFICATE, None),
    "journeymancertificate": (_K.CERTIFICATE, None), "mastercertificate": (_K.CERTIFICATE, None),
    "associatedegree": (_K.DEGREE, _L.ASSOCIATE), "bachelordegree": (_K.DEGREE, _L.BACHELOR),
    "masterdegree": (_K.DEGREE, _L.MASTER), "doctoraldegree": (_K.DEGREE, _L.DOCTORATE),
    "professionaldoctorate": (_K.DEGREE, _L.DOCTORATE),
    "researchdoctorate": (_K.DEGREE, _L.DOCTORATE),
    "secondaryschooldiploma": (_K.DEGREE, _L.SECONDARY),
    "generaleducationdevelopment": (_K.DEGREE, _L.SECONDARY),
    # No level in the type: the API reads it from the name (DESIGN.md §3).
    "degree": (_K.DEGREE, None), "diploma": (_K.DEGREE, None),
}
# The rest of the OB 3.0 AchievementType enumeration: achievements, not credentials.
_BADGE_TYPES = frozenset({
    "achievement", "assessment", "assignment", "award", "communityservice", "competency",
    "course", "cocurricular", "fieldwork", "learningprogram", "membership",
    "qualityassurancecredential"})


@dataclass(frozen=True)
class BadgeMapping:
    """One badge as the API's credential and issuer input bodies.

    ``credential`` has the shape of ``CredentialInSchema`` and ``issuer`` that
    of ``IssuerInSchema``; ``issuer_ref`` is the issuer's id (URL or DID), for
    matching the registry before the name. ``result`` is the mapping as an
    :class:`~standards.result.ImportResult` whose body is ``{"credential": ...,
    "issuer": ...}``, so :meth:`document_path` points an API validation error
    at the document. ``standard`` is ``"ob3"`` or ``"ob2"``.
    """

    credential: dict[str, Any]
    issuer: dict[str, Any]
    issuer_ref: str | None
    result: ImportResult
    standard: str

    @property
    def skills(self) -> list[str]:
        """The credential's skill names, as the API will resolve them."""
        return list(self.credential["skills"])

    @property
    def report(self) -> dict[str, list[dict[str, Any]]]:
        """The report: ``{"mapped": [...], "unrecognised": [...]}`` as in ImportResult."""
        return {"mapped": self.result.mapped, "unrecognised": self.result.unrecognised}

    def document_path(self, body_path: str) -> str:
        """Where ``credential.<field>`` or ``issuer.<field>`` came from in the document."""
        return self.result.document_path(body_path)


def badge_to_credential(credential: dict[str, Any], *, resolver: SkillResolver,
                        format: str | None = None,
                        linked: Mapping[str, dict[str, Any]] | None = None) -> BadgeMapping:
    """Map an Open Badge to the API's credential and issuer bodies.

    Parameters
    ----------
    credential : dict
        An OB 3.0 credential, a VC 1.1 JWT payload, or an OB 2.0 assertion.
    resolver : SkillResolver
        Decides which names are skills; the API resolves the emitted names again.
    format : str, optional
        The verifier's format (``"ob3-..."`` or ``"ob2-..."``); read from the
        document when not given.
    linked : mapping of id to document, optional
        BadgeClass, achievement or issuer documents the badge names by URL only.

    Raises
    ------
    DocumentError
        When the badge has no name, no issuer, or a date that cannot be read.
    """
    linked = linked or {}
    view = read_badge(credential, format, linked)
    result = ImportResult(body={}, origin={"credential": view.root or "$"})
    name = _map_name(view, result)
    kind, level = _map_kind(view, result)
    issuer, ref = map_issuer(view.issuer, linked, result)
    issued, expires = _map_dates(view, result)
    body = {"name": name, "kind": kind.value, "issuer": issuer["name"], "issued_on": issued,
            "expires_on": expires, "skills": map_skills(view, resolver, result),
            "level": level.value if level else None}
    result.origin["credential.issuer"] = result.origin["issuer.name"]
    for path, reason, value in view.notes:
        result.skip(path, reason, value)
    result.body.update(credential=body, issuer=issuer)
    return BadgeMapping(body, issuer, ref, result, view.standard)


def achievement_kind(achievement_type: str | None
                     ) -> tuple[CredentialKind, EducationLevel | None]:
    """The credential kind (and, for degrees, the level) of an OB 3.0 achievement type.

    >>> achievement_kind("BachelorDegree")
    (<CredentialKind.DEGREE: 'degree'>, <EducationLevel.BACHELOR: 'bachelor'>)
    >>> achievement_kind("ext:Nanodegree")[0].value
    'badge'
    """
    key = re.sub(r"[^a-z]", "", (achievement_type or "").casefold())
    return _KINDS.get(key, (CredentialKind.BADGE, None))


# -- mapping ---------------------------------------------------------------------------


def _map_name(view: BadgeView, result: ImportResult) -> str:
    for value, path in view.names:
        if name := clean_text(value, 300, path, result):
            put(result, path, "credential.name", name)
            return name
    raise DocumentError(view.names[0][1], "The achievement has no name, and neither has the "
                                          "credential.")


def _map_kind(view: BadgeView, result: ImportResult
              ) -> tuple[CredentialKind, EducationLevel | None]:
    if view.kind is None:
        return CredentialKind.BADGE, None
    value, path = view.kind
    kind, level = achievement_kind(value if isinstance(value, str) else None)
    key = re.sub(r"[^a-z]", "", str(value).casefold())
    if isinstance(value, str) and (key in _KINDS or key in _BADGE_TYPES
                                   or value.startswith("ext:")):
        put(result, path, "credential.kind", value)
        if level is not None:
            put(result, path, "credential.level", value)
    else:
        result.skip(path, "Not an Open Badges 3.0 achievement type: counted as a badge.", value)
    return kind, level


def _map_dates(view: BadgeView, result: ImportResult) -> tuple[str | None, str | None]:
    issued = first_day(view.issued)
    expires = first_day(view.expires)
    if issued and not date(1900, 1, 1) <= issued[0] <= date(2099, 12, 31):
        raise DocumentError(issued[1], "An issue date between 1900 and 2099 is expected.")
    if expires and expires[0] > date(2099, 12, 31):
        result.skip(expires[1], "An expiry after 2099 is taken as none.", expires[0].isoformat())
        expires = None
    if expires and expires[0] < date(1900, 1, 1):
        raise DocumentError(expires[1], "An expiry date after 1900 is expected.")
    if expires and issued and expires[0] < issued[0]:
        raise DocumentError(expires[1], f"The credential expires before it was issued "
                                        f"({issued[0].isoformat()}).")
    for day, to in ((issued, "credential.issued_on"), (expires, "credential.expires_on")):
        if day:
            put(result, day[1], to, day[0].isoformat())
    return (issued[0].isoformat() if issued else None,
            expires[0].isoformat() if expires else None)
