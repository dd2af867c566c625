"""Revocation and suspension, checked against status lists the caller supplies.

Nothing is fetched: ``lists`` maps a URL to the document found there (a
dict, JSON text, or a VC-JWT string), as the caller has it. A list that is not
supplied leaves the check ``not-checked``, naming its URL. Supported:

- ``BitstringStatusListEntry`` (VC 2.0 Bitstring Status List): the list
  credential's ``encodedList`` is multibase base64url (``u``) of the GZIP of
  the bitstring; index 0 is the most significant bit of the first byte;
- ``StatusList2021Entry``: the same, base64url without the multibase prefix;
- ``1EdTechRevocationList``: the entry's ``id`` is the list's URL; the list's
  ``revokedCredentials`` hold ``{"id", "revoked"?, "revocationReason"?}``,
  and a credential is revoked when its id is there with ``revoked`` true or
  absent;
- Open Badges 2.0: an assertion's own ``revoked: true``, a supplied hosted
  copy saying so, and the issuer profile's ``revocationList``, whose
  ``revokedAssertions`` hold assertion ids or ``{"id" | "uid",
  "revocationReason"}``.

A list that is itself a signed credential is verified like any credential. If
its signature does not verify, the list is not used; if it cannot be verified
(unsigned, unknown key) it is used with a warning. A suspension counts as
revoked: the credential is not valid while it lasts.

>>> bits = decode_status_list(encode_status_list({3}, 16))
>>> [status_bit(bits, i) for i in range(5)]
[0, 0, 0, 1, 0]
"""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from standards.dataintegrity import verify_data_integrity
from standards.errors import DocumentError
from standards.keys import KeyRing, SignatureCheck
from standards.ob2 import as_object, at_hand, issuer_profile
from standards.vcjwt import issuer_id, parse_jws, verify_vc_jwt

__all__ = ["StatusOutcome", "check_credential_status", "check_ob2_revocation",
           "decode_status_list", "encode_status_list", "status_bit"]

BITSTRING, LIST2021, ONE_EDTECH = "BitstringStatusListEntry", "StatusList2021Entry", \
    "1EdTechRevocationList"
MAX_LIST_BYTES = 16 * 1024 * 1024  # 134 million entries; the spec's minimum list is 16 KiB
MAX_STATUS_SIZE = 64  # bits per entry; the spec's examples use 1 to 8


@dataclass(frozen=True)
class StatusOutcome:
    """``outcome`` is passed, failed (revoked or suspended), warning or not-checked."""

    outcome: str
    detail: str
    revoked: bool = False


def encode_status_list(revoked: Iterable[int], length: int = 131072,
                       multibase: bool = True) -> str:
    """An ``encodedList`` with the given bits set (the spec's minimum is 131,072 bits)."""
    bits = bytearray((length + 7) // 8)
    for index in revoked:
        bits[index // 8] |= 0x80 >> (index % 8)
    encoded = base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode().rstrip("=")
    return "u" + encoded if multibase else encoded


def decode_status_list(encoded: str, multibase: bool = True) -> bytes:
    """The bitstring of an ``encodedList``; ValueError if it cannot be decoded."""
    if multibase:
        if not encoded.startswith("u"):
            raise ValueError("The encodedList is not multibase base64url (prefix 'u').")
        encoded = encoded[1:]
    try:
        packed = base64.b64decode(encoded + "=" * (-len(encoded) % 4), altchars=b"-_",
                                  validate=True)
        # Decompress with a ceiling: a few kilobytes of GZIP can expand to gigabytes.
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        bits = inflater.decompress(packed, MAX_LIST_BYTES + 1)
    except (ValueError, zlib.error) as error:
        raise ValueError(f"The encodedList cannot be decoded ({error}).") from None
    if len(bits) > MAX_LIST_BYTES:
        raise ValueError(f"The encodedList is larger than {MAX_LIST_BYTES} bytes.")
    if not bits or not inflater.eof:
        raise ValueError("The encodedList is empty or truncated.")
    return bits


def status_bit(bits: bytes, index: int, size: int = 1) -> int:
    """The status value at ``index`` (``size`` bits each, most significant bit first)."""
    value = 0
    for position in range(index * size, (index + 1) * size):
        value = (value << 1) | (bits[position // 8] >> (7 - position % 8)) & 1
    return value


def check_credential_status(credential: Mapping[str, Any], lists: Mapping[str, Any],
                            keyring: KeyRing) -> StatusOutcome:
    """The status of a VC from its ``credentialStatus`` entries (all of them)."""
    entries = credential.get("credentialStatus")
    if not entries:
        return StatusOutcome("not-checked", "The credential publishes no revocation status.")
    outcomes = [_entry(entry, credential, lists, keyring)
                for entry in (entries if isinstance(entries, list) else [entries])]
    return _combine(outcomes)


def _combine(outcomes: list[StatusOutcome]) -> StatusOutcome:
    for wanted in ("failed", "not-checked", "warning"):
        chosen = [o for o in outcomes if o.outcome == wanted]
        if chosen:
            return StatusOutcome(wanted, " ".join(o.detail for o in chosen),
                                 any(o.revoked for o in chosen))
    return StatusOutcome("passed", " ".join(o.detail for o in outcomes))


def _entry(entry: Any, credential: Mapping[str, Any], lists: Mapping[str, Any],
           keyring: KeyRing) -> StatusOutcome:
    types = entry.get("type") if isinstance(entry, Mapping) else None
    kinds = types if isinstance(types, list) else [types]
    kind = next((k for k in kinds if k in (BITSTRING, LIST2021, ONE_EDTECH)), types)
    if kind in (BITSTRING, LIST2021):
        return _bitstring_entry(entry, lists, keyring)
    if kind == ONE_EDTECH:
        return _one_edtech_entry(entry, credential, lists)
    return StatusOutcome("not-checked", f"The status method {kind!r} is not supported, so "
                                        "revocation was not checked.")


def _missing(url: Any, what: str = "status list") -> StatusOutcome:
    return StatusOutcome("not-checked", f"The {what} {url} was not supplied and nothing is "
                                        "fetched offline, so revocation was not checked.")


def _bitstring_entry(entry: Mapping[str, Any], lists: Mapping[str, Any],
                     keyring: KeyRing) -> StatusOutcome:
    url, purpose = str(entry.get("statusListCredential")), entry.get("statusPurpose", "revocation")
    if url not in lists:
        return _missing(url)
    try:
        index, size = int(entry["statusListIndex"]), int(entry.get("statusSize", 1))
        if index < 0 or not 1 <= size <= MAX_STATUS_SIZE:
            raise ValueError
    except (KeyError, TypeError, ValueError):
        return StatusOutcome("not-checked", "The status entry has no usable statusListIndex "
                                            "or statusSize.")
    document, trust = _open_list(lists[url], keyring)
    if document is None:
        return StatusOutcome("not-checked", f"The status list {url} was not used: {trust}")
    subject = document.get("credentialSubject")
    subject = subject if isinstance(subject, Mapping) else {}
    listed = subject.get("statusPurpose", purpose)
    if purpose not in (listed if isinstance(listed, list) else [listed]):
        return StatusOutcome("not-checked", f"The status list {url} is for {listed!r}, not for "
                                            f"{purpose!r}.")
    try:
        bits = decode_status_list(str(subject.get("encodedList")),
                                  multibase=entry.get("type") == BITSTRING)
        if (index + 1) * size > len(bits) * 8:
            raise ValueError(f"index {index} is beyond its {len(bits) * 8} entries")
    except ValueError as error:
        return StatusOutcome("not-checked", f"The status list {url} cannot be read: {error}.")
    return _verdict(status_bit(bits, index, size), purpose, f"{url}, index {index}", trust)


def _verdict(value: int, purpose: str, where: str, trust: str | None) -> StatusOutcome:
    caveat = f" {trust}" if trust else ""
    if value and purpose in ("revocation", "suspension"):
        word = "Revoked" if purpose == "revocation" else "Suspended"
        return StatusOutcome("failed", f"{word} by its issuer (status list {where}).{caveat}",
                             revoked=True)
    if purpose not in ("revocation", "suspension"):
        return StatusOutcome("passed", f"The {purpose} status entry ({where}) does not bear on "
                                       "validity.")
    return StatusOutcome("warning" if trust else "passed",
                         f"Not {'revoked' if purpose == 'revocation' else 'suspended'} "
                         f"according to the status list {where}.{caveat}")


def _open_list(value: Any, keyring: KeyRing) -> tuple[dict | None, str | None]:
    """A status list credential and a caveat about its signature (None: it verifies).

    Without a document, the second item says why the list cannot be used.
    """
    try:
        if isinstance(value, str) and not value.lstrip().startswith("{"):
            read = verify_vc_jwt(parse_jws(value), keyring)
            return _trusted(read.credential, read.check)
        document = json.loads(value) if isinstance(value, str) else value
        if not isinstance(document, dict):
            return None, "it is not a JSON object."
        if "proof" not in document:
            return document, "The status list carries no proof, so it could not be verified."
        return _trusted(document, verify_data_integrity(document, keyring, issuer_id(document)))
    except (DocumentError, ValueError) as error:
        return None, f"it cannot be read ({_reason(error)})."


def _reason(error: Exception) -> str:
    if isinstance(error, DocumentError):
        return " ".join(m for messages in error.errors.values() for m in messages)
    return str(error)


def _trusted(document: dict, check: SignatureCheck) -> tuple[dict | None, str | None]:
    if check.outcome == "failed":
        return None, f"its signature does not verify ({check.detail})"
    if check.outcome != "verified":
        return document, f"The status list's own signature could not be verified: {check.detail}"
    if not any(k.speaks_for(issuer_id(document)) for k in check.keys):
        return document, "The status list is signed with a key that is not its issuer's."
    return document, None


def _one_edtech_entry(entry: Mapping[str, Any], credential: Mapping[str, Any],
                      lists: Mapping[str, Any]) -> StatusOutcome:
    url, credential_id = str(entry.get("id")), credential.get("id")
    if url not in lists:
        return _missing(url, "revocation list")
    if not credential_id:
        return StatusOutcome("not-checked", "The credential has no id to look up in its "
                                            f"revocation list {url}.")
    document = as_object(lists[url])
    items = document.get("revokedCredentials") if document else None
    if not isinstance(items, list):
        return StatusOutcome("not-checked", f"The revocation list {url} has no "
                                            "revokedCredentials list.")
    for item in items:
        if isinstance(item, Mapping) and item.get("id") == credential_id \
                and item.get("revoked", True) is not False:
            return _revoked(url, item.get("revocationReason"))
    return StatusOutcome("passed", f"Not revoked according to the revocation list {url}.")




def _revoked(url: Any, reason: Any) -> StatusOutcome:
    because = f" Reason given: {reason}" if isinstance(reason, str) and reason else ""
    return StatusOutcome("failed", f"Revoked by its issuer (revocation list {url}).{because}",
                         revoked=True)


def check_ob2_revocation(assertion: Mapping[str, Any],
                         documents: Mapping[str, Any]) -> StatusOutcome:
    """Whether an Open Badges 2.0 assertion is revoked, from what is at hand."""
    hosted = as_object(documents.get(str(assertion.get("id")))) or {}
    for source in (assertion, hosted):
        if source.get("revoked") is True:
            return _revoked(f"flag in the {'hosted ' if source is hosted else ''}assertion",
                            source.get("revocationReason"))
    profile, missing = issuer_profile(assertion, documents)
    if profile is None:
        return _missing(missing, "BadgeClass or issuer Profile") if missing else StatusOutcome(
            "not-checked", "The assertion names no issuer profile to find a revocation list in.")
    url = profile.get("revocationList")
    if not url:
        return StatusOutcome("passed", "The issuer publishes no revocation list and the "
                                       "assertion is not marked revoked.")
    listed, _ = at_hand(url, documents)
    if listed is None:
        return _missing(url, "revocation list")
    ids = {v for v in (assertion.get("id"), assertion.get("uid")) if isinstance(v, str)}
    revoked = listed.get("revokedAssertions")
    for item in revoked if isinstance(revoked, list) else ():
        found = item if isinstance(item, str) else (
            item.get("id") or item.get("uid") if isinstance(item, Mapping) else None)
        if isinstance(found, str) and found in ids:
            return _revoked(url if isinstance(url, str) else url.get("id"),
                            item.get("revocationReason") if isinstance(item, Mapping) else None)
    return StatusOutcome("passed", f"Not revoked according to the revocation list "
                                   f"{url if isinstance(url, str) else url.get('id')}.")
