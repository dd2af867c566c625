"""Domain value types of talentmatch (DESIGN.md §3).

Frozen dataclasses with no framework imports: repositories in ``api/`` build
them from rows, and scoring, ranking and explanations read nothing else.
Self-reported demographics are deliberately absent, so scoring code cannot
reach them.

Examples
--------
>>> from datetime import date
>>> c = Credential(name="Data Analytics", kind=CredentialKind.MICRO_CREDENTIAL,
...                skills=(SkillRef("SQL", "custom:sql"),), issued_on=date(2024, 1, 5))
>>> c.verification.status
<VerificationStatus.UNVERIFIED: 'unverified'>
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

__all__ = [
    "Accreditation",
    "AccreditationStatus",
    "Candidate",
    "Credential",
    "CredentialKind",
    "CredentialOffering",
    "Delivery",
    "EducationLevel",
    "EducationRequirement",
    "Experience",
    "Importance",
    "Issuer",
    "Job",
    "JobStatus",
    "RankingRun",
    "Requirement",
    "Skill",
    "SkillKind",
    "SkillRef",
    "SkillSource",
    "Verification",
    "VerificationStatus",
]


class SkillKind(StrEnum):
    SKILL = "skill"
    KNOWLEDGE = "knowledge"
    TOOL = "tool"


class CredentialKind(StrEnum):
    MICRO_CREDENTIAL = "micro-credential"
    CERTIFICATION = "certification"
    CERTIFICATE = "certificate"
    BADGE = "badge"
    DEGREE = "degree"
    LICENSE = "license"


class AccreditationStatus(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


class VerificationStatus(StrEnum):
    VERIFIED = "verified"
    UNVERIFIED = "unverified"
    FAILED = "failed"
    REVOKED = "revoked"


class Importance(StrEnum):
    REQUIRED = "required"
    PREFERRED = "preferred"


class JobStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Delivery(StrEnum):
    ONLINE = "online"
    IN_PERSON = "in_person"
    BLENDED = "blended"


class EducationLevel(StrEnum):
    """Ordered education levels; ``rank`` compares them."""

    NONE = "none"
    SECONDARY = "secondary"
    ASSOCIATE = "associate"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"

    @property
    def rank(self) -> int:
        return list(EducationLevel).index(self)


class SkillSource(StrEnum):
    """Where a skill concept comes from; earlier sources win a tie on a name."""

    ORGANIZATION = "organization"
    EXTENSION = "extension"
    ESCO = "esco"


@dataclass(frozen=True, slots=True)
class Skill:
    """A canonical skill concept (ESCO, extension vocabulary or organization).

    ``aliases`` are alternative labels; ``curated_aliases`` are the names the
    extension vocabulary (or an organization) adds to a concept, trusted more
    than the source's own alternatives; ``hidden_labels`` are known misspellings
    that match but are never shown. ``broader`` and ``related`` hold skill ids;
    ``groups`` the skill groups the concept is filed under directly.
    """

    id: str
    label: str
    kind: SkillKind = SkillKind.SKILL
    aliases: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    description: str | None = None
    source: SkillSource = SkillSource.ORGANIZATION
    curated_aliases: tuple[str, ...] = ()
    hidden_labels: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    reuse_level: str | None = None
    digital: bool = False
    transversal: bool = False


@dataclass(frozen=True, slots=True)
class SkillRef:
    """A skill as written by a person, with the canonical id it resolved to.

    ``skill_id`` is ``None`` when the name matched nothing: the name is kept
    so that a later, richer taxonomy can still resolve it.
    """

    name: str
    skill_id: str | None = None


@dataclass(frozen=True, slots=True)
class Accreditation:
    accrediting_body: str
    status: AccreditationStatus
    valid_from: date | None = None
    valid_until: date | None = None
    scope: str | None = None

    def covers(self, day: date) -> bool:
        """Whether this accreditation was in force on ``day``."""
        if self.status is not AccreditationStatus.ACTIVE:
            return False
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_until and day > self.valid_until)


@dataclass(frozen=True, slots=True)
class Issuer:
    id: int
    name: str
    url: str | None = None
    country: str | None = None
    did: str | None = None
    public_keys: tuple[dict, ...] = ()
    industry_recognized: bool = False
    reviewed: bool = True
    accreditations: tuple[Accreditation, ...] = ()


@dataclass(frozen=True, slots=True)
class CredentialOffering:
    """A credential in the upskilling catalogue."""

    id: int
    name: str
    kind: CredentialKind
    issuer_id: int
    skills: tuple[SkillRef, ...] = ()
    duration_weeks: float | None = None
    cost: float | None = None
    currency: str = "USD"
    delivery: Delivery = Delivery.ONLINE
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Verification:
    status: VerificationStatus = VerificationStatus.UNVERIFIED
    method: str | None = None
    checked_at: datetime | None = None
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Credential:
    """A credential a candidate holds.

    ``issuer_name`` is kept as written; ``issuer_id`` is set only when it
    matched the organization's issuer registry.
    """

    name: str
    kind: CredentialKind
    skills: tuple[SkillRef, ...] = ()
    issuer_name: str | None = None
    issuer_id: int | None = None
    issued_on: date | None = None
    expires_on: date | None = None
    verification: Verification = field(default_factory=Verification)
    id: int | None = None
    # For degrees: the level it stands for (inferred from the name when not given).
    level: EducationLevel | None = None
    # The Open Badge document it came from, kept for audit and export; never scored.
    badge: dict | str | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Experience:
    title: str
    start_date: date
    end_date: date | None = None
    employer: str | None = None
    industry: str | None = None
    skills: tuple[SkillRef, ...] = ()
    id: int | None = None

    @property
    def is_current(self) -> bool:
        return self.end_date is None


@dataclass(frozen=True, slots=True)
class Candidate:
    external_id: str
    name: str
    email: str | None = None
    location: str | None = None
    credentials: tuple[Credential, ...] = ()
    experience: tuple[Experience, ...] = ()
    id: int | None = None
    # Skills the person declares (a resume's skills section). Not evidence: §4
    # scores credentials and experience only, so typing keywords ranks nobody higher.
    skills: tuple[SkillRef, ...] = ()


@dataclass(frozen=True, slots=True)
class Requirement:
    skill: SkillRef
    importance: Importance = Importance.REQUIRED
    weight: float = 2.0
    min_years: float | None = None
    # Inferred by an importer from free text; scored like any other until edited.
    to_confirm: bool = False


@dataclass(frozen=True, slots=True)
class EducationRequirement:
    level: EducationLevel
    experience_in_place_months: int | None = None


@dataclass(frozen=True, slots=True)
class Job:
    external_id: str
    title: str
    requirements: tuple[Requirement, ...] = ()
    industry: str | None = None
    description: str | None = None
    status: JobStatus = JobStatus.OPEN
    min_total_years: float | None = None
    education: EducationRequirement | None = None
    policy_overrides: dict = field(default_factory=dict)
    id: int | None = None


@dataclass(frozen=True)
class RankingRun:
    """A ranking as it was computed and returned, kept for audit (§3)."""

    job_id: int | None
    as_of: date
    mode: str
    policy: dict
    fingerprint: str
    total: int
    request: dict
    results: tuple[dict, ...]
    organization_revision: int = 0
    id: int | None = None
    created_at: datetime | None = None

    @property
    def policy_version(self) -> str:
        return str(self.policy.get("version", ""))
