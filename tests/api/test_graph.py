"""/api/v1/jobs/{id}/graph: the evidence subgraph of a candidate for a job (DESIGN.md §4.1, §5).

Expected paths between skills are computed in the tests with the shared skill graph
(``api.wiring.taxonomy_graph()``), so they follow the bundled taxonomy as it changes;
the relation weights are the defaults of DESIGN.md §4.1.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

import networkx as nx
import pytest

from api.wiring import taxonomy_graph
from graph.skillgraph import SkillGraph
from graph.taxonomy import Taxonomy, load_taxonomy
from matcher.model import Skill, SkillSource
from matcher.proximity import PathStep
from tests.api.helpers import (
    ESCO_SQL,
    UNKNOWN_SKILL,
    Caller,
    assert_invalid,
    assert_problem,
    candidate_body,
    credential,
    experience,
    job_body,
    requirement,
    skill_body,
)

FELL_TREES = "http://data.europa.eu/esco/skill/b8cfe3d0-15a7-4be4-a7f1-f5141ed11f16"
# DESIGN.md §4.1: weight of one step toward the required skill, by relation.
STEP_WEIGHT = {"broader": 0.8, "narrower": 0.4, "related": 0.5, "same_group": 0.25}
GRAPHML = "application/graphml+xml"


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@pytest.fixture(scope="module")
def skills() -> SkillGraph:
    return taxonomy_graph()


# -- helpers ------------------------------------------------------------------------------

def evidence_graph(api: Caller, job_id: int, candidate_id: int, **params: object) -> dict:
    response = api.get(f"/jobs/{job_id}/graph",
                       query_string={"candidate_id": candidate_id, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["directed"] is True
    return body


def nodes_of(body: dict) -> dict[str, dict]:
    found = {n["id"]: n for n in body["nodes"]}
    assert len(found) == len(body["nodes"])
    return found


def links_of(body: dict) -> dict[tuple[str, str], dict]:
    found = {(link["source"], link["target"]): link for link in body["links"]}
    assert len(found) == len(body["links"])
    return found


def relations(steps: list[PathStep]) -> list[str]:
    return [step.relation for step in steps]


def path_links(steps: list[PathStep]) -> list[tuple[str, str, str]]:
    """The links a path adds: (source node, target node, relation)."""
    return [(f"skill:{a.skill_id}", f"skill:{b.skill_id}", b.relation)
            for a, b in pairwise(steps)]


def org_skill(created: dict) -> Skill:
    """The domain form of an organization skill the API answered with."""
    return Skill(id=created["id"], label=created["label"],
                 broader=tuple(b["skill_id"] for b in created["broader"]),
                 related=tuple(r["skill_id"] for r in created["related"]),
                 source=SkillSource.ORGANIZATION)


def structure(job: dict, candidate: dict) -> tuple[set[str], set[tuple[str, str]]]:
    """Nodes and links that do not depend on the skill graph's paths."""
    job_node, person = f"job:{job['id']}", f"candidate:{candidate['id']}"
    nodes, links = {job_node, person}, set()
    for position, req in enumerate(job["requirements"]):
        node = f"requirement:{job['id']}:{position}"
        nodes.add(node)
        links.add((job_node, node))
        if req["skill_id"] is not None:
            nodes.add(f"skill:{req['skill_id']}")
            links.add((node, f"skill:{req['skill_id']}"))
    for kind, items in (("credential", candidate["credentials"]),
                        ("experience", candidate["experience"])):
        for item in items:
            node = f"{kind}:{item['id']}"
            nodes.add(node)
            links.add((person, node))
            for ref in item["skills"]:
                if ref["skill_id"] is not None:
                    nodes.add(f"skill:{ref['skill_id']}")
                    links.add((node, f"skill:{ref['skill_id']}"))
    return nodes, links


def evidenced_ids(candidate: dict) -> set[str]:
    return {ref["skill_id"] for item in (*candidate["credentials"], *candidate["experience"])
            for ref in item["skills"] if ref["skill_id"] is not None}


def expected_paths(graph: SkillGraph, evidenced: Iterable[str], required: Iterable[str]
                   ) -> dict[tuple[str, str], list[PathStep]]:
    """Every non-trivial path from an evidenced to a required skill."""
    return {(t, s): graph.path(t, s) for t in evidenced for s in required
            if t != s and graph.proximity(t, s) > 0}


def assert_paths(body: dict, job: dict, candidate: dict, graph: SkillGraph) -> None:
    """The graph holds exactly the structure plus the links of every best path."""
    nodes, links = nodes_of(body), links_of(body)
    expected_nodes, structural = structure(job, candidate)
    required = {r["skill_id"] for r in job["requirements"] if r["skill_id"]}
    paths = expected_paths(graph, evidenced_ids(candidate), required)
    expected_links = set(structural)
    for steps in paths.values():
        for source, target, relation in path_links(steps):
            expected_nodes.update((source, target))
            expected_links.add((source, target))
            assert links[(source, target)]["relation"] == relation
            assert links[(source, target)]["weight"] == pytest.approx(STEP_WEIGHT[relation])
    assert set(nodes) == expected_nodes
    assert set(links) == expected_links
    for (source, target), link in links.items():
        if (source, target) not in structural:
            assert link["relation"] in STEP_WEIGHT, link
            assert link["weight"] == pytest.approx(STEP_WEIGHT[link["relation"]])
    for node_id, node in nodes.items():
        assert node["type"] == node_id.split(":", 1)[0], node
        if node["type"] == "skill":
            skill = graph.skill(node_id.removeprefix("skill:"))
            assert skill is not None and node["label"] == skill.label, node


# -- a fixture world ------------------------------------------------------------------------

@pytest.fixture
def analyst_job(api) -> dict:
    """SQL required, an unknown skill preferred, and a skill far from any evidence."""
    job = api.create("/jobs", job_body("req-7", "Analytics Engineer", requirements=[
        requirement("SQL", min_years=1),
        requirement(UNKNOWN_SKILL, importance="preferred"),
        requirement(FELL_TREES, importance="preferred"),
    ]))
    assert job["requirements"][0]["skill_id"] is not None
    assert [r["skill_id"] for r in job["requirements"][1:]] == [None, FELL_TREES]
    return job


@pytest.fixture
def window_functions(api, analyst_job) -> dict:
    """An organization skill declared narrower than the job's SQL."""
    sql = analyst_job["requirements"][0]["skill_id"]
    return api.create("/skills", skill_body("SQL window functions", aliases=["window queries"],
                                            broader=[sql]))


@pytest.fixture
def specialist(api, window_functions) -> dict:
    """Evidence of the organization skill only, by label and by alias."""
    candidate = api.create("/candidates", candidate_body("ats-7", "Grace Hopper", credentials=[
        credential("Advanced SQL Certificate", "certification",
                   skills=["SQL window functions", UNKNOWN_SKILL]),
    ], experience=[
        experience("Analytics Engineer", "2020-03-01", employer="Initech",
                   skills=["window queries"]),
        experience("Barista", "2016-05-01", end_date="2019-12-31"),
    ]))
    assert evidenced_ids(candidate) == {window_functions["id"]}
    return candidate


# -- node-link JSON ---------------------------------------------------------------------

def test_an_organization_skill_counts_toward_its_declared_parent(
        api, skills, analyst_job, window_functions, specialist):
    job, candidate = analyst_job, specialist
    sql = job["requirements"][0]["skill_id"]
    graph = skills.with_skills([org_skill(window_functions)])
    assert graph.proximity(window_functions["id"], FELL_TREES) == 0

    body = evidence_graph(api, job["id"], candidate["id"])

    nodes, links = nodes_of(body), links_of(body)
    job_node, person = f"job:{job['id']}", f"candidate:{candidate['id']}"
    [cert] = candidate["credentials"]
    [analyst, barista] = candidate["experience"]
    mine, parent = f"skill:{window_functions['id']}", f"skill:{sql}"
    expected_links = {
        (job_node, f"requirement:{job['id']}:0"), (job_node, f"requirement:{job['id']}:1"),
        (job_node, f"requirement:{job['id']}:2"),
        (f"requirement:{job['id']}:0", parent),
        (f"requirement:{job['id']}:2", f"skill:{FELL_TREES}"),
        (person, f"credential:{cert['id']}"), (person, f"experience:{analyst['id']}"),
        (person, f"experience:{barista['id']}"),
        (f"credential:{cert['id']}", mine), (f"experience:{analyst['id']}", mine),
        (mine, parent),
    }
    assert set(links) == expected_links
    assert set(nodes) == {node for link in expected_links for node in link}
    assert (links[(mine, parent)]["relation"], links[(mine, parent)]["weight"]) == (
        "broader", pytest.approx(0.8))

    assert (nodes[job_node]["type"], nodes[job_node]["label"]) == ("job", "Analytics Engineer")
    assert (nodes[person]["type"], nodes[person]["label"]) == ("candidate", "Grace Hopper")
    assert nodes[person]["external_id"] == "ats-7"
    assert nodes[f"credential:{cert['id']}"]["type"] == "credential"
    assert nodes[f"credential:{cert['id']}"]["label"] == "Advanced SQL Certificate"
    assert nodes[f"credential:{cert['id']}"]["kind"] == "certification"
    assert (nodes[f"experience:{analyst['id']}"]["type"],
            nodes[f"experience:{analyst['id']}"]["label"]) == ("experience", "Analytics Engineer")
    assert (nodes[mine]["type"], nodes[mine]["label"]) == ("skill", "SQL window functions")
    assert (nodes[parent]["type"], nodes[parent]["label"]) == ("skill", graph.skill(sql).label)
    for position, req in enumerate(job["requirements"]):
        node = nodes[f"requirement:{job['id']}:{position}"]
        assert (node["type"], node["label"], node["importance"]) == (
            "requirement", req["skill"], req["importance"])
        assert node["weight"] == req["weight"]
    assert_paths(body, job, candidate, graph)


def test_a_specialisation_of_an_organization_skill_goes_through_it(
        api, skills, analyst_job, window_functions):
    child = api.create("/skills", skill_body("Running totals",
                                             broader=[window_functions["id"]]))
    candidate = api.create("/candidates", candidate_body(experience=[
        experience("BI Developer", skills=["Running totals"])]))
    graph = skills.with_skills([org_skill(window_functions), org_skill(child)])
    sql = analyst_job["requirements"][0]["skill_id"]
    assert relations(graph.path(child["id"], sql)) == ["evidence", "broader", "broader"]

    body = evidence_graph(api, analyst_job["id"], candidate["id"])

    links = links_of(body)
    first = (f"skill:{child['id']}", f"skill:{window_functions['id']}")
    second = (f"skill:{window_functions['id']}", f"skill:{sql}")
    assert (links[first]["relation"], links[second]["relation"]) == ("broader", "broader")
    assert nodes_of(body)[first[1]]["label"] == "SQL window functions"
    assert nx.has_path(graph_of(body), f"candidate:{candidate['id']}", f"skill:{sql}")
    assert_paths(body, analyst_job, candidate, graph)


def first_pair(skills: SkillGraph, pairs: Iterable[tuple[str, str]], shape: list[str],
               used: set[str] | None = None) -> tuple[str, str]:
    """The first (evidenced, required) pair whose best path has this shape (and that
    shares no skill with ``used``, which it then joins)."""
    used = set() if used is None else used
    for t, s in pairs:
        if t not in used and s not in used and relations(skills.path(t, s)) == shape:
            used.update((t, s))
            return t, s
    raise AssertionError(f"no pair with a path {shape}")


def esco_pairs(taxonomy: Taxonomy, skills: SkillGraph) -> dict[str, tuple[str, str]]:
    """ESCO (evidenced, required) skill pairs, one per relation of DESIGN.md §4.1, no
    skill in two pairs."""
    esco = [s for s in taxonomy.skills if s.source == SkillSource.ESCO and s.digital]
    sql = taxonomy.get(ESCO_SQL)
    group_mates = [s.id for s in taxonomy.skills
                   if set(s.groups) & set(sql.groups) and s.id != ESCO_SQL]
    used: set[str] = set()
    pairs = {"broader": first_pair(skills, [(ESCO_SQL, p) for p in sql.broader],
                                   ["evidence", "broader"], used)}
    # SQL is the evidence of its group mate too
    pairs["same_group"] = first_pair(skills, ((ESCO_SQL, m) for m in group_mates),
                                     ["evidence", "same_group"], used - {ESCO_SQL})
    used.update(pairs["same_group"])
    pairs["narrower"] = first_pair(skills, ((s.broader[0], s.id) for s in esco if s.broader),
                                   ["evidence", "narrower"], used)
    pairs["related"] = first_pair(skills, ((s.id, r) for s in esco for r in s.related),
                                  ["evidence", "related"], used)
    return pairs


def test_esco_relations_are_path_links_with_their_weights(api, taxonomy, skills):
    pairs = esco_pairs(taxonomy, skills)
    evidenced = list(dict.fromkeys(t for t, _ in pairs.values()))
    required = list(dict.fromkeys(s for _, s in pairs.values()))
    assert not set(evidenced) & set(required)
    job = api.create("/jobs", job_body(requirements=[requirement(s) for s in required]))
    assert [r["skill_id"] for r in job["requirements"]] == required
    candidate = api.create("/candidates", candidate_body(
        credentials=[credential(skills=evidenced[:2])],
        experience=[experience(skills=evidenced[2:])]))
    assert evidenced_ids(candidate) == set(evidenced)

    body = evidence_graph(api, job["id"], candidate["id"])

    links = links_of(body)
    for relation, (t, s) in pairs.items():
        link = links[(f"skill:{t}", f"skill:{s}")]
        assert (link["relation"], link["weight"]) == (relation,
                                                      pytest.approx(STEP_WEIGHT[relation]))
    assert_paths(body, job, candidate, skills)


def test_an_extension_skill_counts_toward_its_esco_parent(api, taxonomy, skills):
    extension = [s for s in taxonomy.skills if s.source == SkillSource.EXTENSION and s.broader]
    if not extension:
        pytest.fail("no extension skill declares a broader skill: nothing joins ESCO")
    child, parent = first_pair(skills, ((s.id, p) for s in extension for p in s.broader),
                               ["evidence", "broader"])
    job = api.create("/jobs", job_body(requirements=[requirement(parent)]))
    candidate = api.create("/candidates", candidate_body(
        experience=[experience(skills=[taxonomy.get(child).label])]))
    assert candidate["experience"][0]["skills"][0]["skill_id"] == child

    body = evidence_graph(api, job["id"], candidate["id"])

    link = links_of(body)[(f"skill:{child}", f"skill:{parent}")]
    assert (link["relation"], link["weight"]) == ("broader", pytest.approx(0.8))
    assert_paths(body, job, candidate, skills)


def test_a_candidate_without_evidence_has_no_paths(api, skills, analyst_job):
    candidate = api.create("/candidates", candidate_body("ats-9", "No Evidence"))
    body = evidence_graph(api, analyst_job["id"], candidate["id"])
    nodes, links = nodes_of(body), links_of(body)
    person = f"candidate:{candidate['id']}"
    assert person in nodes
    assert not any(source == person or target == person for source, target in links)
    assert {link["relation"] for link in body["links"]} & set(STEP_WEIGHT) == set()
    assert_paths(body, analyst_job, candidate, skills)


def graph_of(body: dict) -> nx.DiGraph:
    return nx.node_link_graph(body, edges="links")


def test_the_candidate_reaches_the_required_skill_only_through_evidence(
        api, analyst_job, specialist):
    body = evidence_graph(api, analyst_job["id"], specialist["id"])
    g = graph_of(body)
    person = f"candidate:{specialist['id']}"
    sql = f"skill:{analyst_job['requirements'][0]['skill_id']}"
    route = nx.shortest_path(g, person, sql)
    assert [g.nodes[n]["type"] for n in route] in (["candidate", "credential", "skill", "skill"],
                                                   ["candidate", "experience", "skill", "skill"])
    assert not nx.has_path(g, person, f"skill:{FELL_TREES}")
    assert nx.has_path(g, f"job:{analyst_job['id']}", sql)


# -- GraphML -----------------------------------------------------------------------------

def test_graphml_holds_the_same_graph(api, analyst_job, specialist):
    as_json = evidence_graph(api, analyst_job["id"], specialist["id"])
    response = api.get(f"/jobs/{analyst_job['id']}/graph",
                       query_string={"candidate_id": specialist["id"], "format": "graphml"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == GRAPHML
    parsed = nx.parse_graphml(response.get_data(as_text=True))
    assert parsed.is_directed()
    assert set(parsed.nodes) == set(nodes_of(as_json))
    assert set(parsed.edges) == set(links_of(as_json))
    for node_id, node in nodes_of(as_json).items():
        assert (parsed.nodes[node_id]["type"], parsed.nodes[node_id]["label"]) == (
            node["type"], node["label"])
    for (source, target), link in links_of(as_json).items():
        assert parsed.edges[source, target].get("relation") == link.get("relation")
        if "weight" in link:
            assert float(parsed.edges[source, target]["weight"]) == pytest.approx(link["weight"])


# -- errors and tenancy -----------------------------------------------------------------

@pytest.mark.parametrize(("query", "path"), [
    ({"format": "xml"}, "query.format"),
    ({"format": ""}, "query.format"),
    ({"candidate_id": None}, "query.candidate_id"),
    ({"candidate_id": "abc"}, "query.candidate_id"),
    ({"candidate_id": 0}, "query.candidate_id"),
    ({"candidate_id": 2**31}, "query.candidate_id"),
], ids=["xml", "empty-format", "no-candidate", "not-a-number", "zero", "too-large"])
def test_bad_arguments_are_422(api, analyst_job, specialist, query, path):
    params = {k: v for k, v in {"candidate_id": specialist["id"], **query}.items()
              if v is not None}
    assert_invalid(api.get(f"/jobs/{analyst_job['id']}/graph", query_string=params), path)


def test_unknown_ids_are_404(api, analyst_job, specialist):
    assert_problem(api.get(f"/jobs/{analyst_job['id'] + 1000}/graph",
                           query_string={"candidate_id": specialist["id"]}), 404)
    assert_problem(api.get(f"/jobs/{analyst_job['id']}/graph",
                           query_string={"candidate_id": specialist["id"] + 1000}), 404)


def test_another_organizations_job_or_candidate_is_404(api, other_api, analyst_job, specialist):
    their_job = other_api.create("/jobs", job_body("req-7", requirements=[requirement("SQL")]))
    their_candidate = other_api.create("/candidates", candidate_body("ats-7", experience=[
        experience(skills=["SQL"])]))
    for caller, job_id, candidate_id in (
            (api, their_job["id"], specialist["id"]),
            (api, analyst_job["id"], their_candidate["id"]),
            (api, their_job["id"], their_candidate["id"]),
            (other_api, analyst_job["id"], specialist["id"]),
            (other_api, analyst_job["id"], their_candidate["id"]),
            (other_api, their_job["id"], specialist["id"])):
        for fmt in ("json", "graphml"):
            response = caller.get(f"/jobs/{job_id}/graph",
                                  query_string={"candidate_id": candidate_id, "format": fmt})
            assert_problem(response, 404)
    assert evidence_graph(other_api, their_job["id"], their_candidate["id"])["nodes"]


def test_another_organizations_skills_do_not_link(api, other_api, skills, analyst_job,
                                                  window_functions, specialist):
    """The other organization's same-named skill resolves there to nothing of ours."""
    sql = analyst_job["requirements"][0]["skill_id"]
    their_job = other_api.create("/jobs", job_body(requirements=[requirement("SQL")]))
    theirs = other_api.create("/candidates", candidate_body(experience=[
        experience(skills=["SQL window functions"])]))
    assert theirs["experience"][0]["skills"][0]["skill_id"] != window_functions["id"]
    body = evidence_graph(other_api, their_job["id"], theirs["id"])
    assert f"skill:{window_functions['id']}" not in nodes_of(body)
    assert_paths(body, their_job, theirs, skills)
    assert f"skill:{sql}" in nodes_of(evidence_graph(api, analyst_job["id"], specialist["id"]))
