"""The evidence subgraph of one candidate for one job, for people and for tools.

Edges run from the evidence toward what the job asks for::

    candidate -> credential / experience -> evidenced skill -(path)-> required skill
    job -> requirement -> required skill

so every route from the candidate to a required skill is a reason the candidate
counts for it. Path edges carry the relation (``broader``, ``narrower``,
``related``, ``same_group``) and the proximity weight of their step.

Examples
--------
>>> from datetime import date
>>> from matcher import model
>>> from graph.skillgraph import SkillGraph
>>> skills = SkillGraph([model.Skill("sql", "SQL"),
...                      model.Skill("pg", "PostgreSQL", broader=("sql",))])
>>> job = model.Job("J1", "Analyst", (model.Requirement(model.SkillRef("SQL", "sql")),), id=1)
>>> person = model.Candidate("C1", "Ana", experience=(model.Experience(
...     "DBA", date(2020, 1, 1), skills=(model.SkillRef("Postgres", "pg"),), id=7),), id=3)
>>> g = evidence_subgraph(job, person, skills)
>>> import networkx as nx
>>> nx.has_path(g, "candidate:3", "requirement:1:0")
False
>>> nx.has_path(g, "candidate:3", "skill:sql")
True
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

import networkx as nx

from graph.skillgraph import SkillGraph
from matcher import model

__all__ = ["evidence_subgraph", "node_attributes"]


def node_attributes(**attributes: object) -> dict:
    """Attributes without ``None`` (GraphML cannot hold it)."""
    return {k: v for k, v in attributes.items() if v is not None}


def _evidence(candidate: model.Candidate) -> Iterable[tuple[str, dict, str, tuple]]:
    for k in candidate.credentials:
        yield (f"credential:{k.id}",
               node_attributes(type="credential", label=k.name, kind=k.kind.value,
                               issuer=k.issuer_name, verification=k.verification.status.value,
                               issued_on=k.issued_on and k.issued_on.isoformat(),
                               expires_on=k.expires_on and k.expires_on.isoformat()),
               "holds", k.skills)
    for e in candidate.experience:
        yield (f"experience:{e.id}",
               node_attributes(type="experience", label=e.title, employer=e.employer,
                               start_date=e.start_date.isoformat(),
                               end_date=e.end_date and e.end_date.isoformat()),
               "worked_as", e.skills)


def _skill_node(g: nx.DiGraph, skills: SkillGraph, skill_id: str, fallback: str) -> str:
    node = f"skill:{skill_id}"
    if node not in g:
        known = skills.skill(skill_id)
        g.add_node(node, type="skill", label=known.label if known else fallback,
                   skill_id=skill_id)
    return node


def evidence_subgraph(job: model.Job, candidate: model.Candidate,
                      skills: SkillGraph) -> nx.DiGraph:
    """job -> requirements -> skills <- (paths) <- credentials and experience <- candidate."""
    g = nx.DiGraph(job_id=job.id, candidate_id=candidate.id)
    job_node, person = f"job:{job.id}", f"candidate:{candidate.id}"
    g.add_node(job_node, type="job", label=job.title)
    g.add_node(person, type="candidate", label=candidate.name,
               external_id=candidate.external_id)
    evidenced: set[str] = set()
    for node, attributes, relation, refs in _evidence(candidate):
        g.add_node(node, **attributes)
        g.add_edge(person, node, relation=relation)
        for ref in refs:
            if ref.skill_id is not None:
                g.add_edge(node, _skill_node(g, skills, ref.skill_id, ref.name),
                           relation="evidences")
                evidenced.add(ref.skill_id)
    for position, requirement in enumerate(job.requirements):
        node = f"requirement:{job.id}:{position}"
        g.add_node(node, **node_attributes(
            type="requirement", label=requirement.skill.name,
            importance=requirement.importance.value, weight=requirement.weight,
            min_years=requirement.min_years))
        g.add_edge(job_node, node, relation="requires")
        required = requirement.skill.skill_id
        if required is None:
            continue
        g.add_edge(node, _skill_node(g, skills, required, requirement.skill.name),
                   relation="asks_for")
        best = 0.0
        for t in sorted(evidenced):
            best = max(best, _add_path(g, skills, t, required))
        g.nodes[node]["proximity"] = best
    return g


def _add_path(g: nx.DiGraph, skills: SkillGraph, evidenced: str, required: str) -> float:
    value = skills.proximity(evidenced, required)
    steps = skills.path(evidenced, required) if value > 0 else []
    for before, after in pairwise(steps):
        source = _skill_node(g, skills, before.skill_id, before.label)
        target = _skill_node(g, skills, after.skill_id, after.label)
        g.add_edge(source, target, relation=after.relation,
                   weight=_step_weight(skills, after.relation))
    return value


def _step_weight(skills: SkillGraph, relation: str) -> float:
    policy = skills.policy
    return {"broader": policy.proximity_narrower, "narrower": policy.proximity_broader,
            "related": policy.proximity_related,
            "same_group": policy.proximity_same_group}[relation]
