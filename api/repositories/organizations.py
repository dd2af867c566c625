"""Organizations (tenants), their API keys and their own skills."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from api import models

__all__ = ["SCOPES", "IssuedKey", "OrganizationRepository", "Principal", "authenticate"]

SCOPES = ("read", "write", "admin")
_KEY_PREFIX = "tm_"
# tm_<12 hex: lookup prefix>_<43 url-safe base64: 256-bit secret>
_KEY_FORMAT = re.compile(r"tm_([0-9a-f]{12})_[A-Za-z0-9_-]{43}")


@dataclass(frozen=True)
class Principal:
    """Who is calling: an API key of an organization, with its scopes."""

    organization_id: int
    key_id: int
    scopes: frozenset[str]


@dataclass(frozen=True)
class IssuedKey:
    id: int
    organization_id: int
    scopes: tuple[str, ...]
    plaintext: str


def _digest(secret: str) -> str:
    # Keys are 256-bit random, so one SHA-256 suffices; a slow password hash
    # would only add latency to every request.
    return hashlib.sha256(secret.encode()).hexdigest()


def authenticate(session: Session, token: str) -> Principal | None:
    """The principal a bearer token stands for, or ``None``."""
    shape = _KEY_FORMAT.fullmatch(token)
    if shape is None:
        return None
    prefix = shape.group(1)
    row = session.scalar(select(models.ApiKey).where(models.ApiKey.prefix == prefix))
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.key_hash, _digest(token)):
        return None
    return Principal(row.organization_id, row.id, frozenset(row.scopes.split(",")))


class OrganizationRepository:
    def __init__(self, session: Session):
        self.session = session

    def create(self, name: str) -> int:
        row = models.Organization(name=name)
        self.session.add(row)
        self.session.flush()
        return row.id

    def find(self, name: str) -> int | None:
        return self.session.scalar(
            select(models.Organization.id).where(models.Organization.name == name)
            .order_by(models.Organization.id).limit(1))

    def issue_key(self, organization_id: int, scopes: tuple[str, ...],
                  name: str = "default") -> IssuedKey:
        unknown = set(scopes) - set(SCOPES)
        if unknown or not scopes:
            raise ValueError(f"Scopes must be some of {', '.join(SCOPES)}.")
        prefix = secrets.token_hex(6)
        plaintext = f"{_KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        row = models.ApiKey(organization_id=organization_id, name=name, prefix=prefix,
                            key_hash=_digest(plaintext), scopes=",".join(scopes))
        self.session.add(row)
        self.session.flush()
        return IssuedKey(row.id, organization_id, tuple(scopes), plaintext)

    def revoke_key(self, key_id: int) -> None:
        row = self.session.get(models.ApiKey, key_id)
        if row is not None and row.revoked_at is None:
            row.revoked_at = datetime.now(UTC)
