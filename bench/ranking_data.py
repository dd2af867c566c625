"""The ranking benchmark's workload: generated candidates as domain values, a job, issuers.

Candidates come from :func:`fixtures.generate.generate_candidates` (seed fixed) and go
through the same intake function the API uses (:func:`api.intake.candidate_from_input`),
with every distinct skill name resolved once over the full taxonomy and credential
issuers matched case-insensitively against the demo registry (unknown names stay
unknown). Ids are 1..N in generation order, so the first k candidates of a run are the
workload of size k.

The same pass extracts, per (candidate, skill), the evidence the SQL baseline and the
scipy floor rank on, computed with the reference functions of :mod:`matcher.evidence`
(not with the index, so the SQL ranking is an independent check of it).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import islice

import numpy as np

from api.intake import IssuerDirectory, candidate_from_input, job_from_input, skill_names
from api.repositories.issuers import name_key
from fixtures.generate import ISSUERS_PATH, REFERENCE_DATE, generate_candidates
from graph.taxonomy import taxonomy_resolver
from matcher import model
from matcher.evidence import credential_factors, experience_strength, experience_time
from matcher.policy import DEFAULT_POLICY
from matcher.skills import ResolvedNames

__all__ = ["AS_OF", "SEED", "Evidence", "Workload", "benchmark_job", "demo_issuers",
           "load_workload"]

SEED = 7
AS_OF: date = REFERENCE_DATE
CATALOG_PATH = ISSUERS_PATH.parent / "catalog.json"
_CHUNK = 10_000

# An analytics-engineer job over the data-analysis and software fields: 7 required and
# 13 preferred skills, written the way a recruiter would (aliases, lower case).
JOB_BODY = {
    "external_id": "BENCH-JOB-1",
    "title": "Analytics Engineer",
    "industry": "Software",
    "requirements": [
        {"skill": "SQL", "importance": "required", "min_years": 3},
        {"skill": "Python", "importance": "required", "min_years": 2},
        {"skill": "data analysis", "importance": "required"},
        {"skill": "data visualisation", "importance": "required"},
        {"skill": "data modelling", "importance": "required", "min_years": 1},
        {"skill": "statistical analysis", "importance": "required"},
        {"skill": "Power BI", "importance": "required"},
        {"skill": "Microsoft Excel", "importance": "preferred"},
        {"skill": "Tableau", "importance": "preferred"},
        {"skill": "pandas", "importance": "preferred", "min_years": 1},
        {"skill": "R programming", "importance": "preferred"},
        {"skill": "data cleaning", "importance": "preferred"},
        {"skill": "ETL", "importance": "preferred", "min_years": 2},
        {"skill": "dbt", "importance": "preferred"},
        {"skill": "Apache Spark", "importance": "preferred"},
        {"skill": "data warehousing", "importance": "preferred"},
        {"skill": "Git", "importance": "preferred"},
        {"skill": "Docker", "importance": "preferred"},
        {"skill": "REST APIs", "importance": "preferred"},
        {"skill": "communication", "importance": "preferred"},
    ],
}


def demo_issuers() -> list[model.Issuer]:
    """The demo registry as reviewed domain issuers with ids 1..k (as the issuers API makes)."""
    issuers = []
    for number, body in enumerate(json.loads(ISSUERS_PATH.read_text("utf-8")), start=1):
        issuers.append(model.Issuer(
            id=number, name=body["name"], url=body.get("url"), country=body.get("country"),
            industry_recognized=bool(body.get("industry_recognized")), reviewed=True,
            accreditations=tuple(model.Accreditation(
                accrediting_body=a["accrediting_body"],
                status=model.AccreditationStatus(a["status"]),
                valid_from=_day(a.get("valid_from")), valid_until=_day(a.get("valid_until")),
                scope=a.get("scope")) for a in body.get("accreditations", ()))))
    return issuers


def demo_offerings(names: ResolvedNames, issuers: list[model.Issuer]
                   ) -> list[model.CredentialOffering]:
    """The demo catalogue, for the gap advice in explanations."""
    from api.intake import offering_from_input

    directory = IssuerDirectory({name_key(i.name): i for i in issuers}, {})
    out = []
    for number, body in enumerate(json.loads(CATALOG_PATH.read_text("utf-8")), start=1):
        offering = offering_from_input(body, names.resolver, directory)
        out.append(replace(offering, id=number))
    return out


def benchmark_job() -> model.Job:
    """The 20-requirement job, built through the API's intake function."""
    return job_from_input(JOB_BODY, taxonomy_resolver())


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


class _Dates(dict):
    """ISO date text -> date, each distinct text parsed once."""

    def __missing__(self, key: str) -> date:
        value = self[key] = date.fromisoformat(key)
        return value


def _validated(body: dict, dates: _Dates) -> dict:
    """The body as the API's schema hands it to intake: dates as ``date`` values."""
    out = dict(body)
    if "credentials" in body:
        out["credentials"] = [
            {**c, "issued_on": dates[c["issued_on"]] if c.get("issued_on") else None,
             "expires_on": dates[c["expires_on"]] if c.get("expires_on") else None}
            for c in body["credentials"]]
    if "experience" in body:
        out["experience"] = [
            {**e, "start_date": dates[e["start_date"]],
             "end_date": dates[e["end_date"]] if e.get("end_date") else None}
            for e in body["experience"]]
    return out


@dataclass
class Evidence:
    """Per (candidate, skill) evidence, as parallel arrays (skill = column number).

    Credential rows hold max c_k over the candidate's credentials certifying the skill;
    experience rows hold the years, the gap and e_t without the min_years factor.
    """

    skill_ids: list[str] = field(default_factory=list)
    cred: list[tuple[np.ndarray, ...]] = field(default_factory=list)
    exp: list[tuple[np.ndarray, ...]] = field(default_factory=list)
    _column: dict[str, int] = field(default_factory=dict)

    def column(self, skill_id: str) -> int:
        found = self._column.get(skill_id)
        if found is None:
            found = self._column[skill_id] = len(self.skill_ids)
            self.skill_ids.append(skill_id)
        return found

    def credential_rows(self, limit: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(candidate id, column, strength) for candidates with id <= limit."""
        return _upto(self.cred, limit)  # type: ignore[return-value]

    def experience_rows(self, limit: int) -> tuple[np.ndarray, ...]:
        """(candidate id, column, years, gap, strength) for candidates with id <= limit."""
        return _upto(self.exp, limit)


def _upto(chunks: list[tuple[np.ndarray, ...]], limit: int) -> tuple[np.ndarray, ...]:
    """The chunks' columns joined, rows of candidates with id <= limit (ids ascend)."""
    columns = [np.concatenate(parts) for parts in zip(*chunks, strict=True)]
    end = int(np.searchsorted(columns[0], limit, side="right"))
    return tuple(c[:end] for c in columns)


def _extract(candidate: model.Candidate, issuers: dict[int, model.Issuer],
             evidence: Evidence, cred: list, exp: list) -> None:
    """Append the candidate's per-skill evidence rows (reference formulas)."""
    policy, cid = DEFAULT_POLICY, candidate.id
    best: dict[int, float] = {}
    for credential in candidate.credentials:
        issuer = issuers.get(credential.issuer_id) if credential.issuer_id else None
        strength = credential_factors(credential, issuer, AS_OF, policy).strength
        for ref in credential.skills:
            if ref.skill_id:
                col = evidence.column(ref.skill_id)
                best[col] = max(best.get(col, 0.0), strength)
    cred.extend((cid, col, value) for col, value in best.items())
    roles: dict[str, list[model.Experience]] = defaultdict(list)
    for role in candidate.experience:
        for skill_id in {r.skill_id for r in role.skills if r.skill_id}:
            roles[skill_id].append(role)
    for skill_id, held in roles.items():
        years, gap = experience_time(held, AS_OF)  # type: ignore[misc]
        exp.append((cid, evidence.column(skill_id), years, gap,
                    experience_strength(years, gap, None, policy)))


@dataclass
class Workload:
    candidates: list[model.Candidate]
    issuers: list[model.Issuer]
    offerings: list[model.CredentialOffering]
    job: model.Job
    names: ResolvedNames
    evidence: Evidence
    distinct_names: int = 0


def load_workload(n: int, progress: bool = False) -> Workload:
    """N generated candidates as domain values (ids 1..N) plus their evidence rows."""
    resolver = taxonomy_resolver()
    issuers = demo_issuers()
    by_id = {i.id: i for i in issuers}
    directory = IssuerDirectory({name_key(i.name): i for i in issuers}, {})
    names = ResolvedNames(resolver, [])
    distinct: set[str] = set()
    dates, evidence = _Dates(), Evidence()
    candidates: list[model.Candidate] = []
    stream: Iterator[dict] = iter(generate_candidates(n, seed=SEED))
    while chunk := list(islice(stream, _CHUNK)):
        fresh = set(skill_names(chunk)) - distinct
        names.refs(sorted(fresh))  # each distinct name resolved once, in one batch per chunk
        distinct |= fresh
        cred: list = []
        exp: list = []
        for body in chunk:
            candidate = candidate_from_input(_validated(body, dates), names, directory)
            candidate = replace(candidate, id=len(candidates) + 1)
            candidates.append(candidate)
            _extract(candidate, by_id, evidence, cred, exp)
        evidence.cred.append(_arrays(cred, (np.int64, np.int32, np.float64)))
        evidence.exp.append(_arrays(exp, (np.int64, np.int32, np.float64, np.float64,
                                          np.float64)))
        if progress and len(candidates) % 100_000 == 0:
            print(f"  ... {len(candidates):,} candidates", flush=True)
    return Workload(candidates, issuers, demo_offerings(names, issuers), benchmark_job(),
                    names, evidence, len(distinct))


def _arrays(rows: list[tuple], dtypes: tuple) -> tuple[np.ndarray, ...]:
    if not rows:
        return tuple(np.empty(0, dtype=d) for d in dtypes)
    return tuple(np.asarray(col, dtype=d) for col, d in zip(zip(*rows, strict=True), dtypes,
                                                            strict=True))
