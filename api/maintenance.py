"""Keeping stored data in step with a new taxonomy."""

from __future__ import annotations

from sqlalchemy import inspect, select, update
from sqlalchemy.orm import Session

from api import models
from api.repositories.base import bump_revision
from api.repositories.skills import OrgSkillRepository
from graph.taxonomy import taxonomy_resolver

__all__ = ["reresolve_skills"]

# (table, column holding the name as written, how to reach the organization)
_SKILL_COLUMNS = [
    (models.CredentialSkill, models.CredentialSkill.name,
     lambda q, org: q.join(models.Credential).join(models.Candidate)
     .where(models.Candidate.organization_id == org)),
    (models.ExperienceSkill, models.ExperienceSkill.name,
     lambda q, org: q.join(models.Experience).join(models.Candidate)
     .where(models.Candidate.organization_id == org)),
    (models.OfferingSkill, models.OfferingSkill.name,
     lambda q, org: q.join(models.Offering).where(models.Offering.organization_id == org)),
    (models.Requirement, models.Requirement.skill_name,
     lambda q, org: q.join(models.Job).where(models.Job.organization_id == org)),
]


def reresolve_skills(session: Session, organization_id: int) -> int:
    """Resolve every stored skill name again; returns how many rows changed. Caller commits.

    Names are kept as written precisely so that this is possible after the
    taxonomy, the extension vocabulary or the organization's skills change.
    """
    resolver = taxonomy_resolver().with_skills(OrgSkillRepository(session, organization_id).all())
    changed = 0
    for table, name_column, scope in _SKILL_COLUMNS:
        # Updated by primary key: (owner, position) for the skill lists, id for requirements.
        key = inspect(table).primary_key
        rows = session.execute(scope(select(name_column, table.skill_id, *key),
                                     organization_id)).all()
        names = list({name for name, *_ in rows})
        resolved = {m.input: m.skill_id for m in resolver.resolve_many(names)}
        updates = [{"skill_id": resolved[name],
                    **{column.key: value for column, value in zip(key, ids, strict=True)}}
                   for name, current, *ids in rows if resolved[name] != current]
        if updates:
            session.execute(update(table), updates)
            changed += len(updates)
    if changed:
        # Every candidate may have changed: indexes reload them all.
        revision = bump_revision(session, organization_id)
        session.execute(update(models.Candidate)
                        .where(models.Candidate.organization_id == organization_id)
                        .values(revision=revision),
                        execution_options={"synchronize_session": False})
    return changed
