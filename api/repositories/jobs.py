"""Job repository: jobs with their requirements, tenant-scoped."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api import models
from matcher import model
from matcher.errors import Conflict, NotFound

__all__ = ["JobRepository", "job_to_domain"]


def job_to_domain(row: models.Job) -> model.Job:
    education = None
    if row.education_level:
        education = model.EducationRequirement(
            level=model.EducationLevel(row.education_level),
            experience_in_place_months=row.education_experience_months,
        )
    return model.Job(
        id=row.id,
        external_id=row.external_id,
        title=row.title,
        industry=row.industry,
        description=row.description,
        status=model.JobStatus(row.status),
        requirements=tuple(
            model.Requirement(
                skill=model.SkillRef(r.skill_name, r.skill_id),
                importance=model.Importance(r.importance),
                weight=r.weight,
                min_years=r.min_years,
            )
            for r in row.requirements
        ),
        min_total_years=row.min_total_years,
        education=education,
        policy_overrides=dict(row.policy_overrides or {}),
    )


class JobRepository:
    """The jobs of one organization."""

    def __init__(self, session: Session, organization_id: int):
        self.session = session
        self.organization_id = organization_id

    def _scoped(self):
        return select(models.Job).where(models.Job.organization_id == self.organization_id)

    def _row(self, job_id: int) -> models.Job:
        row = self.session.scalar(self._scoped().where(models.Job.id == job_id))
        if row is None:
            raise NotFound(f"No job {job_id}.")
        return row

    def get(self, job_id: int) -> model.Job:
        return job_to_domain(self._row(job_id))

    def id_for_external_id(self, external_id: str) -> int | None:
        return self.session.scalar(
            select(models.Job.id).where(models.Job.organization_id == self.organization_id,
                                        models.Job.external_id == external_id))

    def list(self, limit: int, offset: int,
             status: model.JobStatus | None = None) -> tuple[list[model.Job], int]:
        query = self._scoped()
        if status is not None:
            query = query.where(models.Job.status == status.value)
        rows = self.session.scalars(query.order_by(models.Job.id).limit(limit).offset(offset))
        total = self.session.scalar(select(func.count()).select_from(query.subquery()))
        return [job_to_domain(r) for r in rows], total or 0

    def add(self, job: model.Job) -> model.Job:
        existing = self.id_for_external_id(job.external_id)
        if existing is not None:
            raise Conflict(f"A job with external_id {job.external_id!r} exists (id {existing}); "
                           "use PUT to replace it.")
        row = models.Job(organization_id=self.organization_id)
        self._assign(row, job)
        self.session.add(row)
        self.session.flush()
        return job_to_domain(row)

    def replace(self, job_id: int, job: model.Job) -> model.Job:
        row = self._row(job_id)
        other = self.id_for_external_id(job.external_id)
        if other is not None and other != job_id:
            raise Conflict(f"external_id {job.external_id!r} belongs to job {other}.")
        self._assign(row, job)
        self.session.flush()
        return job_to_domain(row)

    def delete(self, job_id: int) -> None:
        self.session.delete(self._row(job_id))
        self.session.flush()

    @staticmethod
    def _assign(row: models.Job, job: model.Job) -> None:
        row.external_id = job.external_id
        row.title = job.title
        row.industry = job.industry
        row.description = job.description
        row.status = job.status.value
        row.min_total_years = job.min_total_years
        row.education_level = job.education.level.value if job.education else None
        row.education_experience_months = (
            job.education.experience_in_place_months if job.education else None)
        row.policy_overrides = dict(job.policy_overrides)
        row.requirements = [
            models.Requirement(position=pos, skill_name=r.skill.name, skill_id=r.skill.skill_id,
                               importance=r.importance.value, weight=r.weight,
                               min_years=r.min_years)
            for pos, r in enumerate(job.requirements)
        ]
