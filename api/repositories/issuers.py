"""Issuer registry repository (tenant-scoped); returns :mod:`matcher.model` values."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from api import models
from api.repositories.base import TenantRepository, bump_revision
from matcher import model
from matcher.errors import Conflict

__all__ = ["IssuerRepository", "issuer_to_domain"]


def issuer_to_domain(row: models.Issuer) -> model.Issuer:
    return model.Issuer(
        id=row.id,
        name=row.name,
        url=row.url,
        country=row.country,
        did=row.did,
        public_keys=tuple(row.public_keys or ()),
        industry_recognized=row.industry_recognized,
        reviewed=row.reviewed,
        accreditations=tuple(
            model.Accreditation(
                accrediting_body=a.accrediting_body,
                status=model.AccreditationStatus(a.status),
                valid_from=a.valid_from,
                valid_until=a.valid_until,
                scope=a.scope,
            )
            for a in row.accreditations
        ),
    )


def name_key(name: str) -> str:
    """Issuers are named case-insensitively (§3)."""
    return " ".join(name.split()).casefold()


class IssuerRepository(TenantRepository[models.Issuer, model.Issuer]):
    """The issuer registry of one organization."""

    model = models.Issuer
    noun = "issuer"

    def to_domain(self, row: models.Issuer) -> model.Issuer:
        return issuer_to_domain(row)

    def by_names(self, names: Iterable[str]) -> dict[str, model.Issuer]:
        """Registry issuers whose names match ``names``, keyed by :func:`name_key`."""
        keys = {name_key(n) for n in names}
        if not keys:
            return {}
        rows = self.session.scalars(self._scoped().where(models.Issuer.name_key.in_(keys)))
        return {r.name_key: issuer_to_domain(r) for r in rows}

    def by_references(self, refs: Iterable[str]) -> dict[str, model.Issuer]:
        """Registry issuers whose DID or URL is one of ``refs`` (a badge's issuer id)."""
        wanted = {r for r in refs if r}
        if not wanted:
            return {}
        rows = self.session.scalars(self._scoped().where(
            models.Issuer.did.in_(wanted) | models.Issuer.url.in_(wanted)).order_by(
                models.Issuer.id))
        found: dict[str, model.Issuer] = {}
        for row in rows:
            for ref in (row.did, row.url):
                if ref in wanted:
                    found.setdefault(ref, issuer_to_domain(row))
        return found

    def with_keys(self) -> list[model.Issuer]:
        """Issuers that can vouch for a signature: they carry a DID or public keys."""
        rows = self.session.scalars(self._scoped().order_by(models.Issuer.id))
        return [issuer_to_domain(r) for r in rows if r.did or r.public_keys]

    def by_ids(self, ids: Iterable[int]) -> dict[int, model.Issuer]:
        wanted = set(ids)
        if not wanted:
            return {}
        rows = self.session.scalars(self._scoped().where(models.Issuer.id.in_(wanted)))
        return {r.id: issuer_to_domain(r) for r in rows}

    def add(self, fields: dict, *, reviewed: bool = True) -> model.Issuer:
        self._ensure_unique_name(fields["name"])
        bump_revision(self.session, self.organization_id)
        row = models.Issuer(organization_id=self.organization_id, reviewed=reviewed)
        self._assign(row, fields)
        self.session.add(row)
        self.session.flush()
        return issuer_to_domain(row)

    def update(self, issuer_id: int, fields: dict) -> model.Issuer:
        row = self._row(issuer_id)
        bump_revision(self.session, self.organization_id)
        if "name" in fields and name_key(fields["name"]) != row.name_key:
            self._ensure_unique_name(fields["name"])
        self._assign(row, fields)
        self.session.flush()
        return issuer_to_domain(row)

    def delete(self, issuer_id: int) -> None:
        row = self._row(issuer_id)
        offerings = self.session.scalar(
            select(func.count()).select_from(models.Offering)
            .where(models.Offering.issuer_id == row.id)
        )
        if offerings:
            raise Conflict(
                f"Issuer {issuer_id} has {offerings} catalogue offering(s); delete them first.")
        bump_revision(self.session, self.organization_id)
        super().delete(issuer_id)

    def _ensure_unique_name(self, name: str) -> None:
        clash = self.session.scalar(
            self._scoped().where(models.Issuer.name_key == name_key(name)))
        if clash is not None:
            raise Conflict(f"An issuer named {clash.name!r} exists already (id {clash.id}).")

    @staticmethod
    def _assign(row: models.Issuer, fields: dict) -> None:
        for key in ("name", "url", "country", "did", "industry_recognized", "reviewed"):
            if key in fields:
                setattr(row, key, fields[key])
        if "name" in fields:
            row.name_key = name_key(fields["name"])
        if "public_keys" in fields:
            row.public_keys = [dict(k) for k in fields["public_keys"]]
        if "accreditations" in fields:
            row.accreditations = [
                models.Accreditation(
                    accrediting_body=a["accrediting_body"],
                    status=model.AccreditationStatus(a["status"]).value,
                    valid_from=a.get("valid_from"),
                    valid_until=a.get("valid_until"),
                    scope=a.get("scope"),
                )
                for a in fields["accreditations"]
            ]
