"""Credential catalogue repository (upskilling offerings), tenant-scoped."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api import models
from matcher import model
from matcher.errors import NotFound

__all__ = ["OfferingRepository", "offering_to_domain"]


def offering_to_domain(row: models.Offering) -> model.CredentialOffering:
    return model.CredentialOffering(
        id=row.id,
        name=row.name,
        kind=model.CredentialKind(row.kind),
        issuer_id=row.issuer_id,
        skills=tuple(model.SkillRef(s.name, s.skill_id) for s in row.skills),
        duration_weeks=row.duration_weeks,
        cost=row.cost,
        currency=row.currency,
        delivery=model.Delivery(row.delivery),
        url=row.url,
    )


class OfferingRepository:
    """The credential catalogue of one organization."""

    def __init__(self, session: Session, organization_id: int):
        self.session = session
        self.organization_id = organization_id

    def _scoped(self):
        return select(models.Offering).where(
            models.Offering.organization_id == self.organization_id)

    def _row(self, offering_id: int) -> models.Offering:
        row = self.session.scalar(self._scoped().where(models.Offering.id == offering_id))
        if row is None:
            raise NotFound(f"No catalogue offering {offering_id}.")
        return row

    def get(self, offering_id: int) -> model.CredentialOffering:
        return offering_to_domain(self._row(offering_id))

    def list(self, limit: int, offset: int) -> tuple[list[model.CredentialOffering], int]:
        rows = self.session.scalars(
            self._scoped().order_by(models.Offering.id).limit(limit).offset(offset))
        total = self.session.scalar(
            select(func.count()).select_from(models.Offering)
            .where(models.Offering.organization_id == self.organization_id))
        return [offering_to_domain(r) for r in rows], total or 0

    def add(self, offering: model.CredentialOffering) -> model.CredentialOffering:
        row = models.Offering(
            organization_id=self.organization_id,
            issuer_id=offering.issuer_id,
            name=offering.name,
            kind=offering.kind.value,
            duration_weeks=offering.duration_weeks,
            cost=offering.cost,
            currency=offering.currency,
            delivery=offering.delivery.value,
            url=offering.url,
            skills=[models.OfferingSkill(position=pos, name=s.name, skill_id=s.skill_id)
                    for pos, s in enumerate(offering.skills)],
        )
        self.session.add(row)
        self.session.flush()
        return offering_to_domain(row)

    def delete(self, offering_id: int) -> None:
        self.session.delete(self._row(offering_id))
        self.session.flush()
