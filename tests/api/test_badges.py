"""``POST /candidates/{id}/badges``: Open Badges verified offline, stored and scored (issue 5)."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.api.helpers import Caller, assert_invalid, assert_problem, skill_id
from tests.unit.standards.signing import (
    issuer,
    ob3_credential,
    sign_di,
    sign_vc_jwt,
    status_entry,
    status_list,
    tamper_jws,
)
from tests.unit.standards.signing import offline as offline  # autouse: no network access

DATA = Path(__file__).resolve().parents[1] / "unit" / "standards" / "data" / "verify"
ESCO_SQL = skill_id("SQL")
SIGNERS = {kind: issuer(kind, url=f"https://{kind.lower()}.example/issuer")
           for kind in ("RSA", "P-256", "Ed25519")}


def sql_badge(issuer_id: str, *, ident: str = "urn:uuid:6a2b1f1e-0000-4000-8000-000000000001",
              **members: object) -> dict:
    """The 1EdTech basic example, aligned to ESCO's SQL, issued by ``issuer_id``."""
    credential = ob3_credential(issuer_id, id=ident, **members)
    achievement = credential["credentialSubject"]["achievement"]
    achievement["name"] = "SQL Practitioner"
    achievement["achievementType"] = "Certification"
    achievement["alignment"] = [{"type": ["Alignment"], "targetName": "SQL",
                                 "targetUrl": ESCO_SQL, "targetType": "ceterms:Competency"}]
    return credential


def register(api: Caller, kind: str) -> dict:
    signer = SIGNERS[kind]
    entry = signer.registry("jwk")
    return api.create("/issuers", {"name": f"{kind} Academy", "url": signer.url,
                                   "public_keys": entry["public_keys"]})


@pytest.fixture
def candidate(api: Caller) -> dict:
    return api.create("/candidates", {"external_id": "C-1", "name": "Ada Lovelace"})


def add(api: Caller, candidate_id: int, badge: object, **extra: object):
    return api.post(f"/candidates/{candidate_id}/badges", {"credential": badge, **extra})


def test_a_data_integrity_badge_signed_with_did_key_verifies(api: Caller, candidate) -> None:
    signer = SIGNERS["Ed25519"]
    badge = sign_di(sql_badge(signer.did), signer, signer.did_key_method)
    response = add(api, candidate["id"], badge)
    assert response.status_code == 201, response.get_json()
    (result,) = response.get_json()["results"]
    assert result["verification"]["status"] == "verified"
    assert result["verification"]["method"] == "eddsa-rdfc-2022"
    assert result["issuer"]["added"] is True and result["issuer"]["reviewed"] is False
    assert result["kind"] == "certification"
    held = api.get(f"/candidates/{candidate['id']}").get_json()["credentials"]
    (credential,) = held
    assert credential["badge"] is True
    assert credential["verification"]["status"] == "verified"
    assert credential["verification"]["checked_at"]
    assert ESCO_SQL in {s["skill_id"] for s in credential["skills"]}
    issuer_row = api.get(f"/issuers/{result['issuer']['id']}").get_json()
    assert issuer_row["did"] == signer.did


@pytest.mark.parametrize("kind", ["RSA", "P-256", "Ed25519"])
def test_vc_jwt_badges_verify_with_registry_keys(api: Caller, candidate, kind: str) -> None:
    registered = register(api, kind)
    token = sign_vc_jwt(sql_badge(SIGNERS[kind].url), SIGNERS[kind])
    response = add(api, candidate["id"], token)
    assert response.status_code == 201, response.get_json()
    (result,) = response.get_json()["results"]
    assert result["verification"]["status"] == "verified", result["verification"]
    assert result["verification"]["key_id"] == SIGNERS[kind].key_id
    assert result["issuer"] == {"id": registered["id"], "name": registered["name"],
                                "reviewed": True, "added": False}


def test_a_tampered_badge_is_kept_as_failed_and_scores_nothing(api: Caller) -> None:
    register(api, "P-256")
    good = sign_vc_jwt(sql_badge(SIGNERS["P-256"].url), SIGNERS["P-256"])
    bad = tamper_jws(good, lambda claims: claims["vc"]["credentialSubject"]["achievement"]
                     .update(name="SQL Grandmaster"))
    ids = {}
    for name, token in (("honest", good), ("forger", bad)):
        person = api.create("/candidates", {"external_id": name, "name": name})
        ids[name] = person["id"]
        result = add(api, person["id"], token).get_json()["results"][0]
        assert result["verification"]["status"] == ("verified" if name == "honest" else "failed")
    job = api.create("/jobs", {"external_id": "J", "title": "Analyst",
                               "requirements": [{"skill": "SQL"}]})
    run = api.post(f"/jobs/{job['id']}/rankings", {"limit": 10}).get_json()
    by_id = {r["candidate_id"]: r for r in run["results"]}
    honest, forger = by_id[ids["honest"]], by_id[ids["forger"]]
    assert honest["score"] > 0 and honest["rank"] == 1
    assert forger["score"] == 0
    evidence = honest["requirements"][0]["credential"]
    assert (evidence["verification_status"], evidence["badge"]) == ("verified", True)
    assert evidence["factors"]["verification"] == 1.0


def test_an_unknown_key_leaves_the_badge_unverified(api: Caller, candidate) -> None:
    token = sign_vc_jwt(sql_badge(SIGNERS["RSA"].url), SIGNERS["RSA"])
    (result,) = add(api, candidate["id"], token).get_json()["results"]
    assert result["verification"]["status"] == "unverified"
    assert SIGNERS["RSA"].key_id in result["verification"]["detail"]


def test_expired_and_not_yet_valid_badges_say_so(api: Caller, candidate) -> None:
    signer = SIGNERS["Ed25519"]
    now = datetime.now(UTC)
    expired = sql_badge(signer.did, ident="urn:x:expired",
                        validUntil=(now - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    future = sql_badge(signer.did, ident="urn:x:future",
                       validFrom=(now + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    response = api.post(f"/candidates/{candidate['id']}/badges", {"credentials": [
        sign_di(expired, signer, signer.did_key_method),
        sign_di(future, signer, signer.did_key_method)]})
    assert response.status_code == 201, response.get_json()
    old, early = response.get_json()["results"]
    for result, word in ((old, "expired"), (early, "not valid until")):
        validity = {c["name"]: c for c in result["verification"]["checks"]}["validity"]
        assert validity["outcome"] == "warning"
        assert word in validity["detail"]
    held = {k["id"]: k for k in api.get(f"/candidates/{candidate['id']}").get_json()[
        "credentials"]}
    assert held[old["credential_id"]]["expires_on"] == (now - timedelta(days=30)).date(
    ).isoformat()


def test_revocation_lists_are_used_and_kept_for_later_badges(api: Caller, candidate) -> None:
    signer = SIGNERS["Ed25519"]
    url = "https://ed25519.example/status/1"
    listing = status_list(url, signer.did, revoked={7})
    first = sign_di(sql_badge(signer.did, ident="urn:x:1", credentialStatus=status_entry(url, 7)),
                    signer, signer.did_key_method)
    (result,) = add(api, candidate["id"], first, status_lists={url: listing}).get_json()["results"]
    assert result["verification"]["status"] == "revoked"
    second = sign_di(sql_badge(signer.did, ident="urn:x:2",
                               credentialStatus=status_entry(url, 7)),
                     signer, signer.did_key_method)
    (again,) = add(api, candidate["id"], second).get_json()["results"]
    assert again["verification"]["status"] == "revoked"
    other = api.create("/candidates", {"external_id": "C-2", "name": "B"})
    unseen = sign_di(sql_badge(signer.did, ident="urn:x:3", credentialStatus=status_entry(
        "https://ed25519.example/status/unknown", 1)), signer, signer.did_key_method)
    (unchecked,) = add(api, other["id"], unseen).get_json()["results"]
    status = {c["name"]: c for c in unchecked["verification"]["checks"]}["status"]
    assert status["outcome"] == "not-checked"
    assert unchecked["verification"]["status"] == "verified"


def test_the_1edtech_test_vector_verifies_with_its_issuer_registered(api: Caller,
                                                                     candidate) -> None:
    vector = json.loads((DATA / "test-vector-signed-credential.json").read_text("utf-8"))
    keys = json.loads((DATA / "test-vector-keys.json").read_text("utf-8"))
    method = vector["proof"]["verificationMethod"]
    api.create("/issuers", {"name": "Example Corp", "url": vector["issuer"]["id"],
                            "public_keys": [{"id": method, "type": "Multikey",
                                             "public_key_multibase":
                                                 keys["publicKeyMultibase"]}]})
    (result,) = add(api, candidate["id"], vector).get_json()["results"]
    assert result["verification"]["status"] == "verified", result["verification"]
    assert result["issuer"]["added"] is False
    assert result["name"] == "Teamwork"


def test_a_resubmitted_badge_replaces_the_one_held(api: Caller, candidate) -> None:
    signer = SIGNERS["Ed25519"]
    badge = sign_di(sql_badge(signer.did), signer, signer.did_key_method)
    add(api, candidate["id"], badge)
    add(api, candidate["id"], badge)
    assert len(api.get(f"/candidates/{candidate['id']}").get_json()["credentials"]) == 1


def test_a_resume_reimport_keeps_verified_badges(api: Caller) -> None:
    resume = {"basics": {"name": "Ada", "email": "ada@example.com"},
              "work": [{"name": "Acme", "position": "Analyst", "startDate": "2020"}]}
    created = api.post("/imports/json-resume", resume).get_json()["results"][0]
    signer = SIGNERS["Ed25519"]
    add(api, created["id"], sign_di(sql_badge(signer.did), signer, signer.did_key_method))
    api.post("/imports/json-resume", resume)
    held = api.get(f"/candidates/{created['id']}").get_json()["credentials"]
    assert [(k["badge"], k["verification"]["status"]) for k in held] == [(True, "verified")]


def test_an_ob2_hosted_assertion_with_its_linked_badge_class(api: Caller, candidate) -> None:
    assertion = json.loads((DATA / "ob2-assertion-hosted.json").read_text("utf-8"))
    badge_class = json.loads((DATA / "ob2-badgeclass.json").read_text("utf-8"))
    issuer_profile = json.loads((DATA / "ob2-issuer.json").read_text("utf-8"))
    linked = {badge_class["id"]: badge_class, issuer_profile["id"]: issuer_profile}
    response = add(api, candidate["id"], assertion, linked=linked)
    assert response.status_code == 201, response.get_json()
    (result,) = response.get_json()["results"]
    assert result["verification"]["status"] == "unverified"
    assert result["verification"]["format"] == "ob2-hosted"
    assert result["name"] == badge_class["name"]


@pytest.mark.parametrize(("body", "path"), [
    ({"credential": {"foo": 1}}, "credential"),
    ({"credential": "not.a.jwt"}, "credential"),
    ({"credential": 5}, "credential"),
    ({}, "credential"),
    ({"credential": {"a": 1}, "credentials": [{"a": 1}]}, "credential"),
    ({"credentials": []}, "credentials"),
    ({"credential": "x", "status_lists": {"u": 5}}, "status_lists"),
])
def test_what_is_not_a_badge_is_422(api: Caller, candidate, body: dict, path: str) -> None:
    errors = assert_invalid(api.post(f"/candidates/{candidate['id']}/badges", body))
    assert any(key.startswith(path) for key in errors), errors


def test_an_unknown_context_is_named_and_nothing_is_written(api: Caller, candidate) -> None:
    signer = SIGNERS["Ed25519"]
    good = sign_di(sql_badge(signer.did, ident="urn:x:ok"), signer, signer.did_key_method)
    strange = copy.deepcopy(good)
    strange["@context"].append("https://contexts.example/unknown.jsonld")
    before = api.total("/issuers")
    response = api.post(f"/candidates/{candidate['id']}/badges",
                        {"credentials": [good, strange]})
    body = assert_problem(response, 422)
    assert "https://contexts.example/unknown.jsonld" in json.dumps(body)
    assert any(key.startswith("credentials.1") for key in body["errors"]), body
    assert api.get(f"/candidates/{candidate['id']}").get_json()["credentials"] == []
    assert api.total("/issuers") == before


def test_badges_of_unknown_or_foreign_candidates_are_404(api: Caller, other_api: Caller) -> None:
    foreign = other_api.create("/candidates", {"external_id": "F", "name": "F"})
    signer = SIGNERS["Ed25519"]
    badge = sign_di(sql_badge(signer.did), signer, signer.did_key_method)
    assert_problem(add(api, foreign["id"], badge), 404)
    assert_problem(add(api, 999_999, badge), 404)


def test_another_organizations_registry_keys_vouch_for_nothing(api: Caller, other_api: Caller,
                                                                candidate) -> None:
    signer = SIGNERS["RSA"]
    theirs = other_api.create("/issuers", {"name": "RSA Academy", "url": signer.url,
                                           "public_keys": signer.registry("jwk")["public_keys"]})
    (result,) = add(api, candidate["id"], sign_vc_jwt(sql_badge(signer.url), signer)).get_json()[
        "results"]
    assert result["verification"]["status"] == "unverified"
    assert result["issuer"]["added"] is True and result["issuer"]["id"] != theirs["id"]
    assert other_api.total("/issuers") == 1


def test_profile_updates_keep_badges_which_are_managed_on_their_own(api: Caller,
                                                                     candidate) -> None:
    signer = SIGNERS["Ed25519"]
    badge = sign_di(sql_badge(signer.did), signer, signer.did_key_method)
    add(api, candidate["id"], badge)
    profile = {"external_id": "C-1", "name": "Ada King",
               "experience": [{"title": "Analyst", "start_date": "2020-01-01"}]}
    api.put(f"/candidates/{candidate['id']}", profile)
    api.put("/candidates/by-external-id/C-1", profile)
    api.post("/candidates/bulk", {"candidates": [profile]})
    held = api.get(f"/candidates/{candidate['id']}").get_json()
    assert held["name"] == "Ada King" and len(held["experience"]) == 1
    (listed,) = api.get(f"/candidates/{candidate['id']}/badges").get_json()["items"]
    assert listed["format"] == "ob3-data-integrity"
    assert listed["document"] == badge
    assert listed["verification"]["status"] == "verified"
    assert [k["id"] for k in held["credentials"]] == [listed["credential_id"]]
    removed = api.delete(f"/candidates/{candidate['id']}/badges/{listed['credential_id']}")
    assert removed.status_code == 204
    assert api.get(f"/candidates/{candidate['id']}").get_json()["credentials"] == []
    assert_problem(api.delete(f"/candidates/{candidate['id']}/badges/"
                              f"{listed['credential_id']}"), 404)


def test_only_badges_can_be_removed_as_badges(api: Caller) -> None:
    person = api.create("/candidates", {"external_id": "P", "name": "P", "credentials": [
        {"name": "BSc Computer Science", "kind": "degree"}]})
    (degree,) = person["credentials"]
    assert_problem(api.delete(f"/candidates/{person['id']}/badges/{degree['id']}"), 404)
    assert api.get(f"/candidates/{person['id']}/badges").get_json() == {"items": []}
