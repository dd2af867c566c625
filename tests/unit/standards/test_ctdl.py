"""CTDL documents -> issuers, accreditations and catalogue offerings (standards.ctdl)."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.schemas.catalog import OfferingInSchema
from api.schemas.issuers import IssuerInSchema
from graph.taxonomy import taxonomy_resolver
from matcher.skills import SkillResolver
from standards.ctdl import HOURS_PER_WEEK, credential_kind, ctdl_to_registry, iso_weeks
from standards.errors import DocumentError
from standards.result import ImportResult

DATA = Path(__file__).parent / "data" / "ctdl"
RESOURCES = "https://credentialengineregistry.org/resources/"
# the offerer in both Credential Engine examples
ORG_CTID = "ce-ca493a91-b9ec-4a45-ac6f-a6259656ea50"
ACADEMY = RESOURCES + "ce-5b0c1f4e-2d7a-4c1b-9e63-1a2b3c4d5e6f"


@cache
def resolver() -> SkillResolver:
    return taxonomy_resolver()


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def read(document: Any, path: str = "") -> ImportResult:
    return ctdl_to_registry(document, resolver=resolver(), path=path)


def api_accepts(body: dict) -> None:
    """Issuers (without the de-duplication keys) and offerings load as the API's bodies."""
    for issuer in body["issuers"]:
        issuer = dict(issuer)
        for key in ("ctid", "ref"):  # the API's de-duplication keys, not issuer fields
            value = issuer.pop(key)
            assert value is None or isinstance(value, str)
        IssuerInSchema().load(issuer)
    names = {issuer["name"] for issuer in body["issuers"]}
    for offering in body["offerings"]:
        OfferingInSchema().load(offering)
        assert offering["issuer"] in names


def at(document: Any, path: str) -> Any:
    for part in path.split(".") if path not in ("", "$") else []:
        document = document[int(part)] if isinstance(document, list) else document[part]
    return document


def reported(result: ImportResult, path: str) -> dict:
    found = [u for u in result.unrecognised if u["path"] == path]
    assert found, (path, result.unrecognised)
    return found[0]


# -- the Credential Engine examples, unedited ---------------------------------------------------


def test_degree_in_a_verifiable_credential() -> None:
    document = load("s1_2_DegreeInRegistryAndVC.json")
    result = read(document)
    api_accepts(result.body)
    achievement = document["credentialSubject"]["achievement"]
    organization = RESOURCES + achievement["ceterms:offeredBy"].removeprefix("res:")
    # the offerer is known only by its (compact, expanded) id: named by it, for review
    assert result.body["issuers"] == [{
        "name": organization, "url": None, "country": None, "accreditations": [],
        "ctid": ORG_CTID, "ref": organization}]
    [offering] = result.body["offerings"]
    assert offering["name"] == achievement["ceterms:name"]["en-US"]
    assert offering["kind"] == "degree"
    assert offering["issuer"] == organization
    # "find:" is the document's own prefix for https://credentialfinder.org/
    assert offering["url"] == "https://credentialfinder.org/credential/0000/Science_and_Arts"
    # "Knowledge of Science" is ESCO's "science" (an alternative label); arts matches nothing
    science = resolver().resolve("science")
    assert offering["skills"] == [science.label]
    assert result.origin["offerings.0.skills.0"] == (
        "credentialSubject.achievement.ceterms:requires.0")
    skill_report = next(m for m in result.mapped if m["to"] == "offerings.0.skills.0")
    assert skill_report["value"] == {"skill": science.label,
                                     "matched_by": f"{science.method} match of 'Science'"}
    assert reported(result, "credentialSubject.achievement.ceterms:requires.1")["value"] == (
        "Knowledge of Arts")
    assert reported(result, "credentialSubject.achievement.ceterms:subject")


def test_assessment_accreditation() -> None:
    document = load("s_4_1_AssessmentAccreditation.json")
    result = read(document)
    api_accepts(result.body)
    assessment = document["credentialSubject"]["achievement"][0]
    [issuer] = result.body["issuers"]
    assert issuer["ctid"] == ORG_CTID
    # on a credential, accreditation covers that credential: its name is the scope
    assert issuer["accreditations"] == [{
        "accrediting_body": assessment["ceterms:accreditedBy"]["ceterms:name"]["en-US"],
        "status": "active", "scope": assessment["ceterms:name"]["en-US"]}]
    assert result.origin["issuers.0.accreditations.0"] == (
        "credentialSubject.achievement.0.ceterms:accreditedBy")
    # the competencies it assesses are ids this document does not describe: nothing to offer
    assert result.body["offerings"] == []
    assert "skill gaps" in reported(result, "credentialSubject.achievement.0")["reason"]
    for index in (0, 1):
        assert reported(result, f"credentialSubject.achievement.0.ceterms:assesses.{index}")


# -- the Credential Registry's @graph shape ----------------------------------------------------


def test_registry_graph() -> None:
    document = load("registry_graph.json")
    result = read(document)
    api_accepts(result.body)
    academy, commission = result.body["issuers"]
    assert academy["name"] == "Cascade Data Academy"
    assert (academy["url"], academy["country"], academy["ref"]) == (
        "https://cascade.example.edu", "US", ACADEMY)
    assert academy["ctid"] == document["@graph"][0]["ceterms:ctid"]
    qa_body = "Northwest Commission on Training Quality"
    assert academy["accreditations"] == [
        {"accrediting_body": qa_body, "status": "active", "scope": None},
        {"accrediting_body": qa_body, "status": "active",
         "scope": "Certified Data Pipeline Practitioner"}]
    # a described QA organization is an issuer too; "United States" is not an ISO code
    assert commission["name"] == qa_body and commission["country"] is None
    assert reported(result, "@graph.1.ceterms:address.0.ceterms:addressCountry")


def test_registry_certification_offering() -> None:
    result = read(load("registry_graph.json"))
    certification = result.body["offerings"][0]
    labels = [resolver().get(f"http://data.europa.eu/esco/skill/{uuid}").label for uuid in (
        "598de5b0-5b58-4ea7-8058-a4bc4d18c742", "ccd0a1d9-afda-43d9-b901-96344886e14d")]
    assert certification == {
        "name": "Certified Data Pipeline Practitioner", "issuer": "Cascade Data Academy",
        "kind": "certification", "skills": labels, "duration_weeks": 12.0,
        "url": "https://cascade.example.edu/cdpp", "delivery": "online",
        "cost": 1350.0, "currency": "USD"}  # tuition 1200 + assessment fee "150"
    assert reported(result, "@graph.2.ceterms:requires.0.ceterms:targetCompetency.2")[
        "value"] == "Pipeline stewardship ethos"


def test_registry_learning_opportunity_offering() -> None:
    result = read(load("registry_graph.json"))
    learning = result.body["offerings"][1]
    # owned by nobody, offered through the academy's ceterms:offers list
    assert learning["issuer"] == "Cascade Data Academy"
    assert result.origin["offerings.1.issuer"] == "@graph.0.ceterms:offers.1"
    assert learning["kind"] == "certificate"
    # its competency is a ceasn:Competency node referenced by id: a statement around a skill
    assert learning["skills"] == [resolver().resolve("machine learning").label]
    # PT80H (the maximum: the conservative estimate) at 40 hours a week; both delivery modes
    assert learning["duration_weeks"] == 80 / HOURS_PER_WEEK
    assert learning["delivery"] == "blended"
    assert reported(result, "@graph.5.@type")["value"] == "Occupation"


def test_every_origin_and_report_path_points_into_the_document() -> None:
    for name in ("registry_graph.json", "s1_2_DegreeInRegistryAndVC.json",
                 "s_4_1_AssessmentAccreditation.json"):
        document = load(name)
        result = read(document)
        for document_path in result.origin.values():
            at(document, document_path)
        for item in result.mapped + result.unrecognised:
            at(document, item["path"])


def test_single_resource_with_plain_ids_and_embedded_owner() -> None:
    badge = {
        "@context": "https://credreg.net/ctdl/schema/context/json",
        "@id": "https://example.org/badges/sql",
        "@type": "ceterms:OpenBadge",
        "ceterms:name": [{"@language": "en", "@value": "SQL Basics"}],
        "ceterms:ownedBy": {"@id": "https://example.org/org", "@type":
                            "ceterms:CredentialOrganization", "ceterms:name": "Example Org",
                            "ceterms:address": {"ceterms:addressCountry": "de"}},
        "ceterms:recognizedBy": {"@id": "https://example.org/guild"},
        "ceterms:regulatedBy": {"ceterms:name": "State Board"},
        "ceterms:teaches": {"ceterms:targetNodeName": "SQL"},
        "ceterms:estimatedCost": {"ceterms:price": 20, "ceterms:currency": "EUR"},
    }
    result = read(badge, path="items.4")
    api_accepts(result.body)
    [issuer] = result.body["issuers"]
    assert (issuer["name"], issuer["country"], issuer["ctid"]) == ("Example Org", "DE", None)
    # a QA agent with an id and no name is named by its id
    assert issuer["accreditations"][0]["accrediting_body"] == "https://example.org/guild"
    assert result.body["offerings"] == [{
        "name": "SQL Basics", "issuer": "Example Org", "kind": "badge", "skills": ["SQL"],
        "cost": 20.0, "currency": "EUR"}]
    assert reported(result, "items.4.ceterms:regulatedBy")["value"] == "State Board"
    assert result.origin["offerings.0.cost"] == "items.4.ceterms:estimatedCost"


def test_organization_with_credentials_written_in_place() -> None:
    organization = {
        "@type": "ceterms:CredentialOrganization", "ceterms:name": {"en": "Git School"},
        "ceterms:offers": [
            {"@type": "ceterms:MicroCredential", "ceterms:name": "Version Control",
             "ceterms:teaches": [{"ceterms:targetNodeName": "Git"}],
             "ceterms:estimatedDuration": [{"ceterms:exactDuration": "P6W"}]},
            "https://example.org/credentials/elsewhere"]}
    result = read(organization)
    api_accepts(result.body)
    assert result.body["offerings"] == [{
        "name": "Version Control", "issuer": "Git School", "kind": "micro-credential",
        "skills": [resolver().resolve("Git").label], "duration_weeks": 6.0}]
    assert result.origin["offerings.0"] == "ceterms:offers.0"
    assert reported(result, "ceterms:offers.1")["value"] == (
        "https://example.org/credentials/elsewhere")


def test_an_offerer_described_in_place_without_an_id() -> None:
    course = {"@type": "ceterms:Course", "ceterms:name": "Spreadsheets",
              "ceterms:offeredBy": [{"@type": "ceterms:CredentialOrganization",
                                     "ceterms:name": "Inline College"}],
              "ceterms:teaches": [{"ceterms:targetNodeName": "Microsoft Excel"}]}
    result = read(course)
    assert [i["name"] for i in result.body["issuers"]] == ["Inline College"]
    assert result.body["issuers"][0]["ref"] is None
    assert result.body["offerings"][0]["issuer"] == "Inline College"
    assert result.origin["issuers.0"] == "ceterms:offeredBy.0"


def test_a_credential_nobody_offers_is_reported() -> None:
    lonely = {"@type": "ceterms:Certificate", "ceterms:name": "Orphan",
              "ceterms:teaches": "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-"
                                 "a4bc4d18c742"}
    result = read(lonely)
    assert result.body == {"issuers": [], "offerings": []}
    assert "no organization" in reported(result, "$")["reason"]


@pytest.mark.parametrize(("ctdl_type", "kind"), [
    ("ceterms:Certification", "certification"), ("ceterms:License", "license"),
    ("ceterms:Badge", "badge"), ("ceterms:DigitalBadge", "badge"),
    ("ceterms:MicroCredential", "micro-credential"), ("ceterms:MasterDegree", "degree"),
    ("ceterms:AssociateDegree", "degree"), ("ceterms:ResearchDoctorate", "degree"),
    ("ceterms:Certificate", "certificate"), ("ceterms:CertificateOfCompletion", "certificate"),
    ("ceterms:ApprenticeshipCertificate", "certificate"), ("ceterms:Diploma", "certificate"),
    ("https://purl.org/ctdl/terms/LearningOpportunityProfile", "certificate"),
    ("ceterms:Course", "certificate"), ("ceterms:Occupation", None), ("ceterms:Place", None),
])
def test_credential_kinds(ctdl_type: str, kind: str | None) -> None:
    assert credential_kind(ctdl_type) == kind


# -- every DocumentError path -----------------------------------------------------------------


def graph(edit: Any) -> dict:
    document = load("registry_graph.json")
    edit(document["@graph"])
    return document


def setter(index: int, member: str, value: Any) -> Any:
    return lambda nodes: nodes[index].__setitem__(member, value)


@pytest.mark.parametrize(("document", "path"), [
    ("not json object", "$"),
    ({"@graph": {"@type": "ceterms:Certification"}}, "@graph"),
    (graph(lambda nodes: nodes.append(7)), "@graph.6"),
    (graph(lambda nodes: nodes[0].pop("@type")), "@graph.0.@type"),
    ({"id": "urn:x", "ceterms:name": "No type"}, "type"),
    (graph(setter(2, "@type", [])), "@graph.2.@type"),
    (graph(lambda nodes: nodes[2].pop("ceterms:name")), "@graph.2.ceterms:name"),
    (graph(setter(0, "ceterms:name", 12)), "@graph.0.ceterms:name"),
    (graph(setter(0, "ceterms:name", {"en-US": ["Cascade", 3]})), "@graph.0.ceterms:name.en-US.1"),
    (graph(setter(2, "ceterms:ownedBy", [5])), "@graph.2.ceterms:ownedBy.0"),
    (graph(setter(0, "ceterms:accreditedBy", {"ceterms:description": "anonymous"})),
     "@graph.0.ceterms:accreditedBy"),
    (graph(setter(3, "ceterms:teaches", [None])), "@graph.3.ceterms:teaches.0"),
    ({"credentialSubject": {"id": "did:example:1"}}, "credentialSubject.achievement"),
    ({"@type": "ceterms:Certification", "ceterms:name": "C", "ceterms:teaches": "SQL",
      "ceterms:offeredBy": {"@type": "ceterms:CredentialOrganization"}},
     "ceterms:offeredBy.ceterms:name"),
    ({"credentialSubject": [{"achievement": {"type": "Achievement", "name": "x"}}]},
     "credentialSubject.0.achievement.type"),
    ({"@graph": [{"@type": "ceterms:Occupation"}, {"@type": "ceterms:Job"}]}, "$"),
])
def test_document_errors_name_the_path(document: Any, path: str) -> None:
    with pytest.raises(DocumentError) as caught:
        read(document)
    assert caught.value.path == path
    assert list(caught.value.errors) == [path]


def test_document_error_paths_carry_the_prefix() -> None:
    with pytest.raises(DocumentError) as caught:
        read(graph(lambda nodes: nodes[0].pop("@type")), path="documents.2")
    assert caught.value.path == "documents.2.@graph.0.@type"


# -- properties ------------------------------------------------------------------------------


@given(st.integers(0, 10), st.integers(0, 30), st.integers(0, 12), st.integers(0, 200))
def test_iso_weeks_adds_its_parts(months: int, weeks: int, days: int, hours: int) -> None:
    text = f"P{months}M{weeks}W{days}DT{hours}H"
    expected = months * 52.1775 / 12 + weeks + days / 7 + hours / HOURS_PER_WEEK
    assert abs(iso_weeks(text) - expected) <= 0.005 + 1e-9  # rounded to 2 decimals


@given(st.lists(st.sampled_from(["SQL", "Python", "Java", "Git", "Tableau", "accounting",
                                 "machine learning", "Zorblax"]), min_size=1, max_size=6),
       st.permutations(range(3)))
def test_offerings_follow_the_graph_in_any_order(names: list[str], order: list[int]) -> None:
    nodes = [
        {"@id": "urn:org", "@type": "ceterms:CredentialOrganization", "ceterms:name": "Org"},
        {"@id": "urn:qa", "@type": "ceterms:QACredentialOrganization", "ceterms:name": "QA"},
        {"@id": "urn:cert", "@type": "ceterms:Certification", "ceterms:name": "Cert",
         "ceterms:offeredBy": "urn:org", "ceterms:accreditedBy": "urn:qa",
         "ceterms:teaches": [{"ceterms:targetNodeName": n} for n in names]},
    ]
    result = read({"@graph": [nodes[i] for i in order]})
    known = [n for n in names if resolver().resolve(n).skill_id]
    labels = list(dict.fromkeys(resolver().resolve(n).label for n in known))
    offerings = result.body["offerings"]
    assert [o["skills"] for o in offerings] == ([labels] if labels else [])
    org = next(i for i in result.body["issuers"] if i["name"] == "Org")
    assert org["accreditations"] == [{"accrediting_body": "QA", "status": "active",
                                      "scope": "Cert"}]
    assert sorted(i["name"] for i in result.body["issuers"]) == ["Org", "QA"]
    api_accepts(copy.deepcopy(result.body))


def test_a_duration_that_is_neither_text_nor_a_profile_is_reported() -> None:
    """Found by test_importer_robustness: a boolean duration crashed the importer."""
    organization = {
        "@type": "ceterms:CredentialOrganization", "ceterms:name": "Git School",
        "ceterms:offers": [
            {"@type": "ceterms:MicroCredential", "ceterms:name": "Version Control",
             "ceterms:teaches": [{"ceterms:targetNodeName": "Git"}],
             "ceterms:estimatedDuration": [False, {"ceterms:exactDuration": "P6W"}]}]}
    result = read(organization)
    assert result.body["offerings"][0]["duration_weeks"] == 6.0
    assert reported(result, "ceterms:offers.0.ceterms:estimatedDuration.0")["value"] is False
