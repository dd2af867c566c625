"""Offline JSON-LD: bundled contexts, RDFC-1.0 canonical form, refusal of lossy documents."""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
from pathlib import Path

import pytest

from standards import build_contexts
from standards.errors import DocumentError, UnknownContext
from standards.jsonld import (
    CONTEXTS,
    UnsafeDocument,
    bundled_contexts,
    canonicalize,
    document_loader,
)
from tests.unit.standards.signing import load
from tests.unit.standards.signing import offline as offline  # autouse: no network access

KEYS = load("test-vector-keys.json")


def test_vector_document_canonical_form_matches_byte_for_byte() -> None:
    document = load("test-vector-signed-credential.json")
    del document["proof"]
    canon = canonicalize(document)
    assert canon == load("test-vector-document-canon.txt")
    assert hashlib.sha256(canon.encode()).hexdigest() == KEYS["documentHashHex"]


def test_vector_proof_configuration_canonical_form_matches_byte_for_byte() -> None:
    document = load("test-vector-signed-credential.json")
    config = {k: v for k, v in document["proof"].items() if k != "proofValue"}
    config["@context"] = document["@context"]
    canon = canonicalize(config)
    assert canon == load("test-vector-proof-canon.txt")
    assert hashlib.sha256(canon.encode()).hexdigest() == KEYS["proofHashHex"]


def test_canonical_form_ignores_member_order_and_blank_node_labels() -> None:
    document = load("test-vector-signed-credential.json")
    del document["proof"]
    reordered = json.loads(json.dumps(document, sort_keys=True))
    reordered["credentialSubject"] = dict(reversed(list(document["credentialSubject"].items())))
    assert canonicalize(reordered) == canonicalize(document)


def test_every_bundled_context_loads_and_the_manifest_matches_the_files() -> None:
    manifest = json.loads((CONTEXTS / "manifest.json").read_text("utf-8"))
    files = {p.name for p in CONTEXTS.iterdir() if p.suffix in (".json", ".jsonld")}
    assert set(manifest.values()) | {"manifest.json"} == files
    for url in manifest:
        assert "@context" in document_loader(url)["document"]
    assert {"https://w3id.org/openbadges/v2", "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            "https://purl.imsglobal.org/spec/ob-accred/v2p0/context"} <= set(manifest)


def test_the_loader_hands_out_copies() -> None:
    url = "https://www.w3.org/ns/credentials/v2"
    document_loader(url)["document"]["@context"]["spoiled"] = True
    assert "spoiled" not in bundled_contexts()[url]["@context"]


def test_an_unknown_context_is_named_and_never_fetched() -> None:
    with pytest.raises(UnknownContext) as raised:
        document_loader("https://contexts.example/unknown")
    assert raised.value.url == "https://contexts.example/unknown"


def test_an_unknown_context_deep_in_a_document_gives_its_path() -> None:
    document = load("test-vector-signed-credential.json")
    document["credentialSubject"]["@context"] = ["https://contexts.example/nested"]
    with pytest.raises(UnknownContext) as raised:
        canonicalize(document)
    assert raised.value.url == "https://contexts.example/nested"
    [(path, [message])] = raised.value.errors.items()
    assert path == "credentialSubject.@context.0"
    assert "https://contexts.example/nested" in message


def test_a_context_that_imports_an_unknown_context_is_refused_too() -> None:
    document = {"@context": [{"@import": "https://contexts.example/imported"}], "id": "urn:x:1"}
    with pytest.raises(UnknownContext) as raised:
        canonicalize(document)
    assert raised.value.url == "https://contexts.example/imported"


def test_undefined_names_are_refused_with_their_paths() -> None:
    document = load("test-vector-signed-credential.json")
    del document["proof"]
    document["credentialSubject"]["achievement"]["secretGrade"] = "A+"
    with pytest.raises(UnsafeDocument) as raised:
        canonicalize(document)
    assert "secretGrade at credentialSubject.achievement.secretGrade" in str(raised.value)


@pytest.mark.parametrize("where", ["id", "type"])
def test_relative_iris_are_refused(where: str) -> None:
    document = load("test-vector-signed-credential.json")
    del document["proof"]
    document["credentialSubject"]["achievement"][where] = "achievements/teamwork"
    with pytest.raises(UnsafeDocument) as raised:
        canonicalize(document)
    assert "achievements/teamwork" in str(raised.value)


def test_a_poison_graph_of_look_alike_blank_nodes_is_refused_quickly() -> None:
    def clique(size: int) -> dict:
        return {"@context": {}, "@graph": [
            {"@id": f"_:b{i}", "https://example.org/knows": [
                {"@id": f"_:b{j}"} for j in range(size) if j != i]} for i in range(size)]}

    assert canonicalize(clique(3)).count("_:c14n") == 12  # small ones are fine
    with pytest.raises(DocumentError) as raised:
        canonicalize(clique(9))  # 9! orderings of identical nodes, unbounded without a limit
    assert "work limit" in raised.value.errors["$"][0]


def test_build_contexts_regenerates_the_bundle_from_a_specs_folder(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shared = specs / "jsonld-contexts"
    shared.mkdir(parents=True)
    v2 = "https://www.w3.org/ns/credentials/v2"
    shutil.copyfile(CONTEXTS / "www.w3.org_ns_credentials_v2.json", shared / "v2.jsonld")
    (shared / "manifest.json").write_text(json.dumps({v2: "v2.jsonld"}))
    (specs / "open-badges" / "ob2").mkdir(parents=True)
    shutil.copyfile(CONTEXTS / "w3id.org_openbadges_v2.json",
                    specs / "open-badges" / "ob2" / "context-2.0.json")
    extension = specs / "open-badges" / "issuer-accreditation-extension"
    extension.mkdir(parents=True)
    shutil.copyfile(CONTEXTS / "purl.imsglobal.org_spec_ob-accred_v2p0_context.json",
                    extension / "context.json")
    (extension / "schema.json").write_text(  # not strict JSON, like the published file
        '{"$id": "http://purl.imsglobal.org/spec/ob-accred/v2p0/schema", "pattern": "(-?)\\2"}')
    manifest = build_contexts.build(specs, tmp_path / "out")
    assert manifest == {
        v2: "www.w3.org_ns_credentials_v2.json",
        "https://w3id.org/openbadges/v2": "w3id.org_openbadges_v2.json",
        "https://openbadgespec.org/v2/context.json": "openbadgespec.org_v2_context.json",
        "https://purl.imsglobal.org/spec/ob-accred/v2p0/context":
            "purl.imsglobal.org_spec_ob-accred_v2p0_context.json"}
    for url, name in manifest.items():
        assert (tmp_path / "out" / name).read_bytes() == (CONTEXTS / name).read_bytes(), url
    readme = (tmp_path / "out" / "README.md").read_text()
    assert "| https://w3id.org/openbadges/v2 |" in readme and "1EdTech" in readme


def test_the_bundled_readme_lists_every_context() -> None:
    readme = (CONTEXTS / "README.md").read_text("utf-8")
    for url in bundled_contexts():
        assert f"| {url} |" in readme


def test_these_tests_cannot_reach_the_network() -> None:
    """The autouse ``offline`` fixture is in force: verification never needs a socket."""
    with pytest.raises(AssertionError, match="network access attempted"):
        socket.create_connection(("w3id.org", 443), timeout=1)
    with pytest.raises(AssertionError, match="network access attempted"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
