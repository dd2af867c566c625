"""Ranking files offline: no server, no database (``talentmatch rank``).

The job and candidates are read in the API's own formats and validated by
the same schemas; skills resolve against the bundled taxonomy; the same
index and reference scorer rank and explain.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import marshmallow as ma

from api.errors import flatten_messages
from api.intake import IssuerDirectory, candidate_from_input, job_from_input, skill_names
from api.repositories.issuers import name_key
from api.schemas.candidates import CandidateInSchema
from api.schemas.catalog import OfferingInSchema
from api.schemas.issuers import IssuerInSchema
from api.schemas.jobs import JobInSchema
from graph.skillgraph import SkillGraph
from graph.taxonomy import load_taxonomy, taxonomy_resolver
from matcher import model
from matcher.index import CandidateIndex, RankingInput, explain_page
from matcher.policy import DEFAULT_POLICY
from matcher.scoring import CandidateResult, Context
from matcher.skills import ResolvedNames

__all__ = ["OfflineError", "rank_files"]


class OfflineError(ValueError):
    """An input file is unreadable or invalid; the message says where."""


@dataclass(frozen=True)
class OfflineRanking:
    job: model.Job
    total: int
    results: list[CandidateResult]


def _load(schema: ma.Schema, data: object, where: str) -> dict:
    try:
        return schema.load(data)
    except ma.ValidationError as error:
        problems = "; ".join(f"{path}: {' '.join(msgs)}"
                             for path, msgs in flatten_messages(error.messages).items())
        raise OfflineError(f"{where}: {problems}") from None


def _json(path: Path) -> object:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise OfflineError(f"{path}: {error}") from None


def _lines(path: Path) -> Iterator[tuple[int, object]]:
    try:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if line.strip():
                    try:
                        yield number, json.loads(line)
                    except ValueError as error:
                        raise OfflineError(f"{path}:{number}: {error}") from None
    except OSError as error:
        raise OfflineError(f"{path}: {error}") from None


def _registry(path: Path | None) -> IssuerDirectory:
    if path is None:
        return IssuerDirectory({}, {})
    bodies = _json(path)
    if not isinstance(bodies, list):
        raise OfflineError(f"{path}: expected a JSON list of issuers")
    issuers = []
    for i, body in enumerate(bodies):
        data = _load(IssuerInSchema(), body, f"{path}[{i}]")
        issuers.append(model.Issuer(
            id=i + 1, name=data["name"], industry_recognized=data["industry_recognized"],
            accreditations=tuple(model.Accreditation(**a) for a in data["accreditations"])))
    return IssuerDirectory({name_key(x.name): x for x in issuers}, {x.id: x for x in issuers})


def _catalog(path: Path | None, registry: IssuerDirectory) -> list[model.CredentialOffering]:
    if path is None:
        return []
    bodies = _json(path)
    if not isinstance(bodies, list):
        raise OfflineError(f"{path}: expected a JSON list of offerings")
    resolver = taxonomy_resolver()
    offerings = []
    for i, body in enumerate(bodies):
        data = _load(OfferingInSchema(), body, f"{path}[{i}]")
        issuer = registry.by_name.get(name_key(data.get("issuer") or "")) or \
            registry.by_id.get(data.get("issuer_id") or 0)
        if issuer is None:
            raise OfflineError(f"{path}[{i}]: issuer not in the --issuers registry")
        offerings.append(model.CredentialOffering(
            id=i + 1, name=data["name"], kind=model.CredentialKind(data["kind"]),
            issuer_id=issuer.id, skills=resolver.refs(data["skills"]),
            duration_weeks=data.get("duration_weeks"), cost=data.get("cost"),
            currency=data["currency"], delivery=model.Delivery(data["delivery"])))
    return offerings


def rank_files(job_file: Path, candidates_file: Path, *, top: int = 20,
               issuers_file: Path | None = None, catalog_file: Path | None = None,
               mode: str | None = None, as_of: date | None = None) -> OfflineRanking:
    """Rank the candidates of a JSON-lines file for the job of a JSON file."""
    resolver = taxonomy_resolver()
    job = job_from_input(_load(JobInSchema(), _json(job_file), str(job_file)), resolver)
    job = replace(job, id=1)
    registry = _registry(issuers_file)
    bodies = [_load(CandidateInSchema(), body, f"{candidates_file}:{number}")
              for number, body in _lines(candidates_file)]
    names = ResolvedNames(resolver, skill_names(bodies))
    candidates = [replace(candidate_from_input(b, names, registry), id=i + 1)
                  for i, b in enumerate(bodies)]
    taxonomy = load_taxonomy()
    graph = SkillGraph(taxonomy.skills, taxonomy.groups)
    proximity = graph.compiled()
    as_of = as_of or date.today()
    policy = DEFAULT_POLICY.with_overrides(job.policy_overrides)
    page = CandidateIndex.build(candidates).rank(job, RankingInput(
        as_of=as_of, policy=policy, issuers=registry.by_id, issuers_version=0,
        proximity_ids=proximity.ids, proximity=proximity.csc()), limit=top, mode=mode)
    context = Context(as_of=as_of, policy=policy, proximity=graph, issuers=registry.by_id,
                      offerings=_catalog(catalog_file, registry))
    by_id = {c.id: c for c in candidates}
    return OfflineRanking(job, page.total, explain_page(job, page, lambda _ids: by_id, context))
