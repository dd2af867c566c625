"""The audit log: every write and every ranking, with who, what, when and on which input.

Recorded by :func:`record` inside the request's own transaction, just before it
commits (:func:`api.wiring.commit`), so an event exists exactly when the change it
describes does. The request body is kept only as a SHA-256 fingerprint: the log
proves what was sent without holding personal data twice.
"""

from __future__ import annotations

import hashlib
import os
import re
from datetime import UTC, datetime, timedelta

from flask import g, request
from sqlalchemy import delete
from sqlalchemy.orm import Session

from api import models
from api.auth import current_principal

__all__ = ["DEFAULT_RETENTION_DAYS", "MIN_RETENTION_DAYS", "actor", "purge", "record",
           "retention_days"]

# EU AI Act Art. 19 asks for at least six months; a yearly LL144 bias audit needs a year
# of decisions and rankings, plus a month to run it.
DEFAULT_RETENTION_DAYS = 400
MIN_RETENTION_DAYS = 183

_PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def actor() -> str:
    """Who is calling, as the log names them (``key:<id>``, or ``user:<id>`` in the UI)."""
    principal = current_principal()
    if principal.user_id is not None:
        return f"user:{principal.user_id}"
    return f"key:{principal.key_id}"


def record(session: Session, *, resource_id: str | int | None = None,
           policy_version: str | None = None, detail: dict | None = None) -> None:
    """Add the audit event of the current request to ``session`` (the caller commits)."""
    rule = request.url_rule.rule if request.url_rule else request.path
    route = _PARAM.sub(r"{\1}", rule).removeprefix("/api/v1")
    args = request.view_args or {}
    if resource_id is None and args:
        resource_id = next(iter(args.values()))
    body = request.get_data(cache=True)
    fingerprint = hashlib.sha256(request.query_string + b"\n" + body).hexdigest()
    session.add(models.AuditEvent(
        organization_id=current_principal().organization_id, actor=actor(),
        action=f"{request.method} {route}", method=request.method,
        path=request.path[:500], resource_type=(request.blueprint or "")[:50] or None,
        resource_id=None if resource_id is None else str(resource_id)[:200],
        fingerprint=fingerprint, policy_version=policy_version, detail=detail))
    g.audit_recorded = True


def retention_days() -> int:
    """``TALENTMATCH_AUDIT_RETENTION_DAYS``, at least 183 (six months), default 400."""
    raw = os.environ.get("TALENTMATCH_AUDIT_RETENTION_DAYS")
    days = int(raw) if raw else DEFAULT_RETENTION_DAYS
    if days < MIN_RETENTION_DAYS:
        raise ValueError(f"TALENTMATCH_AUDIT_RETENTION_DAYS must be at least "
                         f"{MIN_RETENTION_DAYS} (six months, EU AI Act Art. 19).")
    return days


def purge(session: Session, days: int, now: datetime | None = None) -> int:
    """Delete events older than ``days`` (every organization); returns how many."""
    if days < MIN_RETENTION_DAYS:
        raise ValueError(f"Retention must be at least {MIN_RETENTION_DAYS} days.")
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    result = session.execute(delete(models.AuditEvent).where(models.AuditEvent.at < cutoff))
    return result.rowcount or 0
