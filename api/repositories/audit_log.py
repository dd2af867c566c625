"""Reading the audit log of one organization (events are written by ``api.audit``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, select

from api import models
from api.repositories.base import TenantRepository

__all__ = ["AuditLogRepository"]


class AuditLogRepository(TenantRepository[models.AuditEvent, dict]):
    model = models.AuditEvent
    noun = "audit event"

    def to_domain(self, row: models.AuditEvent) -> dict:
        return {"id": row.id, "at": row.at, "actor": row.actor, "action": row.action,
                "method": row.method, "path": row.path, "resource_type": row.resource_type,
                "resource_id": row.resource_id, "fingerprint": row.fingerprint,
                "policy_version": row.policy_version, "detail": row.detail}

    def search(self, filters: dict, limit: int, offset: int) -> tuple[list[dict], int]:
        """Events matching ``filters``, newest first, and how many match in all."""
        query = self._filtered(filters)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.scalars(query.order_by(models.AuditEvent.at.desc(),
                                                   models.AuditEvent.id.desc())
                                    .limit(limit).offset(offset))
        return [self.to_domain(r) for r in rows], total

    def _filtered(self, filters: dict) -> Select:
        query = self._scoped()
        event = models.AuditEvent
        for field in ("actor", "method", "resource_type", "resource_id"):
            if filters.get(field):
                query = query.where(getattr(event, field) == filters[field])
        if filters.get("action"):
            query = query.where(event.action.contains(filters["action"], autoescape=True))
        since: datetime | None = filters.get("since")
        until: datetime | None = filters.get("until")
        if since:
            query = query.where(event.at >= since)
        if until:
            query = query.where(event.at < until)
        return query
