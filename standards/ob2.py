"""Open Badges 2.0 assertions, hosted and signed, checked offline.

A hosted assertion (``verification.type`` ``hosted`` / ``HostedBadge``) is
verified by fetching the issuer's copy at its ``id``; offline that cannot be
done, so it stays unverified. A signed one (``signed`` / ``SignedBadge``) is
a compact JWS whose payload is the assertion, signed (typically RS256) with
the key that ``verification.creator`` names: a CryptographicKey URL, known
here only through the issuer registry. Open Badges 1.1 spelled
``verification`` as ``verify``; both are read.

Linked documents (the BadgeClass at ``badge``, the issuer Profile at its
``issuer``) are used when embedded or when the caller supplies them by URL.

>>> is_assertion({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion"})
True
>>> verification_type({"verification": {"type": "SignedBadge"}})
'signed'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from standards.keys import IssuerKey, KeyRing, SignatureCheck
from standards.vcjwt import CompactJws, check_jws

__all__ = ["CONTEXTS", "as_object", "at_hand", "is_assertion", "issuer_matches", "issuer_of",
           "issuer_profile", "verification_type", "verify_signed"]

CONTEXTS = ("https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json")


def _list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def as_object(value: Any) -> dict | None:
    """A JSON object given as a dict or as JSON text; None for anything else."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return dict(value) if isinstance(value, Mapping) else None


def at_hand(value: Any, documents: Mapping[str, Any]) -> tuple[dict | None, str | None]:
    """An embedded object, or the supplied document at a URL; else the URL that is missing."""
    if isinstance(value, str):
        return (as_object(documents[value]), None) if value in documents else (None, value)
    return as_object(value), None


def is_assertion(document: Mapping[str, Any]) -> bool:
    """An Open Badges 2.0 assertion (its type, or the OB 2.0 context without a VC type)."""
    types = _list(document.get("type"))
    if "Assertion" in types:
        return True
    return "VerifiableCredential" not in types and any(
        c in CONTEXTS for c in _list(document.get("@context")) if isinstance(c, str))


def verification_type(assertion: Mapping[str, Any]) -> str | None:
    """``hosted``, ``signed``, or None when the assertion says neither."""
    verification = assertion.get("verification") or assertion.get("verify")
    kind = verification.get("type") if isinstance(verification, Mapping) else None
    return {"hosted": "hosted", "HostedBadge": "hosted",
            "signed": "signed", "SignedBadge": "signed"}.get(str(kind))


def issuer_profile(assertion: Mapping[str, Any],
                   documents: Mapping[str, Any]) -> tuple[dict | None, str | None]:
    """The issuer Profile (embedded or supplied) and, if it is not at hand, the URL missing."""
    badge, missing = at_hand(assertion.get("badge"), documents)
    if badge is None:
        return None, missing
    return at_hand(badge.get("issuer"), documents)


def issuer_of(assertion: Mapping[str, Any], documents: Mapping[str, Any]) -> str | None:
    """The issuer Profile's id, when the BadgeClass is at hand."""
    badge, _ = at_hand(assertion.get("badge"), documents)
    issuer = badge.get("issuer") if badge else None
    value = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    return value if isinstance(value, str) else None


def issuer_matches(key: IssuerKey, issuer: str) -> bool:
    """Whether a key speaks for an OB 2.0 issuer Profile id.

    Profile ids are URLs of JSON documents on the issuer's site
    (``https://example.org/organization.json``), while the registry holds the
    site (``https://example.org``): the same origin is accepted, as hosted
    verification itself trusts the issuer's origin.
    """
    if key.speaks_for(issuer):
        return True
    origin = _origin(issuer)
    return origin is not None and any(_origin(c) == origin for c in key.controllers)


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme in ("http", "https") \
        and parts.netloc else None


def verify_signed(jws: CompactJws, keyring: KeyRing,
                  documents: Mapping[str, Any]) -> SignatureCheck:
    """Check a signed assertion's JWS with the key its ``creator`` names.

    Without a ``creator`` (or header ``kid``), every registry key of the
    issuer is tried, when the issuer is known from the BadgeClass.
    """
    verification = jws.payload.get("verification") or jws.payload.get("verify") or {}
    creator = verification.get("creator") if isinstance(verification, Mapping) else None
    kid = jws.header.get("kid")
    ref = creator if isinstance(creator, str) else kid if isinstance(kid, str) else None
    found = keyring.lookup(ref, issuer_of(jws.payload, documents))
    return check_jws(jws, found, f"ob2-signed {jws.alg}")
