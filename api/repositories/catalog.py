"""Credential catalogue repository (upskilling offerings), tenant-scoped."""

from __future__ import annotations

from api import models
from api.repositories.base import TenantRepository, bump_revision
from matcher import model

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


class OfferingRepository(TenantRepository[models.Offering, model.CredentialOffering]):
    """The credential catalogue of one organization."""

    model = models.Offering
    noun = "catalogue offering"

    def to_domain(self, row: models.Offering) -> model.CredentialOffering:
        return offering_to_domain(row)

    def add(self, offering: model.CredentialOffering) -> model.CredentialOffering:
        bump_revision(self.session, self.organization_id)  # gaps and advice change
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

    def delete(self, row_id: int) -> None:
        bump_revision(self.session, self.organization_id)
        super().delete(row_id)
