"""The importers over HTTP: JSON Resume, JobPosting and CTDL in, all or nothing (issue 5)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tests.api.helpers import Caller, assert_invalid, skill_id

DATA = Path(__file__).resolve().parents[1] / "unit" / "standards" / "data"

RESUME = {
    "basics": {"name": "Grace Hopper", "email": "Grace@Example.com",
               "location": {"city": "Arlington", "region": "Virginia", "countryCode": "US"}},
    "work": [
        {"name": "Acme Analytics", "position": "Data Analyst", "startDate": "2019-03",
         "endDate": "2022", "summary": "Reporting with SQL and Tableau.",
         "highlights": ["Built dashboards in Tableau", "Automated reports with Python"]},
        {"name": "Globex", "position": "Data Engineer", "startDate": "2023-01-15",
         "highlights": ["Maintained Apache Spark pipelines"]},
    ],
    "certificates": [{"name": "Tableau Desktop Specialist", "date": "2021-06",
                      "issuer": "Tableau Learning"}],
    "education": [{"institution": "State University", "studyType": "Bachelor",
                   "area": "Computer Science", "startDate": "2014", "endDate": "2018"}],
    "skills": [{"name": "Databases", "keywords": ["SQL", "PostgreSQL"]}],
    "awards": [{"title": "Employee of the month"}],
}

POSTING = {
    "@context": "https://schema.org/",
    "@type": "JobPosting",
    "title": "Data Engineer",
    "identifier": {"@type": "PropertyValue", "name": "Globex", "value": "GX-77"},
    "description": "<p>Join our team to build <b>data pipelines</b> with Apache Spark.</p>",
    "skills": [{"@type": "DefinedTerm", "name": "SQL"},
               {"@type": "DefinedTerm", "name": "Python"}],
    "qualifications": "Experience with Apache Kafka is a plus.",
    "experienceRequirements": {"@type": "OccupationalExperienceRequirements",
                               "monthsOfExperience": 36},
    "educationRequirements": {"@type": "EducationalOccupationalCredential",
                              "credentialCategory": "bachelor degree"},
    "experienceInPlaceOfEducation": True,
    "hiringOrganization": {"@type": "Organization", "name": "Globex"},
    "datePosted": "2026-11-01",
}


def _resume_import(api: Caller, body: object, **query: str):
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return api.post(f"/imports/json-resume{suffix}", body)


def _skill_ids(items: list[dict]) -> set[str]:
    return {s["skill_id"] for s in items if s["skill_id"]}


def test_a_resume_becomes_a_candidate_with_its_report(api: Caller) -> None:
    response = _resume_import(api, RESUME)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["created"], body["updated"]) == (1, 0)
    (result,) = body["results"]
    assert result["status"] == "created"
    assert result["external_id"].lower() == "grace@example.com"
    assert {"Tableau Learning", "State University"} <= set(result["issuers_added"])
    assert any(item["path"].startswith("awards") for item in result["unrecognised"])
    assert any(item["path"].startswith("work.0") for item in result["mapped"])

    candidate = api.get(f"/candidates/{result['id']}").get_json()
    assert candidate["name"] == "Grace Hopper"
    analyst, engineer = candidate["experience"]
    assert (analyst["start_date"], analyst["end_date"]) == ("2019-03-01", "2022-12-31")
    assert engineer["end_date"] is None
    assert {skill_id("SQL"), skill_id("Tableau")} <= _skill_ids(analyst["skills"])
    kinds = {k["name"]: k for k in candidate["credentials"]}
    degree = next(k for k in candidate["credentials"] if k["kind"] == "degree")
    assert degree["issued_on"] == "2018-12-31" or degree["issued_on"].startswith("2018")
    assert degree["level"] == "bachelor"
    assert kinds["Tableau Desktop Specialist"]["issued_on"] == "2021-06-01"
    assert skill_id("PostgreSQL") in _skill_ids(candidate["skills"])


def test_issuers_a_resume_adds_are_unreviewed_and_not_duplicated(api: Caller) -> None:
    api.create("/issuers", {"name": "tableau learning"})
    result = _resume_import(api, RESUME).get_json()["results"][0]
    assert "Tableau Learning" not in result["issuers_added"]
    issuers = {i["name"].casefold(): i for i in api.get("/issuers?limit=500").get_json()["items"]}
    assert issuers["tableau learning"]["reviewed"] is True
    assert issuers["state university"]["reviewed"] is False
    candidate = api.get(f"/candidates/{result['id']}").get_json()
    held = next(k for k in candidate["credentials"] if k["name"] == "Tableau Desktop Specialist")
    assert held["issuer_id"] == issuers["tableau learning"]["id"]


def test_a_resume_without_external_id_updates_the_candidate_with_its_email(api: Caller) -> None:
    existing = api.create("/candidates", {"external_id": "ATS-9", "name": "G. Hopper",
                                          "email": "grace@example.com"})
    body = _resume_import(api, RESUME).get_json()
    assert (body["created"], body["updated"]) == (0, 1)
    assert body["results"][0]["id"] == existing["id"]
    assert body["results"][0]["external_id"] == "ATS-9"
    assert api.get(f"/candidates/{existing['id']}").get_json()["name"] == "Grace Hopper"


def test_a_given_external_id_wins_and_lists_take_wrapped_items(api: Caller) -> None:
    other = copy.deepcopy(RESUME)
    other["basics"] = {"name": "Alan Turing", "email": "alan@example.com"}
    response = _resume_import(api, [{"external_id": "ATS-1", "resume": RESUME}, other])
    assert response.status_code == 200, response.get_json()
    ids = [r["external_id"] for r in response.get_json()["results"]]
    assert ids == ["ATS-1", "alan@example.com"]
    again = _resume_import(api, RESUME, external_id="ATS-1").get_json()
    assert again["results"][0]["status"] == "updated"


@pytest.mark.parametrize(("mutate", "path"), [
    (lambda r: r["work"][1].update(startDate="March 2020"), "1.work.1.startDate"),
    (lambda r: r["basics"].pop("name"), "1.basics.name"),
    (lambda r: r.update(work="not a list"), "1.work"),
    (lambda r: r["work"][0].update(position="x" * 400), "1.work.0"),
])
def test_a_bad_resume_in_a_list_writes_nothing(api: Caller, mutate, path: str) -> None:
    bad = copy.deepcopy(RESUME)
    bad["basics"]["email"] = "other@example.com"
    mutate(bad)
    before = (api.total("/candidates"), api.total("/issuers"))
    errors = assert_invalid(_resume_import(api, [RESUME, bad]))
    assert any(key == path or key.startswith(path) for key in errors), errors
    assert (api.total("/candidates"), api.total("/issuers")) == before


@pytest.mark.parametrize("body", [[], "resume", 42, [RESUME] * 101, {"resume": "x"}])
def test_resume_bodies_of_the_wrong_shape_are_422(api: Caller, body: object) -> None:
    assert_invalid(_resume_import(api, body))
    assert api.total("/candidates") == 0


def test_the_same_person_twice_in_one_request_is_422(api: Caller) -> None:
    assert_invalid(_resume_import(api, [RESUME, RESUME]), "1")
    assert api.total("/candidates") == 0


def test_json_resume_export_round_trips(api: Caller) -> None:
    created = _resume_import(api, RESUME).get_json()["results"][0]
    original = api.get(f"/candidates/{created['id']}").get_json()
    exported = api.get(f"/candidates/{created['id']}?format=json-resume")
    assert exported.status_code == 200
    document = exported.get_json()
    assert document["basics"]["name"] == "Grace Hopper"
    assert {w["position"] for w in document["work"]} == {"Data Analyst", "Data Engineer"}
    again = _resume_import(api, document, external_id="COPY-1").get_json()["results"][0]
    copy_ = api.get(f"/candidates/{again['id']}").get_json()
    for field in ("experience", "credentials"):
        assert [_essentials(x) for x in copy_[field]] == [_essentials(x) for x in original[field]]
    assert _skill_ids(copy_["skills"]) == _skill_ids(original["skills"])


def _essentials(item: dict) -> tuple:
    fields = ("title", "employer", "start_date", "end_date", "name", "kind", "issuer_id",
              "issued_on", "level")
    return (*((k, item.get(k)) for k in fields), tuple(sorted(_skill_ids(item["skills"]))))


def test_export_format_is_validated(api: Caller) -> None:
    created = api.create("/candidates", {"external_id": "x", "name": "X"})
    assert_invalid(api.get(f"/candidates/{created['id']}?format=xml"), "query.format")


# -- JobPosting ---------------------------------------------------------------------------

def test_a_job_posting_becomes_a_job_with_requirements_to_confirm(api: Caller) -> None:
    response = api.post("/imports/job-posting", POSTING)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    job = body["job"]
    assert (job["external_id"], job["title"]) == ("GX-77", "Data Engineer")
    # Experience in place of education: 36 months OR the degree (schema.org: either suffices).
    assert job["min_total_years"] is None
    assert job["education"] == {"level": "bachelor", "experience_in_place_months": 36}
    listed = {r["skill_id"]: r for r in job["requirements"] if not r["to_confirm"]}
    assert {skill_id("SQL"), skill_id("Python")} <= set(listed)
    inferred = [r for r in job["requirements"] if r["to_confirm"]]
    assert inferred and body["to_confirm"] == [r["skill"] for r in inferred]
    assert skill_id("Apache Kafka") in {r["skill_id"] for r in inferred}
    assert any(i["path"].startswith("hiringOrganization") for i in body["unrecognised"])
    stored = api.get(f"/jobs/{job['id']}").get_json()
    assert [r["to_confirm"] for r in stored["requirements"]] == [
        r["to_confirm"] for r in job["requirements"]]

    again = api.post("/imports/job-posting", POSTING)
    assert again.status_code == 200 and again.get_json()["job"]["id"] == job["id"]


def test_a_json_resume_job_document_imports(api: Caller) -> None:
    document = {"title": "Web Developer", "company": "Initech", "type": "Full-time",
                "description": "Build our web shop.", "experience": "Senior",
                "responsibilities": ["Write JavaScript and CSS"],
                "qualifications": ["5+ years with React"],
                "skills": [{"name": "Web", "keywords": ["HTML", "JavaScript"]}]}
    response = api.post("/imports/job-posting?external_id=IT-5", document)
    assert response.status_code == 201, response.get_json()
    job = response.get_json()["job"]
    assert job["external_id"] == "IT-5"
    assert skill_id("JavaScript") in {r["skill_id"] for r in job["requirements"]}


@pytest.mark.parametrize(("mutate", "path"), [
    (lambda p: p.pop("title"), "title"),
    (lambda p: p.update(skills=42), "skills"),
    (lambda p: p.update(experienceRequirements={"monthsOfExperience": "many"}),
     "experienceRequirements"),
])
def test_a_bad_posting_is_422_and_writes_nothing(api: Caller, mutate, path: str) -> None:
    bad = copy.deepcopy(POSTING)
    mutate(bad)
    errors = assert_invalid(api.post("/imports/job-posting", bad))
    assert any(key.startswith(path) for key in errors), errors
    assert api.total("/jobs") == 0


# -- CTDL ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["s1_2_DegreeInRegistryAndVC.json",
                                  "s_4_1_AssessmentAccreditation.json"])
def test_the_ctdl_examples_import_without_edits(api: Caller, name: str) -> None:
    document = json.loads((DATA / "ctdl" / name).read_text("utf-8"))
    response = api.post("/imports/ctdl", document)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["issuers"] or body["unrecognised"]
    registry = api.get("/issuers?limit=500").get_json()["items"]
    assert {i["name"] for i in registry} == {i["name"] for i in body["issuers"]}
    assert all(not i["reviewed"] for i in registry)
    again = api.post("/imports/ctdl", document).get_json()
    assert {i["status"] for i in again["issuers"]} <= {"unchanged", "updated"}
    assert api.total("/issuers") == len(registry)


def test_ctdl_accreditation_and_offerings(api: Caller) -> None:
    document = {"@context": "https://credreg.net/ctdl/schema/context/json", "@graph": [
        {"@id": "https://example.org/org/qa", "@type": "ceterms:QACredentialOrganization",
         "ceterms:name": {"en-US": "Board of Data Professions"}},
        {"@id": "https://example.org/org/1", "@type": "ceterms:CredentialOrganization",
         "ceterms:name": {"en-US": "Northwind Institute"},
         "ceterms:subjectWebpage": "https://northwind.example.org",
         "ceterms:accreditedBy": ["https://example.org/org/qa"]},
        {"@id": "https://example.org/cred/1", "@type": "ceterms:Certification",
         "ceterms:name": {"en-US": "Certified SQL Analyst"},
         "ceterms:ownedBy": ["https://example.org/org/1"],
         "ceterms:estimatedDuration": [{"@type": "ceterms:DurationProfile",
                                        "ceterms:exactDuration": "P6W"}],
         "ceterms:teaches": [{"@type": "ceterms:CredentialAlignmentObject",
                              "ceterms:targetNodeName": {"en-US": "SQL"}}]},
    ]}
    response = api.post("/imports/ctdl", document)
    assert response.status_code == 200, response.get_json()
    issuer = next(i for i in api.get("/issuers").get_json()["items"]
                  if i["name"] == "Northwind Institute")
    assert [a["accrediting_body"] for a in issuer["accreditations"]] == [
        "Board of Data Professions"]
    (offering,) = api.get("/catalog").get_json()["items"]
    assert (offering["name"], offering["kind"], offering["duration_weeks"]) == (
        "Certified SQL Analyst", "certification", 6)
    assert offering["skills"][0]["skill_id"] == skill_id("SQL")
    api.post("/imports/ctdl", document)
    assert api.total("/catalog") == 1


def test_a_bad_ctdl_document_is_422_and_writes_nothing(api: Caller) -> None:
    errors = assert_invalid(api.post("/imports/ctdl", {"@graph": [{"ceterms:name": 5}]}))
    assert any(key.startswith("@graph.0") for key in errors), errors
    assert api.total("/issuers") == 0


@pytest.mark.parametrize("path", ["/imports/json-resume", "/imports/job-posting",
                                  "/imports/ctdl"])
def test_importers_need_a_body_and_refuse_unstorable_text(api: Caller, path: str) -> None:
    assert_invalid(api.post(path))
    assert_invalid(api.post(path, {"title": "a\u0000b", "basics": {"name": "\u0000"}}))


@pytest.mark.parametrize("path", ["/imports/json-resume", "/imports/job-posting",
                                  "/imports/ctdl"])
def test_importers_need_the_write_scope(client, session, tenant, path: str) -> None:
    from tests.api.conftest import key_for

    reader = Caller(client, key_for(session, tenant, "read"))
    assert reader.post(path, RESUME).status_code == 403


def test_email_matching_and_issuers_stay_in_the_organization(api: Caller,
                                                             other_api: Caller) -> None:
    theirs = other_api.create("/candidates", {"external_id": "T-1", "name": "Grace",
                                              "email": "grace@example.com"})
    other_api.create("/issuers", {"name": "Tableau Learning"})
    result = _resume_import(api, RESUME).get_json()["results"][0]
    assert result["status"] == "created" and result["id"] != theirs["id"]
    assert "Tableau Learning" in result["issuers_added"]
    assert other_api.get(f"/candidates/{theirs['id']}").get_json()["name"] == "Grace"
    assert other_api.total("/issuers") == 1
