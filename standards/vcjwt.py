"""Credentials as compact JWS: VC-JWT (Open Badges 3.0 / VC Data Model 1.1) and VC 2.0 JOSE.

Two encodings reach us as ``header.payload.signature``:

- VC-JWT of VC Data Model 1.1, which Open Badges 3.0 uses: the credential is
  the ``vc`` claim, beside the registered claims ``iss`` (issuer id), ``nbf``
  (valid from), ``exp`` (valid until), ``jti`` (credential id) and ``sub``
  (subject id);
- VC 2.0 JOSE (``typ: vc+jwt``): the payload is the credential itself.

Signatures are RS256, ES256 or EdDSA, checked with PyJWT. The key comes from
the header's ``kid`` (a ``did:key`` or a registry key), else from its ``jwk``
when that very key is registered or is the issuer's ``did:key``, else from the
registry keys of the issuer. A ``jwk`` the registry does not know is still
used to check the signature, but then proves nothing about the issuer.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt

from standards.errors import DocumentError
from standards.keys import IssuerKey, KeyLookup, KeyRing, SignatureCheck, key_from_jwk, same_key

__all__ = ["ALGORITHMS", "CompactJws", "JwtCredential", "check_jws", "issuer_id", "parse_jws",
           "read_vc_jwt", "verify_vc_jwt"]

ALGORITHMS = {"RS256": "RSA", "ES256": "P-256", "EdDSA": "Ed25519"}  # alg -> key kind


@dataclass(frozen=True)
class CompactJws:
    """A compact JWS split into its decoded header and JSON payload."""

    token: str
    header: dict
    payload: dict

    @property
    def alg(self) -> str:
        return str(self.header.get("alg"))


def _b64json(part: str, what: str) -> dict:
    try:
        value = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, UnicodeDecodeError):
        raise DocumentError("$", f"The JWS {what} is not base64url-encoded JSON.") from None
    if not isinstance(value, dict):
        raise DocumentError("$", f"The JWS {what} is not a JSON object.")
    return value


def parse_jws(token: str) -> CompactJws:
    """Split and decode a compact JWS; :class:`DocumentError` if it is not one.

    >>> parse_jws("eyJhbGciOiJSUzI1NiJ9.e30.c2ln").header
    {'alg': 'RS256'}
    """
    parts = token.strip().split(".")
    if len(parts) != 3 or not all(parts[:2]):
        raise DocumentError("$", "Not a compact JWS (header.payload.signature).")
    return CompactJws(token.strip(), _b64json(parts[0], "header"), _b64json(parts[1], "payload"))


def check_jws(jws: CompactJws, found: KeyLookup, method: str,
              carried: IssuerKey | None = None) -> SignatureCheck:
    """Check the signature with the keys found, or with a key the token carries itself."""
    if jws.alg not in ALGORITHMS:
        return SignatureCheck("failed", f"The signature algorithm {jws.alg!r} is not accepted "
                                        f"(only {', '.join(ALGORITHMS)}).", method, found.wanted)
    keys = found.keys or ((carried,) if carried else ())
    if not keys:
        return SignatureCheck("unknown-key", str(found.problem), method, found.wanted)
    fitting = [k for k in keys if k.kind == ALGORITHMS[jws.alg]]
    if not fitting:
        return SignatureCheck("failed", f"The token is signed with {jws.alg}, but the key "
                                        f"{keys[0].key_id} is a {keys[0].kind} key.",
                              method, keys[0].key_id)
    key = next((k for k in fitting if _verifies(jws, k)), None)
    named = found.wanted or fitting[0].key_id
    if key is None:
        tried = "the key" if len(fitting) == 1 else f"any of the {len(fitting)} keys of"
        return SignatureCheck("failed", f"The {jws.alg} signature does not verify with {tried} "
                                        f"{named}: the token was changed after it was signed, "
                                        "or signed with another key.", method, named)
    if not found.keys:
        return SignatureCheck("unknown-key", "The token is signed with a key it carries itself "
                                             "(its jwk header), which is neither registered nor "
                                             "the issuer's did:key: the signature proves "
                                             "nothing about who issued it.", method,
                              found.wanted)
    return SignatureCheck("verified", f"The {jws.alg} signature verifies with "
                                      f"{key.describe()}.", method, key.key_id, (key,))


def _verifies(jws: CompactJws, key: IssuerKey) -> bool:
    try:
        jwt.PyJWS().decode_complete(jws.token, key=key.public_key, algorithms=[jws.alg])
    except (jwt.PyJWTError, TypeError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class JwtCredential:
    """A credential read from a VC-JWT, with what its signature check found."""

    credential: dict
    encoding: str  # "vc-jwt" (VC Data Model 1.1 / OB 3.0) or "vc+jwt" (VC 2.0 JOSE)
    check: SignatureCheck
    iss: str | None


def issuer_id(credential: Mapping[str, Any]) -> str | None:
    """The credential's issuer id (``issuer`` is an id or a profile with one)."""
    issuer = credential.get("issuer")
    value = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    return value if isinstance(value, str) else None


def read_vc_jwt(jws: CompactJws) -> tuple[dict, str] | None:
    """The credential a VC-JWT or VC 2.0 JOSE payload holds, or None if it holds none.

    For VC Data Model 1.1 the registered claims stand in for the credential
    members they encode when those are absent, as that specification's
    decoding rules say.
    """
    payload = jws.payload
    if isinstance(payload.get("vc"), dict):
        credential = dict(payload["vc"])
        v2 = "https://www.w3.org/ns/credentials/v2" in _list(credential.get("@context"))
        claims = {"iss": "issuer", "jti": "id",
                  "nbf": "validFrom" if v2 else "issuanceDate",
                  "exp": "validUntil" if v2 else "expirationDate"}
        for claim, member in claims.items():
            if claim in payload and member not in credential:
                credential[member] = _member(claim, payload[claim])
        return credential, "vc-jwt"
    if "VerifiableCredential" in _list(payload.get("type")) and "@context" in payload:
        return dict(payload), "vc+jwt"
    return None


def _member(claim: str, value: Any) -> Any:
    if claim in ("nbf", "exp") and isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC).isoformat().replace("+00:00", "Z")
    return value


def _list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def verify_vc_jwt(jws: CompactJws, keyring: KeyRing) -> JwtCredential:
    """Read and check a VC-JWT; :class:`DocumentError` if its payload holds no credential."""
    read = read_vc_jwt(jws)
    if read is None:
        raise DocumentError("$", "The JWT holds no verifiable credential (no 'vc' claim and "
                                 "no VerifiableCredential payload).")
    credential, encoding = read
    iss = jws.payload.get("iss") if isinstance(jws.payload.get("iss"), str) else None
    found, carried = _keys(jws, keyring, issuer_id(credential) or iss)
    return JwtCredential(credential, encoding, check_jws(jws, found, f"vc-jwt {jws.alg}", carried),
                         iss)


def _keys(jws: CompactJws, keyring: KeyRing,
          issuer: str | None) -> tuple[KeyLookup, IssuerKey | None]:
    """The trusted keys for the token, and an untrusted key it carries (``jwk``), if any."""
    kid = jws.header.get("kid") if isinstance(jws.header.get("kid"), str) else None
    found = keyring.lookup(kid, issuer)
    if found.keys or not isinstance(jws.header.get("jwk"), dict):
        return found, None
    try:
        public = key_from_jwk(jws.header["jwk"])
    except ValueError as error:
        return KeyLookup(kid, problem=f"The token's jwk header cannot be read: {error}"), None
    trusted: Sequence[IssuerKey] = [k for k in keyring.lookup(None, issuer).keys
                                    if same_key(k.public_key, public)]
    registered = trusted[0] if trusted else keyring.registered(public)
    if registered:
        return KeyLookup(kid, (registered,)), None
    return (KeyLookup(kid, problem=f"The key {kid or 'in the jwk header'} is neither a did:key "
                                   "nor a registered key."),
            IssuerKey(kid or "the token's own jwk", public, "jwk header"))
