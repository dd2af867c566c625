"""What every tenant-scoped repository shares: scoping, lookup, paging, deletion."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, func, select, update
from sqlalchemy.orm import Session

from api import models
from matcher.errors import NotFound

__all__ = ["TenantRepository", "bump_revision"]

def bump_revision(session: Session, organization_id: int) -> int:
    """Count a write that ranking indexes must see; returns the new revision.

    Updating the organization's row first also serialises writers per tenant
    (and on SQLite takes the write lock before ids are allocated).
    """
    return session.execute(
        update(models.Organization).where(models.Organization.id == organization_id)
        .values(revision=models.Organization.revision + 1)
        .returning(models.Organization.revision)).scalar_one()


Row = TypeVar("Row")
Domain = TypeVar("Domain")


class TenantRepository(Generic[Row, Domain]):
    """Rows of ``model`` that belong to one organization, as domain values.

    Subclasses set ``model`` (an ORM class with ``id`` and ``organization_id``),
    ``noun`` (for messages) and implement :meth:`to_domain`. Every query starts
    from :meth:`_scoped`, so no method can forget the tenant filter.
    """

    model: ClassVar[Any]
    noun: ClassVar[str]

    def __init__(self, session: Session, organization_id: int):
        self.session = session
        self.organization_id = organization_id

    def to_domain(self, row: Row) -> Domain:
        raise NotImplementedError

    def _tenant(self) -> ColumnElement[bool]:
        return self.model.organization_id == self.organization_id

    def _scoped(self) -> Select:
        return select(self.model).where(self._tenant())

    def _row(self, row_id: int) -> Row:
        row = self.session.scalar(self._scoped().where(self.model.id == row_id))
        if row is None:
            raise NotFound(f"No {self.noun} {row_id}.")
        return row

    def get(self, row_id: int) -> Domain:
        return self.to_domain(self._row(row_id))

    def count(self, *filters: ColumnElement[bool]) -> int:
        query = select(func.count()).select_from(self.model).where(self._tenant(), *filters)
        return self.session.scalar(query) or 0

    def list(self, limit: int, offset: int,
             *filters: ColumnElement[bool]) -> tuple[list[Domain], int]:
        """One page, oldest first, and the total across pages."""
        rows = self.session.scalars(
            self._scoped().where(*filters).order_by(self.model.id).limit(limit).offset(offset))
        return [self.to_domain(r) for r in rows], self.count(*filters)

    def all(self) -> list[Domain]:
        """Every row of the organization, oldest first."""
        return [self.to_domain(r) for r in self.session.scalars(
            self._scoped().order_by(self.model.id))]

    def delete(self, row_id: int) -> None:
        self.session.delete(self._row(row_id))
        self.session.flush()
