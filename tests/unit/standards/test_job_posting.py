"""schema.org JobPosting and JSON Resume jobs -> job input bodies (standards.job_posting)."""

from __future__ import annotations

import copy
import html
import json
import string
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.schemas.jobs import JobInSchema
from graph.taxonomy import taxonomy_resolver
from matcher.mentions import MentionFinder
from standards.errors import DocumentError, UnknownContext
from standards.html import html_to_text
from standards.job_posting import (
    DEFAULT_EXPERIENCE_IN_PLACE_MONTHS,
    DESCRIPTION_LIMIT,
    JOB_POSTING,
    JSON_RESUME_JOB,
    MAX_REQUIREMENTS,
    education_in_text,
    job_standard,
    posting_to_job,
    years_in_text,
)
from standards.result import ImportResult

DATA = Path(__file__).parent / "data" / "job_posting"
TODAY = date(2024, 6, 1)
PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
SQL = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"


@cache
def finder() -> MentionFinder:
    return MentionFinder(taxonomy_resolver())


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def read(document: dict, *, external_id: str | None = None, today: date = TODAY,
         path: str = "") -> ImportResult:
    return posting_to_job(document, external_id=external_id, resolver=finder().resolver,
                          finder=finder(), today=today, path=path)


def api_accepts(body: dict) -> dict:
    """The body as JobInSchema loads it (``to_confirm`` is the lead's addition, so it is
    checked here and removed before the current schema sees the body)."""
    body = copy.deepcopy(body)
    for requirement in body["requirements"]:
        assert isinstance(requirement.pop("to_confirm"), bool)
    return JobInSchema().load(body)


def at(document: Any, path: str) -> Any:
    """The member of ``document`` a dotted report path names."""
    for part in path.split(".") if path not in ("", "$") else []:
        document = document[int(part)] if isinstance(document, list) else document[part]
    return document


def requirement(result: ImportResult, label: str) -> dict:
    found = [r for r in result.body["requirements"] if r["skill"] == label]
    assert len(found) == 1, (label, result.body["requirements"])
    return found[0]


def reported(result: ImportResult, path: str) -> dict:
    found = [u for u in result.unrecognised if u["path"] == path]
    assert found, (path, result.unrecognised)
    return found[0]


# -- schema.org JobPosting in Google's structured-data shape -------------------------------


def test_google_style_posting_maps_every_member() -> None:
    document = load("data_engineer.json")
    result = read(document)
    body = api_accepts(result.body)
    assert body["external_id"] == document["identifier"]["value"]
    assert body["title"] == "Data Engineer"
    assert body["industry"] == document["industry"]["name"]
    assert result.mapped[0] == {"path": "@type", "to": "standard", "value": JOB_POSTING}
    # 36 months of experience: 3 years; credentialCategory "bachelor degree"
    assert body["min_total_years"] == 3.0
    assert body["education"] == {"level": "bachelor", "experience_in_place_months": None}
    # validThrough 2024-07-31 is after TODAY: still open; after it, closed
    assert body["status"].value == "open"
    assert read(document, today=date(2024, 8, 1)).body["status"] == "closed"


def test_html_description_becomes_text() -> None:
    description = read(load("data_engineer.json")).body["description"]
    assert "<" not in description and "&amp;" not in description
    assert "- Build batch and streaming pipelines with Apache Spark" in description.splitlines()
    assert description.endswith("We value clear communication & curiosity.")


def test_defined_term_skills_are_listed_requirements() -> None:
    result = read(load("data_engineer.json"))
    listed = [r for r in result.body["requirements"] if not r["to_confirm"]]
    resolver = finder().resolver
    # an ESCO URI as @id or termCode is taken directly; a name goes through the resolver
    assert [resolver.resolve(r["skill"]).skill_id for r in listed] == [
        PYTHON, SQL, resolver.resolve("data warehousing").skill_id]
    assert all(r["importance"] == "required" for r in listed)
    assert result.origin["requirements.0"] == "skills.0.@id"
    assert result.origin["requirements.1"] == "skills.1.termCode"
    assert reported(result, "skills.3.name")["value"] == "Zorblax pipelines"


def test_free_text_mentions_are_to_confirm_with_importance_by_source() -> None:
    result = read(load("data_engineer.json"))
    # qualifications say what the role needs: required; responsibilities and description:
    # preferred
    assert requirement(result, "Apache Kafka") == {
        "skill": "Apache Kafka", "importance": "required", "to_confirm": True}
    assert requirement(result, "Git")["importance"] == "required"
    assert requirement(result, "Apache Spark") == {
        "skill": "Apache Spark", "importance": "preferred", "to_confirm": True}
    assert result.origin["requirements.3"] == "qualifications"
    assert result.document_path("requirements.3.skill") == "qualifications"
    for item in result.mapped:
        if item["to"].startswith("requirements."):
            assert item["value"]["text"] in html_to_text(str(at(load("data_engineer.json"),
                                                                  item["path"])))


def test_skills_are_not_repeated_from_free_text() -> None:
    document = load("data_engineer.json")
    document["description"] += "<p>Python and SQL every day.</p>"
    result = read(document)
    labels = [r["skill"] for r in result.body["requirements"]]
    assert len(labels) == len(set(labels))
    assert requirement(result, finder().resolver.get(PYTHON).label)["to_confirm"] is False


def test_listed_entries_that_are_not_skill_names_are_to_confirm() -> None:
    result = read(with_(skills="Pyhton; Apache Kafka streaming; SQL"))
    resolver = finder().resolver
    # a typo: the resolver's fuzzy guess; a phrase: the skills it mentions; a name: settled
    assert result.body["requirements"] == [
        {"skill": resolver.get(PYTHON).label, "importance": "required", "to_confirm": True},
        {"skill": "Apache Kafka", "importance": "required", "to_confirm": True},
        {"skill": "SQL", "importance": "required", "to_confirm": False}]


def test_a_long_description_is_shortened_to_the_api_limit() -> None:
    result = read(with_(description="<p>" + "SQL reporting " * 2000 + "</p>"))
    assert len(result.body["description"]) <= DESCRIPTION_LIMIT
    assert result.body["description"].endswith("\u2026")
    assert "shortened" in reported(result, "description")["reason"]
    api_accepts(result.body)


def test_members_without_a_place_are_reported_once_each() -> None:
    result = read(load("data_engineer.json"))
    paths = [u["path"] for u in result.unrecognised]
    for member in ("baseSalary", "hiringOrganization", "jobLocation", "employmentType",
                   "datePosted", "occupationalCategory"):
        assert paths.count(member) == 1, member
    assert "occupation" in reported(result, "occupationalCategory")["reason"]


def test_every_origin_points_into_the_document() -> None:
    for name in ("data_engineer.json", "in_place_graph.json", "analyst_job.json"):
        document = load(name)
        result = read(document)
        for body_path, document_path in result.origin.items():
            at(document, document_path)  # raises when the path names nothing
            if body_path.startswith("requirements."):
                assert at(result.body, body_path)
        for item in result.mapped + result.unrecognised:
            at(document, item["path"])


def test_experience_in_place_of_education_graph_form() -> None:
    document = load("in_place_graph.json")
    result = read(document)
    body = api_accepts(result.body)
    assert body["external_id"] == document["@graph"][1]["@id"]
    # either requirement suffices, so the 60 months stand in for the degree, not beside it
    assert body["education"] == {"level": "bachelor", "experience_in_place_months": 60}
    assert body["min_total_years"] is None
    assert result.origin["education.experience_in_place_months"] == (
        "@graph.1.experienceRequirements.monthsOfExperience")
    # Listed names are kept as written: they resolve to the same skills again.
    assert [r["skill"] for r in result.body["requirements"]] == [
        "Java", "JavaScript", "project management"]
    assert not any(r["to_confirm"] for r in result.body["requirements"])


def test_experience_in_place_without_months_uses_the_default() -> None:
    document = load("in_place_graph.json")
    del document["@graph"][1]["experienceRequirements"]
    result = read(document)
    assert result.body["education"]["experience_in_place_months"] == (
        DEFAULT_EXPERIENCE_IN_PLACE_MONTHS)
    assert {"value": DEFAULT_EXPERIENCE_IN_PLACE_MONTHS, "default": True} in [
        m["value"] for m in result.mapped]


def test_text_requirements_are_inferred_and_marked() -> None:
    posting = {"@context": "http://schema.org/", "@type": "JobPosting", "url": "https://x.test/1",
               "title": "Analyst", "skills": "SQL",
               "experienceRequirements": "At least 4 years of reporting experience",
               "educationRequirements": "Bachelor's degree or equivalent work experience"}
    result = read(posting)
    assert result.body["min_total_years"] == 4.0
    assert result.body["education"] == {"level": "bachelor", "experience_in_place_months":
                                        DEFAULT_EXPERIENCE_IN_PLACE_MONTHS}
    inferred = {m["to"] for m in result.mapped
                if isinstance(m["value"], dict) and m["value"].get("inferred")}
    assert {"min_total_years", "education.experience_in_place_months"} <= inferred
    assert result.body["external_id"] == "https://x.test/1"


def test_credential_category_as_defined_term_and_list() -> None:
    posting = {"@type": "JobPosting", "@id": "job-7", "title": "Nurse", "skills": ["SQL"],
               "educationRequirements": [
                   {"@type": "EducationalOccupationalCredential",
                    "credentialCategory": {"@type": "DefinedTerm", "name": "postgraduate degree"}},
                   {"@type": "EducationalOccupationalCredential",
                    "credentialCategory": "associate degree"}]}
    result = read(posting)
    # alternatives: the lowest named level is what the posting requires
    assert result.body["education"]["level"] == "associate"
    assert result.origin["education.level"] == "educationRequirements.1.credentialCategory"
    certificate = dict(posting, educationRequirements={
        "@type": "EducationalOccupationalCredential",
        "credentialCategory": "professional certificate"})
    result = read(certificate)
    assert "education" not in result.body
    assert reported(result, "educationRequirements.credentialCategory")["value"] == (
        "professional certificate")


def test_given_external_id_wins_and_the_document_id_is_reported() -> None:
    result = read(load("data_engineer.json"), external_id="ats-99")
    assert result.body["external_id"] == "ats-99"
    assert "external_id" not in result.origin
    assert reported(result, "identifier")["value"]["value"] == "NW-2024-017"


def test_path_prefix_applies_to_everything() -> None:
    result = read(load("data_engineer.json"), path="jobs.3")
    assert result.origin["title"] == "jobs.3.title"
    assert all(i["path"].startswith("jobs.3.") for i in result.mapped + result.unrecognised)


def test_at_most_100_requirements() -> None:
    names = [s.label for s in finder().resolver.skills() if s.id.startswith("http")][:130]
    posting = {"@type": "JobPosting", "@id": "big", "title": "Everything",
               "skills": [{"@type": "DefinedTerm", "name": n} for n in names]}
    result = read(posting)
    assert len(result.body["requirements"]) == MAX_REQUIREMENTS
    assert sum("at most 100" in u["reason"] for u in result.unrecognised) >= 1
    api_accepts(result.body)


@pytest.mark.parametrize("context", [None, "https://schema.org", "http://schema.org/",
                                     ["https://schema.org/", {"@language": "en"}],
                                     {"@vocab": "https://schema.org/"}])
def test_schema_org_contexts_are_accepted(context: Any) -> None:
    posting = {"@type": "JobPosting", "@id": "j", "title": "Tester", "skills": "SQL"}
    if context is not None:
        posting["@context"] = context
    assert read(posting).body["requirements"][0]["skill"] == "SQL"


# -- JSON Resume job -------------------------------------------------------------------------


def test_json_resume_job() -> None:
    document = load("analyst_job.json")
    result = read(document)
    body = api_accepts(result.body)
    assert result.mapped[0] == {"path": "$", "to": "standard", "value": JSON_RESUME_JOB}
    assert body["external_id"] == document["meta"]["canonical"]
    resolver = finder().resolver
    listed = [r["skill"] for r in result.body["requirements"] if not r["to_confirm"]]
    skill = document["skills"][0]
    assert [resolver.resolve(n).skill_id for n in listed] == [
        resolver.resolve(n).skill_id for n in [skill["name"], *skill["keywords"]]]
    # "2+ years of experience in data analysis"; "Undergraduate degree" in qualifications
    assert body["min_total_years"] == 2.0
    assert body["education"]["level"].value == "bachelor"
    assert requirement(result, "Microsoft Excel") == {
        "skill": "Microsoft Excel", "importance": "required", "to_confirm": True}
    assert requirement(result, "Power BI")["importance"] == "preferred"
    assert result.origin["requirements.1"] == "skills.0.keywords.0"
    for member in ("company", "type", "date", "location", "remote", "salary", "skills.0.level",
                   "meta.version"):
        reported(result, member)


def test_a_seniority_word_is_not_years() -> None:
    document = dict(load("analyst_job.json"), experience="Senior")
    document["qualifications"] = ["Working knowledge of Microsoft Excel"]
    result = read(document)
    assert "min_total_years" not in result.body
    assert reported(result, "experience")["value"] == "Senior"


# -- every DocumentError path ----------------------------------------------------------------


POSTING = {"@context": "https://schema.org", "@type": "JobPosting", "@id": "j-1",
           "title": "Data Analyst", "skills": "SQL, Python"}


def with_(**members: Any) -> dict:
    return {**copy.deepcopy(POSTING), **members}


@pytest.mark.parametrize(("document", "path"), [
    ([], "$"),
    ({"name": "not a job"}, "$"),
    (with_(**{"@type": "Organization"}), "@type"),
    (with_(**{"@context": {"@language": "en"}}), "@context"),
    (with_(**{"@context": ["https://schema.org", 7]}), "@context.1"),
    ({"@context": "https://schema.org", "@graph": {"@type": "JobPosting"}}, "@graph"),
    ({"@context": "https://schema.org", "@graph": [POSTING, POSTING]}, "@graph"),
    ({"@graph": [{"@type": "Organization", "name": "Acme"}]}, "@graph"),
    ({k: v for k, v in POSTING.items() if k != "@id"}, "identifier"),
    (with_(**{"@id": None, "identifier": True}), "identifier"),
    (with_(**{"@id": None, "identifier": [{"@type": "PropertyValue", "value": ["x"]}]}),
     "identifier.0.value"),
    ({k: v for k, v in POSTING.items() if k != "title"}, "title"),
    (with_(title=42), "title"),
    (with_(description={"html": "<p>x</p>"}), "description"),
    (with_(skills=[3]), "skills.0"),
    (with_(experienceRequirements={"@type": "OccupationalExperienceRequirements",
                                   "monthsOfExperience": "five"}),
     "experienceRequirements.monthsOfExperience"),
    (with_(experienceInPlaceOfEducation="sometimes"), "experienceInPlaceOfEducation"),
    (with_(skills="Zorblax, Quuxing"), "skills"),
    ({"title": "Analyst", "skills": [{"name": "SQL"}]}, "meta.canonical"),
    ({"title": "Analyst", "meta": {"canonical": "u"}, "skills": {"name": "SQL"}}, "skills"),
    ({"title": "Analyst", "meta": {"canonical": "u"}, "skills": ["SQL"]}, "skills.0"),
    ({"title": "Analyst", "meta": {"canonical": "u"}, "skills": [{"keywords": "SQL"}]},
     "skills.0.keywords"),
    ({"title": "Analyst", "meta": {"canonical": "u"}, "skills": [{"keywords": ["SQL", 1]}]},
     "skills.0.keywords.1"),
    ({"company": "Acme", "meta": {"canonical": "u"}}, "title"),
])
def test_document_errors_name_the_path(document: Any, path: str) -> None:
    with pytest.raises(DocumentError) as caught:
        read(document)
    assert caught.value.path == path
    assert list(caught.value.errors) == [path]


def test_unknown_context_is_not_fetched() -> None:
    with pytest.raises(UnknownContext) as caught:
        read(with_(**{"@context": "https://example.org/jobs-context.jsonld"}))
    assert caught.value.path == "@context"
    assert caught.value.url == "https://example.org/jobs-context.jsonld"


def test_a_document_error_is_prefixed_with_the_path() -> None:
    with pytest.raises(DocumentError) as caught:
        read(with_(title=None), path="jobs.0")
    assert caught.value.path == "jobs.0.title"


def test_job_standard_detection() -> None:
    assert job_standard(load("data_engineer.json")) == JOB_POSTING
    assert job_standard(load("in_place_graph.json")) == JOB_POSTING
    assert job_standard(load("analyst_job.json")) == JSON_RESUME_JOB


# -- text helpers and properties -------------------------------------------------------------


@given(st.integers(1, 40), st.text(string.ascii_letters + " ,;", max_size=40))
def test_years_in_text_reads_n_plus_years(years: int, noise: str) -> None:
    assert years_in_text(f"{noise} {years}+ years of Python. {noise}") == years
    assert years_in_text(f"{noise} at least {years} years {noise}") == years


@given(st.integers(1, 600))
def test_months_of_experience_become_years(months: int) -> None:
    posting = with_(experienceRequirements={"@type": "OccupationalExperienceRequirements",
                                            "monthsOfExperience": months})
    assert read(posting).body["min_total_years"] == round(months / 12, 2)


@given(st.lists(st.sampled_from(["SQL", "Python", "Java", "project management", "Tableau",
                                 "machine learning", "Git", "accounting"]),
                min_size=1, max_size=8),
       st.sampled_from([", ", "; ", "\n"]))
@settings(max_examples=30, deadline=None)
def test_listed_skills_become_distinct_listed_requirements(names: list[str], sep: str) -> None:
    result = read(with_(skills=sep.join(names)))
    resolver = finder().resolver
    labels = [r["skill"] for r in result.body["requirements"]]
    assert [resolver.resolve(n).skill_id for n in labels] == list(
        dict.fromkeys(resolver.resolve(n).skill_id for n in names))
    assert not any(r["to_confirm"] for r in result.body["requirements"])


@given(st.text(string.ascii_letters + string.digits + " .,;:!?'\"-()\n\t", max_size=200))
def test_escaped_html_gives_back_the_text(text: str) -> None:
    assert html_to_text(f"<div><p>{html.escape(text)}</p></div>") == html_to_text(text)
    assert html_to_text(text) == "\n".join(" ".join(line.split()) for line in
                                           text.splitlines() if line.strip())


def test_education_words() -> None:
    assert education_in_text("High school diploma or GED") == "secondary"
    assert education_in_text("PhD in chemistry") == "doctorate"
    assert education_in_text("MSc or MBA preferred") == "master"
    assert education_in_text("Bachelor\u2019s degree") == "bachelor"
    assert education_in_text("No formal education needed") is None
