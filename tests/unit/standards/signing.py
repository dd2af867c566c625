"""Test-only helpers: issuers with freshly generated keys, and credentials they sign.

Every supported format is produced here from plain JSON: Data Integrity
(``eddsa-rdfc-2022``), VC-JWT (VC Data Model 1.1 ``vc`` claim, or VC 2.0
``vc+jwt``), Open Badges 2.0 signed JWS, and status lists. Nothing here is
used by ``standards/`` itself.
"""

from __future__ import annotations

import base64
import copy
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from standards.dataintegrity import sign_eddsa_rdfc_2022
from standards.keys import did_key, multikey
from standards.status import encode_status_list

DATA = Path(__file__).resolve().parent / "data" / "verify"
NOW = datetime(2025, 6, 1, tzinfo=UTC)

PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
ALG = {"Ed25519": "EdDSA", "P-256": "ES256", "RSA": "RS256"}


def load(name: str) -> Any:
    """A document of ``data/verify`` (a fresh copy every time)."""
    text = (DATA / name).read_text("utf-8")
    return json.loads(text) if name.endswith(".json") else text.strip() if name.endswith(
        ".jws") else text


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to open a socket fails the test: verification must stay offline."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield


def new_key(kind: str) -> PrivateKey:
    if kind == "Ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    if kind == "P-256":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(key: PrivateKey) -> dict:
    public = key.public_key()
    if isinstance(public, ed25519.Ed25519PublicKey):
        return dict(jwt.algorithms.OKPAlgorithm.to_jwk(public, as_dict=True))
    if isinstance(public, ec.EllipticCurvePublicKey):
        return dict(jwt.algorithms.ECAlgorithm.to_jwk(public, as_dict=True))
    return dict(jwt.algorithms.RSAAlgorithm.to_jwk(public, as_dict=True))


def public_pem(key: PrivateKey) -> str:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


@dataclass
class Issuer:
    """An issuer with one private key, registered under ``url`` (or only as a did:key)."""

    key: PrivateKey
    kind: str
    url: str
    key_id: str
    name: str = "Test Issuer"
    issuer_id: int = 1

    @property
    def did(self) -> str:
        return did_key(self.key.public_key())

    @property
    def did_key_method(self) -> str:
        return f"{self.did}#{self.did.removeprefix('did:key:')}"

    def registry(self, form: str = "jwk", key_id: str | None = None) -> dict:
        """This issuer in the API's issuer shape, its key as a JWK, multibase or PEM."""
        material: dict[str, Any] = {
            "jwk": {"public_key_jwk": public_jwk(self.key)},
            "pem": {"public_key_pem": public_pem(self.key)},
        }.get(form) or {"public_key_multibase": multikey(self.key.public_key())}  # type: ignore
        return {"issuer_id": self.issuer_id, "name": self.name, "did": None, "url": self.url,
                "public_keys": [{"id": key_id or self.key_id, "type": "JsonWebKey", **material}]}


def issuer(kind: str = "Ed25519", url: str = "https://issuer.example/profiles/1",
           fragment: str = "key-1", **kwargs: Any) -> Issuer:
    return Issuer(new_key(kind), kind, url, f"{url}#{fragment}", **kwargs)


def ob3_credential(issuer_id: str, **members: Any) -> dict:
    """The 1EdTech basic OpenBadgeCredential example, issued by ``issuer_id``."""
    credential = load("basicOpenBadgeCredential.json")
    credential["issuer"]["id"] = issuer_id
    credential.update(members)
    return credential


def sign_di(credential: dict, signer: Issuer, method: str | None = None,
            created: str = "2024-01-02T03:04:05Z") -> dict:
    assert isinstance(signer.key, ed25519.Ed25519PrivateKey)
    return sign_eddsa_rdfc_2022(credential, signer.key, method or signer.key_id, created)


def sign_jws(payload: dict, key: PrivateKey, alg: str | None = None,
             headers: dict | None = None) -> str:
    kind = ("Ed25519" if isinstance(key, ed25519.Ed25519PrivateKey) else
            "P-256" if isinstance(key, ec.EllipticCurvePrivateKey) else "RSA")
    return jwt.encode(payload, key, algorithm=alg or ALG[kind], headers=headers or {})


def sign_vc_jwt(credential: dict, signer: Issuer, *, kid: str | None = "default",
                jwk: bool = False, encoding: str = "vc-jwt", **claims: Any) -> str:
    """A VC-JWT: the ``vc`` claim with iss/nbf/jti/sub, or a VC 2.0 ``vc+jwt`` payload."""
    headers: dict[str, Any] = {"typ": "vc+jwt" if encoding == "vc+jwt" else "JWT"}
    if kid:
        headers["kid"] = signer.key_id if kid == "default" else kid
    if jwk:
        headers["jwk"] = public_jwk(signer.key)
    if encoding == "vc+jwt":
        return sign_jws({**credential, **claims}, signer.key, headers=headers)
    payload = {"vc": credential, "iss": credential["issuer"]["id"],
               "nbf": int(datetime.fromisoformat(credential["validFrom"]).timestamp()),
               "jti": credential["id"], "sub": credential["credentialSubject"]["id"], **claims}
    return sign_jws(payload, signer.key, headers=headers)


def tamper_jws(token: str, change: Any) -> str:
    """The token with its payload changed by ``change(payload)`` and the old signature."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    change(claims)
    encoded = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{encoded}.{signature}"


def status_list(url: str, issuer_id: str, revoked: set[int], purpose: str = "revocation",
                kind: str = "BitstringStatusList") -> dict:
    """An unsigned BitstringStatusListCredential or StatusList2021Credential."""
    v2 = kind == "BitstringStatusList"
    return {
        "@context": (["https://www.w3.org/ns/credentials/v2"] if v2 else
                     ["https://www.w3.org/2018/credentials/v1",
                      "https://w3id.org/vc/status-list/2021/v1"]),
        "id": url,
        "type": ["VerifiableCredential", kind + "Credential"],
        "issuer": issuer_id,
        ("validFrom" if v2 else "issuanceDate"): "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": url + "#list", "type": kind, "statusPurpose": purpose,
                              "encodedList": encode_status_list(revoked, multibase=v2)},
    }


def status_entry(url: str, index: int, purpose: str = "revocation",
                 kind: str = "BitstringStatusListEntry") -> dict:
    return {"id": f"{url}#{index}", "type": kind, "statusPurpose": purpose,
            "statusListIndex": str(index), "statusListCredential": url}


def leaves(document: Any, path: tuple = ()) -> Iterator[tuple]:
    """The path of every scalar in a JSON document."""
    if isinstance(document, dict):
        for key, value in document.items():
            yield from leaves(value, (*path, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from leaves(value, (*path, index))
    else:
        yield path


def changed(document: Any, path: tuple, value: Any = None) -> Any:
    """A copy with the leaf at ``path`` replaced (by default, visibly altered)."""
    result = copy.deepcopy(document)
    parent = result
    for step in path[:-1]:
        parent = parent[step]
    old = parent[path[-1]]
    parent[path[-1]] = value if value is not None else alter(old)
    return result


def alter(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    return str(value) + "x"
