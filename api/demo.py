"""Loading the demo data set (``fixtures/demo``) into an organization.

The data goes through the same intake and repositories as API requests, so
the demo exercises exactly what an HR system would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from sqlalchemy.orm import Session

from api.intake import (
    IssuerDirectory,
    candidates_from_input,
    job_from_input,
    offering_from_input,
)
from api.repositories.candidates import CandidateRepository
from api.repositories.catalog import OfferingRepository
from api.repositories.issuers import IssuerRepository
from api.repositories.jobs import JobRepository
from api.repositories.skills import OrgSkillRepository
from api.schemas.candidates import CandidateInSchema
from api.schemas.catalog import OfferingInSchema
from api.schemas.issuers import IssuerInSchema
from api.schemas.jobs import JobInSchema
from graph.taxonomy import taxonomy_resolver

__all__ = ["DEMO_DIR", "load_demo", "read_jsonl"]

DEMO_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "demo"


def read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def _batches(items: Iterator[dict], size: int) -> Iterator[list[dict]]:
    while batch := list(islice(items, size)):
        yield batch


def load_demo(session: Session, organization_id: int, directory: Path = DEMO_DIR) -> dict:
    """Load issuers, catalogue, jobs and candidates; returns counts. Caller commits."""
    resolver = taxonomy_resolver().with_skills(
        OrgSkillRepository(session, organization_id).all())
    issuers = IssuerRepository(session, organization_id)
    issuer_bodies = json.loads((directory / "issuers.json").read_text("utf-8"))
    for body in issuer_bodies:
        issuers.add(IssuerInSchema().load(body))
    offerings = [OfferingInSchema().load(b)
                 for b in json.loads((directory / "catalog.json").read_text("utf-8"))]
    known = IssuerDirectory.for_payload(issuers, offerings)
    catalog = OfferingRepository(session, organization_id)
    for body in offerings:
        catalog.add(offering_from_input(body, resolver, known))
    jobs = JobRepository(session, organization_id)
    job_bodies = json.loads((directory / "jobs.json").read_text("utf-8"))
    for body in job_bodies:
        jobs.add(job_from_input(JobInSchema().load(body), resolver))
    candidates = CandidateRepository(session, organization_id)
    count = 0
    for batch in _batches(read_jsonl(directory / "candidates.jsonl"), 500):
        bodies = CandidateInSchema(many=True).load(batch)
        candidates.save_many(candidates_from_input(bodies, resolver, issuers))
        count += len(bodies)
    return {"issuers": len(issuer_bodies),
            "offerings": len(offerings), "jobs": len(job_bodies), "candidates": count}
