"""Proximity p(t, s) and explanation paths exactly as DESIGN.md §4.1."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.skillgraph import SkillGraph
from graph.taxonomy import load_taxonomy
from matcher.model import Skill
from matcher.policy import DEFAULT_POLICY, ScoringPolicy
from matcher.proximity import SkillProximity

P = DEFAULT_POLICY
UP, DOWN, REL = P.proximity_narrower, P.proximity_broader, P.proximity_related


def chain_graph() -> SkillGraph:
    """a4 -> a3 -> a2 -> a1 -> a0 (each broader than the previous), plus side links."""
    skills = [Skill("a0", "A0", groups=("g1",)),
              *(Skill(f"a{i}", f"A{i}", broader=(f"a{i - 1}",)) for i in range(1, 5)),
              Skill("sib", "Sibling", broader=("a1",)),
              Skill("rel", "Related", related=("a2",)),
              Skill("loner", "Loner", groups=("g1",)),
              Skill("other", "Other", groups=("g2",))]
    return SkillGraph(skills, {"g1": "Group one", "g2": "Group two"})


@pytest.mark.parametrize(("t", "s", "expected"), [
    ("a2", "a2", 1.0),                    # same concept
    ("a2", "a1", UP),                     # t narrower than s: one hop up
    ("a3", "a1", UP * UP),
    ("a4", "a1", UP ** 3),                # three hops: the limit
    ("a4", "a0", 0.0),                    # four hops: too far
    ("a1", "a2", DOWN),                   # t broader than s: one hop down
    ("a1", "a3", 0.0),                    # 0.4 * 0.4 = 0.16 is under the floor
    ("rel", "a2", REL),                   # related link, both ways
    ("a2", "rel", REL),
    ("rel", "a1", REL * UP),              # related, then up
    ("sib", "a2", UP * DOWN),             # up to the shared parent, down again
    ("loner", "a0", P.proximity_same_group),  # only the same skill group links them
    ("loner", "other", 0.0),
    ("a0", "unknown", 0.0),
])
def test_proximity_values(t: str, s: str, expected: float) -> None:
    graph = chain_graph()
    assert graph.proximity(t, s) == pytest.approx(expected)
    assert graph.compile().get(t, s) == pytest.approx(expected)


def test_same_group_credit_yields_to_a_better_path() -> None:
    skills = [Skill("p", "P", groups=("g",)), Skill("c", "C", broader=("p",), groups=("g",))]
    assert SkillGraph(skills, {"g": "G"}).proximity("c", "p") == UP


def test_skill_groups_are_not_traversed() -> None:
    # x and y are each filed under a different group, and the groups share a parent:
    skills = [Skill("x", "X", groups=("gx",)), Skill("y", "Y", groups=("gy",))]
    graph = SkillGraph(skills, {"gx": "GX", "gy": "GY"})
    assert graph.proximity("x", "y") == 0.0


def test_paths_name_every_step_and_its_relation() -> None:
    graph = chain_graph()
    path = graph.path("rel", "a1")
    assert [(p.skill_id, p.relation) for p in path] == [
        ("rel", "evidence"), ("a2", "related"), ("a1", "broader")]
    assert [p.label for p in path] == ["Related", "A2", "A1"]
    assert [p.relation for p in graph.path("loner", "a0")] == ["evidence", "same_group"]
    assert graph.path("a4", "a0") == []


def test_the_best_of_several_paths_wins() -> None:
    # x reaches s directly by a related link (0.5) and by two hops up (0.64).
    skills = [Skill("s", "S"), Skill("m", "M", broader=("s",)),
              Skill("x", "X", broader=("m",), related=("s",))]
    graph = SkillGraph(skills)
    assert graph.proximity("x", "s") == pytest.approx(UP * UP)
    assert [p.relation for p in graph.path("x", "s")] == ["evidence", "broader", "broader"]


def test_policy_weights_are_honoured() -> None:
    policy = ScoringPolicy(proximity_narrower=0.9, proximity_max_hops=1)
    skills = [Skill("a", "A"), Skill("b", "B", broader=("a",)), Skill("c", "C", broader=("b",))]
    graph = SkillGraph(skills, policy=policy)
    assert graph.proximity("b", "a") == pytest.approx(0.9)
    assert graph.proximity("c", "a") == 0.0
    assert graph.compile().get("c", "a") == 0.0


def test_the_graph_satisfies_the_matcher_protocol() -> None:
    assert isinstance(chain_graph(), SkillProximity)


def test_organization_skills_join_through_their_parents() -> None:
    base = chain_graph()
    joined = base.with_skills([Skill("custom:acme", "Acme", broader=("a2",))])
    assert joined.proximity("custom:acme", "a1") == pytest.approx(UP * UP)
    assert "custom:acme" not in base  # the shared graph is untouched


@st.composite
def random_taxonomies(draw: st.DrawFn) -> list[Skill]:
    n = draw(st.integers(2, 12))
    ids = [f"s{i}" for i in range(n)]
    skills = []
    for i, skill_id in enumerate(ids):
        broader = draw(st.lists(st.sampled_from(ids[:i] or ids), max_size=2, unique=True))
        related = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))
        groups = draw(st.lists(st.sampled_from(["g1", "g2", "g3"]), max_size=1))
        skills.append(Skill(skill_id, skill_id.upper(), broader=tuple(broader),
                            related=tuple(related), groups=tuple(groups)))
    return skills


@settings(max_examples=150, deadline=None)
@given(random_taxonomies())
def test_the_compiled_matrix_equals_the_reference_on_random_graphs(skills: list[Skill]) -> None:
    graph = SkillGraph(skills, {"g1": "", "g2": "", "g3": ""})
    matrix = graph.compile()
    for t in skills:
        for s in skills:
            assert matrix.get(t.id, s.id) == pytest.approx(graph.proximity(t.id, s.id),
                                                           abs=1e-12)
            path = graph.path(t.id, s.id)
            assert bool(path) == (graph.proximity(t.id, s.id) > 0)


def test_the_compiled_matrix_equals_the_reference_on_the_taxonomy() -> None:
    taxonomy = load_taxonomy()
    graph = SkillGraph(taxonomy.skills, taxonomy.groups)
    rng = random.Random(7)
    in_use = rng.sample([s.id for s in taxonomy.skills], 400)
    matrix = graph.compile(in_use)
    rows, cols = matrix.matrix.nonzero()
    pairs = [(in_use[r], in_use[c]) for r, c in zip(rows, cols, strict=True)]
    pairs += [(rng.choice(in_use), rng.choice(in_use)) for _ in range(500)]
    for t, s in pairs:
        assert matrix.get(t, s) == pytest.approx(graph.proximity(t, s), abs=1e-12), (t, s)
    assert matrix.matrix.shape == (400, 400)
