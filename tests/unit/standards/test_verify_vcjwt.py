"""Open Badges 3.0 as VC-JWT (VC Data Model 1.1 ``vc`` claim) and VC 2.0 ``vc+jwt``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import jwt
import pytest

from matcher.model import VerificationStatus
from standards.errors import DocumentError
from standards.verify import verify_badge
from tests.unit.standards.signing import (
    NOW,
    changed,
    issuer,
    leaves,
    ob3_credential,
    sign_jws,
    sign_vc_jwt,
    tamper_jws,
)
from tests.unit.standards.signing import offline as offline  # autouse: no network access

SIGNERS = {kind: issuer(kind, url=f"https://{kind.lower()}.example/issuer", issuer_id=n)
           for n, kind in enumerate(["RSA", "P-256", "Ed25519"], 1)}
FORMS = {"RSA": "pem", "P-256": "jwk", "Ed25519": "multibase"}
REGISTRY = [s.registry(FORMS[kind]) for kind, s in SIGNERS.items()]


def credential_of(kind: str, **members: Any) -> dict:
    signer = SIGNERS[kind]
    return ob3_credential(signer.url, id="urn:uuid:0d7d3e2a-5b7c-4d0e-8f7a-3b1c2d4e5f60",
                          **members)


def checks(result: Any) -> dict[str, str]:
    return {c.name: c.outcome for c in result.checks}


@pytest.mark.parametrize("kind", ["RSA", "P-256", "Ed25519"])
@pytest.mark.parametrize("encoding", ["vc-jwt", "vc+jwt"])
def test_fresh_tokens_verify_with_registry_keys(kind: str, encoding: str) -> None:
    token = sign_vc_jwt(credential_of(kind), SIGNERS[kind], encoding=encoding)
    result = verify_badge(token, keys=REGISTRY, now=NOW)
    alg = {"RSA": "RS256", "P-256": "ES256", "Ed25519": "EdDSA"}[kind]
    assert result.status == VerificationStatus.VERIFIED
    assert (result.format, result.method, result.key_id) == (
        "ob3-vc-jwt", f"vc-jwt {alg}", SIGNERS[kind].key_id)
    assert result.registry_issuer_id == SIGNERS[kind].issuer_id
    assert result.credential["credentialSubject"] == credential_of(kind)["credentialSubject"]
    assert checks(result)["issuer"] == "passed"


def test_the_vc_claim_is_completed_from_the_registered_claims() -> None:
    credential = credential_of("Ed25519")
    for member in ("issuer", "validFrom", "id"):
        del credential[member]
    token = sign_jws({"vc": credential, "iss": SIGNERS["Ed25519"].url, "jti": "urn:x:1",
                      "nbf": 1262304000, "exp": 1893456000}, SIGNERS["Ed25519"].key,
                     headers={"kid": SIGNERS["Ed25519"].key_id})
    result = verify_badge(token, keys=REGISTRY, now=NOW)
    assert result.status == VerificationStatus.VERIFIED
    assert result.credential["issuer"] == SIGNERS["Ed25519"].url
    assert result.credential["id"] == "urn:x:1"
    assert (result.valid_from, result.valid_until) == (datetime(2010, 1, 1, tzinfo=UTC),
                                                       datetime(2030, 1, 1, tzinfo=UTC))


def test_a_context_that_is_not_bundled_only_warns_for_a_jwt() -> None:
    credential = credential_of("Ed25519")
    credential["@context"].append("https://contexts.example/extra")
    result = verify_badge(sign_vc_jwt(credential, SIGNERS["Ed25519"]), keys=REGISTRY, now=NOW)
    assert result.status == VerificationStatus.VERIFIED
    assert checks(result)["context"] == "warning"
    assert "https://contexts.example/extra" in result.checks[1].detail


@pytest.mark.parametrize("kind", ["P-256", "Ed25519"])
def test_a_did_key_kid_needs_no_registry(kind: str) -> None:
    signer = SIGNERS[kind]
    token = sign_vc_jwt(ob3_credential(signer.did), signer, kid=signer.did_key_method)
    result = verify_badge(token, keys=[], now=NOW)
    assert result.status == VerificationStatus.VERIFIED and result.key_id == signer.did_key_method


def test_without_a_kid_every_key_of_the_issuer_is_tried() -> None:
    signer, spare = SIGNERS["P-256"], issuer("P-256", fragment="old")
    entry = spare.registry()
    entry["url"] = signer.url
    entry["public_keys"] += signer.registry()["public_keys"]
    token = sign_vc_jwt(credential_of("P-256"), signer, kid=None)
    result = verify_badge(token, keys=[entry], now=NOW)
    assert result.status == VerificationStatus.VERIFIED and result.key_id == signer.key_id


def test_a_jwk_header_is_trusted_only_when_the_key_is_registered() -> None:
    signer = SIGNERS["Ed25519"]
    token = sign_vc_jwt(credential_of("Ed25519"), signer, kid=None, jwk=True)
    assert verify_badge(token, keys=REGISTRY, now=NOW).status == VerificationStatus.VERIFIED
    result = verify_badge(token, keys=[], now=NOW)
    assert result.status == VerificationStatus.UNVERIFIED
    assert "carries itself" in result.detail and checks(result)["signature"] == "not-checked"


def test_a_tampered_token_fails_even_with_its_own_jwk() -> None:
    token = sign_vc_jwt(credential_of("Ed25519"), SIGNERS["Ed25519"], kid=None, jwk=True)
    tampered = tamper_jws(token, lambda p: p["vc"].update(name="Forged Badge"))
    assert verify_badge(tampered, keys=[], now=NOW).status == VerificationStatus.FAILED


def _payload_leaves() -> list[tuple]:
    token = sign_vc_jwt(credential_of("RSA"), SIGNERS["RSA"])
    return list(leaves(jwt.decode(token, options={"verify_signature": False})))


@pytest.mark.parametrize("path", _payload_leaves(), ids=lambda p: ".".join(map(str, p)))
def test_changing_any_leaf_of_the_payload_fails_it(path: tuple) -> None:
    token = sign_vc_jwt(credential_of("RSA"), SIGNERS["RSA"])

    def change(payload: dict) -> None:
        payload.update(changed(payload, path))

    result = verify_badge(tamper_jws(token, change), keys=REGISTRY, now=NOW)
    assert result.status == VerificationStatus.FAILED
    assert checks(result)["signature"] == "failed"


def test_a_signature_by_another_key_fails() -> None:
    token = sign_vc_jwt(credential_of("P-256"), issuer("P-256"), kid=SIGNERS["P-256"].key_id)
    result = verify_badge(token, keys=REGISTRY, now=NOW)
    assert result.status == VerificationStatus.FAILED
    assert SIGNERS["P-256"].key_id in result.detail


def test_an_unknown_kid_is_unverified_and_named() -> None:
    kid = "did:web:unknown.example#key-7"
    token = sign_vc_jwt(credential_of("RSA"), SIGNERS["RSA"], kid=kid)
    result = verify_badge(token, keys=REGISTRY, now=NOW)
    assert result.status == VerificationStatus.UNVERIFIED
    assert kid in result.detail and result.key_id == kid


def test_an_iss_that_is_not_the_credentials_issuer_fails() -> None:
    token = sign_vc_jwt(credential_of("RSA"), SIGNERS["RSA"], iss="https://mallory.example")
    result = verify_badge(token, keys=REGISTRY, now=NOW)
    assert result.status == VerificationStatus.FAILED
    assert checks(result)["issuer"] == "failed" and "https://mallory.example" in result.detail


def test_a_registered_key_of_another_issuer_fails_the_issuer_check() -> None:
    credential = credential_of("RSA")  # names the RSA issuer, signed by the P-256 issuer
    token = sign_vc_jwt(credential, SIGNERS["P-256"], iss=credential["issuer"]["id"])
    result = verify_badge(token, keys=REGISTRY, now=NOW)
    assert result.status == VerificationStatus.FAILED
    assert (checks(result)["signature"], checks(result)["issuer"]) == ("passed", "failed")


@pytest.mark.parametrize(("alg", "key"), [("HS256", "a shared secret of 32 bytes long!!"),
                                          ("none", None)])
def test_unaccepted_algorithms_fail(alg: str, key: Any) -> None:
    token = jwt.encode({"vc": credential_of("RSA"), "iss": SIGNERS["RSA"].url}, key,
                       algorithm=alg, headers={"kid": SIGNERS["RSA"].key_id})
    result = verify_badge(token, keys=REGISTRY, now=NOW)
    assert result.status == VerificationStatus.FAILED and alg in result.detail


def test_an_algorithm_that_does_not_fit_the_key_fails() -> None:
    token = sign_vc_jwt(credential_of("Ed25519"), SIGNERS["RSA"], kid=SIGNERS["Ed25519"].key_id)
    result = verify_badge(token, keys=REGISTRY, now=NOW)
    assert result.status == VerificationStatus.FAILED and "RS256" in result.detail


@pytest.mark.parametrize(("claims", "expected"), [
    ({"exp": int(datetime(2021, 3, 4, tzinfo=UTC).timestamp())}, "expired on 2021-03-04"),
    ({"nbf": int(datetime(2027, 5, 6, tzinfo=UTC).timestamp())}, "not valid until 2027-05-06"),
])
def test_token_validity_is_reported_but_does_not_change_the_status(claims: dict,
                                                                     expected: str) -> None:
    signer = SIGNERS["Ed25519"]
    credential = credential_of("Ed25519")
    del credential["validFrom"]  # the registered claims give validity alone
    payload = {"vc": credential, "iss": signer.url, "nbf": 1577836800, **claims}
    token = sign_jws(payload, signer.key, headers={"kid": signer.key_id})
    result = verify_badge(token, keys=REGISTRY, now=NOW)
    assert result.status == VerificationStatus.VERIFIED
    assert checks(result)["validity"] == "warning" and expected in result.detail


@pytest.mark.parametrize("token", ["a.b", "x.y.z", "eyJhbGciOiJFZERTQSJ9.WzFd.c2ln",
                                   "eyJhbGciOiJFZERTQSJ9.eyJoZWxsbyI6MX0.c2ln"])
def test_tokens_that_are_not_badges_raise(token: str) -> None:
    with pytest.raises(DocumentError) as raised:
        verify_badge(token, keys=REGISTRY, now=NOW)
    assert raised.value.path == "$"
