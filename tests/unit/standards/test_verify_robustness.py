"""Whatever it is given, verify_badge answers or raises DocumentError (a 422, never a 500)."""

from __future__ import annotations

import base64
import json
from typing import Any

import jwt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from standards.errors import DocumentError
from standards.verify import verify_badge
from tests.unit.standards.signing import (
    NOW,
    changed,
    issuer,
    leaves,
    load,
    ob3_credential,
    sign_di,
    status_entry,
    status_list,
)
from tests.unit.standards.signing import offline as offline  # autouse: no network access

SIGNER = issuer()
LIST = "https://issuer.example/status/1"
MEMBERS = ["id", "type", "@context", "proof", "issuer", "credentialStatus", "badge",
           "verification", "revoked", "validFrom", "issuedOn", "vc", "iss", "creator",
           "statusListIndex", "statusListCredential", "encodedList", "previousProof"]
WORDS = ["VerifiableCredential", "OpenBadgeCredential", "Assertion", "DataIntegrityProof",
         "eddsa-rdfc-2022", "assertionMethod", "https://www.w3.org/ns/credentials/v2",
         "https://w3id.org/openbadges/v2", LIST, SIGNER.key_id, "did:key:z6Mk", "2020-01-01"]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6)
    | st.sampled_from(WORDS),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(MEMBERS) | st.text(max_size=3), inner, max_size=4),
    max_leaves=12)

SIGNED = sign_di(ob3_credential(SIGNER.did, credentialStatus=status_entry(LIST, 3)), SIGNER,
                 SIGNER.did_key_method)
LISTS = {LIST: status_list(LIST, SIGNER.did, {3})}
DOCUMENTS = [SIGNED, load("ob2-assertion-embedded.json"), LISTS[LIST]]


def answers_or_refuses(document: Any, lists: dict) -> None:
    try:
        result = verify_badge(document, keys=[SIGNER.registry()], status_lists=lists, now=NOW)
    except DocumentError:
        return
    assert [c.name for c in result.checks] == ["format", "context", "signature", "issuer",
                                               "validity", "status"]


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(JSON, st.integers(min_value=0))
def test_any_part_of_a_real_badge_or_its_status_list_may_be_replaced(value: Any,
                                                                      pick: int) -> None:
    which = DOCUMENTS[pick % len(DOCUMENTS)]
    paths = list(leaves(which))
    path = paths[pick % len(paths)][:1 + pick % 3]
    if which is LISTS[LIST]:
        answers_or_refuses(SIGNED, {LIST: changed(which, path, value)})
    else:
        answers_or_refuses(changed(which, path, value), LISTS)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(JSON, JSON, st.sampled_from(["object", "jws", "signed jws"]))
def test_arbitrary_json_and_tokens(first: Any, second: Any, shape: str) -> None:
    def b64(value: Any) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    if shape == "object":
        answers_or_refuses(first, {})
    elif shape == "jws":
        answers_or_refuses(f"{b64(first)}.{b64(second)}.c2ln", {})
    elif isinstance(second, dict):  # signed as raw bytes: PyJWT's JWT encoder checks claims
        token = jwt.PyJWS().encode(json.dumps(second).encode(), SIGNER.key, algorithm="EdDSA",
                                   headers={"kid": SIGNER.key_id})
        answers_or_refuses(token, {})
