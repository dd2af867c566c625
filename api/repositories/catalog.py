"""Credential catalogue repository (upskilling offerings), tenant-scoped."""

from __future__ import annotations

from sqlalchemy import func

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

    def find(self, issuer_id: int, name: str) -> model.CredentialOffering | None:
        """The issuer's offering of that name (any case), if the catalogue has one."""
        row = self.session.scalar(self._scoped().where(
            models.Offering.issuer_id == issuer_id,
            func.lower(models.Offering.name) == name.lower()).order_by(models.Offering.id))
        return None if row is None else offering_to_domain(row)

    def add(self, offering: model.CredentialOffering) -> model.CredentialOffering:
        row = models.Offering(organization_id=self.organization_id)
        return self._save(row, offering)

    def replace(self, existing: model.CredentialOffering,
                offering: model.CredentialOffering) -> model.CredentialOffering:
        """Overwrite ``existing`` with ``offering``, keeping its id."""
        return self._save(self._row(existing.id), offering)

    def _save(self, row: models.Offering,
              offering: model.CredentialOffering) -> model.CredentialOffering:
        bump_revision(self.session, self.organization_id)  # gaps and advice change
        row.issuer_id = offering.issuer_id
        row.name = offering.name
        row.kind = offering.kind.value
        row.duration_weeks = offering.duration_weeks
        row.cost = offering.cost
        row.currency = offering.currency
        row.delivery = offering.delivery.value
        row.url = offering.url
        row.skills = [models.OfferingSkill(position=pos, name=s.name, skill_id=s.skill_id)
                      for pos, s in enumerate(offering.skills)]
        self.session.add(row)
        self.session.flush()
        return offering_to_domain(row)

    def delete(self, row_id: int) -> None:
        bump_revision(self.session, self.organization_id)
        super().delete(row_id)
