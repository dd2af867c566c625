"""Turning validated request data into domain values.

Skill names are resolved through the one matcher resolver, and issuer names
and ids are checked against the caller's registry, before anything is
written: a request either maps completely or is rejected whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from api.repositories.issuers import IssuerRepository, name_key
from matcher import model
from matcher.errors import InvalidInput
from matcher.policy import DEFAULT_POLICY, ScoringPolicy
from matcher.skills import ResolvedNames, SkillResolver

__all__ = ["IssuerDirectory", "candidate_from_input", "candidates_from_input", "job_from_input",
           "offering_from_input", "skill_names"]


@dataclass(frozen=True)
class IssuerDirectory:
    """The registry issuers a request refers to, by name key and by id."""

    by_name: dict[str, model.Issuer]
    by_id: dict[int, model.Issuer]

    @classmethod
    def for_payload(cls, issuers: IssuerRepository, items: Sequence[dict]) -> IssuerDirectory:
        names = [i["issuer"] for i in items if i.get("issuer")]
        ids = [i["issuer_id"] for i in items if i.get("issuer_id") is not None]
        return cls(issuers.by_names(names), issuers.by_ids(ids))

    def match(self, item: dict, path: str, *, required: bool) -> model.Issuer | None:
        """The registry issuer ``item`` names, or ``None`` for an unknown issuer."""
        at = f"{path}." if path else ""
        if item.get("issuer_id") is not None:
            found = self.by_id.get(item["issuer_id"])
            if found is None:
                raise InvalidInput("The request refers to an unknown issuer.",
                                   {f"{at}issuer_id": [f"No issuer {item['issuer_id']}."]})
            return found
        found = self.by_name.get(name_key(item["issuer"])) if item.get("issuer") else None
        if found is None and required:
            raise InvalidInput("The request refers to an unknown issuer.",
                               {f"{at}issuer": [f"No issuer named {item.get('issuer')!r}."]})
        return found


Names = SkillResolver | ResolvedNames


def _refs(resolver: Names, names: Sequence[str]) -> tuple[model.SkillRef, ...]:
    return resolver.refs(list(names))


def skill_names(bodies: Sequence[dict]) -> list[str]:
    """Every skill name in candidate bodies, for one batched resolution."""
    return [name for body in bodies
            for item in (*body.get("credentials", ()), *body.get("experience", ()), body)
            for name in item.get("skills", ())]


def candidates_from_input(bodies: Sequence[dict], resolver: SkillResolver,
                          issuers: IssuerRepository, path: str = "") -> list[model.Candidate]:
    """Many candidate bodies at once: one issuer look-up and one skill resolution batch.

    Every body is mapped before anything is written, so a bad item rejects the batch.
    """
    credentials = [k for body in bodies for k in body.get("credentials", ())]
    directory = IssuerDirectory.for_payload(issuers, credentials)
    names = ResolvedNames(resolver, skill_names(bodies))
    return [candidate_from_input(body, names, directory, f"{path}.{i}" if path else "")
            for i, body in enumerate(bodies)]


def candidate_from_input(data: dict, resolver: Names,
                         issuers: IssuerDirectory, path: str = "") -> model.Candidate:
    """A :class:`~matcher.model.Candidate` from a validated candidate body."""
    prefix = f"{path}." if path else ""
    credentials = []
    for index, item in enumerate(data.get("credentials", ())):
        issuer = issuers.match(item, f"{prefix}credentials.{index}", required=False)
        verification = item.get("verification") or {}
        credentials.append(model.Credential(
            name=item["name"],
            kind=model.CredentialKind(item["kind"]),
            skills=_refs(resolver, item.get("skills", ())),
            issuer_name=issuer.name if issuer else item.get("issuer"),
            issuer_id=issuer.id if issuer else None,
            issued_on=item.get("issued_on"),
            expires_on=item.get("expires_on"),
            verification=model.Verification(
                status=model.VerificationStatus(
                    verification.get("status", model.VerificationStatus.UNVERIFIED)),
                method=verification.get("method"),
                detail=verification.get("detail"),
                checked_at=verification.get("checked_at"),
            ),
            level=model.EducationLevel(item["level"]) if item.get("level") else None,
            badge=item.get("badge"),
        ))
    experience = tuple(
        model.Experience(
            title=item["title"],
            employer=item.get("employer"),
            industry=item.get("industry"),
            start_date=item["start_date"],
            end_date=item.get("end_date"),
            skills=_refs(resolver, item.get("skills", ())),
        )
        for item in data.get("experience", ())
    )
    return model.Candidate(
        external_id=data["external_id"],
        name=data["name"],
        email=data.get("email"),
        location=data.get("location"),
        credentials=tuple(credentials),
        experience=experience,
        skills=_refs(resolver, data.get("skills", ())),
    )


def job_from_input(data: dict, resolver: SkillResolver,
                   policy: ScoringPolicy = DEFAULT_POLICY) -> model.Job:
    """A :class:`~matcher.model.Job` from a validated job body (default weights applied)."""
    requirements = []
    for item in data["requirements"]:
        importance = model.Importance(item.get("importance", model.Importance.REQUIRED))
        weight = item.get("weight")
        requirements.append(model.Requirement(
            skill=resolver.ref(item["skill"]),
            importance=importance,
            weight=policy.weight_for(importance) if weight is None else weight,
            min_years=item.get("min_years"),
            to_confirm=item.get("to_confirm", False),
        ))
    education = data.get("education")
    return model.Job(
        external_id=data["external_id"],
        title=data["title"],
        industry=data.get("industry"),
        description=data.get("description"),
        status=model.JobStatus(data.get("status", model.JobStatus.OPEN)),
        requirements=tuple(requirements),
        min_total_years=data.get("min_total_years"),
        education=model.EducationRequirement(
            level=model.EducationLevel(education["level"]),
            experience_in_place_months=education.get("experience_in_place_months"),
        ) if education else None,
        policy_overrides=dict(data.get("policy_overrides") or {}),
    )


def offering_from_input(data: dict, resolver: SkillResolver,
                        issuers: IssuerDirectory) -> model.CredentialOffering:
    """A catalogue offering; its issuer must be in the registry."""
    issuer = issuers.match(data, "", required=True)
    assert issuer is not None  # required=True raised otherwise
    return model.CredentialOffering(
        id=0,
        name=data["name"],
        kind=model.CredentialKind(data["kind"]),
        issuer_id=issuer.id,
        skills=_refs(resolver, data.get("skills", ())),
        duration_weeks=data.get("duration_weeks"),
        cost=data.get("cost"),
        currency=data.get("currency", "USD"),
        delivery=model.Delivery(data.get("delivery", model.Delivery.ONLINE)),
        url=data.get("url"),
    )
