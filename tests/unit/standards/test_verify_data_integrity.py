"""Open Badges 3.0 with Data Integrity proofs (eddsa-rdfc-2022) through verify_badge."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from matcher.model import VerificationStatus
from standards.dataintegrity import sign_eddsa_rdfc_2022
from standards.errors import DocumentError, UnknownContext
from standards.jsonld import UnsafeDocument
from standards.verify import verify_badge
from tests.unit.standards.signing import NOW, changed, issuer, leaves, load, ob3_credential, sign_di
from tests.unit.standards.signing import offline as offline  # autouse: no network access

VECTOR = load("test-vector-keys.json")
VECTOR_METHOD = VECTOR["id"]
VECTOR_ISSUER = {"issuer_id": 7, "name": "Example Corp", "did": None,
                 "url": "https://example.edu/issuers/565049",
                 "public_keys": [{"id": "#" + VECTOR["publicKeyMultibase"], "type": "Multikey",
                                  "public_key_multibase": VECTOR["publicKeyMultibase"]}]}
SIGNER = issuer()  # Ed25519, registered at https://issuer.example/profiles/1#key-1
OTHER = issuer(url="https://issuer.example/profiles/2", issuer_id=2, name="Other Issuer")


def checks(result: Any) -> dict[str, str]:
    return {c.name: c.outcome for c in result.checks}


def vector_secret() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.from_private_bytes(bytes.fromhex(VECTOR["secretKeyHex"])[:32])


def test_the_1edtech_test_vector_verifies_with_its_registered_key() -> None:
    result = verify_badge(load("test-vector-signed-credential.json"), keys=[VECTOR_ISSUER],
                          now=NOW)
    assert result.status == VerificationStatus.VERIFIED
    assert (result.format, result.method, result.key_id) == (
        "ob3-data-integrity", "eddsa-rdfc-2022", VECTOR_METHOD)
    assert checks(result) == {"format": "passed", "context": "passed", "signature": "passed",
                              "issuer": "passed", "validity": "passed", "status": "not-checked"}
    assert result.valid_from == datetime(2010, 1, 1, tzinfo=UTC) and result.valid_until is None
    assert "Example Corp" in result.detail and VECTOR_METHOD in result.detail
    assert result.credential == load("test-vector-signed-credential.json")


@pytest.mark.parametrize("form", ["full id", "jwk"])
def test_the_test_vector_key_may_be_registered_in_other_forms(form: str) -> None:
    entry = dict(VECTOR_ISSUER, url="https://www.imsglobal.org")
    key: dict[str, Any] = {"id": VECTOR_METHOD, "type": "JsonWebKey"}
    if form == "jwk":
        key["public_key_jwk"] = {"kty": "OKP", "crv": "Ed25519", "x": _b64url(VECTOR)}
    else:
        key["public_key_multibase"] = VECTOR["publicKeyMultibase"]
    entry["public_keys"] = [key]
    result = verify_badge(load("test-vector-signed-credential.json"), keys=[entry], now=NOW)
    assert result.status == VerificationStatus.VERIFIED


def _b64url(vector: dict) -> str:
    import base64
    return base64.urlsafe_b64encode(bytes.fromhex(vector["publicKeyHex"])).decode().rstrip("=")


def test_signing_with_the_test_vector_key_reproduces_its_proof_exactly() -> None:
    vector = load("test-vector-signed-credential.json")
    unsigned = {k: v for k, v in vector.items() if k != "proof"}
    signed = sign_eddsa_rdfc_2022(unsigned, vector_secret(), VECTOR_METHOD, "2010-01-01T19:23:24Z")
    assert signed["proof"] == vector["proof"]


def test_without_the_key_the_test_vector_is_unverified_and_the_key_is_named() -> None:
    result = verify_badge(load("test-vector-signed-credential.json"), keys=[], now=NOW)
    assert result.status == VerificationStatus.UNVERIFIED
    assert checks(result)["signature"] == "not-checked"
    assert VECTOR_METHOD in result.detail and "self-reported" in result.detail
    assert result.key_id == VECTOR_METHOD


def test_a_fresh_did_key_credential_verifies_without_any_registry() -> None:
    credential = ob3_credential(SIGNER.did)
    result = verify_badge(sign_di(credential, SIGNER, SIGNER.did_key_method), keys=[], now=NOW)
    assert result.status == VerificationStatus.VERIFIED
    assert result.key_id == SIGNER.did_key_method and checks(result)["issuer"] == "passed"
    assert result.registry_issuer_id is None


def test_a_fresh_registry_key_credential_verifies() -> None:
    signed = sign_di(ob3_credential(SIGNER.url), SIGNER)
    result = verify_badge(signed, keys=[OTHER.registry(), SIGNER.registry()], now=NOW)
    assert result.status == VerificationStatus.VERIFIED
    assert "Test Issuer" in result.detail and result.registry_issuer_id == SIGNER.issuer_id


def test_a_naive_signing_time_is_taken_as_utc() -> None:
    assert isinstance(SIGNER.key, ed25519.Ed25519PrivateKey)
    signed = sign_eddsa_rdfc_2022(ob3_credential(SIGNER.did), SIGNER.key,
                                  SIGNER.did_key_method, datetime(2024, 5, 6, 7, 8, 9))
    assert signed["proof"]["created"] == "2024-05-06T07:08:09Z"
    assert verify_badge(signed, keys=[], now=NOW).status == VerificationStatus.VERIFIED


def test_a_vc_11_credential_with_a_data_integrity_proof_verifies() -> None:
    credential = {
        "@context": ["https://www.w3.org/2018/credentials/v1",
                     "https://w3id.org/security/data-integrity/v2"],
        "id": "urn:uuid:4f0b5cb3-0f39-4d0e-9b5c-2f4c3b1e6d10",
        "type": ["VerifiableCredential"], "issuer": SIGNER.did,
        "issuanceDate": "2020-01-01T00:00:00Z", "expirationDate": "2030-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:alice"}}
    result = verify_badge(sign_di(credential, SIGNER, SIGNER.did_key_method), keys=[], now=NOW)
    assert result.status == VerificationStatus.VERIFIED
    assert (result.valid_from, result.valid_until) == (datetime(2020, 1, 1, tzinfo=UTC),
                                                       datetime(2030, 1, 1, tzinfo=UTC))


def _vector_leaves() -> list[tuple]:
    return [p for p in leaves(load("test-vector-signed-credential.json")) if p[0] != "@context"]


@pytest.mark.parametrize("path", _vector_leaves(), ids=lambda p: ".".join(map(str, p)))
def test_changing_any_leaf_of_the_test_vector_breaks_it(path: tuple) -> None:
    registry = [VECTOR_ISSUER, SIGNER.registry("multibase", key_id=SIGNER.key_id)]
    if path == ("proof", "verificationMethod"):  # another known key, or it would be unknown
        tampered = changed(load("test-vector-signed-credential.json"), path, SIGNER.key_id)
    else:
        tampered = changed(load("test-vector-signed-credential.json"), path)
    result = verify_badge(tampered, keys=registry, now=NOW)
    if path in (("proof", "type"), ("proof", "cryptosuite")):
        # A suite this service does not implement proves nothing either way.
        assert result.status == VerificationStatus.UNVERIFIED
        assert "can be checked here" in result.detail
    else:
        assert result.status == VerificationStatus.FAILED
        assert checks(result)["signature"] == "failed"


def _fresh_leaves() -> list[tuple]:
    signed = sign_di(ob3_credential(SIGNER.did, validUntil="2030-01-01T00:00:00Z"), SIGNER,
                     SIGNER.did_key_method)
    return [p for p in leaves(signed) if p[0] != "@context" and p[-1] not in ("type",
                                                                              "cryptosuite")]


@pytest.mark.parametrize("path", _fresh_leaves(), ids=lambda p: ".".join(map(str, p)))
def test_changing_any_leaf_of_a_did_key_credential_fails_it(path: tuple) -> None:
    signed = sign_di(ob3_credential(SIGNER.did, validUntil="2030-01-01T00:00:00Z"), SIGNER,
                     SIGNER.did_key_method)
    value = OTHER.did_key_method if path == ("proof", "verificationMethod") else None
    result = verify_badge(changed(signed, path, value), keys=[], now=NOW)
    assert result.status == VerificationStatus.FAILED


@pytest.mark.parametrize("index", [0, 1])
def test_changing_a_context_url_is_an_unknown_context(index: int) -> None:
    tampered = changed(load("test-vector-signed-credential.json"), ("@context", index))
    with pytest.raises(UnknownContext) as raised:
        verify_badge(tampered, keys=[VECTOR_ISSUER], now=NOW)
    assert raised.value.url == tampered["@context"][index]
    assert list(raised.value.errors) == [f"@context.{index}"]


def test_a_signature_by_another_key_fails() -> None:
    signed = sign_di(ob3_credential(SIGNER.url), OTHER, SIGNER.key_id)
    result = verify_badge(signed, keys=[SIGNER.registry(), OTHER.registry()], now=NOW)
    assert result.status == VerificationStatus.FAILED
    assert "does not verify" in result.detail and SIGNER.key_id in result.detail


def test_a_key_that_is_not_the_issuers_fails_the_issuer_check() -> None:
    signed = sign_di(ob3_credential(SIGNER.url), OTHER)  # OTHER's own key, SIGNER's name
    result = verify_badge(signed, keys=[SIGNER.registry(), OTHER.registry()], now=NOW)
    assert result.status == VerificationStatus.FAILED
    assert checks(result)["signature"] == "passed" and checks(result)["issuer"] == "failed"
    assert "Other Issuer" in result.detail


def test_a_key_outside_the_registry_is_unverified_and_named() -> None:
    method = "did:web:unknown.example#key-1"
    result = verify_badge(sign_di(ob3_credential(SIGNER.url), SIGNER, method),
                          keys=[OTHER.registry()], now=NOW)
    assert result.status == VerificationStatus.UNVERIFIED
    assert method in result.detail and result.key_id == method


def test_every_proof_of_a_proof_set_must_verify_and_the_failing_one_is_named() -> None:
    both = sign_di(sign_di(ob3_credential(SIGNER.url), SIGNER), OTHER)
    registry = [SIGNER.registry(), OTHER.registry()]
    result = verify_badge(both, keys=registry, now=NOW)
    assert result.status == VerificationStatus.VERIFIED
    assert "All 2" in result.detail
    broken = changed(both, ("proof", 1, "created"), "2024-01-02T03:04:06Z")
    result = verify_badge(broken, keys=registry, now=NOW)
    assert result.status == VerificationStatus.FAILED and "Proof 2 of 2" in result.detail


def test_a_proof_for_another_purpose_fails() -> None:
    assert isinstance(SIGNER.key, ed25519.Ed25519PrivateKey)
    signed = sign_eddsa_rdfc_2022(ob3_credential(SIGNER.url), SIGNER.key, SIGNER.key_id,
                                  "2024-01-01T00:00:00Z", proof_purpose="authentication")
    result = verify_badge(signed, keys=[SIGNER.registry()], now=NOW)
    assert result.status == VerificationStatus.FAILED and "assertionMethod" in result.detail


def test_names_outside_the_contexts_cannot_be_signed_or_slipped_in() -> None:
    credential = ob3_credential(SIGNER.url)
    credential["credentialSubject"]["grade"] = "A"
    with pytest.raises(UnsafeDocument):
        sign_di(credential, SIGNER)
    signed = sign_di(ob3_credential(SIGNER.url), SIGNER)
    signed["credentialSubject"]["grade"] = "A"
    result = verify_badge(signed, keys=[SIGNER.registry()], now=NOW)
    assert result.status == VerificationStatus.FAILED
    assert "credentialSubject.grade" in result.detail


@pytest.mark.parametrize(("members", "expected"), [
    ({"validUntil": "2020-01-01T00:00:00Z"}, "expired on 2020-01-01"),
    ({"validFrom": "2026-01-01T00:00:00Z"}, "not valid until 2026-01-01"),
])
def test_expired_and_not_yet_valid_credentials_are_reported_but_stay_verified(
        members: dict, expected: str) -> None:
    signed = sign_di(ob3_credential(SIGNER.did, **members), SIGNER, SIGNER.did_key_method)
    result = verify_badge(signed, keys=[], now=NOW)
    assert result.status == VerificationStatus.VERIFIED
    assert checks(result)["validity"] == "warning"
    assert expected in result.detail.lower()


def test_an_unsigned_credential_is_unverified() -> None:
    result = verify_badge(load("basicOpenBadgeCredential.json"), keys=[], now=NOW)
    assert (result.format, result.status, result.method) == (
        "ob3-unsigned", VerificationStatus.UNVERIFIED, "unsigned")
    assert "no proof" in result.detail


@pytest.mark.parametrize(("document", "path"), [
    (42, "$"), ("not json and not a jws", "$"), ("{broken", "$"), ({}, "type"),
    ({"type": "Person"}, "type"),
    ({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["OpenBadgeCredential"],
      "issuer": "did:example:1"}, "type"),
    ({"@context": ["https://schema.org"], "type": ["VerifiableCredential"],
      "issuer": "did:example:1"}, "@context"),
    ({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
      "credentialSubject": {}}, "issuer"),
    ({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
      "issuer": "did:example:1", "validFrom": "yesterday"}, "validFrom"),
    ({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
      "issuer": "did:example:1", "proof": "z123"}, "proof"),
    ({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
      "issuer": "did:example:1", "proof": []}, "proof"),
])
def test_documents_that_are_not_badges_raise_with_a_path(document: Any, path: str) -> None:
    with pytest.raises(DocumentError) as raised:
        verify_badge(document, keys=[], now=NOW)
    assert raised.value.path == path
