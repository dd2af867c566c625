"""Loading the demo data set (``fixtures/demo``) into an organization.

The data goes through the same intake and repositories as API requests, so
the demo exercises exactly what an HR system would: the signed Open Badges of
``badges.json`` (built by ``python -m fixtures.build_badges``) are verified
offline by the badge use case, against the demo registry's keys and the status
lists of ``status_lists.json``, as ``POST /candidates/{id}/badges`` would.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api import models
from api.badging import add_badges
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
from api.repositories.status_lists import StatusListRepository
from api.schemas.candidates import CandidateInSchema
from api.schemas.catalog import OfferingInSchema
from api.schemas.issuers import IssuerInSchema
from api.schemas.jobs import JobInSchema
from graph.taxonomy import taxonomy_resolver
from matcher.skills import SkillResolver

__all__ = ["DEMO_DIR", "load_badges", "load_demo", "read_jsonl"]

DEMO_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "demo"


def read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def _batches(items: Iterator[dict], size: int) -> Iterator[list[dict]]:
    while batch := list(islice(items, size)):
        yield batch


def _read_json(path: Path) -> Any:
    """A demo file's JSON, or None when the directory has no such file."""
    return json.loads(path.read_text("utf-8")) if path.exists() else None


def load_badges(session: Session, organization_id: int, resolver: SkillResolver,
                directory: Path = DEMO_DIR, *, now: datetime | None = None) -> Counter[str]:
    """Add ``badges.json``'s badges to the candidates they name, verified as of ``now``.

    One :func:`~api.badging.add_badges` call per candidate, each given the status
    lists of ``status_lists.json``. Returns how many badges came out with each
    verification status. Caller commits.
    """
    entries: list[dict] = _read_json(directory / "badges.json") or []
    lists: dict[str, dict] = _read_json(directory / "status_lists.json") or {}
    held: dict[str, list[int]] = {}
    for index, entry in enumerate(entries):
        held.setdefault(entry["external_id"], []).append(index)
    candidates = CandidateRepository(session, organization_id)
    ids = candidates.ids_by_external_id(list(held))
    if missing := sorted(set(held) - set(ids)):
        raise ValueError(f"badges.json names candidates the demo lacks: {', '.join(missing)}")
    issuers = IssuerRepository(session, organization_id)
    kept = StatusListRepository(session, organization_id)
    moment = now or datetime.now(UTC)
    statuses: Counter[str] = Counter()
    for external_id, indexes in held.items():
        reports = add_badges(
            ids[external_id], [entries[i]["credential"] for i in indexes], lists, {},
            candidates=candidates, issuers=issuers, status_lists=kept, resolver=resolver,
            now=moment, paths=[f"badges.{i}.credential" for i in indexes])
        statuses.update(r["verification"]["status"] for r in reports)
    return statuses


def load_demo(session: Session, organization_id: int, directory: Path = DEMO_DIR) -> dict:
    """Load issuers, catalogue, jobs, candidates and their badges; returns counts, and
    ``badge_statuses`` (how many badges verified, failed, ...). Caller commits."""
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
    statuses = load_badges(session, organization_id, resolver, directory)
    demographics = load_demographics(session, organization_id)
    return {"issuers": len(issuer_bodies), "offerings": len(offerings), "jobs": len(job_bodies),
            "candidates": count, "badges": statuses.total(),
            "badge_statuses": dict(sorted(statuses.items())), "demographics": demographics}


# Self-reported answers for the demo, so the bias-audit page has something to show. Drawn
# per external id (stable across loads) and independent of every profile field.
_SEXES = (("Female", 46), ("Male", 46), ("declined", 8))
_RACES = (("White", 38), ("Hispanic or Latino", 16), ("Black or African American", 13),
          ("Asian", 14), ("Two or More Races", 4), ("Native American or Alaska Native", 2),
          ("Native Hawaiian or Pacific Islander", 1), ("declined", 12))


def _draw(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def load_demographics(session: Session, organization_id: int) -> int:
    """Give nine in ten demo candidates self-reported demographics; returns how many."""
    count = 0
    for candidate_id, external_id in session.execute(
            select(models.Candidate.id, models.Candidate.external_id)
            .where(models.Candidate.organization_id == organization_id)):
        rng = random.Random(f"demo demographics {external_id}")
        if rng.random() < 0.1:
            continue  # never asked: unknown in audits
        session.add(models.Demographics(candidate_id=candidate_id, sex=_draw(rng, _SEXES),
                                        race_ethnicity=_draw(rng, _RACES)))
        count += 1
    session.flush()
    return count

