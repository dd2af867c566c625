"""The set-based candidate paths: COPY (PostgreSQL) and row inserts store the same thing,
a bad row leaves nothing, and the batch loader reads back what the ORM reads."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api import models
from api.repositories.candidate_rows import COPY_MIN_ROWS, ReservedIds, allocate_ids
from api.repositories.candidates import CandidateRepository, candidate_to_domain
from api.repositories.issuers import IssuerRepository
from matcher import model
from tests.conftest import make_tenant

# Text COPY escapes these; a round trip must give them back unchanged.
AWKWARD = "Tab\there, new\nline, back\\slash, quote ' \" and ünïcödé ✓"


def rich(n: int, issuer_id: int) -> model.Candidate:
    refs = (model.SkillRef("SQL", "custom:sql"), model.SkillRef(f"{AWKWARD} {n}", None))
    badge = {"id": f"urn:uuid:{n}", "name": AWKWARD, "nested": {"list": [1, 2.5, None]}}
    return model.Candidate(
        external_id=f"c-{n}", name=f"{AWKWARD} {n}", email=f"c{n}@example.org",
        location="Lyon, FR" if n % 2 else None,
        credentials=(
            model.Credential("BSc Data", model.CredentialKind.DEGREE, refs, issuer_name="U",
                             issuer_id=issuer_id, issued_on=date(2019, 6, 30),
                             level=model.EducationLevel.BACHELOR),
            model.Credential("SQL Badge", model.CredentialKind.BADGE, refs[:1],
                             expires_on=date(2030, 1, 1), badge=badge,
                             verification=model.Verification(
                                 model.VerificationStatus.VERIFIED, "eddsa-rdfc-2022",
                                 datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), AWKWARD))),
        experience=(model.Experience("Analyst", date(2020, 1, 1), None, "Acme", "Retail",
                                     refs),
                    model.Experience("Intern", date(2018, 1, 1), date(2019, 1, 1))),
        skills=refs[::-1])


def without_ids(c: model.Candidate) -> tuple[model.Candidate, list]:
    """The candidate with no ids, and its badges (which equality leaves out)."""
    plain = dataclasses.replace(
        c, id=None, credentials=tuple(dataclasses.replace(k, id=None) for k in c.credentials),
        experience=tuple(dataclasses.replace(e, id=None) for e in c.experience))
    return plain, [k.badge for k in c.credentials]


def test_one_large_write_and_many_small_ones_store_the_same(session: Session) -> None:
    orgs = [make_tenant(session, name).organization_id for name in ("Bulk", "Single")]
    issuers = [IssuerRepository(session, org).add({"name": "U"}).id for org in orgs]
    count = COPY_MIN_ROWS + 20  # enough rows in every table for COPY on PostgreSQL
    bulk, single = (CandidateRepository(session, org) for org in orgs)
    bulk_ids = [cid for cid, _ in bulk.save_many([rich(n, issuers[0]) for n in range(count)])]
    single_ids = [single.save_many([rich(n, issuers[1])])[0][0] for n in range(count)]
    session.commit()

    def read(repo: CandidateRepository, ids: list[int], issuer: int) -> list:
        found = repo.get_many(ids)
        return [without_ids(dataclasses.replace(found[i], credentials=tuple(
            dataclasses.replace(k, issuer_id=k.issuer_id and k.issuer_id - issuer)
            for k in found[i].credentials))) for i in ids]

    expected = [without_ids(rich(n, 0)) for n in range(count)]
    assert read(bulk, bulk_ids, issuers[0]) == expected
    assert read(single, single_ids, issuers[1]) == expected


def test_the_batch_loader_reads_what_the_orm_reads(session: Session) -> None:
    org = make_tenant(session, "Reader").organization_id
    issuer = IssuerRepository(session, org).add({"name": "U"}).id
    repo = CandidateRepository(session, org)
    repo.save_many([rich(n, issuer) for n in range(30)])
    session.commit()
    streamed = list(repo.stream_all(batch=7))
    rows = session.scalars(repo._scoped().order_by(models.Candidate.id)).all()
    assert [without_ids(c) for c in streamed] == [without_ids(candidate_to_domain(r))
                                                  for r in rows]
    assert [c.id for c in streamed] == [r.id for r in rows]
    assert [[k.id for k in c.credentials] for c in streamed] == \
        [[k.id for k in r.credentials] for r in rows]


def test_a_bad_row_in_a_large_write_leaves_nothing(session: Session) -> None:
    org = make_tenant(session, "Failing").organization_id
    repo = CandidateRepository(session, org)
    people = [rich(n, 0) for n in range(500)]
    people = [dataclasses.replace(p, credentials=p.credentials[1:]) for p in people]
    broken = dataclasses.replace(people[250].credentials[0], issuer_id=987654)  # no such issuer
    people[250] = dataclasses.replace(people[250], credentials=(broken,))
    with pytest.raises(IntegrityError):
        repo.save_many(people)
    session.rollback()

    def rows(table: type) -> int:
        return session.scalar(select(func.count()).select_from(table)) or 0

    assert [rows(t) for t in (models.Candidate, models.Credential, models.CredentialSkill,
                              models.Experience, models.ExperienceSkill,
                              models.CandidateSkill)] == [0] * 6
    people[250] = dataclasses.replace(people[250], credentials=())
    assert len(repo.save_many(people)) == 500  # the session works on


def test_ids_reserved_ahead_are_used_first_then_more_are_drawn(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        with pytest.raises(ValueError, match="PostgreSQL only"):
            ReservedIds(session, {models.Candidate: 1})
        return
    org = make_tenant(session, "Reserved").organization_id
    issuer = IssuerRepository(session, org).add({"name": "U"}).id
    reserved = ReservedIds(session, {models.Candidate: 3, models.Credential: 2})
    # Drawn after the reservation: every reserved id is below these.
    (next_candidate,) = allocate_ids(session, models.Candidate, 1)
    (next_credential,) = allocate_ids(session, models.Credential, 1)
    candidates = [rich(n, issuer) for n in range(3)]  # 6 credentials: 2 reserved, 4 drawn
    repo = CandidateRepository(session, org)
    saved = repo.save_many(candidates, reserved=reserved)
    stored = [repo.get(cid) for cid, _ in saved]
    credential_ids = sorted(k.id for c in stored for k in c.credentials)
    assert all(cid < next_candidate for cid, _ in saved)
    assert [kid < next_credential for kid in credential_ids] == [True] * 2 + [False] * 4
    assert [without_ids(c)[0] for c in stored] == [without_ids(c)[0] for c in candidates]
