"""Public keys: did:key, Multikey, JWK and PEM forms, and lookup in the issuer registry."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from hypothesis import given, settings
from hypothesis import strategies as st

from standards.keys import (
    KeyRing,
    did_key,
    key_from_did_key,
    key_from_jwk,
    key_from_multibase,
    key_from_pem,
    key_kind,
    multikey,
    same_key,
)
from tests.unit.standards.signing import issuer, load, new_key, public_jwk, public_pem
from tests.unit.standards.signing import offline as offline  # autouse: no network access

VECTOR = load("test-vector-keys.json")
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def raw(key: ed25519.Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def test_the_test_vector_multikey_decodes_to_its_published_public_key() -> None:
    key = key_from_multibase(VECTOR["publicKeyMultibase"])
    assert isinstance(key, ed25519.Ed25519PublicKey)
    assert raw(key).hex() == VECTOR["publicKeyHex"]
    secret = ed25519.Ed25519PrivateKey.from_private_bytes(
        bytes.fromhex(VECTOR["secretKeyHex"])[:32])
    assert multikey(secret.public_key()) == VECTOR["publicKeyMultibase"]


@settings(max_examples=25, deadline=None)
@given(st.binary(min_size=32, max_size=32))
def test_ed25519_did_keys_round_trip(seed: bytes) -> None:
    public = ed25519.Ed25519PrivateKey.from_private_bytes(seed).public_key()
    did = did_key(public)
    assert did.startswith("did:key:z6Mk")
    assert same_key(key_from_did_key(did), public)
    assert same_key(key_from_did_key(f"{did}#{did[8:]}"), public)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=1, max_value=P256_ORDER - 1))
def test_p256_did_keys_round_trip(secret: int) -> None:
    public = ec.derive_private_key(secret, ec.SECP256R1()).public_key()
    did = did_key(public)
    assert did.startswith("did:key:zDn")
    decoded = key_from_did_key(did)
    assert key_kind(decoded) == "P-256" and same_key(decoded, public)


@pytest.mark.parametrize("kind", ["Ed25519", "P-256", "RSA"])
def test_jwk_and_pem_forms_give_the_same_key(kind: str) -> None:
    private = new_key(kind)
    from_jwk, from_pem = key_from_jwk(public_jwk(private)), key_from_pem(public_pem(private))
    assert key_kind(from_jwk) == key_kind(from_pem) == kind
    assert same_key(from_jwk, private.public_key()) and same_key(from_pem, from_jwk)


@pytest.mark.parametrize(("reader", "value", "message"), [
    (key_from_multibase, "u6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi", "base58btc"),
    (key_from_multibase, "z0OIl", "base58btc"),
    (key_from_multibase, "zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", "Unsupported"),
    (key_from_did_key, "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi#key-1",
     "fragment must repeat"),
    (key_from_jwk, {"kty": "OKP", "crv": "X25519", "x": "AAAA"}, "Unsupported JWK"),
    (key_from_jwk, {"kty": "EC", "crv": "P-256", "x": "AAAA"}, "usable public JWK"),
    (key_from_pem, "-----BEGIN PUBLIC KEY-----\nMIIBG0BA...OClDQAB\n-----END PUBLIC KEY-----",
     "PEM"),
])
def test_unreadable_keys_are_refused_with_a_reason(reader: object, value: object,
                                                    message: str) -> None:
    with pytest.raises(ValueError, match=message):
        reader(value)  # type: ignore[operator]


def test_registry_lookup_by_full_key_id() -> None:
    signer = issuer("RSA")
    ring = KeyRing([signer.registry("pem")])
    found = ring.lookup(signer.key_id, None)
    assert [k.key_id for k in found.keys] == [signer.key_id] and found.problem is None
    assert found.keys[0].issuer_name == "Test Issuer" and found.keys[0].kind == "RSA"
    assert found.keys[0].speaks_for("https://issuer.example/profiles/1/")


@pytest.mark.parametrize("registered_id", ["#key-1", "key-1"])
def test_registry_lookup_by_issuer_url_and_fragment(registered_id: str) -> None:
    signer = issuer()
    ring = KeyRing([signer.registry("multibase", key_id=registered_id)])
    found = ring.lookup("https://issuer.example/profiles/1#key-1", None)
    assert [k.key_id for k in found.keys] == ["https://issuer.example/profiles/1#key-1"]
    assert ring.lookup("#key-1", "https://issuer.example/profiles/1").keys == found.keys
    assert ring.lookup("https://issuer.example/profiles/1#key-2", None).keys == ()


def test_registry_lookup_by_issuer_did() -> None:
    signer = issuer()
    entry = signer.registry("jwk", key_id="did:web:issuer.example#key-1")
    entry["did"] = "did:web:issuer.example"
    ring = KeyRing([entry])
    assert len(ring.lookup("did:web:issuer.example#key-1", None).keys) == 1
    assert ring.lookup(None, "did:web:issuer.example").keys[0].speaks_for("did:web:issuer.example")


def test_without_a_key_id_every_key_of_the_issuer_is_a_candidate() -> None:
    first, second = issuer(fragment="a"), issuer(fragment="b")
    entry = first.registry()
    entry["public_keys"] += second.registry()["public_keys"]
    found = KeyRing([entry, issuer(url="https://other.example").registry()]).lookup(
        None, "https://issuer.example/profiles/1")
    assert [k.key_id for k in found.keys] == [first.key_id, second.key_id]


def test_did_keys_resolve_locally_and_speak_for_their_did() -> None:
    signer = issuer()
    found = KeyRing([]).lookup(signer.did_key_method, "https://elsewhere.example")
    assert found.keys[0].source == "did:key" and found.keys[0].speaks_for(signer.did)
    assert not found.keys[0].speaks_for("https://elsewhere.example")
    assert same_key(KeyRing([]).lookup(None, signer.did).keys[0].public_key,
                    signer.key.public_key())


def test_unknown_and_unreadable_keys_are_named() -> None:
    entry = issuer().registry("pem")
    entry["public_keys"][0]["public_key_pem"] = "not a key"
    ring = KeyRing([entry])
    broken = ring.lookup("https://issuer.example/profiles/1#key-1", None)
    assert broken.keys == () and "cannot be read" in str(broken.problem)
    unknown = ring.lookup("did:web:nowhere.example#key-9", None)
    assert "did:web:nowhere.example#key-9" in str(unknown.problem)
    assert "did:web" not in str(ring.lookup(None, "https://nobody.example").problem)
    assert "https://nobody.example" in str(ring.lookup(None, "https://nobody.example").problem)


def test_a_registered_key_is_found_by_its_material() -> None:
    signer = issuer("P-256")
    ring = KeyRing([signer.registry("jwk")])
    found = ring.registered(key_from_jwk(public_jwk(signer.key)))
    assert found is not None and found.key_id == signer.key_id
    assert ring.registered(new_key("P-256").public_key()) is None
