"""The demo's signed Open Badges (``fixtures/demo/badges.json``, ``fixtures.build_badges``).

Every committed badge is verified offline against the demo issuer registry, as
``load-demo`` will, and must come out with the status the build script intends.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from api.schemas.issuers import IssuerInSchema
from fixtures import build_badges
from fixtures.build_demo import build_candidates
from graph.taxonomy import taxonomy_resolver
from standards.badges import badge_to_credential
from standards.dataintegrity import verify_data_integrity
from standards.keys import KeyRing, did_key
from standards.verify import BadgeVerification, verify_badge
from tests.unit.standards.signing import offline as offline  # autouse: no network access

DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo"


def load(name: str):
    return json.loads((DEMO / name).read_text("utf-8"))


@pytest.fixture(scope="module")
def specs() -> list[build_badges.BadgeSpec]:
    return build_badges.plan()


@pytest.fixture(scope="module")
def registry() -> list[dict]:
    """``issuers.json`` as the verifier reads the registry (api.badging.registry_keys)."""
    issuers = [IssuerInSchema().load(body) for body in load("issuers.json")]
    return [{"issuer_id": number, "name": i["name"], "did": i["did"], "url": i["url"],
             "public_keys": i["public_keys"]} for number, i in enumerate(issuers, 1)]


@pytest.fixture(scope="module")
def results(specs, registry) -> list[tuple[build_badges.BadgeSpec, BadgeVerification]]:
    badges = load("badges.json")
    assert [b["external_id"] for b in badges] == [s.external_id for s in specs]
    now = datetime.now(UTC)
    return [(spec, verify_badge(badge["credential"], keys=registry,
                                status_lists=load("status_lists.json"), now=now))
            for spec, badge in zip(specs, badges, strict=True)]


def checks(result: BadgeVerification) -> dict[str, str]:
    return {c.name: c.outcome for c in result.checks}


def summit_id(registry: list[dict]) -> int:
    (found,) = [i["issuer_id"] for i in registry if i["name"] == build_badges.REGISTRY_ISSUER]
    return found


def test_every_demo_badge_verifies_to_the_status_the_build_intends(results) -> None:
    assert [(s.number, r.status.value) for s, r in results] == [
        (s.number, s.expect) for s, _ in results]


def test_registry_keys_vouch_for_the_jwt_badges(results, registry) -> None:
    jwts = [(s, r) for s, r in results if s.form.startswith("jwt") and s.case != "tampered"]
    assert {s.form for s, _ in jwts} == {"jwt-es256", "jwt-eddsa"}
    for spec, result in jwts:
        assert result.format == "ob3-vc-jwt"
        assert result.method == ("vc-jwt ES256" if spec.form == "jwt-es256" else "vc-jwt EdDSA")
        assert result.key_id == (build_badges.ES256_KID if spec.form == "jwt-es256"
                                 else build_badges.EDDSA_KID)
        assert checks(result)["issuer"] == "passed"
        if spec.case != "revoked":
            assert result.registry_issuer_id == summit_id(registry)
            assert checks(result)["status"] == "passed", result.detail


def test_data_integrity_badges_are_signed_with_a_did_key_the_registry_lacks(results,
                                                                          registry) -> None:
    signed = [(s, r) for s, r in results if s.form == "di-did-key"]
    dids = {r.credential["issuer"]["id"] for _, r in signed}
    assert all(d.startswith("did:key:z6Mk") for d in dids) and len(dids) == 2
    assert not dids & {i["did"] for i in registry}
    names = {r.credential["issuer"]["name"] for _, r in signed}
    assert not names & {i["name"] for i in registry}
    for spec, result in signed:
        assert (result.format, result.method) == ("ob3-data-integrity", "eddsa-rdfc-2022")
        assert result.registry_issuer_id is None
        if spec.case == "good":
            assert checks(result)["signature"] == "passed"
            assert checks(result)["context"] == "passed"


def test_tampered_badges_fail_on_their_signature(results) -> None:
    tampered = [(s, r) for s, r in results if s.case == "tampered"]
    assert {s.form for s, _ in tampered} == {"di-did-key", "jwt-eddsa"}
    for _, result in tampered:
        assert checks(result)["signature"] == "failed"
        assert "changed after it was signed" in result.detail
        assert "Expert" in json.dumps(result.credential)  # the grander claim, unsigned


def test_the_expired_badge_still_verifies_with_a_validity_warning(results) -> None:
    (result,) = [r for s, r in results if s.case == "expired"]
    assert checks(result)["validity"] == "warning"
    assert "expired on 2025-06-30" in result.detail
    assert result.valid_until is not None and result.valid_until < datetime.now(UTC)


def test_the_revoked_badge_is_revoked_by_the_shipped_signed_status_list(results,
                                                                        registry) -> None:
    (result,) = [r for s, r in results if s.case == "revoked"]
    assert checks(result)["signature"] == "passed" and checks(result)["status"] == "failed"
    assert build_badges.STATUS_URL in result.detail and "Revoked by its issuer" in result.detail
    (listing,) = load("status_lists.json").values()
    signed = verify_data_integrity(listing, KeyRing(registry), listing["issuer"])
    assert signed.outcome == "verified"
    assert signed.keys[0].issuer_name == build_badges.REGISTRY_ISSUER


def test_the_hosted_ob2_assertion_is_unverified_and_names_a_registry_issuer(results,
                                                                            registry) -> None:
    (result,) = [r for s, r in results if s.form == "ob2-hosted"]
    assert result.format == "ob2-hosted" and checks(result)["signature"] == "not-checked"
    issuer = result.credential["badge"]["issuer"]
    assert (issuer["name"], issuer["url"]) in {(i["name"], i["url"]) for i in registry}


def test_badges_go_to_badge_heavy_and_strong_fit_candidates_with_a_mix_of_cases(specs) -> None:
    archetypes = dict((c["external_id"], a) for a, c in build_candidates())
    holders = {s.external_id for s in specs}
    assert 20 <= len(holders) <= 32
    assert {archetypes[h] for h in holders} == {"badge_heavy", "strong_fit"}
    assert all(archetypes[s.external_id] == s.archetype for s in specs)
    cases = Counter(s.case for s in specs)
    assert (cases["tampered"], cases["expired"], cases["revoked"]) == (2, 1, 1)
    assert Counter(s.form for s in specs).keys() == {"di-did-key", "jwt-es256", "jwt-eddsa",
                                                     "ob2-hosted"}
    assert len({s.job_id for s in specs}) == len(load("jobs.json"))


def test_each_badge_names_skills_its_job_requires_and_esco_ones_by_uri(results) -> None:
    resolver = taxonomy_resolver()
    jobs = {j["external_id"]: j for j in load("jobs.json")}
    for spec, result in results:
        wanted = {resolver.resolve(name).skill_id for name in spec.skills}
        needed = {resolver.resolve(r["skill"]).skill_id
                  for r in jobs[spec.job_id]["requirements"]}
        assert wanted <= needed
        mapped = badge_to_credential(result.credential, resolver=resolver, format=result.format)
        assert {resolver.resolve(n).skill_id for n in mapped.skills} == wanted, spec
        achievement = (result.credential["badge"] if spec.form == "ob2-hosted"
                       else result.credential["credentialSubject"]["achievement"])
        urls = {a["targetUrl"] for a in achievement["alignment"]}
        assert {i for i in wanted if i.startswith(build_badges.ESCO)} <= urls


def test_the_registry_entry_holds_public_keys_only_and_they_are_the_signing_keys() -> None:
    (entry,) = [i for i in load("issuers.json") if i["name"] == build_badges.REGISTRY_ISSUER]
    assert entry == build_badges.with_registry_entry([entry])[0]
    jwk, multibase = entry["public_keys"]
    assert set(jwk["public_key_jwk"]) == {"kty", "crv", "x", "y"}  # no private "d"
    assert multibase["public_key_multibase"].startswith("z6Mk")
    public = build_badges.SUMMIT_EDDSA.public_key()
    assert did_key(public) == "did:key:" + multibase["public_key_multibase"]


def test_build_check_passes_on_the_committed_files(capsys: pytest.CaptureFixture) -> None:
    assert build_badges.main(["--check"]) == 0
    assert "up to date" in capsys.readouterr().err


def test_an_es256_token_is_equivalent_only_with_a_valid_signature_over_the_same_claims(
        ) -> None:
    import jwt

    claims = {"iss": build_badges.SUMMIT_PROFILE, "vc": {"name": "SQL"}}
    headers = {"kid": build_badges.ES256_KID}
    first, second = (jwt.encode(claims, build_badges.SUMMIT_ES256, algorithm="ES256",
                                headers=headers) for _ in range(2))
    assert first != second  # ECDSA signatures are randomised ...
    assert build_badges.equivalent([{"c": first}], [{"c": second}])  # ... and both verify
    other = jwt.encode({**claims, "vc": {"name": "SQL Expert"}}, build_badges.SUMMIT_ES256,
                       algorithm="ES256", headers=headers)
    assert not build_badges.equivalent(other, first)
    head, _, signature = first.rpartition(".")
    raw = bytearray(base64.urlsafe_b64decode(signature + "=="))
    raw[-1] ^= 1
    forged = f"{head}.{base64.urlsafe_b64encode(bytes(raw)).decode().rstrip('=')}"
    assert not build_badges.equivalent(forged, first)
    assert not build_badges.equivalent({"a": 1}, {"a": 1, "b": 2})
