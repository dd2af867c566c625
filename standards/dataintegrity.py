"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C vc-di-eddsa).

The signature is Ed25519 over ``sha256(canonical proof configuration) ||
sha256(canonical document)``, both canonicalised with RDFC-1.0 by
:func:`standards.jsonld.canonicalize`; ``proofValue`` is the signature in
base58btc multibase. A document may carry one proof or a list of them (a
proof set, or a chain through ``previousProof``): every proof must verify, and
every one must be made for ``assertionMethod``, the purpose of issuing.

>>> from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
>>> from standards.keys import KeyRing, did_key
>>> secret = Ed25519PrivateKey.generate()
>>> issuer = did_key(secret.public_key())
>>> doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
...        "issuer": issuer, "credentialSubject": {"id": "did:example:alice"}}
>>> signed = sign_eddsa_rdfc_2022(doc, secret, issuer + "#" + issuer[8:], "2024-01-01T00:00:00Z")
>>> verify_data_integrity(signed, KeyRing([]), issuer).outcome
'verified'
>>> signed["credentialSubject"]["id"] = "did:example:mallory"
>>> verify_data_integrity(signed, KeyRing([]), issuer).outcome
'failed'
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ed25519

from standards.errors import DocumentError
from standards.jsonld import UnsafeDocument, canonicalize
from standards.keys import IssuerKey, KeyRing, SignatureCheck

__all__ = ["PROOF_TYPE", "SUITE", "proofs_of", "sign_eddsa_rdfc_2022", "signing_input",
           "verify_data_integrity"]

SUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"


def proofs_of(document: Mapping[str, Any]) -> list[dict]:
    """The document's proofs (``proof`` may be one object or a list)."""
    proof = document.get("proof")
    proofs: list[dict] = []
    for index, item in enumerate(proof if isinstance(proof, list) else [proof]):
        if not isinstance(item, dict):
            raise DocumentError(f"proof.{index}" if isinstance(proof, list) else "proof",
                                "A proof must be an object.")
        proofs.append(item)
    if not proofs:
        raise DocumentError("proof", "The proof list is empty.")
    return proofs


def _unsecured(document: Mapping[str, Any], proof: Mapping[str, Any]) -> dict:
    """The document a proof signed: no proofs, or the ones its ``previousProof`` names."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    previous = proof.get("previousProof")
    if previous:
        ids = {p for p in (previous if isinstance(previous, list) else [previous])
               if isinstance(p, str)}
        chained = [p for p in proofs_of(document) if p.get("id") in ids]
        unsecured["proof"] = chained[0] if len(chained) == 1 else chained
    if "@context" in proof:
        unsecured["@context"] = proof["@context"]
    return unsecured


def signing_input(unsecured: Mapping[str, Any], options: Mapping[str, Any]) -> bytes:
    """``sha256(canonical proof configuration) || sha256(canonical document)``."""
    config = {k: v for k, v in options.items() if k != "proofValue"}
    config["@context"] = unsecured.get("@context")
    return (hashlib.sha256(canonicalize(config).encode()).digest()
            + hashlib.sha256(canonicalize(unsecured).encode()).digest())


def sign_eddsa_rdfc_2022(document: Mapping[str, Any], private_key: ed25519.Ed25519PrivateKey,
                         verification_method: str, created: datetime | str,
                         proof_purpose: str = "assertionMethod") -> dict:
    """A copy of ``document`` with one more ``eddsa-rdfc-2022`` proof.

    An existing proof is kept: the result then holds a proof set, and the
    new proof, like the old one, signs the document without proofs.
    """
    if isinstance(created, datetime):
        moment = created if created.tzinfo else created.replace(tzinfo=UTC)
        created = moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    proof: dict[str, Any] = {"type": PROOF_TYPE, "cryptosuite": SUITE, "created": created,
                             "verificationMethod": verification_method,
                             "proofPurpose": proof_purpose}
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    signature = private_key.sign(signing_input(unsecured, proof))
    proof["proofValue"] = "z" + base58.b58encode(signature).decode()
    signed = dict(document)
    signed["proof"] = [*proofs_of(document), proof] if "proof" in document else proof
    return signed


def verify_data_integrity(document: Mapping[str, Any], keyring: KeyRing,
                          issuer: str | None) -> SignatureCheck:
    """Check every proof of ``document``; the first that does not verify decides.

    Raises :class:`~standards.errors.UnknownContext` for a context that is not
    bundled and :class:`~standards.errors.DocumentError` for a proof that is
    not an object or a document that is not JSON-LD.
    """
    proofs = proofs_of(document)
    checks = [_verify_proof(document, proof, keyring, issuer) for proof in proofs]
    for wanted in ("failed", "unknown-key", "unsupported"):
        for number, check in enumerate(checks, 1):
            if check.outcome == wanted:
                prefix = f"Proof {number} of {len(checks)}: " if len(checks) > 1 else ""
                return SignatureCheck(check.outcome, prefix + check.detail, check.method,
                                      check.key_id, check.keys)
    keys = tuple(k for check in checks for k in check.keys)
    detail = (checks[0].detail if len(checks) == 1 else
              f"All {len(checks)} {SUITE} proofs verify, with "
              + "; ".join(k.describe() for k in keys) + ".")
    return SignatureCheck("verified", detail, SUITE, checks[0].key_id, keys)


def _verify_proof(document: Mapping[str, Any], proof: Mapping[str, Any], keyring: KeyRing,
                  issuer: str | None) -> SignatureCheck:
    named = proof.get("verificationMethod")
    refusal = _refusal(document, proof)
    if refusal:
        return SignatureCheck(*refusal, SUITE, named if isinstance(named, str) else None)
    method = str(named)
    signature = _signature(str(proof["proofValue"]))
    if signature is None:
        return SignatureCheck("failed", "The proofValue is not a base58btc-encoded (multibase "
                                        "'z') Ed25519 signature.", SUITE, method)
    found = keyring.lookup(method, issuer)
    if found.problem:
        return SignatureCheck("unknown-key", found.problem, SUITE, method)
    ed_keys = [k for k in found.keys if isinstance(k.public_key, ed25519.Ed25519PublicKey)]
    if not ed_keys:
        return SignatureCheck("failed", f"The key {method} is a {found.keys[0].kind} key, but "
                                        f"{SUITE} signatures are made with Ed25519 keys.",
                              SUITE, method)
    try:
        data = signing_input(_unsecured(document, proof), proof)
    except UnsafeDocument as error:
        return SignatureCheck("failed", str(error), SUITE, method)
    key = _first_verifying(ed_keys, signature, data)
    if key is None:
        return SignatureCheck("failed", f"The {SUITE} signature does not verify with the key "
                                        f"{method}: the credential was changed after it was "
                                        "signed, or signed with another key.", SUITE, method)
    return SignatureCheck("verified", f"The {SUITE} signature verifies with {key.describe()}.",
                          SUITE, method, (key,))


def _refusal(document: Mapping[str, Any], proof: Mapping[str, Any]) -> tuple[str, str] | None:
    """Why a proof cannot be accepted before any cryptography, as (outcome, detail)."""
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != SUITE:
        return ("unsupported", f"The proof is of type {proof.get('type')!r} with cryptosuite "
                               f"{proof.get('cryptosuite')!r}; only {PROOF_TYPE} with {SUITE} "
                               "can be checked here.")
    if proof.get("proofPurpose") != "assertionMethod":
        return ("failed", f"The proof was made for {proof.get('proofPurpose')!r}, not for "
                          "'assertionMethod' (issuing a credential).")
    for member in ("verificationMethod", "proofValue"):
        if not isinstance(proof.get(member), str) or not proof[member]:
            return "failed", f"The proof has no {member}."
    if "created" in proof and not _is_datetime(proof["created"]):
        return "failed", f"The proof's created date {proof['created']!r} is not a date-time."
    if "@context" in proof and not _starts_with(document.get("@context"), proof["@context"]):
        return "failed", "The proof's @context is not the start of the document's @context."
    return None


def _signature(proof_value: str) -> bytes | None:
    if not proof_value.startswith("z"):
        return None
    try:
        raw = base58.b58decode(proof_value[1:])
    except ValueError:
        return None
    return raw if len(raw) == 64 else None


def _is_datetime(value: Any) -> bool:
    try:
        return isinstance(value, str) and "T" in value and bool(datetime.fromisoformat(value))
    except ValueError:
        return False


def _starts_with(context: Any, prefix: Any) -> bool:
    whole = context if isinstance(context, list) else [context]
    start = prefix if isinstance(prefix, list) else [prefix]
    return whole[:len(start)] == start


def _first_verifying(keys: list[IssuerKey], signature: bytes, data: bytes) -> IssuerKey | None:
    for key in keys:
        public = key.public_key
        try:
            if isinstance(public, ed25519.Ed25519PublicKey):
                public.verify(signature, data)
                return key
        except InvalidSignature:
            continue
    return None
