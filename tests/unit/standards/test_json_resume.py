"""JSON Resume import and export (standards.json_resume)."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.schemas.candidates import CandidateInSchema
from graph.taxonomy import taxonomy_resolver
from matcher.mentions import MentionFinder
from matcher.model import (
    Candidate,
    Credential,
    CredentialKind,
    EducationLevel,
    Experience,
    Issuer,
    SkillRef,
    Verification,
    VerificationStatus,
)
from matcher.skills import SkillResolver
from standards.errors import DocumentError
from standards.json_resume import (
    EXTENSION,
    candidate_to_resume,
    degree_name,
    kind_from_name,
    partial_date,
    resume_to_candidate,
)
from standards.result import ImportResult

DATA = Path(__file__).parent / "data" / "json_resume"
TODAY = date(2025, 1, 15)
REGISTRY = {1: Issuer(1, "Coursera"), 2: Issuer(2, "Amazon Web Services")}
# Skills the round trip draws from: tools, ESCO skills and knowledge, one-word and
# multi-word labels, labels that contain other labels ("Python (computer programming)").
SKILL_NAMES = [
    "SQL", "Python", "Kubernetes", "project management", "Tableau", "machine learning",
    "JavaScript", "React", "Docker", "AWS", "Scrum", "Java", "Go", "C++", "Excel", "Power BI",
    "communication", "Git", "Linux", "HTML", "CSS", "Node.js", "TypeScript", "PostgreSQL",
    "MongoDB", "Terraform", "Azure", "statistics", "Jira", "accounting", "SEO", "dbt",
    "Snowflake", "Apache Airflow", "GraphQL", "Django", "pandas", "NumPy", "nursing",
    "Team leadership",
]


@pytest.fixture(scope="module")
def resolver() -> SkillResolver:
    return taxonomy_resolver()


@pytest.fixture(scope="module")
def finder(resolver: SkillResolver) -> MentionFinder:
    return MentionFinder(resolver)


@pytest.fixture(scope="module")
def labels(resolver: SkillResolver) -> list[tuple[str, str]]:
    """(label, id) of SKILL_NAMES: what a body holds and what it resolves to."""
    found = [resolver.resolve(name) for name in SKILL_NAMES]
    return [(m.label, m.skill_id) for m in found if m.label and m.skill_id]


@pytest.fixture(scope="module")
def validator() -> Any:
    schema = json.loads((DATA / "schema.json").read_text("utf-8"))
    return jsonschema_rs.Draft7Validator(schema, validate_formats=True)


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text("utf-8"))


def read(doc: Any, resolver: SkillResolver, finder: MentionFinder, *,
         external_id: str | None = "ext-1", path: str = "") -> ImportResult:
    return resume_to_candidate(doc, external_id=external_id, resolver=resolver, finder=finder,
                               path=path, today=TODAY)


def error(doc: Any, resolver: SkillResolver, finder: MentionFinder, **kwargs: Any
          ) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        read(doc, resolver, finder, **kwargs)
    assert list(caught.value.errors) == [caught.value.path]
    return caught.value


def at_path(value: Any, path: str) -> Any:
    for part in path.split(".") if path else ():
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def ids(resolver: SkillResolver, names: list[str]) -> list[str | None]:
    return [resolver.resolve(name).skill_id for name in names]


def check_body(body: dict) -> None:
    """The body is one the candidate endpoint accepts."""
    CandidateInSchema().load(body)


def as_candidate(body: dict, resolver: SkillResolver,
                 registry: Mapping[int, Issuer] = REGISTRY) -> Candidate:
    """What the API stores for a body (skill names resolved, issuers looked up by name)."""
    by_name = {issuer.name.casefold(): issuer for issuer in registry.values()}

    def refs(names: list[str]) -> tuple[SkillRef, ...]:
        return tuple(SkillRef(n, resolver.resolve(n).skill_id) for n in names)

    def day(text: str | None) -> date | None:
        return date.fromisoformat(text) if text else None

    credentials = []
    for item in body["credentials"]:
        issuer = by_name.get((item.get("issuer") or "").casefold())
        credentials.append(Credential(
            name=item["name"], kind=CredentialKind(item["kind"]), skills=refs(item["skills"]),
            issuer_name=issuer.name if issuer else item.get("issuer"),
            issuer_id=issuer.id if issuer else None, issued_on=day(item.get("issued_on")),
            expires_on=day(item.get("expires_on")),
            level=EducationLevel(item["level"]) if item.get("level") else None))
    experience = [Experience(
        title=item["title"], employer=item.get("employer"), industry=item.get("industry"),
        start_date=date.fromisoformat(item["start_date"]), end_date=day(item.get("end_date")),
        skills=refs(item["skills"])) for item in body["experience"]]
    return Candidate(external_id=body["external_id"], name=body["name"],
                     email=body.get("email"), location=body.get("location"),
                     credentials=tuple(credentials), experience=tuple(experience),
                     skills=refs(body["skills"]))


def experience_view(candidate: Candidate) -> list[tuple]:
    return [(e.title, e.employer, e.industry, e.start_date, e.end_date,
             [ref.skill_id for ref in e.skills]) for e in candidate.experience]


def credential_view(candidate: Candidate) -> list[tuple]:
    """Credentials as compared: an export lists degrees after the others."""
    ordered = sorted(candidate.credentials, key=lambda c: c.kind is CredentialKind.DEGREE)
    return [(c.name, c.kind, c.issuer_id or c.issuer_name, c.issued_on, c.expires_on, c.level,
             [ref.skill_id for ref in c.skills]) for c in ordered]


# -- the full resume ----------------------------------------------------------------------


def test_full_resume_basics_and_experience(resolver: SkillResolver,
                                           finder: MentionFinder) -> None:
    doc = load("dana_okafor.json")
    body = read(doc, resolver, finder, external_id=None).body
    check_body(body)
    assert body["external_id"] == "dana.okafor@example.com"  # the email, case-folded
    assert (body["name"], body["email"]) == ("Dana Okafor", "Dana.Okafor@example.com")
    assert body["location"] == "Manchester, Greater Manchester, GB"
    roles = body["experience"]
    # work first, then volunteer; the entry without a position is left out
    assert [(r["title"], r["employer"]) for r in roles] == [
        ("Senior Data Engineer", "Northwind Analytics"),
        ("Clinical Data Analyst", "St Mary's Hospital Trust"),
        ("Staff Nurse", "St Mary's Hospital Trust"),
        ("Volunteer Tutor", "Code Club Manchester")]
    assert [(r["start_date"], r["end_date"]) for r in roles] == [
        ("2021-03-01", None), ("2018-09-01", "2021-02-28"), ("2014-01-01", "2018-08-31"),
        ("2019-10-01", "2022-12-31")]
    assert roles[0]["industry"] == "Retail analytics consultancy"
    found = set(ids(resolver, roles[0]["skills"]))
    assert set(ids(resolver, ["Apache Airflow", "Python", "PostgreSQL", "Snowflake", "dbt",
                              "Git", "SQL"])) <= found
    assert set(ids(resolver, ["Tableau", "SQL", "Excel"])) <= set(ids(resolver,
                                                                      roles[1]["skills"]))
    assert ids(resolver, roles[3]["skills"]) == ids(resolver, ["Python"])
    assert roles[2]["skills"] == []


def test_full_resume_credentials_and_declared_skills(resolver: SkillResolver,
                                                     finder: MentionFinder) -> None:
    body = read(load("dana_okafor.json"), resolver, finder).body
    by_name = {c["name"]: c for c in body["credentials"]}
    kinds = {name: c["kind"] for name, c in by_name.items()}
    assert kinds == {
        "Google Data Analytics Professional Certificate": "certificate",
        "AWS Certified Solutions Architect - Associate": "certification",
        "Registered Nurse Licence": "license",
        "dbt Fundamentals Badge": "badge",
        "PMP": "certification",
        "Bachelor of Science in Nursing": "degree",
        # an education entry whose studyType says it is a certificate is one
        "Professional Certificate in Project Management": "certificate",
    }  # the master's degree still in progress is not there
    degree = by_name["Bachelor of Science in Nursing"]
    assert (degree["level"], degree["issuer"], degree["issued_on"]) == (
        "bachelor", "University of Salford", "2014-07-31")
    assert set(ids(resolver, ["statistics", "nursing"])) <= set(ids(resolver, degree["skills"]))
    assert by_name["Registered Nurse Licence"]["issued_on"] == "2014-01-01"
    assert by_name["AWS Certified Solutions Architect - Associate"]["issued_on"] == "2022-06-01"
    # "PMP" is no mention in running text, but the whole name resolves
    assert ids(resolver, by_name["PMP"]["skills"]) == ids(resolver, ["project management"])
    assert ids(resolver, by_name["AWS Certified Solutions Architect - Associate"]["skills"]) \
        == ids(resolver, ["AWS"])
    declared = ids(resolver, body["skills"])
    expected = ["Python", "SQL", "Apache Airflow", "Snowflake", "dbt", "Tableau", "Power BI",
                "statistics", "Excel", "Cloud", "AWS", "Docker", "Kubernetes",
                "Team leadership", "Public speaking"]
    assert declared == ids(resolver, expected)  # "Kubernets" is a typo of a keyword
    assert len(set(declared)) == len(declared)


def test_full_resume_report(resolver: SkillResolver, finder: MentionFinder) -> None:
    doc = load("dana_okafor.json")
    result = read(doc, resolver, finder)
    skipped = {item["path"]: item for item in result.unrecognised}
    for section in ("awards", "publications", "languages", "interests", "references",
                    "projects", "meta", "basics.profiles"):
        assert [i["path"] for i in result.unrecognised].count(section) == 1
        assert skipped[section]["value"] == at_path(doc, section)
    assert not any(p.startswith(("awards.", "projects.", "basics.profiles.")) for p in skipped)
    assert "position" in skipped["work.3"]["reason"]
    assert "not a completed degree" in skipped["education.1"]["reason"]
    for path in ("basics.phone", "basics.location.postalCode", "basics.location.address",
                 "work.0.url", "work.0.location", "education.0.score", "skills.0.level"):
        assert skipped[path]["value"] == at_path(doc, path)
    # headings that name no skill, and a keyword that is no skill, are reported
    assert {"skills.0.name", "skills.1.name", "skills.3.name", "skills.3.keywords.2"} <= set(
        skipped)
    assert "skills.2.name" not in skipped  # "Cloud" is an alias of a skill
    assert "$schema" not in skipped


def test_every_reported_mapping_is_in_the_body_and_came_from_the_document(
        resolver: SkillResolver, finder: MentionFinder) -> None:
    for name in ("dana_okafor.json", "lee_partial_dates.json"):
        doc = load(name)
        result = read(doc, resolver, finder, path="4.resume")
        assert result.mapped
        for item in result.mapped:
            assert at_path(result.body, item["to"]) == item["value"]
            assert item["path"].startswith("4.resume.")
            at_path(doc, item["path"].removeprefix("4.resume."))  # exists
        for body_path, doc_path in result.origin.items():
            at_path(result.body, body_path)
            at_path(doc, doc_path.removeprefix("4.resume."))
        for item in result.unrecognised:
            at_path(doc, item["path"].removeprefix("4.resume."))


def test_origin_points_body_paths_at_the_document(resolver: SkillResolver,
                                                  finder: MentionFinder) -> None:
    result = read(load("dana_okafor.json"), resolver, finder, external_id=None, path="2")
    assert result.document_path("name") == "2.basics.name"
    assert result.document_path("external_id") == "2.basics.email"
    assert result.document_path("experience.1.end_date") == "2.work.1.endDate"
    assert result.document_path("experience.3.title") == "2.volunteer.0.position"
    assert result.document_path("experience.3") == "2.volunteer.0"
    assert result.document_path("experience.0.skills.4") == "2.work.0.highlights.2"
    degree = next(i for i, c in enumerate(result.body["credentials"]) if c["kind"] == "degree")
    assert result.document_path(f"credentials.{degree}.issued_on") == "2.education.0.endDate"
    assert result.document_path(f"credentials.{degree}.issuer") == "2.education.0.institution"
    assert result.document_path("credentials.0.name") == "2.certificates.0.name"
    assert result.document_path("skills.0") == "2.skills.0.keywords.0"


def test_import_leaves_the_document_alone(resolver: SkillResolver,
                                          finder: MentionFinder) -> None:
    doc = load("dana_okafor.json")
    before = copy.deepcopy(doc)
    read(doc, resolver, finder)
    assert doc == before


# -- dates -------------------------------------------------------------------------------


def test_partial_dates_in_a_document(resolver: SkillResolver, finder: MentionFinder) -> None:
    result = read(load("lee_partial_dates.json"), resolver, finder)
    roles = result.body["experience"]
    assert [(r["start_date"], r["end_date"]) for r in roles] == [
        ("2016-01-01", "2016-12-31"),  # a year: its first and its last day
        ("2017-02-01", "2020-02-29"),  # a month: its first and last day (a leap year)
        ("2020-03-16", None),  # "Present"
    ]
    assert "startDate" in next(i for i in result.unrecognised if i["path"] == "work.3")["reason"]
    issued = {c["name"]: c.get("issued_on") for c in result.body["credentials"]}
    assert issued == {"Food Hygiene Certificate": "2016-01-01",  # issued: the first day
                      "Forklift Operator Licence": "2017-01-01",
                      "Microsoft Power BI Data Analyst micro-credential": "2024-02-29",
                      "HND in Business": "2016-06-30",  # graduated: by the period's end
                      "High School Diploma": "2013-12-31"}
    levels = {c["name"]: c.get("level") for c in result.body["credentials"]}
    assert (levels["HND in Business"], levels["High School Diploma"]) == (
        "associate", "secondary")
    assert "email" not in result.body  # blank strings are absent
    assert result.body["location"] == "Flat 2, 7 Harbour Road, Leith"  # the address, one line
    assert {"certificates.3", "education.1"} <= {i["path"] for i in result.unrecognised}
    check_body(result.body)


@pytest.mark.parametrize(("text", "last", "expected"), [
    ("2019", False, date(2019, 1, 1)), ("2019", True, date(2019, 12, 31)),
    ("2019-03", False, date(2019, 3, 1)), ("2019-03", True, date(2019, 3, 31)),
    ("2023-02", True, date(2023, 2, 28)), ("2024-02", True, date(2024, 2, 29)),
    ("2019-04-07", False, date(2019, 4, 7)), ("2019-04-07", True, date(2019, 4, 7)),
])
def test_partial_date(text: str, last: bool, expected: date) -> None:
    assert partial_date(text, last=last) == expected


@pytest.mark.parametrize("text", ["2019-13", "2019-00", "2019-02-30", "19-03", "2019/03",
                                  "March 2019", "2019-3", "", "2019-03-07T10:00:00", " 2019"])
def test_not_a_partial_date(text: str) -> None:
    with pytest.raises(ValueError):
        partial_date(text)


@given(st.dates(date(1000, 1, 1), date(2999, 12, 31)))
def test_a_full_date_reads_as_itself(day: date) -> None:
    assert partial_date(day.isoformat()) == day == partial_date(day.isoformat(), last=True)


@given(st.integers(1000, 2999), st.integers(1, 12))
def test_a_month_spans_from_its_first_to_its_last_day(year: int, month: int) -> None:
    first, last = partial_date(f"{year}-{month:02}"), partial_date(f"{year}-{month:02}",
                                                                   last=True)
    assert (first.year, first.month, first.day) == (year, month, 1)
    assert (last.year, last.month) == (year, month) and (last + timedelta(days=1)).day == 1


def test_a_degree_counts_once_its_end_period_is_over(resolver: SkillResolver,
                                                     finder: MentionFinder) -> None:
    def degrees(end: str) -> list[dict]:
        doc = {"basics": {"name": "A"}, "education": [
            {"institution": "U", "studyType": "BA", "area": "History", "endDate": end}]}
        return read(doc, resolver, finder).body["credentials"]

    assert [c["issued_on"] for c in degrees("2024-12")] == ["2024-12-31"]
    assert degrees("2025-01") == []  # TODAY is 2025-01-15: January is not over
    assert degrees("2025") == []
    assert [c["issued_on"] for c in degrees("2025-01-15")] == ["2025-01-15"]


# -- errors ------------------------------------------------------------------------------


def resume(**sections: Any) -> dict:
    return {"basics": {"name": "Ana Lima", "email": "ana@example.com"}, **sections}


@pytest.mark.parametrize(("doc", "path", "words"), [
    ([], "$", "object"),
    ("resume", "$", "object"),
    ({"basics": {"email": "a@example.com"}}, "basics.name", "name"),
    ({"basics": {"name": "   "}}, "basics.name", "name"),
    ({"basics": ["Ana"]}, "basics", "object"),
    ({"basics": {"name": 7}}, "basics.name", "string"),
    (resume(work={"name": "X"}), "work", "list"),
    (resume(work=["X"]), "work.0", "object"),
    (resume(work=[{"position": "P", "startDate": 2019}]), "work.0.startDate", "string"),
    (resume(work=[{"position": "P", "startDate": "2019"},
                  {"position": "P", "startDate": "2019-13"}]), "work.1.startDate", "not a date"),
    (resume(work=[{"position": "P", "startDate": "March 2019"}]), "work.0.startDate",
     "not a date"),
    (resume(work=[{"position": "P", "startDate": "2019-05", "endDate": "2019-04"}]),
     "work.0.endDate", "before"),
    (resume(work=[{"position": "P", "startDate": "1850"}]), "work.0.startDate", "1900"),
    (resume(work=[{"position": "P", "startDate": "2019", "highlights": "SQL"}]),
     "work.0.highlights", "list"),
    (resume(work=[{"position": "P", "startDate": "2019", "highlights": ["SQL", 3]}]),
     "work.0.highlights.1", "string"),
    (resume(volunteer=[{"position": "P", "startDate": "2019", "organization": ["O"]}]),
     "volunteer.0.organization", "string"),
    (resume(certificates=[{"name": "C", "date": "2019-02-29"}]), "certificates.0.date",
     "not a date"),
    (resume(education=[{"studyType": "BA", "endDate": "spring 2019"}]),
     "education.0.endDate", "not a date"),
    (resume(education=[{"studyType": "BA", "endDate": "2019", "courses": ["Stats", 1]}]),
     "education.0.courses.1", "string"),
    (resume(skills=["SQL"]), "skills.0", "object"),
    (resume(skills=[{"name": "Data", "keywords": ["SQL", 5]}]), "skills.0.keywords.1",
     "string"),
    (resume(basics={"name": "A", "email": "a@b.co", "location": "Berlin"}),
     "basics.location", "object"),
])
def test_unreadable_documents(doc: Any, path: str, words: str, resolver: SkillResolver,
                              finder: MentionFinder) -> None:
    caught = error(doc, resolver, finder)
    assert caught.path == path
    assert words.casefold() in caught.errors[path][0].casefold()


def test_an_external_id_is_needed(resolver: SkillResolver, finder: MentionFinder) -> None:
    doc = {"basics": {"name": "Ana Lima"}}
    caught = error(doc, resolver, finder, external_id=None)
    assert caught.path == "basics.email" and "external_id" in caught.errors["basics.email"][0]
    assert read(doc, resolver, finder, external_id="hr-9").body["external_id"] == "hr-9"
    long_email = "a" * 195 + "@example.com"  # a valid email, too long for an external id
    caught = error({"basics": {"name": "A", "email": long_email}}, resolver, finder,
                   external_id=None)
    assert caught.path == "basics.email" and "external id" in caught.errors["basics.email"][0]


def test_errors_carry_the_path_prefix(resolver: SkillResolver, finder: MentionFinder) -> None:
    assert error([], resolver, finder, path="3").path == "3"
    doc = resume(work=[{"position": "P", "startDate": "2019-99"}])
    assert error(doc, resolver, finder, path="3.resume").path == "3.resume.work.0.startDate"


@pytest.mark.parametrize(("doc", "path"), [
    ({"basics": {"name": "N" * 201}}, "basics.name"),
    ({"basics": {"name": "A", "email": "e" * 310 + "@example.com"}}, "basics.email"),
    ({"basics": {"name": "A", "location": {"city": "C" * 201}}}, "basics.location"),
    (resume(work=[{"position": "T" * 301, "startDate": "2019"}]), "work.0.position"),
    (resume(work=[{"position": "T", "name": "E" * 201, "startDate": "2019"}]), "work.0.name"),
    (resume(certificates=[{"name": "C" * 301}]), "certificates.0.name"),
    (resume(certificates=[{"name": "C", "issuer": "I" * 201}]), "certificates.0.issuer"),
    (resume(education=[{"studyType": "BA", "area": "A" * 300, "endDate": "2010"}]),
     "education.0"),
    (resume(work=[{"position": "T", "startDate": "2019"}] * 201), "work.200"),
    (resume(work=[{"position": "T", "startDate": "2019"}] * 150,
            volunteer=[{"position": "T", "startDate": "2019"}] * 51), "volunteer.50"),
    (resume(certificates=[{"name": "C"}] * 150,
            education=[{"studyType": "BA", "endDate": "2010"}] * 51), "education.50"),
])
def test_what_exceeds_the_endpoints_limits_is_an_error(doc: dict, path: str,
                                                       resolver: SkillResolver,
                                                       finder: MentionFinder) -> None:
    assert error(doc, resolver, finder, external_id="x").path == path


def test_at_most_200_entries_is_fine(resolver: SkillResolver, finder: MentionFinder) -> None:
    doc = resume(work=[{"position": "T", "startDate": "2019"}] * 200,
                 volunteer=[{"startDate": "2019"}] * 5)  # skipped entries do not count
    assert len(read(doc, resolver, finder).body["experience"]) == 200


def test_more_than_100_skills_in_one_list_is_an_error(resolver: SkillResolver,
                                                      finder: MentionFinder) -> None:
    names = [skill.label for skill in resolver.skills() if skill.id.startswith("custom:")]
    names = [n for n in names if resolver.resolve(n).method == "exact"][:101]
    assert len(names) == 101
    doc = resume(skills=[{"name": "Tools", "keywords": names}])
    assert error(doc, resolver, finder).path == "skills"
    doc = resume(skills=[{"name": "Tools", "keywords": names[:100] * 2}])  # 100 distinct
    assert len(read(doc, resolver, finder).body["skills"]) == 100
    ext = {"skills": [{"name": n} for n in names]}
    doc = resume(certificates=[{"name": "C", EXTENSION: ext}])
    assert error(doc, resolver, finder).path == "certificates.0"


@pytest.mark.parametrize(("entry", "path"), [
    ({"name": "C", EXTENSION: "certification"}, f"certificates.0.{EXTENSION}"),
    ({"name": "C", EXTENSION: {"kind": "diploma"}}, f"certificates.0.{EXTENSION}.kind"),
    ({"name": "C", EXTENSION: {"skills": {"name": "SQL"}}}, f"certificates.0.{EXTENSION}.skills"),
    ({"name": "C", EXTENSION: {"skills": [{"id": "no:such"}]}},
     f"certificates.0.{EXTENSION}.skills.0"),
    ({"name": "C", "date": "2020", EXTENSION: {"expiresOn": "2019"}},
     f"certificates.0.{EXTENSION}.expiresOn"),
])
def test_a_broken_extension_member_is_an_error(entry: dict, path: str, resolver: SkillResolver,
                                               finder: MentionFinder) -> None:
    assert error(resume(certificates=[entry]), resolver, finder).path == path


def test_a_broken_education_extension_is_an_error(resolver: SkillResolver,
                                                  finder: MentionFinder) -> None:
    doc = resume(education=[{"studyType": "BA", EXTENSION: {"level": "grad school"}}])
    assert error(doc, resolver, finder).path == f"education.0.{EXTENSION}.level"


# -- mapping rules -----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kind"), [
    ("Registered Nurse License", "license"), ("Licensed Practical Nurse", "license"),
    ("Forklift Operator Licence", "license"), ("Data Analytics Micro-Credential",
                                               "micro-credential"),
    ("SQL micro credential", "micro-credential"), ("Open Source Contributor Badge", "badge"),
    ("Certificate of Completion: Python", "certificate"),
    ("Google IT Support Professional Certificate", "certificate"),
    ("Certified Kubernetes Administrator", "certification"),
    ("AWS Certified Solutions Architect", "certification"), ("PMP", "certification"),
])
def test_kind_from_name(name: str, kind: str) -> None:
    assert kind_from_name(name).value == kind


@pytest.mark.parametrize(("study", "level"), [
    ("PhD", "doctorate"), ("Doctor of Philosophy", "doctorate"), ("Master of Science", "master"),
    ("MBA", "master"), ("Bachelor", "bachelor"), ("BSc (Hons)", "bachelor"),
    ("Associate of Arts", "associate"), ("High School Diploma", "secondary"),
])
def test_degree_level_comes_from_the_study_type(study: str, level: str,
                                                resolver: SkillResolver,
                                                finder: MentionFinder) -> None:
    # "Master" in the area does not make a bachelor's degree a master's
    doc = resume(education=[{"studyType": study, "area": "Master Data Management",
                             "endDate": "2010"}])
    (degree,) = read(doc, resolver, finder).body["credentials"]
    assert (degree["kind"], degree["level"]) == ("degree", level)
    assert degree["name"] == degree_name(study, "Master Data Management")


def test_degree_names() -> None:
    assert degree_name("Bachelor", "Arts") == "Bachelor in Arts"
    assert degree_name("BSc Computer Science", "computer science") == "BSc Computer Science"
    assert degree_name(None, None) is None


def test_an_education_entry_without_a_degree_name_is_reported(
        resolver: SkillResolver, finder: MentionFinder) -> None:
    result = read(resume(education=[{"institution": "U", "endDate": "2010"}]), resolver, finder)
    assert result.body["credentials"] == []
    assert "studyType" in result.unrecognised[0]["reason"]


def test_volunteer_work_is_experience(resolver: SkillResolver, finder: MentionFinder) -> None:
    doc = resume(volunteer=[{"organization": "Food Bank", "position": "Coordinator",
                             "startDate": "2020-05", "highlights": ["Kept stock in Excel"]}])
    (role,) = read(doc, resolver, finder).body["experience"]
    assert (role["title"], role["employer"], role["end_date"]) == ("Coordinator", "Food Bank",
                                                                   None)
    assert ids(resolver, role["skills"]) == ids(resolver, ["Excel"])


def test_a_long_description_is_read_for_skills_but_is_no_industry(
        resolver: SkillResolver, finder: MentionFinder) -> None:
    text = "We build data platforms with Kubernetes and Terraform for retail clients. " * 4
    result = read(resume(work=[{"position": "SRE", "startDate": "2019", "description": text}]),
                  resolver, finder)
    (role,) = result.body["experience"]
    assert "industry" not in role
    assert set(ids(resolver, ["Kubernetes", "Terraform"])) <= set(ids(resolver, role["skills"]))
    assert any(i["path"] == "work.0.description" for i in result.unrecognised)


def test_location_forms(resolver: SkillResolver, finder: MentionFinder) -> None:
    def location(place: dict) -> str | None:
        body = read({"basics": {"name": "A", "location": place}}, resolver, finder).body
        return body.get("location")

    assert location({"city": "Berlin", "countryCode": "DE", "postalCode": "10115"}) == \
        "Berlin, DE"
    assert location({"region": "Ontario"}) == "Ontario"
    assert location({"address": "  1 Main St \n\n Springfield "}) == "1 Main St, Springfield"
    assert location({"postalCode": "10115"}) is None
    assert location({}) is None


def test_declared_skills(resolver: SkillResolver, finder: MentionFinder) -> None:
    doc = resume(skills=[
        {"name": "Analytics", "keywords": ["Tablaeu", "SQL", "sql", "Structured Query Language"]},
        {"name": "Docker", "level": "Expert"},
        {"name": "Hobbies", "keywords": ["  ", "Juggling geese"]},
    ])
    result = read(doc, resolver, finder)
    # a typo in a keyword resolves; a heading must name a skill outright; one entry per skill
    assert ids(resolver, result.body["skills"]) == ids(resolver, ["Tableau", "SQL", "Docker"])
    skipped = {i["path"]: i["value"] for i in result.unrecognised}
    assert skipped == {"skills.0.name": "Analytics", "skills.1.level": "Expert",
                       "skills.2.name": "Hobbies", "skills.2.keywords.1": "Juggling geese"}


def test_verification_is_never_taken_from_a_resume(resolver: SkillResolver,
                                                   finder: MentionFinder) -> None:
    ext = {"kind": "badge", "verification": {"status": "verified"}, "skills": []}
    result = read(resume(certificates=[{"name": "SQL Badge", EXTENSION: ext}]), resolver,
                  finder)
    (credential,) = result.body["credentials"]
    assert "verification" not in credential
    (item,) = result.unrecognised
    assert item["path"] == f"certificates.0.{EXTENSION}.verification"


def test_exact_skills_win_over_text(resolver: SkillResolver, finder: MentionFinder) -> None:
    """An entry with exported skills is not searched again; unknown ids keep their name."""
    sql = resolver.resolve("SQL")
    ext = {"skills": [{"name": "Structured Query Language", "id": sql.skill_id},
                      {"name": "Our in-house ETL tool", "id": "org:etl"}]}
    doc = resume(work=[{"position": "Python Developer", "startDate": "2019",
                        "summary": "Skills: Kubernetes.", EXTENSION: ext}])
    (role,) = read(doc, resolver, finder).body["experience"]
    assert role["skills"] == [sql.label, "Our in-house ETL tool"]


# -- export ------------------------------------------------------------------------------


def full_candidate(resolver: SkillResolver) -> Candidate:
    def refs(*names: str) -> tuple[SkillRef, ...]:
        return tuple(resolver.ref(name) for name in names)

    return Candidate(
        external_id="hr-77", name="Ana Lima", email="ana.lima@example.com",
        location="Lisbon, PT",
        experience=(
            Experience("Data Analyst", date(2021, 4, 1), None, "Acme", "Retail",
                       refs("SQL", "Python")),
            Experience("Intern", date(2020, 6, 1), date(2020, 8, 31)),
        ),
        credentials=(
            Credential("Google Data Analytics", CredentialKind.MICRO_CREDENTIAL,
                       refs("data analytics"), issuer_name="coursera", issuer_id=1,
                       issued_on=date(2022, 3, 4), expires_on=date(2025, 3, 4),
                       verification=Verification(VerificationStatus.VERIFIED, "ob3",
                                                 datetime(2024, 1, 2, 3, 4, 5))),
            Credential("MSc in Statistics", CredentialKind.DEGREE, refs("statistics"),
                       issuer_name="University of Lisbon", issued_on=date(2019, 7, 1),
                       level=EducationLevel.MASTER),
            Credential("Licenciatura", CredentialKind.DEGREE, issuer_name="Universidade Nova"),
        ),
        skills=refs("Power BI", "Postgres"),
    )


def test_export_is_valid_json_resume(resolver: SkillResolver, validator: Any) -> None:
    doc = candidate_to_resume(full_candidate(resolver), declared_skills=["SQL", "Tableau"],
                              issuers=REGISTRY, canonical="https://hr.example.com/c/77.json",
                              last_modified=datetime(2025, 1, 2, 3, 4, 5))
    errors = [str(e) for e in validator.iter_errors(doc)]
    assert errors == []
    assert doc["basics"] == {"name": "Ana Lima", "email": "ana.lima@example.com",
                             "location": {"city": "Lisbon", "region": "PT"}}
    assert doc["meta"] == {"version": "v1.0.0", "lastModified": "2025-01-02T03:04:05",
                           "canonical": "https://hr.example.com/c/77.json"}
    current, intern = doc["work"]
    assert (current["name"], current["position"], current["startDate"], current["description"]) \
        == ("Acme", "Data Analyst", "2021-04-01", "Retail")
    assert "endDate" not in current and intern["endDate"] == "2020-08-31"
    assert current["summary"] == "Skills: SQL, Python."
    assert [s["id"] for s in current[EXTENSION]["skills"]] == ids(resolver, ["SQL", "Python"])
    assert "summary" not in intern and intern[EXTENSION] == {"skills": []}
    (certificate,) = doc["certificates"]
    assert certificate["issuer"] == "Coursera"  # the registry's name for issuer 1
    assert certificate[EXTENSION]["kind"] == "micro-credential"
    assert certificate[EXTENSION]["expiresOn"] == "2025-03-04"
    assert certificate[EXTENSION]["verification"] == {
        "status": "verified", "method": "ob3", "checkedAt": "2024-01-02T03:04:05"}
    msc, licenciatura = doc["education"]
    assert (msc["studyType"], msc["area"], msc["endDate"], msc["institution"]) == (
        "MSc", "Statistics", "2019-07-01", "University of Lisbon")
    assert msc[EXTENSION]["level"] == "master"
    assert licenciatura["studyType"] == "Licenciatura" and "endDate" not in licenciatura
    assert doc["skills"] == [{"name": "SQL"}, {"name": "Tableau"}]  # as given


def test_declared_skills_export_as_the_candidate_wrote_them(resolver: SkillResolver,
                                                            finder: MentionFinder) -> None:
    candidate = full_candidate(resolver)
    doc = candidate_to_resume(candidate)
    assert doc["skills"] == [{"name": "Power BI"}, {"name": "Postgres"}]
    body = read(doc, resolver, finder).body
    assert ids(resolver, body["skills"]) == [ref.skill_id for ref in candidate.skills]


def test_a_bare_candidate_exports(validator: Any) -> None:
    doc = candidate_to_resume(Candidate("x", "Bo"))
    assert validator.is_valid(doc)
    assert set(doc) == {"$schema", "basics", "meta"} and doc["basics"] == {"name": "Bo"}
    assert datetime.strptime(doc["meta"]["lastModified"], "%Y-%m-%dT%H:%M:%S")


@pytest.mark.parametrize(("location", "expected"), [
    ("Palo Alto, CA, US", {"city": "Palo Alto", "region": "CA", "countryCode": "US"}),
    ("Ann Arbor, MI", {"city": "Ann Arbor", "region": "MI"}),
    ("Berlin", {"city": "Berlin"}),
    ("Paris, Ile-de-France, France", {"address": "Paris, Ile-de-France, France"}),
    ("1 Main St,Springfield", {"address": "1 Main St,Springfield"}),
    ("a, b, c, DE", {"address": "a, b, c, DE"}),
])
def test_location_exports_in_parts_only_when_they_read_back_the_same(
        location: str, expected: dict, resolver: SkillResolver, finder: MentionFinder) -> None:
    doc = candidate_to_resume(Candidate("x", "Bo", location=location))
    assert doc["basics"]["location"] == expected
    assert read(doc, resolver, finder).body["location"] == location


def test_the_full_resume_survives_export_and_import(resolver: SkillResolver,
                                                    finder: MentionFinder,
                                                    validator: Any) -> None:
    first = read(load("dana_okafor.json"), resolver, finder, external_id=None).body
    candidate = as_candidate(first, resolver)
    doc = candidate_to_resume(candidate, issuers=REGISTRY)
    assert validator.is_valid(doc)
    result = read(doc, resolver, finder, external_id=None)
    second = result.body
    check_body(second)
    by_name = sorted(first["credentials"], key=lambda c: c["name"])
    assert sorted(second["credentials"], key=lambda c: c["name"]) == by_name
    assert {k: v for k, v in second.items() if k != "credentials"} == {
        k: v for k, v in first.items() if k != "credentials"}
    # nothing of an export is left unread but its meta and the verification shown to readers
    assert {i["path"].rsplit(".", 1)[-1] for i in result.unrecognised} == {"meta",
                                                                            "verification"}


def test_skills_survive_as_text_without_the_extension(resolver: SkillResolver,
                                                      finder: MentionFinder) -> None:
    """Another tool that drops ``x-talentmatch`` still leaves the skills readable."""
    first = read(load("dana_okafor.json"), resolver, finder).body
    doc = candidate_to_resume(as_candidate(first, resolver))
    for section in ("work", "certificates", "education"):
        for entry in doc.get(section, []):
            del entry[EXTENSION]
    again = read(doc, resolver, finder).body
    assert [(r["title"], r["employer"], r["start_date"], r["end_date"])
            for r in again["experience"]] == [
        (r["title"], r["employer"], r["start_date"], r["end_date"]) for r in first["experience"]]
    for before, after in zip(first["experience"], again["experience"], strict=True):
        assert set(ids(resolver, before["skills"])) <= set(ids(resolver, after["skills"]))
    assert again["skills"] == first["skills"]
    degree = next(c for c in again["credentials"] if c["kind"] == "degree")
    assert (degree["name"], degree["issued_on"]) == ("Bachelor of Science in Nursing",
                                                     "2014-07-31")


# -- round trip property -----------------------------------------------------------------

TEXT = st.text(st.characters(categories=("L", "N", "P", "Zs")), min_size=1, max_size=40
               ).map(str.strip).filter(bool)
# Names an import reads meaning into: kinds, levels and skills they mention.
NAMES = TEXT | st.sampled_from([
    "Graduate Certificate in Data Science", "Nursing Licence", "PMP", "SQL Badge",
    "Bachelor of Arts in Master Data Management", "Python Developer", "MSc", "Kubernetes",
    "Certificate of Completion: Machine Learning", "Data micro-credential"])
DAYS = st.dates(date(1950, 1, 1), date(2030, 12, 31))


@st.composite
def skill_refs(draw: st.DrawFn, labels: list[tuple[str, str]], max_size: int = 5
               ) -> tuple[SkillRef, ...]:
    chosen = draw(st.lists(st.sampled_from(labels), max_size=max_size, unique=True))
    return tuple(SkillRef(label, skill_id) for label, skill_id in chosen)


@st.composite
def roles(draw: st.DrawFn, labels: list[tuple[str, str]]) -> Experience:
    start = draw(DAYS)
    end = draw(st.none() | st.integers(0, 8000).map(lambda n: start + timedelta(days=n)))
    return Experience(draw(NAMES), start, end, draw(st.none() | TEXT), draw(st.none() | TEXT),
                      draw(skill_refs(labels)))


@st.composite
def credentials(draw: st.DrawFn, labels: list[tuple[str, str]]) -> Credential:
    kind = draw(st.sampled_from(list(CredentialKind)))
    issued = draw(st.none() | DAYS)
    expires = draw(st.none() | st.integers(0, 4000).map(
        lambda n: (issued or date(2020, 1, 1)) + timedelta(days=n)))
    issuer_id = draw(st.none() | st.sampled_from(sorted(REGISTRY)))
    issuer_name = REGISTRY[issuer_id].name.upper() if issuer_id else draw(st.none() | TEXT)
    level = draw(st.none() | st.sampled_from(list(EducationLevel))) \
        if kind is CredentialKind.DEGREE else None
    return Credential(draw(NAMES), kind, draw(skill_refs(labels)), issuer_name, issuer_id,
                      issued, expires, level=level)


@st.composite
def candidates(draw: st.DrawFn, labels: list[tuple[str, str]]) -> Candidate:
    location = draw(st.none() | TEXT | st.builds(
        "{}, {}, {}".format, TEXT, TEXT, st.sampled_from(["DE", "US", "NG"])))
    email = draw(st.none() | st.from_regex(r"[a-z]{1,8}(\.[a-z]{1,8})?@[a-z]{1,8}\.(com|org)",
                                           fullmatch=True))
    return Candidate(draw(TEXT), draw(TEXT), email, location,
                     tuple(draw(st.lists(credentials(labels), max_size=4))),
                     tuple(draw(st.lists(roles(labels), max_size=4))),
                     skills=draw(skill_refs(labels, max_size=8)))


def test_the_round_trip_skills_resolve_to_themselves(resolver: SkillResolver,
                                                     labels: list[tuple[str, str]]) -> None:
    assert len(labels) == len(SKILL_NAMES) == len({skill_id for _, skill_id in labels})
    assert all(resolver.resolve(label).skill_id == skill_id for label, skill_id in labels)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_import_of_an_export_gives_the_candidate_back(
        data: st.DataObject, resolver: SkillResolver, finder: MentionFinder,
        labels: list[tuple[str, str]], validator: Any) -> None:
    candidate = data.draw(candidates(labels))
    doc = candidate_to_resume(candidate, issuers=REGISTRY)
    assert [str(e) for e in validator.iter_errors(doc)] == []
    body = resume_to_candidate(json.loads(json.dumps(doc)), external_id=candidate.external_id,
                               resolver=resolver, finder=finder, today=TODAY).body
    check_body(body)
    again = as_candidate(body, resolver)
    assert (again.external_id, again.name, again.email, again.location) == (
        candidate.external_id, candidate.name, candidate.email, candidate.location)
    assert experience_view(again) == experience_view(candidate)
    assert credential_view(again) == credential_view(candidate)
    assert [ref.skill_id for ref in again.skills] == [ref.skill_id for ref in candidate.skills]
