"""People who use the recruiter interface: email, hashed password, role, organization."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from api import models
from matcher.errors import Conflict, InvalidInput

__all__ = ["ROLES", "SCOPES_OF", "UserAccount", "authenticate_user", "create_user", "get_user"]

ROLES = ("recruiter", "admin")
# What each role may do, in the API's scopes: admins also manage keys, users and audits.
SCOPES_OF = {"recruiter": frozenset({"read", "write"}),
             "admin": frozenset({"read", "write", "admin"})}
MIN_PASSWORD = 10


@dataclass(frozen=True)
class UserAccount:
    id: int
    organization_id: int
    email: str
    name: str
    role: str


def _key(email: str) -> str:
    return email.strip().casefold()


def _account(row: models.User) -> UserAccount:
    return UserAccount(row.id, row.organization_id, row.email, row.name, row.role)


def create_user(session: Session, organization_id: int, email: str, name: str, password: str,
                role: str = "recruiter") -> UserAccount:
    """Add a person; the password is kept only as a salted scrypt hash (werkzeug)."""
    if role not in ROLES:
        raise InvalidInput("Unknown role.", {"role": [f"One of {', '.join(ROLES)}."]})
    if "@" not in email or len(email) > 320:
        raise InvalidInput("Not an email address.", {"email": ["Not an email address."]})
    if len(password) < MIN_PASSWORD:
        raise InvalidInput("Password too short.",
                           {"password": [f"At least {MIN_PASSWORD} characters."]})
    if session.scalar(select(models.User.id).where(models.User.email_key == _key(email))):
        raise Conflict(f"A user with email {email!r} exists.")
    row = models.User(organization_id=organization_id, email=email.strip(),
                      email_key=_key(email), name=name.strip() or email.strip(),
                      password_hash=generate_password_hash(password), role=role)
    session.add(row)
    session.flush()
    return _account(row)


def authenticate_user(session: Session, email: str, password: str) -> UserAccount | None:
    """The account for these credentials, or ``None`` (same answer for any failure)."""
    row = session.scalar(select(models.User).where(models.User.email_key == _key(email)))
    if row is None or row.disabled_at is not None:
        # Hash anyway, so timing does not tell which addresses have accounts.
        check_password_hash(generate_password_hash("x"), password)
        return None
    return _account(row) if check_password_hash(row.password_hash, password) else None


def get_user(session: Session, user_id: int) -> UserAccount | None:
    row = session.get(models.User, user_id)
    return None if row is None or row.disabled_at is not None else _account(row)
