"""Per-request wiring: repositories and the skill resolver for the caller's organization."""

from __future__ import annotations

from flask import g

from api.auth import current_principal
from api.db import get_session
from api.repositories.candidates import CandidateRepository
from api.repositories.catalog import OfferingRepository
from api.repositories.issuers import IssuerRepository
from api.repositories.jobs import JobRepository
from api.repositories.organizations import OrganizationRepository
from graph.taxonomy import load_vocabulary
from matcher.skills import SkillResolver

__all__ = ["candidates", "catalog", "commit", "issuers", "jobs", "skill_resolver"]


def _org() -> int:
    return current_principal().organization_id


def issuers() -> IssuerRepository:
    return IssuerRepository(get_session(), _org())


def candidates() -> CandidateRepository:
    return CandidateRepository(get_session(), _org())


def jobs() -> JobRepository:
    return JobRepository(get_session(), _org())


def catalog() -> OfferingRepository:
    return OfferingRepository(get_session(), _org())


def skill_resolver() -> SkillResolver:
    """The organization's own skills first, then the shared taxonomy."""
    if "skill_resolver" not in g:
        own = OrganizationRepository(get_session()).skills(_org())
        g.skill_resolver = SkillResolver([*own, *load_vocabulary()])
    return g.skill_resolver


def commit() -> None:
    get_session().commit()
