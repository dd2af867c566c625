"""Organization skills: an organization's additions to the shared taxonomy."""

from __future__ import annotations

from sqlalchemy import func, select

from api import models
from api.repositories.base import TenantRepository, bump_revision
from matcher import model

__all__ = ["OrgSkillRepository", "org_skill_to_domain"]


def org_skill_to_domain(row: models.OrgSkill) -> model.Skill:
    return model.Skill(
        id=row.skill_id, label=row.label, kind=model.SkillKind(row.kind),
        aliases=tuple(row.aliases or ()), broader=tuple(row.broader or ()),
        related=tuple(row.related or ()), description=row.description,
        source=model.SkillSource.ORGANIZATION)


class OrgSkillRepository(TenantRepository[models.OrgSkill, model.Skill]):
    """The skills one organization added."""

    model = models.OrgSkill
    noun = "skill"

    def to_domain(self, row: models.OrgSkill) -> model.Skill:
        return org_skill_to_domain(row)

    def version(self) -> tuple[int, object]:
        """Changes whenever a skill is added or changed (for caches)."""
        count, latest = self.session.execute(
            select(func.count(), func.max(models.OrgSkill.updated_at))
            .where(self._tenant())).one()
        return int(count), latest

    def by_skill_id(self, skill_id: str) -> model.Skill | None:
        row = self.session.scalar(self._scoped().where(models.OrgSkill.skill_id == skill_id))
        return None if row is None else self.to_domain(row)

    def add(self, skill: model.Skill) -> model.Skill:
        bump_revision(self.session, self.organization_id)  # proximity changes
        row = models.OrgSkill(
            organization_id=self.organization_id, skill_id=skill.id, label=skill.label,
            kind=skill.kind.value, description=skill.description, aliases=list(skill.aliases),
            broader=list(skill.broader), related=list(skill.related))
        self.session.add(row)
        self.session.flush()
        return self.to_domain(row)
