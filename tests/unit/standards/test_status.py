"""Revocation and suspension from supplied status lists (never fetched)."""

from __future__ import annotations

import base64
import gzip
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.model import VerificationStatus
from standards.status import MAX_LIST_BYTES, decode_status_list, encode_status_list, status_bit
from standards.verify import verify_badge
from tests.unit.standards.signing import (
    NOW,
    issuer,
    load,
    ob3_credential,
    sign_di,
    sign_jws,
    status_entry,
    status_list,
)
from tests.unit.standards.signing import offline as offline  # autouse: no network access

SIGNER = issuer()
LIST = "https://issuer.example/status/3"
LIST_2021 = "https://issuer.example/status/2021"
REVOCATIONS = "https://issuer.example/revocations"


CONTEXTS = {"StatusList2021Entry": "https://w3id.org/vc/status-list/2021/v1",
            "1EdTechRevocationList": "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"}


def credential(*entries: dict) -> dict:
    """A credential of SIGNER's did:key with these status entries, signed.

    The contexts that define the entries' types are added, or JSON-LD would
    drop the entries and signing would (rightly) refuse.
    """
    status = list(entries) if len(entries) != 1 else entries[0]
    unsigned = ob3_credential(SIGNER.did, credentialStatus=status)
    unsigned["@context"] += sorted({CONTEXTS[e["type"]] for e in entries if e["type"] in CONTEXTS})
    return sign_di(unsigned, SIGNER, SIGNER.did_key_method)


def status_check(result: Any) -> str:
    return next(c.outcome for c in result.checks if c.name == "status")


def status_detail(result: Any) -> str:
    return next(c.detail for c in result.checks if c.name == "status")


@settings(max_examples=50, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=2047), max_size=40), st.booleans())
def test_encoded_lists_round_trip(revoked: set[int], multibase: bool) -> None:
    bits = decode_status_list(encode_status_list(revoked, 2048, multibase), multibase)
    assert len(bits) == 256
    assert {i for i in range(2048) if status_bit(bits, i)} == revoked


def test_index_zero_is_the_most_significant_bit_of_the_first_byte() -> None:
    encoded = "u" + base64.urlsafe_b64encode(gzip.compress(bytes([0b10010000, 0b00000001])))\
        .decode().rstrip("=")
    bits = decode_status_list(encoded)
    assert [i for i in range(16) if status_bit(bits, i)] == [0, 3, 15]
    assert status_bit(bits, 1, size=2) == 0b01  # bits 2 and 3


def _packed(raw: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(("bad", "message"), [
    ("H4sIAAAA", "multibase"), ("u!!!!", "cannot be decoded"), ("uAAAA", "cannot be decoded"),
    (_packed(gzip.compress(bytes(64))[:-12]), "truncated"),
    (_packed(gzip.compress(b"")), "empty"),
    (_packed(gzip.compress(bytes(MAX_LIST_BYTES + 1))), "larger than"),  # a GZIP bomb
])
def test_undecodable_lists_raise_value_error(bad: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decode_status_list(bad)


@pytest.mark.parametrize(("purpose", "word"), [("revocation", "Revoked"),
                                               ("suspension", "Suspended")])
def test_a_set_bit_in_a_bitstring_status_list_revokes(purpose: str, word: str) -> None:
    lists = {LIST: status_list(LIST, SIGNER.did, {94, 1000}, purpose)}
    result = verify_badge(credential(status_entry(LIST, 94, purpose)), keys=[],
                          status_lists=lists, now=NOW)
    assert result.status == VerificationStatus.REVOKED
    assert f"{word} by its issuer (status list {LIST}, index 94)" in result.detail
    clear = verify_badge(credential(status_entry(LIST, 95, purpose)), keys=[],
                         status_lists=lists, now=NOW)
    assert clear.status == VerificationStatus.VERIFIED
    assert status_check(clear) == "warning"  # the list itself carries no proof
    assert "carries no proof" in clear.detail


def test_a_set_bit_in_a_status_list_2021_revokes() -> None:
    lists = {LIST_2021: status_list(LIST_2021, SIGNER.did, {7}, kind="StatusList2021")}
    entry = status_entry(LIST_2021, 7, kind="StatusList2021Entry")
    result = verify_badge(credential(entry), keys=[], status_lists=lists, now=NOW)
    assert result.status == VerificationStatus.REVOKED and LIST_2021 in result.detail


def test_a_1edtech_revocation_list_revokes_by_credential_id() -> None:
    entry = {"id": REVOCATIONS, "type": "1EdTechRevocationList"}
    signed = credential(entry)
    revoked: list[dict[str, Any]] = [
        {"id": "urn:uuid:other", "revoked": True},
        {"id": signed["id"], "revocationReason": "Awarded by mistake."}]
    lists = {REVOCATIONS: {"id": REVOCATIONS, "issuer": SIGNER.did,
                           "revokedCredentials": revoked}}
    result = verify_badge(signed, keys=[], status_lists=lists, now=NOW)
    assert result.status == VerificationStatus.REVOKED and "Awarded by mistake." in result.detail
    revoked[1]["revoked"] = False
    result = verify_badge(signed, keys=[], status_lists=lists, now=NOW)
    assert result.status == VerificationStatus.VERIFIED and status_check(result) == "passed"


def test_the_endorsement_example_names_its_1edtech_list_which_was_not_supplied() -> None:
    result = verify_badge(load("endorsement.json"), keys=[], now=NOW)
    assert status_check(result) == "not-checked"
    assert "https://state.gov/credentials/3732/revocations was not supplied" in result.detail


def test_a_list_not_supplied_is_not_checked_and_named() -> None:
    result = verify_badge(credential(status_entry(LIST, 5)), keys=[], now=NOW)
    assert result.status == VerificationStatus.VERIFIED
    assert status_check(result) == "not-checked"
    assert status_detail(result) == (f"The status list {LIST} was not supplied and nothing is "
                                     "fetched offline, so revocation was not checked.")
    assert f"the status list {LIST} was not supplied" in result.detail


def test_a_list_signed_by_the_issuer_is_trusted() -> None:
    lists = {LIST: sign_di(status_list(LIST, SIGNER.did, {5}), SIGNER, SIGNER.did_key_method)}
    clear = verify_badge(credential(status_entry(LIST, 4)), keys=[], status_lists=lists, now=NOW)
    assert status_check(clear) == "passed"
    assert status_detail(clear) == f"Not revoked according to the status list {LIST}, index 4."
    revoked = verify_badge(credential(status_entry(LIST, 5)), keys=[], status_lists=lists,
                           now=NOW)
    assert revoked.status == VerificationStatus.REVOKED


def test_a_list_given_as_a_vc_jwt_is_verified_like_a_credential() -> None:
    list_credential = status_list(LIST, SIGNER.did, {5})
    token = sign_jws({"vc": list_credential, "iss": SIGNER.did}, SIGNER.key,
                     headers={"kid": SIGNER.did_key_method})
    result = verify_badge(credential(status_entry(LIST, 5)), keys=[],
                          status_lists={LIST: token}, now=NOW)
    assert result.status == VerificationStatus.REVOKED and "could not" not in result.detail


def test_a_tampered_list_is_not_used() -> None:
    signed_list = sign_di(status_list(LIST, SIGNER.did, {5}), SIGNER, SIGNER.did_key_method)
    signed_list["credentialSubject"]["encodedList"] = encode_status_list(set())  # "unrevoke"
    result = verify_badge(credential(status_entry(LIST, 5)), keys=[],
                          status_lists={LIST: signed_list}, now=NOW)
    assert result.status == VerificationStatus.VERIFIED
    assert status_check(result) == "not-checked"
    assert "signature does not verify" in result.detail


def test_a_list_signed_by_someone_else_is_used_with_a_warning() -> None:
    stranger = issuer()
    lists = {LIST: sign_di(status_list(LIST, SIGNER.did, set()), stranger,
                           stranger.did_key_method)}
    result = verify_badge(credential(status_entry(LIST, 5)), keys=[], status_lists=lists,
                          now=NOW)
    assert status_check(result) == "warning" and "not its issuer's" in result.detail


@pytest.mark.parametrize(("entry", "listed", "expected"), [
    (status_entry(LIST, 5, "suspension"), status_list(LIST, SIGNER.did, {5}), "is for"),
    (status_entry(LIST, 200000), status_list(LIST, SIGNER.did, {5}), "beyond"),
    ({**status_entry(LIST, 5), "statusListIndex": "five"}, status_list(LIST, SIGNER.did, {5}),
     "statusListIndex"),
    ({**status_entry(LIST, 0), "statusSize": "1000000000"}, status_list(LIST, SIGNER.did, {0}),
     "statusSize"),
    ({"id": "urn:x", "type": "https://status.example/vocab#Custom"}, {}, "not supported"),
])
def test_unusable_entries_and_lists_are_not_checked(entry: dict, listed: dict,
                                                    expected: str) -> None:
    result = verify_badge(credential(entry), keys=[], status_lists={LIST: listed}, now=NOW)
    assert result.status == VerificationStatus.VERIFIED
    assert status_check(result) == "not-checked" and expected in status_detail(result)


def test_every_entry_counts_and_any_revocation_wins() -> None:
    lists = {LIST: status_list(LIST, SIGNER.did, {1}, "suspension"),
             LIST_2021: status_list(LIST_2021, SIGNER.did, set(), kind="StatusList2021")}
    entries = (status_entry(LIST_2021, 1, kind="StatusList2021Entry"),
               status_entry(LIST, 1, "suspension"))
    result = verify_badge(credential(*entries), keys=[], status_lists=lists, now=NOW)
    assert result.status == VerificationStatus.REVOKED and "Suspended" in result.detail


def test_a_revoked_credential_with_a_broken_signature_is_failed() -> None:
    signed = credential(status_entry(LIST, 94))
    signed["name"] = "Forged"
    lists = {LIST: status_list(LIST, SIGNER.did, {94})}
    result = verify_badge(signed, keys=[], status_lists=lists, now=NOW)
    assert result.status == VerificationStatus.FAILED
