"""Export: a candidate written as a JSON Resume document the 1.x schema accepts.

Skills go out twice: as text in a work ``summary`` and exactly in the
``x-talentmatch`` member, which the import takes as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from types import MappingProxyType

from matcher.model import Candidate, Credential, CredentialKind, Experience, Issuer, SkillRef
from standards.json_resume.common import EXTENSION, SCHEMA_URL, iso

__all__ = ["candidate_to_resume"]

_NO_ISSUERS: Mapping[int, Issuer] = MappingProxyType({})


def candidate_to_resume(candidate: Candidate, *, declared_skills: Sequence[str] | None = None,
                        issuers: Mapping[int, Issuer] = _NO_ISSUERS,
                        canonical: str | None = None, last_modified: datetime | None = None
                        ) -> dict:
    """A JSON Resume document of ``candidate`` (valid against the 1.x schema).

    ``declared_skills`` are the names for the ``skills`` section (default: the
    candidate's own declared skills); ``issuers`` names registry issuers by id (a
    credential's written issuer name is used otherwise); ``canonical`` is the
    document's URL, if it has one. Degrees go to ``education``, other
    credentials to ``certificates``.

    >>> from datetime import date
    >>> role = Experience("Analyst", date(2020, 3, 1), skills=(SkillRef("SQL", "sql"),))
    >>> (work,) = candidate_to_resume(Candidate("c-1", "Ana", experience=(role,)))["work"]
    >>> work["startDate"], work["summary"], work["x-talentmatch"]
    ('2020-03-01', 'Skills: SQL.', {'skills': [{'name': 'SQL', 'id': 'sql'}]})
    """
    degrees = [c for c in candidate.credentials if c.kind is CredentialKind.DEGREE]
    others = [c for c in candidate.credentials if c.kind is not CredentialKind.DEGREE]
    stamp = (last_modified or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S")
    if declared_skills is None:
        declared_skills = [ref.name for ref in candidate.skills]
    sections = {
        "work": [_work_out(role) for role in candidate.experience],
        "education": [_education_out(c, issuers) for c in degrees],
        "certificates": [_certificate_out(c, issuers) for c in others],
        "skills": [{"name": name} for name in dict.fromkeys(declared_skills)],
    }
    return {"$schema": SCHEMA_URL, "basics": _basics_out(candidate),
            **{key: items for key, items in sections.items() if items},
            "meta": _drop_none({"version": "v1.0.0", "lastModified": stamp,
                                "canonical": canonical})}


def _drop_none(values: dict) -> dict:
    return {k: v for k, v in values.items() if v is not None}


def _basics_out(candidate: Candidate) -> dict:
    return _drop_none({"name": candidate.name, "email": candidate.email,
                       "location": _location_out(candidate.location)})


def _location_out(location: str | None) -> dict | None:
    """City, region and country code when the text reads back the same, else the address.

    >>> _location_out("Palo Alto, CA, US"), _location_out("Berlin")
    ({'city': 'Palo Alto', 'region': 'CA', 'countryCode': 'US'}, {'city': 'Berlin'})
    """
    if location is None:
        return None
    parts = [p.strip() for p in location.split(",")]
    if ", ".join(parts) != location or not all(parts) or len(parts) > 3 or (
            len(parts) == 3 and not re.fullmatch("[A-Z]{2}", parts[2])):
        return {"address": location}
    return dict(zip(("city", "region", "countryCode"), parts, strict=False))


def _skills_out(refs: Sequence[SkillRef]) -> list[dict]:
    return [_drop_none({"name": ref.name, "id": ref.skill_id}) for ref in refs]


def _work_out(role: Experience) -> dict:
    names = ", ".join(ref.name for ref in role.skills)
    return _drop_none({
        "name": role.employer, "position": role.title, "description": role.industry,
        "startDate": role.start_date.isoformat(), "endDate": iso(role.end_date),
        "summary": f"Skills: {names}." if names else None,
        EXTENSION: {"skills": _skills_out(role.skills)},
    })


def _credential_extension_out(credential: Credential) -> dict:
    check = credential.verification
    verification = _drop_none({"status": check.status.value, "method": check.method,
                               "checkedAt": check.checked_at and check.checked_at.isoformat()})
    return _drop_none({"kind": credential.kind.value, "expiresOn": iso(credential.expires_on),
                       "skills": _skills_out(credential.skills), "verification": verification})


def _issuer_name(credential: Credential, issuers: Mapping[int, Issuer]) -> str | None:
    issuer = issuers.get(credential.issuer_id) if credential.issuer_id is not None else None
    return issuer.name if issuer is not None else credential.issuer_name


def _certificate_out(credential: Credential, issuers: Mapping[int, Issuer]) -> dict:
    return _drop_none({"name": credential.name, "date": iso(credential.issued_on),
                       "issuer": _issuer_name(credential, issuers),
                       EXTENSION: _credential_extension_out(credential)})


def _education_out(credential: Credential, issuers: Mapping[int, Issuer]) -> dict:
    """``studyType`` and ``area`` split at " in " (the import joins them there)."""
    study, _, area = credential.name.partition(" in ")
    extension = _credential_extension_out(credential)
    extension.update(_drop_none({"name": credential.name,
                                 "level": credential.level and credential.level.value}))
    return _drop_none({"institution": _issuer_name(credential, issuers), "studyType": study,
                       "area": area or None, "endDate": iso(credential.issued_on),
                       EXTENSION: extension})
