"""Use case behind ``POST /candidates/{id}/badges``: verify Open Badges offline, keep them.

:func:`standards.verify.verify_badge` checks the signature, dates and status
against keys from the issuer registry (and ``did:key``, resolved locally)
and against status lists supplied now or kept from earlier requests;
:func:`standards.badges.badge_to_credential` turns the badge into a
credential. The issuer comes from the registry (by DID or URL, then by
name) or is added unreviewed from the badge's issuer profile (§3).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import datetime

import marshmallow as ma

from api.errors import flatten_messages
from api.intake import IssuerDirectory, candidate_from_input
from api.repositories.candidates import CandidateRepository
from api.repositories.issuers import IssuerRepository, name_key
from api.repositories.status_lists import KnownStatusLists, StatusListRepository
from api.schemas.candidates import CredentialInSchema
from api.schemas.issuers import IssuerInSchema
from matcher import model
from matcher.errors import InvalidInput, NotFound
from matcher.skills import ResolvedNames, SkillResolver
from standards.badges import BadgeMapping, badge_to_credential
from standards.verify import BadgeVerification, verify_badge

__all__ = ["add_badges", "badges_of", "registry_keys", "remove_badge"]


def registry_keys(issuers: Sequence[model.Issuer]) -> list[dict]:
    """The registry as the verifier reads it: who may sign, with which keys."""
    return [{"issuer_id": i.id, "name": i.name, "did": i.did, "url": i.url,
             "public_keys": [dict(k) for k in i.public_keys]} for i in issuers]


def add_badges(candidate_id: int, documents: Sequence[object],
               supplied_lists: Mapping[str, dict | str], linked: Mapping[str, dict], *,
               candidates: CandidateRepository,
               issuers: IssuerRepository, status_lists: StatusListRepository,
               resolver: SkillResolver, now: datetime, paths: Sequence[str]) -> list[dict]:
    """Verify and add ``documents`` to the candidate; one report per badge, in order.

    ``paths`` says where each document is in the request, for error messages.
    """
    candidate = candidates.get(candidate_id)
    # Linked BadgeClasses and profiles also serve the verifier (an OB 2.0 issuer's list URL).
    lists = KnownStatusLists({**linked, **supplied_lists}, status_lists)
    keys = registry_keys(issuers.with_keys())
    checks = [_verify(doc, keys, lists, now, at)
              for doc, at in zip(documents, paths, strict=True)]
    mappings = [_mapped(check, resolver, linked, at)
                for check, at in zip(checks, paths, strict=True)]
    status_lists.save(supplied_lists)
    reports = []
    credentials = []
    for document, check, (body, issuer_body, issuer_ref, mapping) in zip(
            documents, checks, mappings, strict=True):
        issuer, added = _issuer(issuers, issuer_body, issuer_ref, check.registry_issuer_id)
        credentials.append(_credential(body, issuer, check, document, resolver, now))
        reports.append({"issuer": {"id": issuer.id, "name": issuer.name,
                                   "reviewed": issuer.reviewed, "added": added},
                        "verification": _verification_out(check, now),
                        "mapped": mapping.report.get("mapped", []),
                        "unrecognised": mapping.report.get("unrecognised", [])})
    replaced = _without_resubmitted(candidate, checks)
    saved = candidates.replace(candidate_id, dataclasses.replace(
        candidate, credentials=replaced + tuple(credentials)))
    for report, credential in zip(reports, saved.credentials[len(replaced):], strict=True):
        report["credential_id"] = credential.id
        report["name"] = credential.name
        report["kind"] = credential.kind.value
    return reports


def badges_of(candidates: CandidateRepository, candidate_id: int) -> list[dict]:
    """The candidate's Open Badges: the credential each became, its check, its document."""
    return [_badge_out(k) for k in candidates.get(candidate_id).credentials
            if k.badge is not None]


def remove_badge(candidates: CandidateRepository, candidate_id: int, credential_id: int) -> None:
    """Take one badge (by its credential id) away from the candidate."""
    candidate = candidates.get(candidate_id)
    kept = tuple(k for k in candidate.credentials
                 if not (k.id == credential_id and k.badge is not None))
    if len(kept) == len(candidate.credentials):
        raise NotFound(f"Candidate {candidate_id} holds no badge {credential_id}.")
    candidates.replace(candidate_id, dataclasses.replace(candidate, credentials=kept))


def _badge_out(k: model.Credential) -> dict:
    badge = k.badge if isinstance(k.badge, dict) else {}
    v = k.verification
    return {"credential_id": k.id, "name": k.name, "kind": k.kind.value,
            "issuer": k.issuer_name, "issuer_id": k.issuer_id, "format": badge.get("format"),
            "verification": {"status": v.status.value, "method": v.method, "detail": v.detail,
                             "checked_at": v.checked_at.isoformat() if v.checked_at else None},
            "document": badge.get("document")}


def _verify(document: object, keys: list[dict], lists: Mapping[str, dict | str],
            now: datetime, path: str) -> BadgeVerification:
    try:
        return verify_badge(document, keys=keys, status_lists=lists, now=now)
    except InvalidInput as error:
        raise InvalidInput(str(error), {_at(path, k): v for k, v in error.errors.items()}
                           ) from None


def _mapped(check: BadgeVerification, resolver: SkillResolver, linked: Mapping[str, dict],
            path: str) -> tuple:
    try:
        mapping = badge_to_credential(check.credential, resolver=resolver, format=check.format,
                                      linked=dict(linked))
    except InvalidInput as error:
        raise InvalidInput(str(error), {_at(path, k): v for k, v in error.errors.items()}
                           ) from None
    body = _load(CredentialInSchema(), mapping, "credential", path)
    issuer = _load(IssuerInSchema(), mapping, "issuer", path)
    return body, issuer, mapping.issuer_ref, mapping


def _at(path: str, key: str) -> str:
    return path if key == "$" else f"{path}.{key}"


def _load(schema: ma.Schema, mapping: BadgeMapping, part: str, path: str) -> dict:
    """A part of the mapping loaded by the API's schema; errors point into the badge."""
    data = getattr(mapping, part)
    try:
        return schema.load({k: v for k, v in data.items() if k in schema.fields})
    except ma.ValidationError as error:
        raise InvalidInput("The badge does not make a valid credential.", {
            _at(path, mapping.document_path(f"{part}.{k}")): v
            for k, v in flatten_messages(error.messages).items()}) from None


def _issuer(issuers: IssuerRepository, body: dict, ref: str | None, signer: int | None
            ) -> tuple[model.Issuer, bool]:
    """The registry issuer of a badge: the one whose key signed it, by DID or URL, by name,
    else added unreviewed from the badge's profile."""
    found = issuers.by_ids([signer]).get(signer) if signer is not None else None
    if found is None and ref:
        found = issuers.by_references([ref]).get(ref)
    if found is None:
        found = issuers.by_names([body["name"]]).get(name_key(body["name"]))
    if found is not None:
        return found, False
    return issuers.add(body, reviewed=False), True


def _credential(body: dict, issuer: model.Issuer, check: BadgeVerification, document: object,
                resolver: SkillResolver, now: datetime) -> model.Credential:
    directory = IssuerDirectory({}, {issuer.id: issuer})
    item = {**body, "issuer": None, "issuer_id": issuer.id,
            "verification": {"status": check.status.value, "method": check.method,
                             "detail": check.detail, "checked_at": now},
            # Kept with the id that identifies a resubmission of the same badge.
            "badge": {"format": check.format, "id": check.credential.get("id"),
                      "document": document}}
    names = ResolvedNames(resolver, list(item.get("skills", ())))
    (credential,) = candidate_from_input(
        {"external_id": "-", "name": "-", "credentials": [item]}, names, directory).credentials
    return credential


def _without_resubmitted(candidate: model.Candidate, checks: Sequence[BadgeVerification]
                         ) -> tuple[model.Credential, ...]:
    """Held credentials, less badges submitted again (same credential id): no duplicates."""
    ids = {check.credential.get("id") for check in checks} - {None}
    return tuple(k for k in candidate.credentials
                 if not (isinstance(k.badge, dict | str) and _badge_id(k.badge) in ids))


def _badge_id(badge: dict | str) -> str | None:
    found = badge.get("id") if isinstance(badge, dict) else None
    return found if isinstance(found, str) else None


def _verification_out(check: BadgeVerification, now: datetime) -> dict:
    return {"status": check.status.value, "method": check.method, "detail": check.detail,
            "checked_at": now.isoformat(), "format": check.format, "key_id": check.key_id,
            "checks": [{"name": c.name, "outcome": c.outcome, "detail": c.detail}
                       for c in check.checks]}
