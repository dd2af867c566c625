"""Job repository: jobs with their requirements, tenant-scoped."""

from __future__ import annotations

from sqlalchemy import select

from api import models
from api.repositories.base import TenantRepository
from matcher import model
from matcher.errors import Conflict

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
                to_confirm=r.to_confirm,
            )
            for r in row.requirements
        ),
        min_total_years=row.min_total_years,
        education=education,
        policy_overrides=dict(row.policy_overrides or {}),
    )


class JobRepository(TenantRepository[models.Job, model.Job]):
    """The jobs of one organization."""

    model = models.Job
    noun = "job"

    def to_domain(self, row: models.Job) -> model.Job:
        return job_to_domain(row)

    def id_for_external_id(self, external_id: str) -> int | None:
        return self.session.scalar(
            select(models.Job.id).where(models.Job.organization_id == self.organization_id,
                                        models.Job.external_id == external_id))

    def list_jobs(self, limit: int, offset: int,
                  status: model.JobStatus | None = None) -> tuple[list[model.Job], int]:
        filters = [] if status is None else [models.Job.status == status.value]
        return self.list(limit, offset, *filters)

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
                               min_years=r.min_years, to_confirm=r.to_confirm)
            for pos, r in enumerate(job.requirements)
        ]
