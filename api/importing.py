"""Use cases behind the importers: documents of a standard in, candidates, jobs and issuers out.

The translation itself lives in :mod:`standards` (pure); these functions
check the translated bodies with the same schemas as the plain endpoints,
find or add issuers, and write through the repositories. Nothing is written
until every document of a request has mapped and validated, and the request
commits once, so a bad document leaves nothing behind.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date

import marshmallow as ma

from api.errors import flatten_messages
from api.intake import (
    IssuerDirectory,
    candidates_from_input,
    job_from_input,
    offering_from_input,
)
from api.repositories.candidates import CandidateRepository
from api.repositories.catalog import OfferingRepository
from api.repositories.issuers import IssuerRepository, name_key
from api.repositories.jobs import JobRepository
from api.schemas.candidates import CandidateInSchema
from api.schemas.catalog import OfferingInSchema
from api.schemas.issuers import IssuerInSchema
from api.schemas.jobs import JobInSchema
from matcher import model
from matcher.errors import InvalidInput
from matcher.mentions import MentionFinder
from matcher.skills import SkillResolver
from standards.ctdl import ctdl_to_registry
from standards.job_posting import posting_to_job
from standards.json_resume import resume_to_candidate
from standards.result import ImportResult

__all__ = ["ResumeItem", "checked", "ensure_issuers", "import_ctdl", "import_job_posting",
           "import_resumes"]


@dataclasses.dataclass(frozen=True)
class ResumeItem:
    """One resume of a request: the document, its external id if given, and where it is."""

    resume: dict
    external_id: str | None
    path: str


def checked(schema: ma.Schema, result: ImportResult, what: str) -> dict:
    """``result.body`` loaded by the endpoint's own schema; errors point into the document."""
    try:
        return schema.load(result.body)
    except ma.ValidationError as error:
        errors: dict[str, list[str]] = {}
        for path, messages in flatten_messages(error.messages).items():
            errors.setdefault(result.document_path(path), []).extend(messages)
        raise InvalidInput(f"The document does not make a valid {what}.", errors) from None


def ensure_issuers(issuers: IssuerRepository, names: Sequence[str]) -> list[model.Issuer]:
    """Add the issuers ``names`` mention that the registry lacks, unreviewed (§3)."""
    known = issuers.by_names(names)
    added: dict[str, model.Issuer] = {}
    for name in names:
        key = name_key(name)
        if key and key not in known and key not in added:
            added[key] = issuers.add({"name": " ".join(name.split())}, reviewed=False)
    return list(added.values())


def import_resumes(items: Sequence[ResumeItem], *, candidates: CandidateRepository,
                   issuers: IssuerRepository, resolver: SkillResolver,
                   finder: MentionFinder) -> list[dict]:
    """Upsert one candidate per resume; a report item per resume, in order."""
    results = [resume_to_candidate(i.resume, external_id=i.external_id, resolver=resolver,
                                   finder=finder, path=i.path) for i in items]
    bodies = [checked(CandidateInSchema(), r, "candidate") for r in results]
    _match_by_email(items, bodies, candidates)
    _reject_duplicates(items, bodies)
    names = [k["issuer"] for b in bodies for k in b["credentials"] if k.get("issuer")]
    added = {name_key(i.name): i for i in ensure_issuers(issuers, names)}
    new = candidates_from_input(bodies, resolver, issuers)
    saved = candidates.save_many(new, keep_badges=True)
    return [{
        "index": index, "external_id": candidate.external_id, "id": candidate_id,
        "status": "created" if created else "updated",
        "issuers_added": sorted({added[key].name for k in candidate.credentials
                                 if k.issuer_name and (key := name_key(k.issuer_name)) in added}),
        "mapped": result.mapped, "unrecognised": result.unrecognised,
    } for index, (candidate, (candidate_id, created), result)
        in enumerate(zip(new, saved, results, strict=True))]


def _match_by_email(items: Sequence[ResumeItem], bodies: list[dict],
                    candidates: CandidateRepository) -> None:
    """A resume without an external id updates the candidate who has its email."""
    emails = [b["email"] for i, b in zip(items, bodies, strict=True)
              if i.external_id is None and b.get("email")]
    owners = candidates.external_ids_by_email(emails)
    for item, body in zip(items, bodies, strict=True):
        if item.external_id is None and body.get("email"):
            body["external_id"] = owners.get(body["email"].lower(), body["external_id"])


def _reject_duplicates(items: Sequence[ResumeItem], bodies: list[dict]) -> None:
    seen: dict[str, str] = {}
    for item, body in zip(items, bodies, strict=True):
        first = seen.setdefault(body["external_id"], item.path or "$")
        if first != (item.path or "$"):
            raise InvalidInput("Two resumes are for the same candidate.", {
                item.path or "$": [f"Same candidate ({body['external_id']!r}) as {first}."]})


def import_job_posting(document: object, *, external_id: str | None, jobs: JobRepository,
                       resolver: SkillResolver, finder: MentionFinder,
                       today: date) -> tuple[model.Job, bool, ImportResult]:
    """Upsert the job a JobPosting or JSON Resume job describes: ``(job, created, report)``."""
    result = posting_to_job(document, external_id=external_id, resolver=resolver,
                            finder=finder, today=today)
    body = checked(JobInSchema(), result, "job")
    job = job_from_input(body, resolver)
    job_id = jobs.id_for_external_id(job.external_id)
    saved = jobs.add(job) if job_id is None else jobs.replace(job_id, job)
    return saved, job_id is None, result


def import_ctdl(document: object, *, issuers: IssuerRepository, catalog: OfferingRepository,
                resolver: SkillResolver) -> dict:
    """Issuers with their accreditations, and catalogue offerings, from a CTDL document."""
    result = ctdl_to_registry(document, resolver=resolver)
    issuer_bodies = [_checked_item(IssuerInSchema(), result, f"issuers.{i}", body, "issuer")
                     for i, body in enumerate(result.body.get("issuers", []))]
    offer_bodies = [_checked_item(OfferingInSchema(), result, f"offerings.{i}", body,
                                  "catalogue offering")
                    for i, body in enumerate(result.body.get("offerings", []))]
    issuer_report = [_upsert_issuer(issuers, body) for body in issuer_bodies]
    directory = IssuerDirectory.for_payload(issuers, offer_bodies)
    offering_report = []
    for index, body in enumerate(offer_bodies):
        offering = offering_from_input(body, resolver, directory)
        existing = catalog.find(offering.issuer_id, offering.name)
        saved = catalog.add(offering) if existing is None else catalog.replace(existing, offering)
        offering_report.append({"index": index, "id": saved.id, "name": saved.name,
                                "issuer_id": saved.issuer_id,
                                "status": "created" if existing is None else "updated"})
    return {"issuers": issuer_report, "offerings": offering_report,
            "mapped": result.mapped, "unrecognised": result.unrecognised}


def _checked_item(schema: ma.Schema, result: ImportResult, body_path: str, body: dict,
                  what: str) -> dict:
    """One item of a body holding several (CTDL's issuers and offerings)."""
    try:
        return schema.load({k: v for k, v in body.items() if k in schema.fields})
    except ma.ValidationError as error:
        errors: dict[str, list[str]] = {}
        for path, messages in flatten_messages(error.messages).items():
            where = result.document_path(f"{body_path}.{path}")
            errors.setdefault(where, []).extend(messages)
        raise InvalidInput(f"The document does not make a valid {what}.", errors) from None


def _upsert_issuer(issuers: IssuerRepository, body: dict) -> dict:
    """Add an unreviewed issuer, or add what the registry does not know yet to one it has."""
    found = issuers.by_names([body["name"]]).get(name_key(body["name"]))
    if found is None:
        added = issuers.add(body, reviewed=False)
        return {"id": added.id, "name": added.name, "status": "created", "reviewed": False}
    known = {(a.accrediting_body.casefold(), a.scope) for a in found.accreditations}
    fresh = [a for a in body.get("accreditations", [])
             if (a["accrediting_body"].casefold(), a.get("scope")) not in known]
    changes: dict = {}
    if fresh:
        changes["accreditations"] = [dataclasses.asdict(a) for a in found.accreditations] + fresh
    for field in ("url", "country", "did"):
        if body.get(field) and not getattr(found, field):
            changes[field] = body[field]
    if changes:
        issuers.update(found.id, changes)
    return {"id": found.id, "name": found.name, "status": "updated" if changes else "unchanged",
            "reviewed": found.reviewed}
