"""Open Badges 2.0: hosted assertions (unverified offline) and signed JWS assertions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from matcher.model import VerificationStatus
from standards.verify import verify_badge
from tests.unit.standards.signing import NOW, changed, issuer, leaves, load, sign_jws, tamper_jws
from tests.unit.standards.signing import offline as offline  # autouse: no network access

CREATOR = "https://example.org/publicKey.json"
SIGNER = issuer("RSA", url="https://example.org", name="An Example Badge Issuer")
DOCUMENTS = {"https://example.org/robotics-badge.json": load("ob2-badgeclass.json"),
             "https://example.org/organization.json": load("ob2-issuer.json"),
             "https://example.org/revocationList.json": load("ob2-revocation-list.json")}


def registry(signer: Any = SIGNER) -> list[dict]:
    return [signer.registry("pem", key_id=CREATOR)]


def checks(result: Any) -> dict[str, str]:
    return {c.name: c.outcome for c in result.checks}


def signed(claims: dict | None = None, key: Any = None) -> str:
    return sign_jws(claims or load("ob2-signed-assertion-claims.json"), key or SIGNER.key)


def test_the_hosted_example_is_unverified_because_its_copy_is_not_fetched() -> None:
    result = verify_badge(load("ob2-assertion-hosted.json"), keys=registry(), now=NOW)
    assert (result.format, result.method, result.status) == (
        "ob2-hosted", "ob2-hosted", VerificationStatus.UNVERIFIED)
    assert "https://example.org/beths-robotics-badge.json" in result.detail
    assert "not fetched" in result.detail
    assert result.valid_from == datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert checks(result)["validity"] == "warning" and "expired on 2017-06-30" in result.detail
    assert checks(result)["status"] == "not-checked"
    assert "https://example.org/robotics-badge.json" in result.detail  # the missing BadgeClass


def test_an_embedded_issuer_without_a_revocation_list_is_checked() -> None:
    result = verify_badge(load("ob2-assertion-embedded.json"), keys=[], now=NOW)
    assert result.status == VerificationStatus.UNVERIFIED
    assert checks(result)["status"] == "passed"


def test_a_revoked_flag_in_the_assertion_revokes_it() -> None:
    assertion = load("ob2-assertion-hosted.json")
    assertion.update(revoked=True, revocationReason="Issued in error.")
    result = verify_badge(assertion, keys=[], now=NOW)
    assert result.status == VerificationStatus.REVOKED and "Issued in error." in result.detail


def test_a_supplied_hosted_copy_that_is_revoked_revokes_it() -> None:
    lists = {"https://example.org/beths-robotics-badge.json":
             load("ob2-revoked-hosted-assertion.json")}
    result = verify_badge(load("ob2-assertion-hosted.json"), keys=[], status_lists=lists, now=NOW)
    assert result.status == VerificationStatus.REVOKED
    assert "trenchcoat" in result.detail


@pytest.mark.parametrize("kind", ["RSA", "P-256", "Ed25519"])
def test_a_signed_assertion_verifies_with_the_creator_key_from_the_registry(kind: str) -> None:
    signer = SIGNER if kind == "RSA" else issuer(kind, url="https://example.org")
    result = verify_badge(signed(key=signer.key), keys=registry(signer),
                          status_lists=DOCUMENTS, now=NOW)
    alg = {"RSA": "RS256", "P-256": "ES256", "Ed25519": "EdDSA"}[kind]
    assert result.status == VerificationStatus.VERIFIED
    assert (result.format, result.method, result.key_id) == ("ob2-signed", f"ob2-signed {alg}",
                                                             CREATOR)
    assert checks(result) == {"format": "passed", "context": "passed", "signature": "passed",
                              "issuer": "passed", "validity": "passed", "status": "passed"}
    assert result.credential == load("ob2-signed-assertion-claims.json")


def test_without_the_badge_class_the_issuer_is_not_compared() -> None:
    result = verify_badge(signed(), keys=registry(), now=NOW)
    assert result.status == VerificationStatus.VERIFIED
    assert checks(result)["issuer"] == "not-checked" and checks(result)["status"] == "not-checked"


def test_a_creator_key_of_another_site_fails_the_issuer_check() -> None:
    elsewhere = issuer("RSA", url="https://badges.elsewhere.example")
    result = verify_badge(signed(key=elsewhere.key), keys=registry(elsewhere),
                          status_lists=DOCUMENTS, now=NOW)
    assert result.status == VerificationStatus.FAILED and checks(result)["issuer"] == "failed"


@pytest.mark.parametrize("path", list(leaves(load("ob2-signed-assertion-claims.json"))),
                         ids=lambda p: ".".join(map(str, p)))
def test_changing_any_leaf_of_a_signed_assertion_fails_it(path: tuple) -> None:
    def change(payload: dict) -> None:
        payload.update(changed(payload, path))

    value = changed(load("ob2-signed-assertion-claims.json"), path)
    if path[-1] == "creator":  # another registered key, or it would merely be unknown
        other = issuer("RSA", url="https://example.org")
        keys = [*registry(), other.registry("pem", key_id=value["verification"]["creator"])]
    else:
        keys = registry()
    result = verify_badge(tamper_jws(signed(), change), keys=keys, status_lists=DOCUMENTS,
                          now=NOW)
    assert result.status == VerificationStatus.FAILED


def test_a_wrong_key_fails_and_an_unknown_creator_is_unverified() -> None:
    wrong = verify_badge(signed(key=issuer("RSA").key), keys=registry(), now=NOW)
    assert wrong.status == VerificationStatus.FAILED and CREATOR in wrong.detail
    unknown = verify_badge(signed(), keys=[], now=NOW)
    assert unknown.status == VerificationStatus.UNVERIFIED and CREATOR in unknown.detail


def test_the_specification_example_jws_reads_but_its_key_is_unknown() -> None:
    result = verify_badge(load("ob2-example-signed.jws"), keys=[], now=NOW)
    assert (result.format, result.status) == ("ob2-signed", VerificationStatus.UNVERIFIED)
    assert result.key_id == "https://example.org/publicKey"  # its 1.1-style "verify" member
    assert result.credential["id"] == "https://example.org/beths-robotics-badge.json"


@pytest.mark.parametrize(("assertion_id", "reason"), [
    ("urn:uuid:3c574c87-b96f-4f06-8eb5-68a29335b60e", None),
    ("urn:uuid:e79a6c18-787e-4868-8e65-e6a4530fb418", "Honor code violation"),
])
def test_the_issuers_revocation_list_revokes_signed_assertions(assertion_id: str,
                                                               reason: str | None) -> None:
    claims = load("ob2-signed-assertion-claims.json")
    claims["id"] = assertion_id
    result = verify_badge(signed(claims), keys=registry(), status_lists=DOCUMENTS, now=NOW)
    assert result.status == VerificationStatus.REVOKED
    assert "https://example.org/revocationList.json" in result.detail
    assert reason is None or reason in result.detail


def test_a_legacy_uid_in_the_revocation_list_revokes_too() -> None:
    claims = load("ob2-signed-assertion-claims.json")
    claims["uid"] = "abc123"
    result = verify_badge(signed(claims), keys=registry(), status_lists=DOCUMENTS, now=NOW)
    assert result.status == VerificationStatus.REVOKED and "Issued in error." in result.detail


def test_a_revocation_list_not_supplied_is_not_checked_and_named() -> None:
    lists = {k: v for k, v in DOCUMENTS.items() if "revocationList" not in k}
    result = verify_badge(signed(), keys=registry(), status_lists=lists, now=NOW)
    assert result.status == VerificationStatus.VERIFIED
    assert checks(result)["status"] == "not-checked"
    assert "https://example.org/revocationList.json" in result.detail


def test_signed_assertion_json_without_its_jws_is_unverified() -> None:
    result = verify_badge(load("ob2-signed-assertion-claims.json"), keys=registry(), now=NOW)
    assert (result.format, result.status) == ("ob2-signed", VerificationStatus.UNVERIFIED)
    assert "compact JWS" in result.detail
