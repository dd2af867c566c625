"""Standards benchmark (DESIGN.md §4, §6): offline badge verification and document import.

Every figure runs the real ``standards`` code on realistic documents signed here with
freshly generated keys (nothing is read from ``tests/`` or ``../shared``):

* :func:`standards.verify.verify_badge` throughput and median latency for an Open Badges
  3.0 credential shaped like 1EdTech's basic OpenBadgeCredential example, with an ESCO
  alignment, signed as Data Integrity ``eddsa-rdfc-2022`` by a ``did:key``, and as VC-JWT
  ES256 and RS256 with registry keys; and for an Open Badges 2.0 signed (JWS) assertion
  with its BadgeClass, issuer Profile and revocation list at hand;
* :func:`standards.json_resume.resume_to_candidate` on a resume with three roles, two
  certificates, a degree and declared skills, and
  :func:`standards.job_posting.posting_to_job` on a schema.org JobPosting, both with the
  full-taxonomy resolver and one :class:`~matcher.mentions.MentionFinder` (its build time
  is reported).

Each measurement is warmed once, then timed call by call for ``runs`` calls or until
``budget_s`` has passed (at least 3 calls). Every result is checked (badges verify, the
imports find skills), so a broken path cannot report a fast figure.

Run alone with ``python -m bench.standards``; ``make bench`` runs it too.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from bench.ranking import timed_runs
from graph.taxonomy import taxonomy_resolver
from matcher.mentions import MentionFinder
from matcher.model import VerificationStatus
from matcher.skills import SkillResolver
from standards.dataintegrity import sign_eddsa_rdfc_2022
from standards.job_posting import posting_to_job
from standards.json_resume import resume_to_candidate
from standards.keys import did_key
from standards.verify import verify_badge

__all__ = ["BadgeCase", "Timing", "badge_cases", "bench_badges", "bench_postings",
           "bench_resumes", "bench_standards", "job_posting", "main", "resume"]

NOW = datetime(2025, 6, 1, tzinfo=UTC)
TODAY = NOW.date()
DEFAULT_RUNS = 2000
DEFAULT_BUDGET_S = 3.0

PYTHON_ESCO = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"
SQL_ESCO = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"


@dataclass(frozen=True)
class Timing:
    """Seconds of each timed call."""

    seconds: tuple[float, ...]

    @property
    def per_s(self) -> float:
        return len(self.seconds) / sum(self.seconds)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000.0


def _time_calls(work: Callable[[], Any], runs: int, budget_s: float) -> Timing:
    """``work()`` once to warm, then ``runs`` timed calls, fewer (>= 3) past ``budget_s``."""
    work()
    return Timing(tuple(timed_runs(work, runs, budget_s)))


# -- badges ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BadgeCase:
    """One signed badge and what ``verify_badge`` is given with it."""

    label: str
    document: dict | str
    keys: list[dict]
    lists: dict[str, Any]
    method: str  # the method a correct verification reports

    def verify(self) -> None:
        result = verify_badge(self.document, keys=self.keys, status_lists=self.lists, now=NOW)
        if result.status != VerificationStatus.VERIFIED or result.method != self.method:
            raise AssertionError(f"{self.label}: {result.status.value} {result.method}: "
                                 f"{result.detail}")


def _public_jwk(key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey) -> dict:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return dict(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key(), as_dict=True))
    return dict(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True))


def _registry_issuer(issuer_id: int, name: str, url: str, key_id: str,
                     material: dict[str, Any]) -> dict:
    """An issuer in the API's issuer shape with one public key."""
    return {"issuer_id": issuer_id, "name": name, "did": None, "url": url,
            "public_keys": [{"id": key_id, "type": "JsonWebKey", **material}]}


def ob3_credential(issuer: str, issuer_name: str) -> dict:
    """1EdTech's basic OpenBadgeCredential example, with an ESCO alignment, from ``issuer``."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:0d7d3e2a-5b7c-4d0e-8f7a-3b1c2d4e5f60",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": issuer_name},
        "validFrom": "2024-03-01T00:00:00Z",
        "name": "Python Programming Badge",
        "credentialSubject": {
            "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://learn.example.com/achievements/python-programming",
                "type": ["Achievement"],
                "criteria": {"narrative": "Learners complete six graded notebooks and a "
                                          "proctored final project in Python."},
                "description": "This badge recognizes the ability to write, test and "
                               "maintain Python programs for data work.",
                "name": "Python Programming",
                "alignment": [{"type": ["Alignment"],
                               "targetName": "Python (computer programming)",
                               "targetFramework": "ESCO", "targetType": "ext:ESCOSkill",
                               "targetUrl": PYTHON_ESCO}],
            },
        },
    }


def _vc_jwt(credential: dict, key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey,
            alg: str, kid: str) -> str:
    """A VC-JWT (VC Data Model 1.1 ``vc`` claim with the registered claims)."""
    payload = {"vc": credential, "iss": credential["issuer"]["id"],
               "nbf": int(datetime.fromisoformat(credential["validFrom"]).timestamp()),
               "jti": credential["id"], "sub": credential["credentialSubject"]["id"]}
    return jwt.encode(payload, key, algorithm=alg, headers={"typ": "JWT", "kid": kid})


def _ob2_signed(registry: list[dict]) -> BadgeCase:
    """An OB 2.0 assertion signed RS256, with the documents its checks look up."""
    site = "https://badges.example.org"
    creator, profile = f"{site}/publicKey.json", f"{site}/organization.json"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    registry.append(_registry_issuer(4, "Example Badge Issuer", site, creator,
                                     {"public_key_pem": pem.decode()}))
    context = "https://w3id.org/openbadges/v2"
    lists = {
        f"{site}/python-badge.json": {
            "@context": context, "type": "BadgeClass", "id": f"{site}/python-badge.json",
            "name": "Python Programming", "description": "Writes and tests Python programs.",
            "image": f"{site}/python-badge.png", "criteria": f"{site}/python-badge.html",
            "alignment": [{"targetName": "Python (computer programming)",
                           "targetUrl": PYTHON_ESCO, "targetFramework": "ESCO"}],
            "tags": ["python", "programming"], "issuer": profile},
        profile: {"@context": context, "type": "Issuer", "id": profile,
                  "name": "Example Badge Issuer", "url": site, "publicKey": creator,
                  "revocationList": f"{site}/revocationList.json"},
        f"{site}/revocationList.json": {
            "@context": context, "id": f"{site}/revocationList.json", "type": "RevocationList",
            "issuer": profile, "revokedAssertions": [
                "urn:uuid:3c574c87-b96f-4f06-8eb5-68a29335b60e",
                {"id": "urn:uuid:e79a6c18-787e-4868-8e65-e6a4530fb418",
                 "revocationReason": "Honor code violation"}]},
    }
    claims = {"@context": context, "type": "Assertion",
              "id": "urn:uuid:a953081a-4bbd-4927-9653-7219bca00e3b",
              "recipient": {"type": "email", "hashed": True, "salt": "deadsea",
                            "identity": "sha256$c7ef86405ba71b85acd8e2e95166c4b1114480"
                                        "89f2e1599f42fe1bba46e865c5"},
              "issuedOn": "2024-03-01T09:00:00Z", "badge": f"{site}/python-badge.json",
              "verification": {"type": "SignedBadge", "creator": creator}}
    token = jwt.encode(claims, key, algorithm="RS256")
    return BadgeCase("OB2 signed JWS RS256", token, registry, lists, "ob2-signed RS256")


def badge_cases() -> list[BadgeCase]:
    """The four signed badges, each with freshly generated keys.

    The registry (three issuers) is the same for all; the ``did:key`` credential needs none
    of it but is given it, as the API would.
    """
    registry: list[dict] = []
    signed: list[tuple[str, dict | str, str]] = []

    ed = ed25519.Ed25519PrivateKey.generate()
    did = did_key(ed.public_key())
    method = f"{did}#{did.removeprefix('did:key:')}"
    document = sign_eddsa_rdfc_2022(ob3_credential(did, "Example Learning"), ed, method,
                                    "2024-03-01T00:00:00Z")
    signed.append(("OB3 Data Integrity did:key", document, "eddsa-rdfc-2022"))

    algorithms: dict[str, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey] = {
        "ES256": ec.generate_private_key(ec.SECP256R1()),
        "RS256": rsa.generate_private_key(public_exponent=65537, key_size=2048)}
    for number, (alg, key) in enumerate(algorithms.items(), 2):
        url = f"https://{alg.lower()}.example.com/issuers/{number}"
        registry.append(_registry_issuer(number, f"{alg} Academy", url, f"{url}#key-1",
                                         {"public_key_jwk": _public_jwk(key)}))
        token = _vc_jwt(ob3_credential(url, f"{alg} Academy"), key, alg, f"{url}#key-1")
        signed.append((f"OB3 VC-JWT {alg} registry", token, f"vc-jwt {alg}"))

    ob2 = _ob2_signed(registry)
    return [BadgeCase(label, doc, registry, {}, m) for label, doc, m in signed] + [ob2]


def bench_badges(runs: int = DEFAULT_RUNS, budget_s: float = DEFAULT_BUDGET_S
                 ) -> dict[str, Timing]:
    """``verify_badge`` timings per badge format (label -> timing)."""
    return {case.label: _time_calls(case.verify, runs, budget_s) for case in badge_cases()}


# -- documents ---------------------------------------------------------------------------


def resume() -> dict:
    """A JSON Resume: three roles with highlights, two certificates, a degree, skills."""
    return {
        "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/"
                   "schema.json",
        "basics": {
            "name": "Maya Fernandes", "label": "Data Engineer",
            "email": "Maya.Fernandes@example.com", "phone": "(555) 018-4410",
            "summary": "Data engineer who builds reliable pipelines and the dashboards on top.",
            "location": {"city": "Leeds", "region": "West Yorkshire", "countryCode": "GB"},
            "profiles": [{"network": "GitHub", "username": "mayaf",
                          "url": "https://github.example.com/mayaf"}],
        },
        "work": [
            {"name": "Northwind Analytics", "position": "Senior Data Engineer",
             "description": "Retail analytics consultancy", "startDate": "2021-03",
             "summary": "Own the ingestion platform that feeds every client dashboard.",
             "highlights": [
                 "Rebuilt nightly batch loads as Apache Airflow DAGs in Python, cutting "
                 "failures by 80%",
                 "Moved the warehouse from on-premise PostgreSQL to Snowflake",
                 "Introduced dbt tests and Git code review for all SQL models"]},
            {"name": "Contoso Retail", "position": "Data Analyst",
             "description": "Online retailer", "startDate": "2018-09-01",
             "endDate": "2021-02-28", "summary": "Reported sales performance to the board.",
             "highlights": [
                 "Built Tableau dashboards for weekly sales used by 40 store managers",
                 "Automated monthly returns with SQL and Microsoft Excel",
                 "Forecast demand with statistics in R"]},
            {"name": "Fabrikam Logistics", "position": "Junior Analyst",
             "startDate": "2016-07", "endDate": "2018-08",
             "highlights": ["Cleaned shipment data in Python and pandas",
                            "Presented route reports to the operations team"]},
        ],
        "education": [
            {"institution": "University of Leeds", "area": "Mathematics",
             "studyType": "Bachelor of Science", "startDate": "2013-09", "endDate": "2016-06",
             "score": "2:1", "courses": ["MATH2715 - Statistical Methods"]},
        ],
        "certificates": [
            {"name": "AWS Certified Solutions Architect - Associate", "date": "2022-06",
             "issuer": "Amazon Web Services"},
            {"name": "Google Data Analytics Professional Certificate", "date": "2020-11-15",
             "issuer": "Google", "url": "https://certs.example.com/gda/12345"},
        ],
        "skills": [
            {"name": "Data Engineering", "level": "Senior",
             "keywords": ["Python", "SQL", "Apache Airflow", "Snowflake", "dbt"]},
            {"name": "Analytics", "level": "Advanced",
             "keywords": ["Tableau", "statistics", "Excel"]},
            {"name": "Cloud", "keywords": ["AWS", "Docker"]},
        ],
        "languages": [{"language": "English", "fluency": "Native speaker"}],
    }


def job_posting() -> dict:
    """A schema.org JobPosting in the shape of Google's structured-data example."""
    return {
        "@context": "https://schema.org/", "@type": "JobPosting", "title": "Data Engineer",
        "description": "<p>Northwind Analytics is hiring a <strong>Data Engineer</strong> to "
                       "join our platform team.</p><ul><li>Build batch and streaming pipelines "
                       "with Apache Spark</li><li>Model data for dashboards in Tableau</li>"
                       "</ul><p>We value clear communication &amp; curiosity.</p>",
        "identifier": {"@type": "PropertyValue", "name": "Northwind Analytics",
                       "value": "NW-2025-017"},
        "datePosted": "2025-05-02", "validThrough": "2025-07-31T23:59",
        "employmentType": "FULL_TIME",
        "hiringOrganization": {"@type": "Organization", "name": "Northwind Analytics",
                               "sameAs": "https://northwind.example.com"},
        "jobLocation": {"@type": "Place", "address": {
            "@type": "PostalAddress", "addressLocality": "Leeds", "addressCountry": "GB"}},
        "baseSalary": {"@type": "MonetaryAmount", "currency": "GBP", "value": {
            "@type": "QuantitativeValue", "minValue": 55000, "maxValue": 70000,
            "unitText": "YEAR"}},
        "skills": [
            {"@type": "DefinedTerm", "@id": PYTHON_ESCO, "name": "Python",
             "inDefinedTermSet": "http://data.europa.eu/esco/skill"},
            {"@type": "DefinedTerm", "name": "SQL", "termCode": SQL_ESCO,
             "inDefinedTermSet": "http://data.europa.eu/esco/skill"},
            {"@type": "DefinedTerm", "name": "data warehousing"},
        ],
        "qualifications": "Hands-on experience with Apache Kafka and Git.",
        "responsibilities": "<p>Keep our ETL jobs reliable and document them.</p>",
        "experienceRequirements": {"@type": "OccupationalExperienceRequirements",
                                   "monthsOfExperience": 36},
        "educationRequirements": {"@type": "EducationalOccupationalCredential",
                                  "credentialCategory": "bachelor degree"},
    }


def bench_resumes(resolver: SkillResolver, finder: MentionFinder, runs: int = DEFAULT_RUNS,
                  budget_s: float = DEFAULT_BUDGET_S) -> tuple[Timing, int]:
    """``resume_to_candidate`` timing, and how many skills the body holds (a check)."""
    document = resume()

    def work() -> dict:
        # A fresh copy per call, as a request body would be (the copy is timed too).
        return resume_to_candidate(copy.deepcopy(document), external_id=None,
                                   resolver=resolver, finder=finder, today=TODAY).body

    body = work()
    found = len(body.get("skills", [])) + sum(len(e.get("skills", []))
                                               for e in body.get("experience", []))
    if not body.get("experience") or not found:
        raise AssertionError(f"resume import found no skills: {body}")
    return _time_calls(work, runs, budget_s), found


def bench_postings(resolver: SkillResolver, finder: MentionFinder, runs: int = DEFAULT_RUNS,
                   budget_s: float = DEFAULT_BUDGET_S) -> tuple[Timing, int]:
    """``posting_to_job`` timing, and how many requirements the job has (a check)."""
    document = job_posting()

    def work() -> dict:
        return posting_to_job(copy.deepcopy(document), external_id=None, resolver=resolver,
                              finder=finder, today=TODAY).body

    requirements = len(work().get("requirements", []))
    if not requirements:
        raise AssertionError("the JobPosting gave no requirements")
    return _time_calls(work, runs, budget_s), requirements


# -- report ------------------------------------------------------------------------------


def bench_standards(runs: int = DEFAULT_RUNS, budget_s: float = DEFAULT_BUDGET_S) -> None:
    """Print the standards figures (about 8 x ``budget_s`` seconds plus setup)."""
    started = time.perf_counter()
    print(f"\nstandards benchmark (DESIGN.md §4, §6), up to {runs:,} calls or "
          f"{budget_s:g} s each, warm")
    for label, timing in bench_badges(runs, budget_s).items():
        print(f"verify {label:<27}: {timing.per_s:10,.0f} badges/s  "
              f"(median {timing.median_ms:.2f} ms, {len(timing.seconds):,} calls)")
    t0 = time.perf_counter()
    resolver = taxonomy_resolver()
    seconds = time.perf_counter() - t0
    print(f"taxonomy_resolver()               : {seconds:10.3f} s  "
          f"({'built earlier in this process' if seconds < 0.05 else 'load + build'})")
    t0 = time.perf_counter()
    finder = MentionFinder(resolver)
    print(f"MentionFinder build, full taxonomy: {time.perf_counter() - t0:10.3f} s")
    timing, skills = bench_resumes(resolver, finder, runs, budget_s)
    print(f"JSON Resume -> candidate          : {timing.per_s:10,.0f} resumes/s  "
          f"(median {timing.median_ms:.2f} ms; {skills} skills found)")
    timing, requirements = bench_postings(resolver, finder, runs, budget_s)
    print(f"JobPosting -> job                 : {timing.per_s:10,.0f} postings/s  "
          f"(median {timing.median_ms:.2f} ms; {requirements} requirements)")
    print(f"standards benchmark total: {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS,
                        help="timed calls per figure at most")
    parser.add_argument("--budget", type=float, default=DEFAULT_BUDGET_S,
                        help="seconds per figure at most (at least 3 calls)")
    args = parser.parse_args()
    bench_standards(args.runs, args.budget)


if __name__ == "__main__":
    main()
