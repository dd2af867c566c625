"""Verify an Open Badge offline: :func:`verify_badge`, the entry point.

Formats, detected from the document itself:

=====================  ==============================================================
``ob3-data-integrity``  OB 3.0 / VC JSON-LD with an embedded proof (eddsa-rdfc-2022)
``ob3-vc-jwt``          OB 3.0 / VC as a compact JWT (VC-JWT 1.1 or VC 2.0 ``vc+jwt``)
``ob3-unsigned``        OB 3.0 / VC JSON-LD without a proof
``ob2-signed``          OB 2.0 assertion as a compact JWS
``ob2-hosted``          OB 2.0 assertion JSON (hosted verification)
=====================  ==============================================================

The status follows DESIGN.md §4: a signature that does not verify, or a key
that is not the issuer's, is ``failed``; a revoked (or suspended) credential
is ``revoked``; a good signature is ``verified``; anything that proves nothing
(no proof, a hosted assertion, a key that is neither a ``did:key`` nor in the
issuer registry) is ``unverified``. Expiry does not change the status, since
scoring already discounts expired credentials: the ``validity`` check warns.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import Any

from matcher.model import VerificationStatus
from standards.dataintegrity import PROOF_TYPE, SUITE, proofs_of, verify_data_integrity
from standards.errors import DocumentError
from standards.jsonld import bundled_contexts, check_contexts, context_urls
from standards.keys import KeyRing, SignatureCheck
from standards.ob2 import is_assertion, issuer_matches, issuer_of, verification_type, verify_signed
from standards.status import StatusOutcome, check_credential_status, check_ob2_revocation
from standards.vcjwt import CompactJws, issuer_id, parse_jws, read_vc_jwt, verify_vc_jwt

__all__ = ["BadgeVerification", "Check", "verify_badge"]

VC_CONTEXTS = ("https://www.w3.org/ns/credentials/v2", "https://www.w3.org/2018/credentials/v1")
OB3_TYPES = {"VerifiableCredential", "OpenBadgeCredential", "AchievementCredential",
             "EndorsementCredential"}
_NO_LISTS: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class Check:
    """One step of a verification: format, context, signature, issuer, validity or status.

    ``outcome`` is ``passed``, ``failed``, ``not-checked`` or ``warning``.
    """

    name: str
    outcome: str
    detail: str


@dataclass(frozen=True)
class BadgeVerification:
    """What :func:`verify_badge` found; ``credential`` is the credential or assertion JSON.

    ``key_id`` is the key used (or the unknown key named); ``registry_issuer_id``
    is the ``issuer_id`` of the registry issuer whose key verified the
    signature, when a registry key did.
    """

    format: str
    credential: dict
    status: VerificationStatus
    method: str
    detail: str
    checks: tuple[Check, ...]
    key_id: str | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    registry_issuer_id: int | None = None


def verify_badge(document: object, *, keys: Sequence[Mapping[str, Any]],
                 status_lists: Mapping[str, dict | str] = _NO_LISTS,
                 now: datetime) -> BadgeVerification:
    """Verify a badge offline.

    ``keys`` is the issuer registry (the API's issuer shape with
    ``issuer_id``); ``status_lists`` maps URLs to documents the caller has
    (status lists, revocation lists, OB 2.0 BadgeClasses and Profiles).

    Raises
    ------
    DocumentError
        It is not a badge: not an object or a compact JWS, no type, no credential.
    UnknownContext
        A Data Integrity proof needs a JSON-LD context that is not bundled.

    Examples
    --------
    >>> badge = {"@context": ["https://www.w3.org/ns/credentials/v2"],
    ...          "type": ["VerifiableCredential"], "issuer": "https://issuer.example",
    ...          "validUntil": "2024-06-30T00:00:00Z", "credentialSubject": {"id": "urn:x:1"}}
    >>> result = verify_badge(badge, keys=[], now=datetime(2025, 1, 1, tzinfo=UTC))
    >>> result.format, result.status.value, result.method
    ('ob3-unsigned', 'unverified', 'unsigned')
    >>> [(c.name, c.outcome) for c in result.checks][3:5]
    [('issuer', 'not-checked'), ('validity', 'warning')]
    >>> import textwrap
    >>> print(textwrap.fill(result.detail, 90))
    The credential carries no proof that ties it to its issuer, so it counts as self-reported.
    It expired on 2024-06-30; the credential publishes no revocation status.
    """
    keyring = KeyRing(keys)
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    if isinstance(document, str):
        text = document.strip()
        if not text.startswith("{"):
            return _verify_jws(parse_jws(text), keyring, status_lists, now)
        try:
            document = json.loads(text)
        except ValueError as error:
            raise DocumentError("$", f"Not JSON: {error}.") from None
    if not isinstance(document, Mapping):
        raise DocumentError("$", "A badge is a JSON object or a compact JWS string.")
    if not document.get("type"):
        raise DocumentError("type", "A badge document must say its type.")
    if is_assertion(document):
        return _verify_ob2_json(dict(document), status_lists, now)
    if any(t in OB3_TYPES for t in _list(document.get("type")) if isinstance(t, str)):
        return _verify_ob3_json(dict(document), keyring, status_lists, now)
    raise DocumentError("type", f"Not an Open Badge: type {document.get('type')!r}.")


def _verify_jws(jws: CompactJws, keyring: KeyRing, lists: Mapping[str, Any],
                now: datetime) -> BadgeVerification:
    if is_assertion(jws.payload):
        check = verify_signed(jws, keyring, lists)
        issuer = issuer_of(jws.payload, lists)
        return _ob2_result("ob2-signed", jws.payload, check, _issuer_check(check, issuer, True),
                           lists, now)
    if read_vc_jwt(jws) is None:
        raise DocumentError("$", "The JWS holds neither a verifiable credential nor an Open "
                                 "Badges 2.0 assertion.")
    read = verify_vc_jwt(jws, keyring)
    credential = read.credential
    issuer = issuer_id(credential)
    checks = [_vc_format(credential, read.check, f"encoded as a {read.encoding} JWT"),
              _context_check(credential, needed=False), _signature_check(read.check),
              _issuer_check(read.check, issuer, False, read.iss)]
    return _finish("ob3-vc-jwt", credential, read.check.method, read.check, checks,
                   check_credential_status(credential, lists, keyring), now)


def _verify_ob3_json(document: dict, keyring: KeyRing, lists: Mapping[str, Any],
                     now: datetime) -> BadgeVerification:
    signed = "proof" in document
    if signed:
        check_contexts(document)
    issuer = issuer_id(document)
    if signed:
        check = verify_data_integrity(document, keyring, issuer)
        method = SUITE if check.outcome != "unsupported" else _proof_kind(document)
        how = "with an embedded Data Integrity proof"
    else:
        check = SignatureCheck("unsupported", "The credential carries no proof that ties it to "
                                              "its issuer.", "unsigned")
        method, how = "unsigned", "without a proof"
    checks = [_vc_format(document, check, how), _context_check(document, needed=signed),
              _signature_check(check), _issuer_check(check, issuer, False)]
    return _finish("ob3-data-integrity" if signed else "ob3-unsigned", document, method, check,
                   checks, check_credential_status(document, lists, keyring), now)


def _verify_ob2_json(assertion: dict, lists: Mapping[str, Any],
                     now: datetime) -> BadgeVerification:
    if verification_type(assertion) == "signed":
        check = SignatureCheck("unsupported", "A signed assertion must be given as its compact "
                                              "JWS: the JSON alone carries no signature.",
                               "ob2-signed")
        return _ob2_result("ob2-signed", assertion, check, _issuer_check(check, None, True),
                           lists, now)
    url = assertion.get("id") or "its id"
    check = SignatureCheck("unsupported", f"A hosted assertion is verified against the issuer's "
                                          f"copy at {url}, which was not fetched (offline).",
                           "ob2-hosted")
    return _ob2_result("ob2-hosted", assertion, check, _issuer_check(check, None, True), lists,
                       now)


def _ob2_result(kind: str, assertion: dict, check: SignatureCheck, issuer: Check,
                lists: Mapping[str, Any], now: datetime) -> BadgeVerification:
    checks = [Check("format", "passed", f"An Open Badges 2.0 assertion ({kind[4:]})."),
              _context_check(assertion, needed=False), _signature_check(check), issuer]
    return _finish(kind, assertion, check.method, check, checks,
                   check_ob2_revocation(assertion, lists), now)


def _list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _vc(credential: Mapping[str, Any]) -> str:
    return "VC 2.0" if VC_CONTEXTS[0] in _list(credential.get("@context")) else "VC 1.1"


def _vc_format(credential: Mapping[str, Any], check: SignatureCheck, how: str) -> Check:
    """The format check. A malformed credential raises, unless its signature failed anyway:
    then tampering is the better explanation, and the check says what is malformed."""
    problem = _format_problem(credential)
    if problem is None:
        return Check("format", "passed", f"An Open Badges 3.0 credential ({_vc(credential)}) "
                                         f"{how}.")
    if check.outcome != "failed":
        raise problem
    return Check("format", "failed", _message(problem))


def _format_problem(credential: Mapping[str, Any]) -> DocumentError | None:
    if "VerifiableCredential" not in _list(credential.get("type")):
        return DocumentError("type", "A verifiable credential's type must include "
                                     "'VerifiableCredential'.")
    if (_list(credential.get("@context")) or [None])[0] not in VC_CONTEXTS:
        return DocumentError("@context", "A verifiable credential's @context must begin with "
                                         f"{VC_CONTEXTS[0]} or {VC_CONTEXTS[1]}.")
    if not issuer_id(credential):
        return DocumentError("issuer", "A verifiable credential must name its issuer's id.")
    return None


def _message(error: DocumentError) -> str:
    return " ".join(f"{path}: {m}" for path, messages in error.errors.items() for m in messages)


def _proof_kind(document: Mapping[str, Any]) -> str:
    proof = proofs_of(document)[0]
    return str(proof.get("cryptosuite") if proof.get("type") == PROOF_TYPE else proof.get("type"))


def _context_check(document: Mapping[str, Any], needed: bool) -> Check:
    urls = [url for _, url in context_urls(document)]
    unknown = [url for url in urls if url not in bundled_contexts()]
    if unknown:  # only reached when the signature does not depend on JSON-LD
        return Check("context", "warning", f"The context {unknown[0]} is not bundled; the "
                                           "signature check does not need it.")
    use = "used to canonicalise the document" if needed else "known"
    return Check("context", "passed", f"All {len(urls)} JSON-LD contexts are bundled ({use}).")


def _signature_check(check: SignatureCheck) -> Check:
    outcome = {"verified": "passed", "failed": "failed"}.get(check.outcome, "not-checked")
    return Check("signature", outcome, check.detail)


def _issuer_check(check: SignatureCheck, issuer: str | None, ob2: bool,
                  iss: str | None = None) -> Check:
    if iss and issuer and iss != issuer:
        return Check("issuer", "failed", f"The JWT's iss ({iss}) is not the credential's "
                                         f"issuer ({issuer}).")
    if check.outcome != "verified":
        return Check("issuer", "not-checked", "No verified signature ties the credential to "
                                              "its issuer.")
    if issuer is None:
        return Check("issuer", "not-checked", f"Signed with {check.keys[0].describe()}; the "
                                              "issuer profile was not at hand to compare.")
    if any(issuer_matches(k, issuer) if ob2 else k.speaks_for(issuer) for k in check.keys):
        return Check("issuer", "passed", f"The signing key belongs to the issuer {issuer}.")
    return Check("issuer", "failed", f"The credential names the issuer {issuer}, but it is "
                                     f"signed with {check.keys[0].describe()}, which is not "
                                     "that issuer's key.")


def _finish(kind: str, credential: dict, method: str, check: SignatureCheck, checks: list[Check],
            status: StatusOutcome, now: datetime) -> BadgeVerification:
    valid_from, valid_until, validity = _validity(credential, kind.startswith("ob2"), now,
                                                  strict=check.outcome != "failed")
    checks += [validity, Check("status", status.outcome, status.detail)]
    failed = next((c for c in checks if c.outcome == "failed" and c.name != "status"), None)
    if failed:
        result, lead = VerificationStatus.FAILED, failed.detail
    elif status.revoked:
        result, lead = VerificationStatus.REVOKED, status.detail
    elif check.outcome == "verified":
        result, lead = VerificationStatus.VERIFIED, check.detail
    else:
        result = VerificationStatus.UNVERIFIED
        lead = check.detail.rstrip(".") + ", so it counts as self-reported."
    tail = validity.detail if status.revoked and not failed else (
        f"{validity.detail[:-1]}; {status.detail[:1].lower()}{status.detail[1:]}")
    signer = next((k.issuer_id for k in check.keys if k.issuer_id is not None), None)
    return BadgeVerification(kind, credential, result, method, f"{lead} {tail}", tuple(checks),
                             check.key_id, valid_from, valid_until,
                             signer if result == VerificationStatus.VERIFIED else None)


DATES = {"ob2": ("issuedOn", "expires"), "vc2": ("validFrom", "validUntil"),
         "vc1": ("issuanceDate", "expirationDate")}


def _validity(credential: Mapping[str, Any], ob2: bool, now: datetime,
              strict: bool) -> tuple[datetime | None, datetime | None, Check]:
    """Validity dates and the check on them; an unreadable date raises only when ``strict``."""
    names = DATES["ob2"] if ob2 else DATES["vc2"] if _vc(credential) == "VC 2.0" else DATES["vc1"]
    try:
        start, end = (_datetime(credential.get(n), n) for n in names)
    except DocumentError as error:
        if strict:
            raise
        return None, None, Check("validity", "not-checked", _message(error))
    if end and end < now:
        return start, end, Check("validity", "warning", f"It expired on {end.date()}.")
    if start and start > now:
        return start, end, Check("validity", "warning", f"It is not valid until {start.date()}.")
    if not start and not end:
        return start, end, Check("validity", "not-checked", "It gives no validity dates.")
    since = f" from {start.date()}" if start else ""
    return start, end, Check("validity", "passed",
                             f"It is valid{since}{f' until {end.date()}' if end else ''}.")


def _datetime(value: Any, path: str) -> datetime | None:
    if value is None:
        return None
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, UTC)  # OB 1.x/2.0 allowed Unix timestamps
        parsed = datetime.fromisoformat(str(value)) if "T" in str(value) else datetime.combine(
            date.fromisoformat(str(value)), datetime.min.time())
    except (ValueError, OverflowError, OSError):
        raise DocumentError(path, f"Not a date-time: {value!r}.") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
