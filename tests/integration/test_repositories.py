"""Repositories return domain objects and never cross organizations."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api import models
from api.repositories.candidates import CandidateRepository
from api.repositories.catalog import OfferingRepository
from api.repositories.issuers import IssuerRepository
from api.repositories.jobs import JobRepository
from matcher import model
from matcher.errors import Conflict, NotFound
from tests.conftest import make_tenant


def candidate(external_id: str, *, issuer_id: int | None = None,
              skills: tuple[str, ...] = ("SQL",)) -> model.Candidate:
    refs = tuple(model.SkillRef(s, f"custom:{s.lower()}") for s in skills)
    return model.Candidate(
        external_id=external_id, name=f"Person {external_id}",
        credentials=(model.Credential("Analytics", model.CredentialKind.MICRO_CREDENTIAL, refs,
                                      issuer_name="Northbridge", issuer_id=issuer_id,
                                      issued_on=date(2024, 3, 1)),),
        experience=(model.Experience("Analyst", date(2020, 1, 1), None, skills=refs),),
    )


def test_save_many_upserts_by_external_id_and_returns_domain_objects(session: Session) -> None:
    org = make_tenant(session, "A").organization_id
    repo = CandidateRepository(session, org)
    first = repo.save_many([candidate("a"), candidate("b")])
    assert [created for _, created in first] == [True, True]
    again = repo.save_many([candidate("b", skills=("Python", "SQL")), candidate("c")])
    assert again[0] == (first[1][0], False)
    assert again[1][1] is True
    b = repo.get(first[1][0])
    assert isinstance(b, model.Candidate)
    assert [s.name for s in b.credentials[0].skills] == ["Python", "SQL"]
    assert b.experience[0].is_current
    # replaced, not appended: one credential row for b
    assert len(b.credentials) == 1
    assert repo.count() == 3


def test_children_are_removed_with_their_candidate(session: Session) -> None:
    org = make_tenant(session, "A").organization_id
    repo = CandidateRepository(session, org)
    ((cid, _),) = repo.save_many([candidate("a")])
    repo.delete(cid)
    session.flush()
    for table in (models.Credential, models.CredentialSkill, models.Experience,
                  models.ExperienceSkill):
        assert session.scalar(select(func.count()).select_from(table)) == 0


def test_repositories_are_scoped_to_their_organization(session: Session) -> None:
    a = make_tenant(session, "A").organization_id
    b = make_tenant(session, "B").organization_id
    ((cid, _),) = CandidateRepository(session, a).save_many([candidate("same")])
    other = CandidateRepository(session, b)
    with pytest.raises(NotFound):
        other.get(cid)
    with pytest.raises(NotFound):
        other.delete(cid)
    assert other.list(50, 0) == ([], 0)
    # the same external id is free in another organization
    ((other_id, created),) = other.save_many([candidate("same")])
    assert created and other_id != cid
    issuer = IssuerRepository(session, a).add({"name": "Northbridge"})
    assert IssuerRepository(session, b).by_ids([issuer.id]) == {}
    assert IssuerRepository(session, b).by_names(["northbridge"]) == {}


def test_issuer_names_are_unique_case_insensitively(session: Session) -> None:
    org = make_tenant(session, "A").organization_id
    issuers = IssuerRepository(session, org)
    issuers.add({"name": "Northbridge Institute"})
    with pytest.raises(Conflict):
        issuers.add({"name": "  NORTHBRIDGE   institute "})
    assert set(issuers.by_names(["northbridge institute"])) == {"northbridge institute"}


def test_deleting_an_issuer_leaves_unknown_issuer_credentials(session: Session) -> None:
    org = make_tenant(session, "A").organization_id
    issuer = IssuerRepository(session, org).add({"name": "Northbridge"})
    repo = CandidateRepository(session, org)
    ((cid, _),) = repo.save_many([candidate("a", issuer_id=issuer.id)])
    IssuerRepository(session, org).delete(issuer.id)
    credential = repo.get(cid).credentials[0]
    assert (credential.issuer_id, credential.issuer_name) == (None, "Northbridge")


def test_jobs_round_trip_requirements_in_order(session: Session) -> None:
    org = make_tenant(session, "A").organization_id
    job = model.Job(
        external_id="J1", title="Data analyst",
        requirements=(
            model.Requirement(model.SkillRef("SQL", "custom:sql"), model.Importance.REQUIRED,
                              2.0, 2),
            model.Requirement(model.SkillRef("Looker", None), model.Importance.PREFERRED, 1.0),
        ),
        education=model.EducationRequirement(model.EducationLevel.BACHELOR, 48),
        policy_overrides={"mode": "soft"},
    )
    saved = JobRepository(session, org).add(job)
    loaded = JobRepository(session, org).get(saved.id)
    assert loaded.requirements == job.requirements
    assert loaded.education == job.education
    assert loaded.policy_overrides == {"mode": "soft"}
    with pytest.raises(Conflict):
        JobRepository(session, org).add(job)


def test_replacing_an_offerings_skills_rewrites_the_list_in_place(session: Session) -> None:
    """Skill rows are keyed by (owner, position): a new list reuses the old keys."""
    org = make_tenant(session, "A").organization_id
    issuer = IssuerRepository(session, org).add({"name": "Northbridge"})
    catalog = OfferingRepository(session, org)
    sql, python, looker = (model.SkillRef(n, None) for n in ("SQL", "Python", "Looker"))
    saved = catalog.add(model.CredentialOffering(0, "Analytics", model.CredentialKind.CERTIFICATION,
                                                 issuer.id, skills=(sql, python)))
    for skills in [(python, sql, looker), (looker,), (), (sql, python)]:
        catalog.replace(saved, dataclasses.replace(saved, skills=skills))
        session.expire_all()
        assert catalog.get(saved.id).skills == skills
