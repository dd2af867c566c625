"""Public keys of badge issuers, found offline.

A key comes either from a ``did:key`` identifier, decoded locally (Ed25519,
multicodec 0xed01, and P-256, 0x1200, both base58btc multibase ``z``), or
from the organisation's issuer registry: the API's issuer shape
``{"issuer_id", "name", "did", "url", "public_keys": [{"id", "type",
"public_key_jwk" | "public_key_multibase" | "public_key_pem"}]}``. Keys of
``did:web`` and other methods, or an Open Badges 2.0 key URL, are known only
when the registry holds them: nothing is looked up on the network.

>>> ring = KeyRing([])
>>> vm = "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
>>> found = ring.lookup(vm + "#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi", None)
>>> found.keys[0].kind, found.keys[0].speaks_for(vm)
('Ed25519', True)
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import base58
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

__all__ = [
    "IssuerKey",
    "KeyLookup",
    "KeyRing",
    "PublicKey",
    "SignatureCheck",
    "did_key",
    "key_from_did_key",
    "key_from_jwk",
    "key_from_multibase",
    "key_from_pem",
    "key_kind",
    "multikey",
    "same_key",
]

PublicKey = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey

ED25519_PREFIX = b"\xed\x01"  # multicodec ed25519-pub as an unsigned varint
P256_PREFIX = b"\x80\x24"  # multicodec p256-pub (0x1200)


def key_from_multibase(value: str) -> PublicKey:
    """A Multikey ``publicKeyMultibase`` (base58btc, multicodec-prefixed) as a key.

    >>> key_kind(key_from_multibase("z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"))
    'Ed25519'
    """
    if not value.startswith("z"):
        raise ValueError("Only base58btc multibase keys (prefix 'z') are supported.")
    try:
        raw = base58.b58decode(value[1:])
    except ValueError as error:
        raise ValueError(f"Not base58btc: {error}") from None
    if raw.startswith(ED25519_PREFIX) and len(raw) == 34:
        return ed25519.Ed25519PublicKey.from_public_bytes(raw[2:])
    if raw.startswith(P256_PREFIX) and len(raw) == 35:
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw[2:])
    raise ValueError("Unsupported key type: only Ed25519 (0xed01) and P-256 (0x1200) "
                     "multicodec keys are supported.")


def multikey(key: PublicKey) -> str:
    """The ``publicKeyMultibase`` of an Ed25519 or P-256 key."""
    if isinstance(key, ed25519.Ed25519PublicKey):
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return "z" + base58.b58encode(ED25519_PREFIX + raw).decode()
    if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1":
        point = key.public_bytes(serialization.Encoding.X962,
                                 serialization.PublicFormat.CompressedPoint)
        return "z" + base58.b58encode(P256_PREFIX + point).decode()
    raise ValueError("did:key and Multikey encode only Ed25519 and P-256 keys here.")


def did_key(key: PublicKey) -> str:
    """The ``did:key`` identifier of an Ed25519 or P-256 key."""
    return "did:key:" + multikey(key)


def key_from_did_key(did_url: str) -> PublicKey:
    """The key of ``did:key:z...`` or ``did:key:z...#z...`` (the fragment must repeat it)."""
    did, _, fragment = did_url.partition("#")
    identifier = did.removeprefix("did:key:")
    if fragment and fragment != identifier:
        raise ValueError(f"{did_url!r} is not a did:key verification method: its fragment "
                         "must repeat the key.")
    return key_from_multibase(identifier)


def _b64url(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def key_from_jwk(jwk: Mapping[str, Any]) -> PublicKey:
    """A public JWK: OKP Ed25519, EC P-256 or RSA."""
    try:
        kty = jwk["kty"]
        if kty == "OKP" and jwk.get("crv") == "Ed25519":
            return ed25519.Ed25519PublicKey.from_public_bytes(_b64url(jwk["x"]))
        if kty == "EC" and jwk.get("crv") == "P-256":
            x, y = (int.from_bytes(_b64url(jwk[c]), "big") for c in ("x", "y"))
            return ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
        if kty == "RSA":
            n, e = (int.from_bytes(_b64url(jwk[c]), "big") for c in ("n", "e"))
            return rsa.RSAPublicNumbers(e, n).public_key()
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"Not a usable public JWK ({error}).") from None
    raise ValueError("Unsupported JWK: only OKP Ed25519, EC P-256 and RSA keys are supported.")


def key_from_pem(pem: str) -> PublicKey:
    """A PEM public key (``BEGIN PUBLIC KEY``) or the key of a PEM certificate."""
    data = pem.strip().encode()
    try:
        key: Any = (x509.load_pem_x509_certificate(data).public_key()
                    if b"CERTIFICATE" in data.split(b"\n", 1)[0]
                    else serialization.load_pem_public_key(data))
    except ValueError as error:
        raise ValueError(f"Not a PEM public key ({error}).") from None
    if not isinstance(key, PublicKey):
        raise ValueError("Unsupported PEM key: only Ed25519, EC and RSA keys are supported.")
    return key


def key_kind(key: PublicKey) -> str:
    """``Ed25519``, ``RSA``, or the curve of an EC key (``P-256``)."""
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519"
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA"
    return {"secp256r1": "P-256", "secp384r1": "P-384"}.get(key.curve.name, key.curve.name)


def same_key(a: PublicKey, b: PublicKey) -> bool:
    spki = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return a.public_bytes(*spki) == b.public_bytes(*spki)


def _norm(identifier: str | None) -> str | None:
    return identifier.strip().rstrip("/") if identifier else None


@dataclass(frozen=True)
class IssuerKey:
    """A public key and the issuer identifiers it may sign for.

    ``controllers`` are a ``did:key``'s DID, or a registry issuer's ``did``
    and ``url`` plus the part of the key id before ``#``.
    """

    key_id: str
    public_key: PublicKey
    source: str  # "did:key" or "registry"
    controllers: frozenset[str] = frozenset()
    issuer_id: int | None = None
    issuer_name: str | None = None

    @property
    def kind(self) -> str:
        return key_kind(self.public_key)

    def speaks_for(self, issuer: str | None) -> bool:
        return _norm(issuer) in self.controllers

    def describe(self) -> str:
        owner = f" registered for {self.issuer_name}" if self.issuer_name else ""
        return f"{self.kind} key {self.key_id}{owner}"


@dataclass(frozen=True)
class KeyLookup:
    """The keys that may have made a signature, or why there are none."""

    wanted: str | None
    keys: tuple[IssuerKey, ...] = ()
    problem: str | None = None


@dataclass(frozen=True)
class SignatureCheck:
    """What one signature check found.

    ``outcome``: ``verified``; ``failed`` (it does not verify, or the proof is
    not acceptable); ``unknown-key`` (no key found: nothing proven);
    ``unsupported`` (a proof type this service cannot check).
    """

    outcome: str
    detail: str
    method: str
    key_id: str | None = None
    keys: tuple[IssuerKey, ...] = field(default=())


def _did_key(ref: str) -> KeyLookup:
    try:
        public = key_from_did_key(ref)
    except ValueError as error:
        return KeyLookup(ref, problem=f"The key {ref} cannot be read: {error}")
    did = ref.partition("#")[0]
    return KeyLookup(ref, (IssuerKey(ref, public, "did:key", frozenset({did})),))


class KeyRing:
    """The registry's issuer keys, indexed for :meth:`lookup`."""

    def __init__(self, issuers: Sequence[Mapping[str, Any]]):
        self.keys: list[IssuerKey] = []
        self.broken: dict[str, str] = {}  # key id -> why its material cannot be read
        self.by_controller: dict[str, list[IssuerKey]] = {}
        for issuer in issuers:
            self._add_issuer(issuer)

    def _add_issuer(self, issuer: Mapping[str, Any]) -> None:
        names = {_norm(issuer.get("did")), _norm(issuer.get("url"))} - {None}
        for entry in issuer.get("public_keys") or ():
            key_id = str(entry.get("id", "")).strip()
            try:
                public = _registry_key(entry)
            except ValueError as error:
                self.broken[key_id] = str(error)
                continue
            base = _norm(key_id.partition("#")[0]) if "#" in key_id else None
            key = IssuerKey(key_id, public, "registry",
                            frozenset(n for n in names | {base} if n),
                            issuer.get("issuer_id"), issuer.get("name"))
            self.keys.append(key)
            for name in names:
                self.by_controller.setdefault(str(name), []).append(key)

    def lookup(self, key_ref: str | None, issuer: str | None) -> KeyLookup:
        """The keys a verification method, ``kid`` or key URL names.

        With no reference, every key of a ``did:key`` issuer or of the
        registry issuer whose ``did`` or ``url`` is ``issuer``.
        """
        ref = (key_ref or "").strip()
        if not ref:
            return self._issuer_keys(issuer)
        if ref.startswith("#") and issuer:
            ref = issuer + ref
        if ref.startswith("did:key:"):
            return _did_key(ref)
        found = ([k for k in self.keys if k.key_id == ref] or self._by_fragment(ref)
                 or self.by_controller.get(str(_norm(ref)), []))
        if found:
            return KeyLookup(ref, tuple(found))
        if ref in self.broken:
            return KeyLookup(ref, problem=f"The registered key {ref} cannot be read: "
                                          f"{self.broken[ref]}")
        return KeyLookup(ref, problem=f"The key {ref} is not a did:key and is not in the "
                                      "issuer registry.")

    def _by_fragment(self, ref: str) -> list[IssuerKey]:
        base, _, fragment = ref.partition("#")
        if not fragment:
            return []
        wanted = {fragment, "#" + fragment, ref}
        # Named by the full reference, which says more than a registry id like "#key-1".
        return [replace(k, key_id=ref) for k in self.by_controller.get(str(_norm(base)), [])
                if k.key_id in wanted]

    def _issuer_keys(self, issuer: str | None) -> KeyLookup:
        if issuer and issuer.startswith("did:key:"):
            return _did_key(issuer)
        keys = self.by_controller.get(str(_norm(issuer)), []) if issuer else []
        if keys:
            return KeyLookup(None, tuple(keys))
        return KeyLookup(None, problem="The credential names no key, and the issuer registry "
                                       f"holds no keys for issuer {issuer or '(none named)'}.")

    def registered(self, public: PublicKey) -> IssuerKey | None:
        """The registry entry of this very key, if there is one."""
        return next((k for k in self.keys if same_key(k.public_key, public)), None)


def _registry_key(entry: Mapping[str, Any]) -> PublicKey:
    if entry.get("public_key_jwk") is not None:
        return key_from_jwk(entry["public_key_jwk"])
    if entry.get("public_key_multibase") is not None:
        return key_from_multibase(str(entry["public_key_multibase"]).strip())
    if entry.get("public_key_pem") is not None:
        return key_from_pem(str(entry["public_key_pem"]))
    raise ValueError("It has no public_key_jwk, public_key_multibase or public_key_pem.")
