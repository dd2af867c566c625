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
from api.repositories.base import TenantRepository
from matcher.errors import Conflict

__all__ = ["SCOPES", "ApiKeyInfo", "ApiKeyRepository", "IssuedKey", "OrganizationRepository",
           "Principal", "authenticate", "lookup_prefix"]

SCOPES = ("read", "write", "admin")
_KEY_PREFIX = "tm_"
# tm_<12 hex: lookup prefix>_<43 url-safe base64: 256-bit secret>
_KEY_FORMAT = re.compile(r"tm_([0-9a-f]{12})_[A-Za-z0-9_-]{43}")
_BEARER = re.compile(r"\s*(?i:bearer)\s+tm_([0-9a-f]{12})_[A-Za-z0-9_-]{43}\s*")


@dataclass(frozen=True)
class Principal:
    """Who is calling: an API key of an organization, with its scopes."""

    organization_id: int
    key_id: int
    scopes: frozenset[str]
    # Set when a person signed in to the recruiter interface (then key_id is 0).
    user_id: int | None = None


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


def lookup_prefix(authorization: str) -> str | None:
    """The lookup prefix of the key in an ``Authorization`` header, if it has a key's shape.

    No database is consulted: the prefix says whom the request claims to be, not
    whether the claim holds.
    """
    shape = _BEARER.fullmatch(authorization)
    return shape.group(1) if shape else None


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


@dataclass(frozen=True)
class ApiKeyInfo:
    """An API key as admins see it: never its secret or hash."""

    id: int
    name: str
    scopes: tuple[str, ...]
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyRepository(TenantRepository[models.ApiKey, ApiKeyInfo]):
    """The API keys of one organization."""

    model = models.ApiKey
    noun = "API key"

    def to_domain(self, row: models.ApiKey) -> ApiKeyInfo:
        return ApiKeyInfo(row.id, row.name, tuple(row.scopes.split(",")), row.prefix,
                          row.created_at, row.revoked_at)

    def issue(self, name: str, scopes: tuple[str, ...]) -> tuple[ApiKeyInfo, str]:
        """A new key and its plaintext, which exists nowhere else once returned."""
        canonical = tuple(s for s in SCOPES if s in scopes)
        issued = OrganizationRepository(self.session).issue_key(
            self.organization_id, canonical, name)
        return self.get(issued.id), issued.plaintext

    def revoke(self, key_id: int) -> ApiKeyInfo:
        """Revoke a key (again: no change); the last active admin key is a Conflict."""
        row = self._row(key_id)
        if row.revoked_at is None:
            if "admin" in row.scopes.split(",") and self._active_admin_ids() == [row.id]:
                raise Conflict("This is the organization's last active admin key; issue "
                               "another admin key before revoking it.")
            row.revoked_at = datetime.now(UTC)
            self.session.flush()
        return self.to_domain(row)

    def _active_admin_ids(self) -> list[int]:
        # FOR UPDATE (PostgreSQL): two concurrent revocations of the last two admin keys
        # wait for each other, and the second then sees the first one revoked. SQLite
        # serialises writers anyway: the second one fails (503) instead of passing.
        rows = self.session.scalars(
            self._scoped().where(models.ApiKey.revoked_at.is_(None)).with_for_update())
        return [r.id for r in rows if "admin" in r.scopes.split(",")]
