"""Per-request wiring: repositories, skill resolver and skill graph of the caller's tenant."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from flask import g

from api.audit import record
from api.auth import current_principal
from api.db import get_session
from api.repositories.candidates import CandidateRepository
from api.repositories.catalog import OfferingRepository
from api.repositories.issuers import IssuerRepository
from api.repositories.jobs import JobRepository
from api.repositories.rankings import RankingRunRepository
from api.repositories.skills import OrgSkillRepository
from api.repositories.status_lists import StatusListRepository
from graph.skillgraph import SkillGraph
from graph.taxonomy import load_taxonomy, taxonomy_resolver
from matcher.mentions import MentionFinder
from matcher.skills import SkillResolver

__all__ = ["candidates", "catalog", "commit", "issuers", "jobs", "mention_finder",
           "organization_id", "rankings", "skill_graph", "skill_resolver", "skills",
           "status_lists", "taxonomy_graph"]

_GRAPH_CACHE_SIZE = 32
_graphs: OrderedDict[tuple, SkillGraph] = OrderedDict()
_graphs_lock = threading.Lock()
_FINDER_CACHE_SIZE = 8
_finders: OrderedDict[tuple, MentionFinder] = OrderedDict()
T = TypeVar("T")


def _org() -> int:
    return current_principal().organization_id


def organization_id() -> int:
    """The caller's organization."""
    return _org()


def rankings() -> RankingRunRepository:
    return RankingRunRepository(get_session(), _org())


def issuers() -> IssuerRepository:
    return IssuerRepository(get_session(), _org())


def candidates() -> CandidateRepository:
    return CandidateRepository(get_session(), _org())


def jobs() -> JobRepository:
    return JobRepository(get_session(), _org())


def catalog() -> OfferingRepository:
    return OfferingRepository(get_session(), _org())


def skills() -> OrgSkillRepository:
    return OrgSkillRepository(get_session(), _org())


def skill_resolver() -> SkillResolver:
    """The organization's own skills layered over the shared taxonomy."""
    if "skill_resolver" not in g:
        g.skill_resolver = taxonomy_resolver().with_skills(skills().all())
    return g.skill_resolver


@lru_cache(maxsize=1)
def taxonomy_graph() -> SkillGraph:
    """The skill graph of the shared taxonomy, built once per process."""
    taxonomy = load_taxonomy()
    return SkillGraph(taxonomy.skills, taxonomy.groups)


def skill_graph() -> SkillGraph:
    """The shared graph plus the organization's skills (cached per organization version)."""
    if "skill_graph" not in g:
        g.skill_graph = _per_skills_version(
            _graphs, _GRAPH_CACHE_SIZE, lambda repo: taxonomy_graph().with_skills(repo.all()))
    return g.skill_graph


def status_lists() -> StatusListRepository:
    return StatusListRepository(get_session(), _org())


def mention_finder() -> MentionFinder:
    """Skill mentions in free text for the organization (built in ~0.7 s, so cached)."""
    if "mention_finder" not in g:
        g.mention_finder = _per_skills_version(
            _finders, _FINDER_CACHE_SIZE, lambda _repo: MentionFinder(skill_resolver()))
    return g.mention_finder


def _per_skills_version(cache: OrderedDict, size: int,
                        build: Callable[[OrgSkillRepository], T]) -> T:
    """What ``build`` makes for the organization's current skills, kept in an LRU cache.

    Built outside the lock: two requests may both build once, which beats serialising
    every organization behind one slow build.
    """
    repo = skills()
    key = (repo.organization_id, *repo.version())
    with _graphs_lock:
        found = cache.get(key)
        if found is not None:
            cache.move_to_end(key)
            return found
    built = build(repo)
    with _graphs_lock:
        cache[key] = built
        while len(cache) > size:
            cache.popitem(last=False)
    return built


def commit(**audit: object) -> None:
    """Commit the request's change together with its audit event (``api.audit.record``)."""
    session = get_session()
    record(session, **audit)  # type: ignore[arg-type]
    session.commit()
