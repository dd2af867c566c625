"""A badge's issuer as the API's issuer body, with the accreditations its profile claims.

:func:`issuer_profile` finds the issuer profile a badge names (embedded, in the
caller's ``linked`` documents, or only its id); :func:`map_issuer` turns it
into the body of ``IssuerInSchema``. A badge cannot vouch for its own issuer's
keys, so none are taken. The accreditations the profile lists (the issuer
accreditation extension's ``accreditations``, or OB 2.0's older
``extensions:IssuerAccreditation``) are kept, and count only once someone has
reviewed the issuer (DESIGN.md §3).

Examples
--------
>>> from standards.badge_issuers import map_issuer
>>> from standards.result import ImportResult
>>> result = ImportResult(body={})
>>> issuer, ref = map_issuer(({"id": "https://academy.example/issuer",
...                            "accreditations": [{"name": "Quality Board",
...                                                "status": "Probation"}]}, "issuer"),
...                          {}, result)
>>> issuer["name"], issuer["accreditations"][0]["status"], ref
('academy.example', 'active', 'https://academy.example/issuer')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from matcher.model import AccreditationStatus
from standards.badge_documents import is_ob2, linked_profile
from standards.badge_values import CONTROL, Located, clean_text, items_of, parse_day, put
from standards.errors import DocumentError
from standards.result import ImportResult, join

__all__ = ["MAX_ACCREDITATIONS", "issuer_profile", "map_issuer"]

MAX_ACCREDITATIONS = 50

_A = AccreditationStatus
# The accreditation extension has no status: an accreditation listed in the issuer's
# profile is one the issuer claims to hold. Some profiles add a status anyway, and the
# API knows three; each other word goes to the one whose effect on trust (DESIGN.md §4)
# matches it (letters only, case folded).
_STATUSES: dict[str, AccreditationStatus] = {
    **dict.fromkeys(("active", "accredited", "current", "granted", "valid", "reaffirmed",
                     "continued", "renewed"), _A.ACTIVE),
    # Probation, warning, show cause, review: the body still accredits while it acts.
    **dict.fromkeys(("probation", "onprobation", "warning", "onwarning", "notice", "onnotice",
                     "showcause", "underreview", "inreview"), _A.ACTIVE),
    # Ran out or given up: accredited once, no longer (the lapsed trust).
    **dict.fromkeys(("expired", "lapsed", "inactive", "resigned", "closed", "discontinued"),
                    _A.EXPIRED),
    # Taken away, suspended, refused or not granted yet: no accreditation in force,
    # and only "revoked" counts as none at all.
    **dict.fromkeys(("revoked", "suspended", "withdrawn", "terminated", "denied", "rejected",
                     "candidate", "candidacy", "pending", "applicant", "applied"), _A.REVOKED),
}
_STATUS_KEYS = ("accreditationStatus", "status")
_UNTIL_KEYS = ("validUntil", "expirationDate", "expires")


def issuer_profile(credential: dict[str, Any], *,
                   linked: Mapping[str, dict[str, Any]] | None = None) -> dict[str, Any] | None:
    """The issuer profile a badge names: embedded, linked, or ``{"id": ...}`` for a bare id.

    >>> issuer_profile({"credentialSubject": {}, "issuer": "did:key:z6Mkf"})
    {'id': 'did:key:z6Mkf'}
    >>> issuer_profile({"badge": {"issuer": {"id": "https://ex.org/i", "name": "Ex"}}})
    {'id': 'https://ex.org/i', 'name': 'Ex'}
    """
    linked = linked or {}
    if not isinstance(credential, dict):
        return None
    if is_ob2(credential):
        badge = linked_profile(credential.get("badge"), linked)
        return linked_profile(badge.get("issuer"), linked) if badge else None
    payload = credential.get("vc")
    if "credentialSubject" not in credential and isinstance(payload, dict):
        return linked_profile(payload.get("issuer", credential.get("iss")), linked)
    return linked_profile(credential.get("issuer"), linked)


def map_issuer(located: Located, linked: Mapping[str, Any], result: ImportResult
               ) -> tuple[dict[str, Any], str | None]:
    """The issuer body of the badge's issuer (value and path), and the issuer's id if any.

    Raises
    ------
    DocumentError
        When the badge names no issuer, or one with neither a name nor an id.
    """
    value, path = located
    profile = linked_profile(value, linked)
    if profile is None:
        raise DocumentError(path, "The credential names no issuer." if value is None else
                            "The issuer is an id or a profile object.")
    result.origin["issuer"] = path
    ref = profile.get("id") if isinstance(profile.get("id"), str) else None
    id_path = path if isinstance(value, str) else join(path, "id")
    name_path = path if isinstance(value, str) else join(path, "name")
    name = clean_text(profile.get("name"), 200, name_path, result)
    if name is None and ref:
        # No name to show: the DID, or the host of the profile's URL, names it until reviewed.
        name = clean_text(ref if ref.startswith("did:") else urlsplit(ref).hostname or ref, 200,
                          id_path, result)
    if name is None:
        raise DocumentError(name_path, "The issuer profile has neither a name nor an id.")
    put(result, name_path, "issuer.name", name)
    if ref:
        result.map(id_path, "issuer_ref", ref)
    did = ref if ref and ref.startswith("did:") and len(ref) <= 500 else None
    if did:
        put(result, id_path, "issuer.did", did)
    return {"name": name, "url": _url(profile, path, result), "did": did,
            "country": _country(profile, path, result),
            "accreditations": _accreditations(profile, path, result)}, ref


def _url(profile: dict[str, Any], path: str, result: ImportResult) -> str | None:
    raw = profile.get("url")
    text = raw.get("id") if isinstance(raw, dict) else raw
    if raw is None:
        return None
    if isinstance(text, str) and _is_web_url(text):
        put(result, join(path, "url"), "issuer.url", text)
        return text
    result.skip(join(path, "url"), "Not an http(s) URL of at most 500 characters.", raw)
    return None


def _is_web_url(text: str) -> bool:
    parts = urlsplit(text)
    return (parts.scheme in ("http", "https") and bool(parts.netloc) and len(text) <= 500
            and not re.search(r"\s", text) and not CONTROL.search(text))


def _country(profile: dict[str, Any], path: str, result: ImportResult) -> str | None:
    address = profile.get("address")
    if not isinstance(address, dict):
        return None
    for key in ("addressCountryCode", "addressCountry"):
        code = address.get(key)
        if isinstance(code, str) and re.fullmatch(r"[A-Za-z]{2}", code.strip()):
            put(result, join(path, "address", key), "issuer.country", code.strip().upper())
            return code.strip().upper()
    if "addressCountry" in address:
        result.skip(join(path, "address", "addressCountry"), "Not an ISO 3166-1 alpha-2 code: "
                    "the issuer's country is left out.", address["addressCountry"])
    return None


def _accreditations(profile: dict[str, Any], path: str, result: ImportResult
                    ) -> list[dict[str, Any]]:
    """The issuer accreditation extension's ``accreditations`` (and OB 2.0's older member)."""
    found: list[dict[str, Any]] = []
    for key in ("accreditations", "extensions:IssuerAccreditation"):
        for item, item_path in items_of(profile.get(key), join(path, key)):
            if len(found) == MAX_ACCREDITATIONS:
                result.skip(item_path, "More than 50 accreditations: the API keeps 50.", None)
            elif (accreditation := _accreditation(item, item_path, len(found), result)):
                found.append(accreditation)
    return found


def _accreditation(item: object, path: str, index: int, result: ImportResult
                   ) -> dict[str, Any] | None:
    """One AccreditationProfile: the accrediting body's profile plus the accreditation."""
    to = f"issuer.accreditations.{index}"
    if not isinstance(item, dict):
        result.skip(path, "An accreditation is an AccreditationProfile object; an id alone "
                          "names no accrediting body.", item)
        return None
    body, body_path = clean_text(item.get("name"), 200, join(path, "name"), result), "name"
    for key in ("url", "id") if body is None else ():
        # No name: the host of the body's web site or profile names it.
        if isinstance(item.get(key), str) and (body := urlsplit(item[key]).hostname):
            body_path = key
            break
    status, status_key = _status(item, path, result)
    if body is None or status is None:
        if body is None:
            result.skip(path, "The accreditation names no accrediting body.", item.get("id"))
        return None
    scope = "; ".join(f"{label}: {text}" for key, label in (
        ("educationalSector", "educational sector"), ("areaServed", "area served"))
        if (text := clean_text(item.get(key), 200, join(path, key), result)))
    valid_from = _accreditation_day(item, ("accreditationDate",), path, result)
    valid_until = _accreditation_day(item, _UNTIL_KEYS, path, result)
    if valid_from and valid_until and valid_until[0] < valid_from[0]:
        result.skip(valid_until[1], "Ends before the accreditation date: left out.",
                    valid_until[0].isoformat())
        valid_until = None
    result.origin[to] = path
    put(result, join(path, body_path), f"{to}.accrediting_body", body)
    for field_name, day in (("valid_from", valid_from), ("valid_until", valid_until)):
        if day:
            put(result, day[1], f"{to}.{field_name}", day[0].isoformat())
    if status_key:
        put(result, join(path, status_key), f"{to}.status", item[status_key])
    if scope:
        put(result, path, f"{to}.scope", scope)
    return {"accrediting_body": body, "status": status.value,
            "valid_from": valid_from[0].isoformat() if valid_from else None,
            "valid_until": valid_until[0].isoformat() if valid_until else None,
            "scope": scope or None}


def _status(item: dict[str, Any], path: str, result: ImportResult
            ) -> tuple[AccreditationStatus | None, str | None]:
    """The accreditation's status and the member it was read from (``None``: not given)."""
    key = next((k for k in _STATUS_KEYS if isinstance(item.get(k), str)), None)
    if key is None:
        return AccreditationStatus.ACTIVE, None  # in the issuer's profile: claimed as held
    # A status may be a word or a vocabulary URI; its last segment is the word.
    word = re.sub(r"[^a-z]", "", re.split(r"[/#:]", item[key].strip().casefold())[-1])
    if word not in _STATUSES:
        result.skip(join(path, key), "Unknown accreditation status: the accreditation is left "
                                     "out rather than guessed.", item[key])
        return None, None
    return _STATUSES[word], key


def _accreditation_day(item: dict[str, Any], keys: tuple[str, ...], path: str,
                       result: ImportResult) -> tuple[date, str] | None:
    for key in keys:
        if item.get(key) is not None:
            try:
                return parse_day(item[key], join(path, key)), join(path, key)
            except DocumentError:
                # The badge is still the candidate's: a bad accreditation date drops the date.
                result.skip(join(path, key), "Not a date: left out.", item[key])
    return None
