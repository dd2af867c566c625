"""The load test's data set: a migrated database with one populated organization.

The organization is filled through the product's own bulk path (``POST
/api/v1/candidates/bulk`` in batches of 1,000, served in-process by the Flask app:
schema validation, skill resolution, issuer matching, ``CandidateRepository.save_many``),
with the demo issuer registry and catalogue, so rankings see accreditations and gap
advice as a real tenant's would. Populating 100,000 candidates takes minutes, so a
database that already holds the organization with every generated candidate is reused;
an interrupted population resumes (the bulk path upserts by external id).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import Engine, func, make_url, select, text
from sqlalchemy.orm import Session

from api import create_app, models
from api.db import make_engine
from api.migrate import upgrade
from api.postgres import analyze_candidates
from api.repositories.organizations import SCOPES, OrganizationRepository
from fixtures.generate import ISSUERS_PATH, generate_candidates

__all__ = ["BATCH", "LOAD_PREFIX", "LOCAL_HOSTS", "Dataset", "check_local", "database_size",
           "generated_prefix", "prepare", "revoke_key"]

BATCH = 1000  # the bulk endpoint's maximum
LOAD_PREFIX = "LOAD-"  # external ids of the candidates the load's writes create
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
CATALOG_PATH = ISSUERS_PATH.parent / "catalog.json"
Log = Callable[[str], None]


@dataclass(frozen=True)
class Dataset:
    """What the load needs to know about the populated organization."""

    database_url: str
    organization_id: int
    organization: str
    api_key: str
    key_id: int
    candidate_ids: tuple[int, ...]
    populate_seconds: float | None  # None: reused as it was

    @property
    def size(self) -> int:
        return len(self.candidate_ids)


def generated_prefix(seed: int) -> str:
    """External ids of :func:`fixtures.generate.generate_candidates` with this seed."""
    return f"GEN-{seed}-"


def check_local(url: str) -> None:
    """The benchmark loads only a database on this machine (or a SQLite file)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" and (parsed.host or "127.0.0.1") not in LOCAL_HOSTS:
        raise SystemExit(f"refusing database host {parsed.host!r}: the load test runs "
                         "against this machine only (127.0.0.1)")


def database_size(url: str) -> int:
    """Bytes the database takes on disk (PostgreSQL: pg_database_size; SQLite: its file,
    without the write-ahead log, which holds pages on their way into it)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        return path.stat().st_size if path.exists() else 0
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(text("SELECT pg_database_size(current_database())")))
    finally:
        engine.dispose()


def prepare(url: str, size: int, seed: int, log: Log = print) -> Dataset:
    """Migrate, find or create the organization, populate it; a fresh key for this run."""
    check_local(url)
    upgrade(url)
    name = f"Load test: {size} candidates, seed {seed}"
    # In-process, only to populate: no limiter, and no access line per bulk call.
    app = create_app({"DATABASE_URL": url, "RATELIMIT_ENABLED": False, "LOG_LEVEL": "WARNING"})
    engine = app.extensions["talentmatch.engine"]
    try:
        with Session(engine) as session:
            orgs = OrganizationRepository(session)
            org_id = orgs.find(name) or orgs.create(name)
            key = orgs.issue_key(org_id, SCOPES, name="bench-load")
            session.commit()
        client = app.test_client()
        headers = {"Authorization": f"Bearer {key.plaintext}"}
        stored = _generated_count(engine, org_id, seed)
        seconds = None
        if stored < size:
            started = time.perf_counter()
            _registry(client, headers)
            _populate(client, headers, size, seed, stored, log)
            seconds = time.perf_counter() - started
        else:
            log(f"reusing organization {org_id} ({name!r}): {stored} generated candidates")
        _remove_leftovers(engine, client, headers, org_id, log)
        with Session(engine) as session:  # as `talentmatch candidates import` does
            analyze_candidates(session)
            session.commit()
        with Session(engine) as session:
            ids = tuple(session.scalars(select(models.Candidate.id).where(
                models.Candidate.organization_id == org_id,
                models.Candidate.external_id.startswith(generated_prefix(seed)))
                .order_by(models.Candidate.id)))
    finally:
        engine.dispose()
    return Dataset(url, org_id, name, key.plaintext, key.id, ids, seconds)


def revoke_key(url: str, key_id: int) -> None:
    """Each run issues its own key; revoke it afterwards so keys do not pile up."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            OrganizationRepository(session).revoke_key(key_id)
            session.commit()
    finally:
        engine.dispose()


def _generated_count(engine: Engine, org_id: int, seed: int) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(models.Candidate).where(
            models.Candidate.organization_id == org_id,
            models.Candidate.external_id.startswith(generated_prefix(seed)))) or 0


def _remove_leftovers(engine: Engine, client: FlaskClient, headers: dict, org_id: int,
                      log: Log) -> None:
    """Candidates an interrupted earlier run created (``LOAD-`` ids), deleted via the API."""
    with Session(engine) as session:
        ids = session.scalars(select(models.Candidate.id).where(
            models.Candidate.organization_id == org_id,
            models.Candidate.external_id.startswith(LOAD_PREFIX))).all()
    for candidate_id in ids:
        reply = client.delete(f"/api/v1/candidates/{candidate_id}", headers=headers)
        if reply.status_code != 204:
            raise RuntimeError(f"DELETE /candidates/{candidate_id}: {reply.status_code}")
    if ids:
        log(f"deleted {len(ids)} candidates left by an interrupted earlier run")


def _registry(client: FlaskClient, headers: dict) -> None:
    """The demo issuers (409: already there) and catalogue (once), through the API."""
    for body in json.loads(ISSUERS_PATH.read_text("utf-8")):
        reply = client.post("/api/v1/issuers", json=body, headers=headers)
        if reply.status_code not in (201, 409):
            raise RuntimeError(f"POST /issuers: {reply.status_code} {reply.get_data(True)}")
    if client.get("/api/v1/catalog?limit=1", headers=headers).get_json()["total"]:
        return
    for body in json.loads(CATALOG_PATH.read_text("utf-8")):
        reply = client.post("/api/v1/catalog", json=body, headers=headers)
        if reply.status_code != 201:
            raise RuntimeError(f"POST /catalog: {reply.status_code} {reply.get_data(True)}")


def _populate(client: FlaskClient, headers: dict, size: int, seed: int, stored: int,
              log: Log) -> None:
    """Bulk-upsert the generated candidates, resuming after the batches already stored."""
    skip = stored // BATCH * BATCH  # batches commit whole, so these are all present
    log(f"populating {size - skip} candidates through POST /candidates/bulk "
        f"({BATCH} a call; {skip} already stored)")
    stream = islice(generate_candidates(size, seed=seed), skip, None)
    started, done = time.perf_counter(), skip
    step = max(BATCH, size // 10 // BATCH * BATCH)
    while batch := list(islice(stream, BATCH)):
        reply = client.post("/api/v1/candidates/bulk", json={"candidates": batch},
                            headers=headers)
        if reply.status_code != 200:
            raise RuntimeError(f"bulk import: {reply.status_code} {reply.get_data(True)[:2000]}")
        done += len(batch)
        if done % step == 0 or done == size:
            rate = (done - skip) / (time.perf_counter() - started)
            log(f"  {done:>9,} / {size:,} candidates ({rate:,.0f}/s)")

