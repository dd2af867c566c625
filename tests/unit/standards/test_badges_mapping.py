"""Open Badges mapped to the API's credential and issuer bodies (standards.badges).

The documents are copies of the 1EdTech examples and of badges written in
their shape (tests/unit/standards/data/badges/README.md); the API's own
marshmallow schemas check that every body is one the API accepts.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.schemas.candidates import CredentialInSchema
from api.schemas.issuers import IssuerInSchema
from graph.taxonomy import taxonomy_resolver
from matcher.model import Skill, SkillSource
from matcher.skills import SkillResolver
from standards.badges import (
    MAX_SKILLS,
    BadgeMapping,
    achievement_kind,
    badge_to_credential,
    issuer_profile,
    localized,
)
from standards.errors import DocumentError

DATA = Path(__file__).parent / "data" / "badges"
ESCO = "http://data.europa.eu/esco/skill/"
PYTHON = ESCO + "ccd0a1d9-afda-43d9-b901-96344886e14d"
SQL = ESCO + "598de5b0-5b58-4ea7-8058-a4bc4d18c742"
PROJECT_MANAGEMENT = ESCO + "7111b95d-0ce3-441a-9d92-4c75d05c4388"
OB3_EXAMPLES = ["achievementAlignmentCase.json", "achievementAlignmentCe.json",
                "basicOpenBadgeCredential.json", "endorsement.json", "fullOpenBadge.json",
                "skillAssertionCase.json", "skillAssertionCtdl.json",
                "ob3-test-vector-signed-credential.json"]


def load(name: str) -> dict[str, Any]:
    # strict=False: the OB 2.0 BadgeClass example breaks a line inside a string
    return json.loads((DATA / name).read_text(encoding="utf-8"), strict=False)


def ob2_linked() -> dict[str, dict[str, Any]]:
    return {doc["id"]: doc for doc in (load("ob2-badgeclass.json"), load("ob2-issuer.json"))}


@pytest.fixture(scope="module")
def resolver() -> SkillResolver:
    return taxonomy_resolver()


def paths(items: list[dict[str, Any]]) -> list[str]:
    return [item["path"] for item in items]


def ids(names: list[str], resolver: SkillResolver) -> list[str | None]:
    return [resolver.resolve(name).skill_id for name in names]


def label(skill_id: str | None, resolver: SkillResolver) -> str:
    skill = resolver.get(skill_id or "")
    assert skill is not None
    return skill.label


# -- the 1EdTech examples ---------------------------------------------------------------

EXPECTED = {  # name, kind, issued, expires, issuer, url, ref, skills as the document writes them
    "basicOpenBadgeCredential.json": (
        "Teamwork", "badge", "2010-01-01", None, "Example Corp", None,
        "https://example.com/issuers/876543", []),
    "ob3-test-vector-signed-credential.json": (
        "Teamwork", "badge", "2010-01-01", None, "Example Corp", "https://www.imsglobal.org",
        "https://example.edu/issuers/565049", []),
    "achievementAlignmentCase.json": (
        "Text analysis", "badge", "2010-01-01", None, "Example University", None,
        "https://example.edu/issuers/565049", []),
    "achievementAlignmentCe.json": (
        "Text analysis", "badge", "2010-01-01", None, "Example University", None,
        "https://example.edu/issuers/565049", ["Requirements Analysis"]),
    "skillAssertionCase.json": (
        "Robot Programming", "badge", "2022-07-01", None, "1EdTech University",
        "https://1edtech.edu", "https://1edtech.edu/issuers/565049", []),
    "skillAssertionCtdl.json": (
        "Linear equations and inequalities", "badge", "2022-07-01", None, "1EdTech University",
        "https://1edtech.edu", "https://1edtech.edu/issuers/565049", []),
    "fullOpenBadge.json": (
        "1EdTech University Degree", "degree", "2010-01-01", "2030-01-01", "1EdTech University",
        "https://1edtech.edu", "https://1edtech.edu/issuers/565049", ["computer science"]),
    "endorsement.json": (
        "SDE endorsement", "badge", "2010-01-01", "2030-01-01", "State Department of Education",
        None, "https://state.gov/issuers/565049", []),
}


def test_every_official_example_is_in_the_table() -> None:
    copied = {p.name for p in DATA.glob("*.json")
              if not p.name.startswith(("ob2-", "ob3-", "issuer-"))}
    assert copied | {"ob3-test-vector-signed-credential.json"} == set(EXPECTED) == set(
        OB3_EXAMPLES)


@pytest.mark.parametrize("name", OB3_EXAMPLES)
def test_ob3_examples_map_without_edits(name: str, resolver: SkillResolver) -> None:
    title, kind, issued, expires, issuer, url, ref, skills = EXPECTED[name]
    mapping = badge_to_credential(load(name), resolver=resolver)
    assert mapping.standard == "ob3"
    assert mapping.credential["name"] == title
    assert (mapping.credential["kind"], mapping.credential["level"]) == (kind, None)
    assert (mapping.credential["issued_on"], mapping.credential["expires_on"]) == (issued, expires)
    assert mapping.credential["issuer"] == mapping.issuer["name"] == issuer
    assert (mapping.issuer["url"], mapping.issuer_ref, mapping.issuer["did"]) == (url, ref, None)
    expected_ids = ids(skills, resolver)
    assert None not in expected_ids
    assert ids(mapping.skills, resolver) == expected_ids
    assert mapping.skills == [label(i, resolver) for i in expected_ids]
    assert "public_keys" not in mapping.issuer  # a badge cannot vouch for its issuer's keys


@pytest.mark.parametrize("name", ["achievementAlignmentCase.json", "skillAssertionCase.json",
                                  "skillAssertionCtdl.json"])
def test_alignments_to_unknown_framework_terms_are_reported(name: str,
                                                            resolver: SkillResolver) -> None:
    document = load(name)
    mapping = badge_to_credential(document, resolver=resolver)
    target = document["credentialSubject"]["achievement"]["alignment"][0]["targetName"]
    assert mapping.skills == []
    assert [(i["path"], i["value"]) for i in mapping.report["unrecognised"]] == [
        ("credentialSubject.achievement.alignment.0", target)]


def test_a_ctdl_alignment_resolves_by_its_target_name(resolver: SkillResolver) -> None:
    mapping = badge_to_credential(load("achievementAlignmentCe.json"), resolver=resolver)
    assert mapping.skills == ["analyse business requirements"]
    assert {"path": "credentialSubject.achievement.alignment.0", "to": "credential.skills.0",
            "value": "Requirements Analysis"} in mapping.report["mapped"]


def test_the_full_example_reads_country_tags_and_reports_what_it_skips(
        resolver: SkillResolver) -> None:
    mapping = badge_to_credential(load("fullOpenBadge.json"), resolver=resolver)
    assert mapping.issuer == {"name": "1EdTech University", "url": "https://1edtech.edu",
                              "did": None, "country": "US", "accreditations": []}
    achievement = "credentialSubject.achievement"
    assert paths(mapping.report["unrecognised"]) == [
        f"{achievement}.alignment.0", f"{achievement}.alignment.1", f"{achievement}.tag.0",
        f"{achievement}.fieldOfStudy", f"{achievement}.resultDescription"]
    to_skill = {i["path"]: i["to"] for i in mapping.report["mapped"] if "skills" in i["to"]}
    # the tag and the specialization name one skill: it is kept once
    assert to_skill == {f"{achievement}.tag.1": "credential.skills.0",
                        f"{achievement}.specialization": "credential.skills.0"}
    assert mapping.document_path("credential.kind") == f"{achievement}.achievementType"


def test_an_endorsement_maps_by_its_credential_name_and_says_what_it_is(
        resolver: SkillResolver) -> None:
    mapping = badge_to_credential(load("endorsement.json"), resolver=resolver)
    assert mapping.document_path("credential.name") == "name"
    [note] = mapping.report["unrecognised"]
    assert note["path"] == "credentialSubject"
    assert note["value"] == "https://1edtech.edu/issuers/565049"
    assert "endorsement" in note["reason"]


# -- Open Badges 2.0 ---------------------------------------------------------------------


def test_ob2_assertion_with_embedded_badge_class_and_issuer(resolver: SkillResolver) -> None:
    mapping = badge_to_credential(load("ob2-assertion-embedded.json"), resolver=resolver)
    assert mapping.standard == "ob2"
    assert mapping.credential["name"] == "Awesome Robotics Badge"
    assert (mapping.credential["kind"], mapping.credential["issued_on"],
            mapping.credential["expires_on"]) == ("badge", "2016-12-31", None)
    assert mapping.issuer == {"name": "An Example Badge Issuer", "url": "https://example.org",
                              "did": None, "country": None, "accreditations": []}
    assert mapping.issuer_ref == "https://example.org/organization.json"
    # the badge's name is its only skill source, and counts only if the taxonomy knows it
    by_name = resolver.resolve("Awesome Robotics Badge").skill_id
    assert ids(mapping.skills, resolver) == ([by_name] if by_name else [])
    assert mapping.document_path("credential.issuer") == "badge.issuer.name"


def test_ob2_hosted_assertion_with_linked_badge_class_and_issuer(resolver: SkillResolver) -> None:
    mapping = badge_to_credential(load("ob2-assertion-hosted.json"), resolver=resolver,
                                  format="ob2-hosted", linked=ob2_linked())
    assert (mapping.credential["name"], mapping.credential["issued_on"],
            mapping.credential["expires_on"]) == ("Awesome Robotics Badge", "2016-12-31",
                                                  "2017-06-30")
    assert (mapping.issuer["name"], mapping.issuer["url"]) == ("An Example Badge Issuer",
                                                               "https://example.org")
    problem_solving = resolver.resolve("Problem-Solving").skill_id
    assert problem_solving is not None
    assert ids(mapping.skills, resolver)[0] == problem_solving
    assert mapping.skills[0] == label(problem_solving, resolver)
    assert mapping.document_path("credential.skills.0") == "badge.alignment.1"
    assert paths(mapping.report["unrecognised"]) == ["badge.alignment.0", "badge.tags.0",
                                                  "badge.tags.1"]


def test_ob2_issuer_given_by_url_only_is_named_after_its_host(resolver: SkillResolver) -> None:
    badge_class = load("ob2-badgeclass.json")
    mapping = badge_to_credential(load("ob2-assertion-hosted.json"), resolver=resolver,
                                  linked={badge_class["id"]: badge_class})
    assert mapping.issuer["name"] == "example.org"
    assert (mapping.issuer["url"], mapping.issuer["did"]) == (None, None)
    assert mapping.issuer_ref == "https://example.org/organization.json"
    assert mapping.document_path("issuer.name") == "badge.issuer"


def test_ob2_badge_class_given_by_url_only_cannot_be_mapped(resolver: SkillResolver) -> None:
    with pytest.raises(DocumentError) as caught:
        badge_to_credential(load("ob2-assertion-hosted.json"), resolver=resolver)
    assert caught.value.path == "badge"
    assert "nothing is fetched" in caught.value.errors["badge"][0]


# -- skills -------------------------------------------------------------------------------


def test_esco_alignments_come_through_as_their_skills(resolver: SkillResolver) -> None:
    mapping = badge_to_credential(load("ob3-accredited-microcredential.json"), resolver=resolver)
    statistics = resolver.resolve("Statistical Analysis").skill_id
    manage_database = resolver.resolve("manage database").skill_id
    data_analysis = resolver.resolve("data analysis").skill_id
    assert None not in (statistics, manage_database, data_analysis)
    # ESCO URIs (one written https with a trailing slash), a framework term by its name,
    # an ESCO URI the taxonomy lacks by its name, then the tag "data analysis"
    assert ids(mapping.skills, resolver) == [PYTHON, SQL, statistics, manage_database,
                                             data_analysis]
    assert mapping.skills[:2] == ["Python (computer programming)", "SQL"]
    achievement = "credentialSubject.achievement"
    assert [(i["path"], i["value"]) for i in mapping.report["unrecognised"]] == [
        (f"{achievement}.alignment.3", "Social Perceptiveness"),
        (f"{achievement}.tag.2", "awesome")]
    skill_paths = {i["path"]: i["to"] for i in mapping.report["mapped"] if "skills" in i["to"]}
    assert skill_paths[f"{achievement}.tag.1"] == "credential.skills.0"  # "Python" again


def test_an_esco_label_that_resolves_elsewhere_is_given_as_the_uri(
        resolver: SkillResolver) -> None:
    shadowed = resolver.with_skills([Skill("custom:pm", "project management",
                                           source=SkillSource.ORGANIZATION)])
    plain = badge_to_credential(load("ob3-vc11-certification.json"), resolver=resolver)
    layered = badge_to_credential(load("ob3-vc11-certification.json"), resolver=shadowed)
    assert plain.skills[0] == "project management"
    assert layered.skills[0] == PROJECT_MANAGEMENT
    assert shadowed.resolve(layered.skills[0]).skill_id == PROJECT_MANAGEMENT
    assert resolver.resolve(plain.skills[0]).skill_id == PROJECT_MANAGEMENT


def test_an_unknown_esco_concept_without_a_known_name_is_reported(
        resolver: SkillResolver) -> None:
    document = load("basicOpenBadgeCredential.json")
    unknown = ESCO + "00000000-0000-4000-8000-000000000001"
    document["credentialSubject"]["achievement"]["alignment"] = [
        {"type": ["Alignment"], "targetName": "Zorbling", "targetUrl": unknown}]
    mapping = badge_to_credential(document, resolver=resolver)
    assert mapping.skills == []
    [item] = mapping.report["unrecognised"]
    assert item["path"] == "credentialSubject.achievement.alignment.0"
    assert unknown in item["reason"]


def test_skills_stop_at_the_api_limit(resolver: SkillResolver) -> None:
    labels: list[str] = []
    for skill in resolver.skills():
        if skill.id.startswith(ESCO) and resolver.resolve(skill.label).skill_id == skill.id:
            labels.append(skill.label)
        if len(labels) == MAX_SKILLS + 50:
            break
    document = load("basicOpenBadgeCredential.json")
    document["credentialSubject"]["achievement"]["tag"] = labels
    mapping = badge_to_credential(document, resolver=resolver)
    assert mapping.skills == labels[:MAX_SKILLS]
    assert paths(mapping.report["unrecognised"]) == [
        f"credentialSubject.achievement.tag.{i}" for i in range(MAX_SKILLS, len(labels))]
    CredentialInSchema().load(mapping.credential)


TAG_POOL = ["SQL", "sql", "Python", "project mgmt", "Project Management", "statistics",
            "cloud computing", "Data Wrangling", "machine learning", "Excel", "awesome",
            "robots", "Zorbling", "team spirit?", "", "computer science", "Mathematics"]


@settings(max_examples=60, deadline=None)
@given(tags=st.lists(st.sampled_from(TAG_POOL), max_size=12))
def test_tag_skills_are_distinct_known_and_each_tag_is_reported_once(tags: list[str]) -> None:
    resolver = taxonomy_resolver()
    document = load("basicOpenBadgeCredential.json")
    document["credentialSubject"]["achievement"]["tag"] = tags
    mapping = badge_to_credential(document, resolver=resolver)
    emitted = ids(mapping.skills, resolver)
    assert None not in emitted and len(set(emitted)) == len(emitted)
    known = [i for i in ids(tags, resolver) if i]
    name_id = resolver.resolve("Teamwork").skill_id
    assert set(emitted) == set(known) | ({name_id} if name_id else set())
    tag_paths = [f"credentialSubject.achievement.tag.{i}" for i in range(len(tags))]
    reported = [p for p in paths(mapping.report["mapped"] + mapping.report["unrecognised"])
                if ".tag." in p]
    assert sorted(reported) == sorted(tag_paths)


# -- kinds, names, dates -----------------------------------------------------------------

KINDS = {
    "Achievement": ("badge", None), "ApprenticeshipCertificate": ("certificate", None),
    "Assessment": ("badge", None), "Assignment": ("badge", None),
    "AssociateDegree": ("degree", "associate"), "Award": ("badge", None),
    "Badge": ("badge", None), "BachelorDegree": ("degree", "bachelor"),
    "Certificate": ("certificate", None), "CertificateOfCompletion": ("certificate", None),
    "Certification": ("certification", None), "CommunityService": ("badge", None),
    "Competency": ("badge", None), "Course": ("badge", None), "CoCurricular": ("badge", None),
    "Degree": ("degree", None), "Diploma": ("degree", None),
    "DoctoralDegree": ("degree", "doctorate"), "Fieldwork": ("badge", None),
    "GeneralEducationDevelopment": ("degree", "secondary"),
    "JourneymanCertificate": ("certificate", None), "LearningProgram": ("badge", None),
    "License": ("license", None), "Membership": ("badge", None),
    "ProfessionalDoctorate": ("degree", "doctorate"),
    "QualityAssuranceCredential": ("badge", None), "MasterCertificate": ("certificate", None),
    "MasterDegree": ("degree", "master"), "MicroCredential": ("micro-credential", None),
    "ResearchDoctorate": ("degree", "doctorate"),
    "SecondarySchoolDiploma": ("degree", "secondary"), "ext:Nanodegree": ("badge", None),
}


@pytest.mark.parametrize(("achievement_type", "expected"), KINDS.items())
def test_achievement_types_give_kinds_and_levels(achievement_type: str,
                                                 expected: tuple[str, str | None],
                                                 resolver: SkillResolver) -> None:
    kind, level = achievement_kind(achievement_type)
    assert (kind.value, level.value if level else None) == expected
    document = load("basicOpenBadgeCredential.json")
    document["credentialSubject"]["achievement"]["achievementType"] = achievement_type
    mapping = badge_to_credential(document, resolver=resolver)
    assert (mapping.credential["kind"], mapping.credential["level"]) == expected
    assert mapping.report["unrecognised"] == []
    assert mapping.document_path("credential.kind").endswith("achievementType")


def test_an_achievement_type_outside_the_enumeration_is_a_reported_badge(
        resolver: SkillResolver) -> None:
    document = load("basicOpenBadgeCredential.json")
    document["credentialSubject"]["achievement"]["achievementType"] = "Nanodegree"
    mapping = badge_to_credential(document, resolver=resolver)
    assert mapping.credential["kind"] == "badge"
    assert paths(mapping.report["unrecognised"]) == [
        "credentialSubject.achievement.achievementType"]


def test_multilingual_names_take_english(resolver: SkillResolver) -> None:
    mapping = badge_to_credential(load("ob3-accredited-microcredential.json"), resolver=resolver)
    assert mapping.credential["name"] == "Data Analysis with Python"
    assert localized({"fr-CA": "Travail d'équipe", "en-US": "Teamwork"}) == "Teamwork"
    assert localized([{"@value": "Teamarbeit", "@language": "de"}]) == "Teamarbeit"
    assert localized(42) is None


@given(st.dictionaries(st.sampled_from(["de", "fr", "es-MX", "nl", "pt-BR", "ja"]),
                       st.text(min_size=1), min_size=1),
       st.sampled_from(["en", "en-US", "EN-gb"]), st.text(min_size=1))
def test_localized_prefers_english_else_the_first(others: dict[str, str], tag: str,
                                                  english: str) -> None:
    assert localized(others) == next(iter(others.values()))
    assert localized({**others, tag: english}) == english


def test_long_names_are_shortened_and_reported(resolver: SkillResolver) -> None:
    document = load("basicOpenBadgeCredential.json")
    document["credentialSubject"]["achievement"]["name"] = "Teamwork " * 50
    mapping = badge_to_credential(document, resolver=resolver)
    assert len(mapping.credential["name"]) == 300
    assert mapping.credential["name"].endswith("\u2026")
    assert "credentialSubject.achievement.name" in paths(mapping.report["unrecognised"])
    CredentialInSchema().load(mapping.credential)


@given(st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2099, 12, 30),
                    timezones=st.sampled_from([UTC, timezone(timedelta(hours=-8)),
                                               timezone(timedelta(hours=5, minutes=30))])))
def test_issue_dates_are_the_calendar_dates_written(moment: datetime) -> None:
    document = load("basicOpenBadgeCredential.json")
    document["validFrom"] = moment.isoformat()
    mapping = badge_to_credential(document, resolver=SkillResolver([]))
    assert mapping.credential["issued_on"] == moment.date().isoformat()


def test_vc_1_1_shape_and_a_bare_did_issuer(resolver: SkillResolver) -> None:
    did = "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    mapping = badge_to_credential(load("ob3-vc11-certification.json"), resolver=resolver)
    assert (mapping.credential["name"], mapping.credential["kind"]) == (
        "Agile Project Management Practitioner", "certification")
    assert (mapping.credential["issued_on"], mapping.credential["expires_on"]) == (
        "2023-02-14", "2026-02-14")
    assert mapping.issuer == {"name": did, "url": None, "did": did, "country": None,
                              "accreditations": []}
    assert mapping.issuer_ref == did
    assert mapping.document_path("credential.skills.0") == (
        "credentialSubject.achievement.alignment")
    assert mapping.document_path("credential.expires_on") == "expirationDate"


def test_a_vc_jwt_payload_takes_issuer_and_dates_from_its_claims(
        resolver: SkillResolver) -> None:
    payload = load("ob3-vcjwt-payload.json")
    mapping = badge_to_credential(payload, resolver=resolver, format="ob3-vc-jwt")
    issued = datetime.fromtimestamp(payload["nbf"], UTC).date().isoformat()
    expires = datetime.fromtimestamp(payload["exp"], UTC).date().isoformat()
    assert (mapping.credential["issued_on"], mapping.credential["expires_on"]) == (issued,
                                                                                    expires)
    assert (mapping.issuer["name"], mapping.issuer_ref) == ("skills.example.org", payload["iss"])
    assert mapping.credential["name"] == "Cloud Fundamentals"
    assert ids(mapping.skills, resolver)[-1] == resolver.resolve("cloud computing").skill_id
    assert mapping.document_path("credential.issued_on") == "nbf"
    assert mapping.document_path("credential.name") == (
        "vc.credentialSubject.achievement.name")
    assert issuer_profile(payload) == {"id": payload["iss"]}


def test_a_far_future_expiry_counts_as_none(resolver: SkillResolver) -> None:
    document = load("basicOpenBadgeCredential.json")
    document["validUntil"] = "9999-12-31T23:59:59Z"
    mapping = badge_to_credential(document, resolver=resolver)
    assert mapping.credential["expires_on"] is None
    assert paths(mapping.report["unrecognised"]) == ["validUntil"]


def test_an_achievement_given_by_id_is_read_from_linked_documents(
        resolver: SkillResolver) -> None:
    document = load("basicOpenBadgeCredential.json")
    achievement = document["credentialSubject"]["achievement"]
    document["credentialSubject"]["achievement"] = achievement["id"]
    alone = badge_to_credential(document, resolver=resolver)
    assert alone.credential["name"] == "Teamwork Badge"  # the credential's own name
    assert paths(alone.report["unrecognised"]) == ["credentialSubject.achievement"]
    linked = badge_to_credential(document, resolver=resolver,
                                 linked={achievement["id"]: achievement})
    assert linked.credential["name"] == "Teamwork"


# -- the issuer and its accreditations ---------------------------------------------------


def test_the_accreditation_extension_maps_to_accreditations(resolver: SkillResolver) -> None:
    mapping = badge_to_credential(load("ob3-accredited-microcredential.json"), resolver=resolver)
    assert mapping.issuer == {
        "name": "Northwind Data Academy", "url": "https://northwind.example.org", "did": None,
        "country": "DE", "accreditations": [
            {"accrediting_body": "European Council for Digital Skills Accreditation",
             "status": "active", "valid_from": "2021-03-15", "valid_until": None,
             "scope": "educational sector: Continuing professional education; "
                      "area served: European Union"},
            {"accrediting_body": "Berlin Chamber of Commerce and Industry", "status": "active",
             "valid_from": "2019-09-01", "valid_until": None,
             "scope": "educational sector: Vocational training"}]}
    assert mapping.issuer_ref == "https://northwind.example.org/issuers/data-academy"
    assert (mapping.credential["kind"], mapping.credential["issued_on"],
            mapping.credential["expires_on"]) == ("micro-credential", "2024-04-30", "2027-05-02")
    assert mapping.document_path("credential.issued_on") == "awardedDate"
    assert mapping.document_path("issuer.country") == "issuer.address.addressCountryCode"
    assert mapping.document_path("issuer.accreditations.1.valid_from") == (
        "issuer.accreditations.1.accreditationDate")
    assert mapping.document_path("credential.skills.2") == (
        "credentialSubject.achievement.alignment.2")
    assert mapping.document_path("credential.name") == "credentialSubject.achievement.name"


def test_the_written_accreditation_example_follows_the_extension() -> None:
    schema_text = (DATA / "issuer-accreditation-schema.json").read_text(encoding="utf-8")
    context = json.loads((DATA / "issuer-accreditation-context.json").read_text())["@context"]
    found = re.search(r'"pattern": "(.*)"', schema_text)  # "\2" is no JSON escape: read as text
    assert found is not None
    date_pattern = found.group(1)
    required = json.loads(re.sub(r'"pattern": ".*"', '"pattern": ""', schema_text))[
        "$defs"]["Accreditation"]["required"]
    issuer = load("ob3-accredited-microcredential.json")["issuer"]
    defined = set(context["AccreditationProfile"]["@context"])
    assert "IssuerAccreditationProfile" in issuer["type"]
    assert "accreditations" in context["IssuerAccreditationProfile"]["@context"]
    for item in issuer["accreditations"]:
        assert "AccreditationProfile" in item["type"]
        assert all(key in item for key in required)
        assert re.fullmatch(date_pattern, item["accreditationDate"])
        extension_terms = set(item) - {"id", "type", "name", "url"}
        assert extension_terms <= defined


def accredited(**members: Any) -> dict[str, Any]:
    document = load("ob3-accredited-microcredential.json")
    document["issuer"]["accreditations"][0].update(members)
    return document


@pytest.mark.parametrize(("status", "expected"), [
    ("Active", "active"), ("On Probation", "active"), ("show-cause", "active"),
    ("https://example.org/accreditation-status#Lapsed", "expired"), ("expired", "expired"),
    ("Suspended", "revoked"), ("withdrawn", "revoked"), ("Candidate", "revoked"),
    ("revoked", "revoked")])
def test_accreditation_statuses_map_to_the_closest(status: str, expected: str,
                                                   resolver: SkillResolver) -> None:
    mapping = badge_to_credential(accredited(accreditationStatus=status), resolver=resolver)
    assert mapping.issuer["accreditations"][0]["status"] == expected
    assert mapping.document_path("issuer.accreditations.0.status") == (
        "issuer.accreditations.0.accreditationStatus")


def test_an_unknown_accreditation_status_leaves_the_accreditation_out(
        resolver: SkillResolver) -> None:
    mapping = badge_to_credential(accredited(status="provisional-ish"), resolver=resolver)
    assert [a["accrediting_body"] for a in mapping.issuer["accreditations"]] == [
        "Berlin Chamber of Commerce and Industry"]
    assert "issuer.accreditations.0.status" in paths(mapping.report["unrecognised"])
    assert mapping.document_path("issuer.accreditations.0") == (
        "issuer.accreditations.1")


def test_accreditation_end_dates_and_unreadable_dates(resolver: SkillResolver) -> None:
    ends = badge_to_credential(accredited(validUntil="2026-03-14"), resolver=resolver)
    assert ends.issuer["accreditations"][0]["valid_until"] == "2026-03-14"
    backwards = badge_to_credential(accredited(validUntil="2020-01-01"), resolver=resolver)
    assert backwards.issuer["accreditations"][0]["valid_until"] is None
    assert "issuer.accreditations.0.validUntil" in paths(backwards.report["unrecognised"])
    unreadable = badge_to_credential(accredited(accreditationDate="spring 2021"),
                                     resolver=resolver)
    assert unreadable.issuer["accreditations"][0]["valid_from"] is None
    assert "issuer.accreditations.0.accreditationDate" in paths(
        unreadable.report["unrecognised"])


def test_accreditations_need_a_named_body(resolver: SkillResolver) -> None:
    document = load("ob3-accredited-microcredential.json")
    document["issuer"]["accreditations"] = [
        "https://accreditation.example.eu",
        {"url": "https://www.hlcommission.example.org/", "contactInstructions": "Call."},
        {"contactInstructions": "Nobody to call."}]
    mapping = badge_to_credential(document, resolver=resolver)
    assert [a["accrediting_body"] for a in mapping.issuer["accreditations"]] == [
        "www.hlcommission.example.org"]
    assert [p for p in paths(mapping.report["unrecognised"]) if p.startswith("issuer.")] == [
        "issuer.accreditations.0", "issuer.accreditations.2"]


def test_the_issuer_profile_helper() -> None:
    full = load("fullOpenBadge.json")
    assert issuer_profile(full) == full["issuer"]
    assert issuer_profile(load("ob3-vc11-certification.json")) == {
        "id": "did:key:z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"}
    embedded = load("ob2-assertion-embedded.json")
    assert issuer_profile(embedded) == embedded["badge"]["issuer"]
    hosted = load("ob2-assertion-hosted.json")
    assert issuer_profile(hosted) is None  # its BadgeClass is not at hand
    assert issuer_profile(hosted, linked=ob2_linked()) == load("ob2-issuer.json")
    assert issuer_profile([]) is None  # type: ignore[arg-type]


def test_issuer_urls_and_country_codes_outside_the_api_shapes_are_left_out(
        resolver: SkillResolver) -> None:
    document = load("fullOpenBadge.json")
    document["issuer"]["url"] = "ftp://1edtech.edu/"
    del document["issuer"]["address"]["addressCountryCode"]
    mapping = badge_to_credential(document, resolver=resolver)
    assert (mapping.issuer["url"], mapping.issuer["country"]) == (None, None)
    assert {"issuer.url", "issuer.address.addressCountry"} <= set(
        paths(mapping.report["unrecognised"]))


# -- the bodies are the API's ------------------------------------------------------------

ALL_DOCUMENTS = [*OB3_EXAMPLES, "ob2-assertion-embedded.json", "ob2-assertion-hosted.json",
                 "ob3-accredited-microcredential.json", "ob3-vc11-certification.json",
                 "ob3-vcjwt-payload.json"]


@pytest.mark.parametrize("name", ALL_DOCUMENTS)
def test_bodies_load_with_the_api_schemas(name: str, resolver: SkillResolver) -> None:
    mapping = badge_to_credential(load(name), resolver=resolver, linked=ob2_linked())
    assert isinstance(mapping, BadgeMapping)
    credential = CredentialInSchema().load(mapping.credential)
    issuer = IssuerInSchema().load(mapping.issuer)
    assert credential["name"] == mapping.credential["name"]
    assert issuer["public_keys"] == []  # a badge cannot vouch for its issuer's keys
    for body_path in ("credential.name", "credential.issuer", "issuer.name"):
        assert body_path in mapping.result.origin


# -- documents that cannot be mapped -----------------------------------------------------


def without_names(d: dict[str, Any]) -> None:
    del d["name"], d["credentialSubject"]["achievement"]["name"]


ERRORS: list[tuple[str, Callable[[dict[str, Any]], Any], str]] = [
    ("no names", without_names, "credentialSubject.achievement.name"),
    ("no issuer", lambda d: d.pop("issuer"), "issuer"),
    ("issuer is a number", lambda d: d.update(issuer=7), "issuer"),
    ("issuer without name or id", lambda d: d.update(issuer={"type": ["Profile"]}),
     "issuer.name"),
    ("validFrom unreadable", lambda d: d.update(validFrom="first of January 2010"), "validFrom"),
    ("validFrom before 1900", lambda d: d.update(validFrom="1010-01-01T00:00:00Z"), "validFrom"),
    ("expires before issued", lambda d: d.update(validUntil="2009-12-31T00:00:00Z"),
     "validUntil"),
    ("no credentialSubject", lambda d: d.update(credentialSubject=[]), "credentialSubject"),
    ("awardedDate unreadable", lambda d: d.update(awardedDate=True), "awardedDate"),
]


@pytest.mark.parametrize(("mutate", "path"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_unmappable_ob3_documents_name_the_path(mutate: Callable[[dict[str, Any]], Any],
                                                path: str, resolver: SkillResolver) -> None:
    document = load("basicOpenBadgeCredential.json")
    mutate(document)
    with pytest.raises(DocumentError) as caught:
        badge_to_credential(document, resolver=resolver)
    assert caught.value.path == path
    assert list(caught.value.errors) == [path]


def test_unmappable_ob2_documents_name_the_path(resolver: SkillResolver) -> None:
    document = load("ob2-assertion-embedded.json")
    bad_date = copy.deepcopy(document)
    bad_date["issuedOn"] = "31/12/2016"
    no_badge = copy.deepcopy(document)
    del no_badge["badge"]
    nameless = copy.deepcopy(document)
    del nameless["badge"]["name"]
    for broken, path in ((bad_date, "issuedOn"), (nameless, "badge.name")):
        with pytest.raises(DocumentError) as caught:
            badge_to_credential(broken, resolver=resolver)
        assert caught.value.path == path
    with pytest.raises(DocumentError) as caught:
        badge_to_credential(no_badge, resolver=resolver, format="ob2-hosted")
    assert caught.value.path == "badge"


@pytest.mark.parametrize("document", [[], "a badge", {"type": "Assertion2"}, {"name": "x"}])
def test_documents_that_are_no_badge_at_all(document: Any, resolver: SkillResolver) -> None:
    with pytest.raises(DocumentError) as caught:
        badge_to_credential(document, resolver=resolver)
    assert caught.value.path == "$"


def test_the_format_decides_the_standard(resolver: SkillResolver) -> None:
    document = load("basicOpenBadgeCredential.json")
    assert badge_to_credential(document, resolver=resolver,
                               format="ob3-data-integrity").standard == "ob3"
    with pytest.raises(DocumentError) as caught:
        badge_to_credential(document, resolver=resolver, format="ob2-signed")
    assert caught.value.path == "badge"
    with pytest.raises(ValueError, match="clr-"):
        badge_to_credential(document, resolver=resolver, format="clr-2")


def test_unix_times_are_read_as_utc_dates(resolver: SkillResolver) -> None:
    document = load("ob2-assertion-embedded.json")
    document["issuedOn"] = "1483228799"  # OB 1.0 allowed Unix times: 2016-12-31T23:59:59Z
    assert badge_to_credential(document, resolver=resolver).credential["issued_on"] == (
        date(2016, 12, 31).isoformat())
