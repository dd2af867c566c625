"""SQLAlchemy 2.x models: the storage shape of DESIGN.md §3.

Top-level rows carry ``organization_id``; child rows (credentials,
experience, their skills, requirements, accreditations) belong to their
parent and are only reached through it, so a tenant filter on the parent
scopes them. The schema itself is created by alembic migrations only.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names, so that migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timezone-aware timestamp on every backend (SQLite stores no offset: it is UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _now() -> datetime:
    return datetime.now(UTC)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=_now, onupdate=_now
    )


class Organization(Base):
    __tablename__ = "organizations"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Bumped by every candidate write: serialises writers per organization and
    # tells other worker processes that their in-memory index is stale.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)


class ApiKey(Base):
    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OrgSkill(Timestamped, Base):
    """A skill an organization adds to the shared taxonomy."""

    __tablename__ = "skills"
    __table_args__ = (UniqueConstraint("organization_id", "skill_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[str] = mapped_column(String(300))
    label: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    aliases: Mapped[list] = mapped_column(JSON, default=list)
    broader: Mapped[list] = mapped_column(JSON, default=list)
    related: Mapped[list] = mapped_column(JSON, default=list)


class Issuer(Timestamped, Base):
    __tablename__ = "issuers"
    __table_args__ = (UniqueConstraint("organization_id", "name_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    # casefolded name: credentials name their issuer case-insensitively (§3)
    name_key: Mapped[str] = mapped_column(String(400))
    url: Mapped[str | None] = mapped_column(String(500))
    country: Mapped[str | None] = mapped_column(String(2))
    did: Mapped[str | None] = mapped_column(String(500))
    public_keys: Mapped[list] = mapped_column(JSON, default=list)
    industry_recognized: Mapped[bool] = mapped_column(Boolean, default=False)
    reviewed: Mapped[bool] = mapped_column(Boolean, default=True)
    accreditations: Mapped[list[Accreditation]] = relationship(
        back_populates="issuer", cascade="all, delete-orphan", order_by="Accreditation.id",
        lazy="selectin",
    )


class Accreditation(Base):
    __tablename__ = "accreditations"
    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_id: Mapped[int] = mapped_column(
        ForeignKey("issuers.id", ondelete="CASCADE"), index=True
    )
    accrediting_body: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    scope: Mapped[str | None] = mapped_column(String(500))
    issuer: Mapped[Issuer] = relationship(back_populates="accreditations")


class SkillRow:
    """Columns shared by the skill lists of candidates, credentials, experience and offerings.

    Each subclass adds its owner's id, and the primary key is (owner, ``position``): rows
    are only ever read through their owner in list order, so a surrogate id would cost a
    sequence value and a second index per row (about twelve rows per imported candidate)
    for nothing. The key's leading column (a subclass's own columns come before the
    mixin's) serves the foreign key: its lookups and ON DELETE CASCADE.

    ``skill_id`` has no index: no query looks rows up by it, and on the two largest tables
    an index on long, random keys cost about an eighth of the database's work in a bulk
    import.
    """

    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    skill_id: Mapped[str | None] = mapped_column(String(300))


class Offering(Timestamped, Base):
    __tablename__ = "offerings"
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    issuer_id: Mapped[int] = mapped_column(ForeignKey("issuers.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    duration_weeks: Mapped[float | None] = mapped_column(Float)
    cost: Mapped[float | None] = mapped_column(Numeric(12, 2, asdecimal=False))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    delivery: Mapped[str] = mapped_column(String(20))
    url: Mapped[str | None] = mapped_column(String(500))
    skills: Mapped[list[OfferingSkill]] = relationship(
        cascade="all, delete-orphan", order_by="OfferingSkill.position", lazy="selectin"
    )


class OfferingSkill(SkillRow, Base):
    __tablename__ = "offering_skills"
    offering_id: Mapped[int] = mapped_column(
        ForeignKey("offerings.id", ondelete="CASCADE"), primary_key=True
    )


class Candidate(Timestamped, Base):
    __tablename__ = "candidates"
    __table_args__ = (UniqueConstraint("organization_id", "external_id"),
                      Index("ix_candidates_org_revision", "organization_id", "revision"),
                      # A tenant's candidates in id order: list pages and the keyset batches
                      # that build the ranking index, without sorting the tenant.
                      Index("ix_candidates_org_id", "organization_id", "id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    external_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    location: Mapped[str | None] = mapped_column(String(200))
    # The organization revision of the last write: ranking indexes catch up from it.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    credentials: Mapped[list[Credential]] = relationship(
        cascade="all, delete-orphan", order_by="Credential.id", passive_deletes=True
    )
    experience: Mapped[list[Experience]] = relationship(
        cascade="all, delete-orphan", order_by="Experience.id", passive_deletes=True
    )
    skills: Mapped[list[CandidateSkill]] = relationship(
        cascade="all, delete-orphan", order_by="CandidateSkill.position", passive_deletes=True
    )


# Imports match a resume to its candidate by email, case-insensitively. PostgreSQL only:
# SQLite (small installations) cannot reflect expression indexes, so migrations could not
# be compared with these models there.
Index("ix_candidates_org_email", Candidate.organization_id,
      func.lower(Candidate.email)).ddl_if(dialect="postgresql")


class CandidateSkill(SkillRow, Base):
    """A skill the candidate declares (a JSON Resume skills entry): shown, never scored."""

    __tablename__ = "candidate_skills"
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE", deferrable=True,
                   initially="IMMEDIATE"), primary_key=True
    )


class Credential(Base):
    __tablename__ = "credentials"
    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE", deferrable=True,
                   initially="IMMEDIATE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    issuer_name: Mapped[str | None] = mapped_column(String(200))
    # an issuer leaving the registry turns its credentials into unknown-issuer ones
    issuer_id: Mapped[int | None] = mapped_column(
        ForeignKey("issuers.id", ondelete="SET NULL"), index=True
    )
    issued_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    level: Mapped[str | None] = mapped_column(String(20))
    # SQL NULL (not JSON null) when there is no badge, so "holds a badge" is an indexable test.
    badge: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    verification_status: Mapped[str] = mapped_column(String(20), default="unverified")
    verification_method: Mapped[str | None] = mapped_column(String(100))
    verification_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verification_detail: Mapped[str | None] = mapped_column(Text)
    skills: Mapped[list[CredentialSkill]] = relationship(
        cascade="all, delete-orphan", order_by="CredentialSkill.position", passive_deletes=True
    )


class CredentialSkill(SkillRow, Base):
    __tablename__ = "credential_skills"
    credential_id: Mapped[int] = mapped_column(
        ForeignKey("credentials.id", ondelete="CASCADE"), primary_key=True
    )


class Experience(Base):
    __tablename__ = "experiences"
    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE", deferrable=True,
                   initially="IMMEDIATE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    employer: Mapped[str | None] = mapped_column(String(200))
    industry: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    skills: Mapped[list[ExperienceSkill]] = relationship(
        cascade="all, delete-orphan", order_by="ExperienceSkill.position", passive_deletes=True
    )


class ExperienceSkill(SkillRow, Base):
    __tablename__ = "experience_skills"
    experience_id: Mapped[int] = mapped_column(
        ForeignKey("experiences.id", ondelete="CASCADE"), primary_key=True
    )


class CandidateDeletion(Base):
    """A deleted candidate, so that ranking indexes in other processes drop it too."""

    __tablename__ = "candidate_deletions"
    __table_args__ = (Index("ix_candidate_deletions_org_revision", "organization_id", "revision"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer)


class Demographics(Base):
    """Self-reported demographics, apart from the profile: scoring never reads them (§7)."""

    __tablename__ = "candidate_demographics"
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True
    )
    sex: Mapped[str | None] = mapped_column(String(50))
    race_ethnicity: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)


class Job(Timestamped, Base):
    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("organization_id", "external_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    external_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    industry: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")
    min_total_years: Mapped[float | None] = mapped_column(Float)
    education_level: Mapped[str | None] = mapped_column(String(20))
    education_experience_months: Mapped[int | None] = mapped_column(Integer)
    policy_overrides: Mapped[dict] = mapped_column(JSON, default=dict)
    requirements: Mapped[list[Requirement]] = relationship(
        cascade="all, delete-orphan", order_by="Requirement.position", lazy="selectin",
        passive_deletes=True,
    )


class Requirement(Base):
    __tablename__ = "requirements"
    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    skill_name: Mapped[str] = mapped_column(String(200))
    skill_id: Mapped[str | None] = mapped_column(String(300))
    importance: Mapped[str] = mapped_column(String(20))
    weight: Mapped[float] = mapped_column(Float)
    min_years: Mapped[float | None] = mapped_column(Float)
    # Inferred by an importer from free text: the recruiter should confirm it.
    to_confirm: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class RankingRun(Base):
    """A ranking as it was computed, kept for audit (§3)."""

    __tablename__ = "ranking_runs"
    __table_args__ = (Index("ix_ranking_runs_org_job", "organization_id", "job_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    # Runs outlive their job: the audit trail must survive a job's deletion.
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"),
                                               index=True)
    policy_version: Mapped[str] = mapped_column(String(50))
    policy: Mapped[dict] = mapped_column(JSON)
    mode: Mapped[str] = mapped_column(String(10))
    as_of: Mapped[date] = mapped_column(Date)
    request: Mapped[dict] = mapped_column(JSON)
    organization_revision: Mapped[int] = mapped_column(Integer)
    input_fingerprint: Mapped[str] = mapped_column(String(64))
    total: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)


class RankingResult(Base):
    __tablename__ = "ranking_results"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("ranking_runs.id", ondelete="CASCADE"), index=True
    )
    candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("candidates.id", ondelete="SET NULL"), index=True
    )
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    qualified: Mapped[bool] = mapped_column(Boolean)
    trainable: Mapped[bool] = mapped_column(Boolean)
    breakdown: Mapped[dict] = mapped_column(JSON)


class StatusList(Base):
    """A revocation or status list a caller supplied, kept to check later badges offline."""

    __tablename__ = "status_lists"
    __table_args__ = (UniqueConstraint("organization_id", "url"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    document: Mapped[dict | str] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)


class RankingScores(Base):
    """Every ranked candidate's score and qualification in a run, for bias audits (§7).

    The page of a run keeps explanations; an audit needs the whole pool. Ids are
    zlib-compressed int32 differences (``api.repositories.rankings.encode_ids``), scores
    raw float32, qualified bit-packed; an erased candidate's id becomes 0, an anonymous
    placeholder.
    """

    __tablename__ = "ranking_scores"
    run_id: Mapped[int] = mapped_column(
        ForeignKey("ranking_runs.id", ondelete="CASCADE"), primary_key=True
    )
    count: Mapped[int] = mapped_column(Integer)
    candidate_ids: Mapped[bytes] = mapped_column(LargeBinary)
    scores: Mapped[bytes] = mapped_column(LargeBinary)
    qualified: Mapped[bytes] = mapped_column(LargeBinary)


class Decision(Base):
    """A recruiter's decision on a candidate for a job (human oversight, EU AI Act Art. 14).

    Every decision is kept; the latest per job and candidate is the one that counts.
    """

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_org_job_candidate", "organization_id", "job_id",
                            "candidate_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    # Decisions outlive jobs and (anonymised) candidates: the selection audit counts them.
    # Each foreign key is indexed: deleting a job, candidate or run finds them by it.
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"),
                                               index=True)
    candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("candidates.id", ondelete="SET NULL"), index=True)
    ranking_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("ranking_runs.id", ondelete="SET NULL"), index=True)
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    # What the ranking said at the time: qualified, rank and score (null if never ranked).
    ranked_qualified: Mapped[bool | None] = mapped_column(Boolean)
    ranked_rank: Mapped[int | None] = mapped_column(Integer)
    ranked_score: Mapped[float | None] = mapped_column(Float)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)


class AuditEvent(Base):
    """Who did what, when, to what, with which input (by fingerprint) and policy version."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_org_at", "organization_id", "at"),
                      Index("ix_audit_events_org_action", "organization_id", "action"))
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    resource_type: Mapped[str | None] = mapped_column(String(50))
    resource_id: Mapped[str | None] = mapped_column(String(200))
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    policy_version: Mapped[str | None] = mapped_column(String(50))
    detail: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))


class User(Base):
    """A person who signs in to the recruiter interface (email and a hashed password)."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("email_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(320))
    # One account per address across organizations, so sign-in needs no organization field.
    email_key: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

