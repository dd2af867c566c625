"""The ranking benchmark's baselines compute what the index computes (no timings here)."""

from __future__ import annotations

import pytest

from bench.ranking import run_size
from bench.ranking_data import AS_OF, load_workload
from bench.ranking_sql import Floor, SqlRanker, job_vector, requirement_columns
from graph.skillgraph import SkillGraph
from graph.taxonomy import load_taxonomy
from matcher.index import CandidateIndex, RankingInput

N = 400


@pytest.fixture(scope="module")
def setting():
    taxonomy = load_taxonomy()
    graph = SkillGraph(taxonomy.skills, taxonomy.groups)
    proximity = graph.compile()
    return load_workload(N), graph, proximity


def test_workload_is_resolved_and_numbered(setting) -> None:
    work, _, _ = setting
    assert [c.id for c in work.candidates] == list(range(1, N + 1))
    assert len(work.job.requirements) == 20
    assert all(r.skill.skill_id for r in work.job.requirements)
    issuers = {c.issuer_id for p in work.candidates for c in p.credentials}
    assert None in issuers and issuers - {None}  # registry and unknown issuers both occur


def test_sql_ranks_like_the_index(setting) -> None:
    work, _, proximity = setting
    matrix = proximity.matrix.tocsc()
    data = RankingInput(as_of=AS_OF, issuers={i.id: i for i in work.issuers},
                        issuers_version=1, proximity_ids=proximity.ids, proximity=matrix)
    page = CandidateIndex.build(work.candidates).rank(work.job, data, limit=50)
    ev = work.evidence
    columns = requirement_columns(work.job, ev.skill_ids, proximity.ids, matrix)
    sql = SqlRanker()
    sql.load([c.external_id for c in work.candidates], ev.skill_ids,
             ev.credential_rows(N), ev.experience_rows(N))
    rows = sql.rank(sql.query(work.job, columns, limit=50))
    assert [r[0] for r in rows] == [r.candidate_id for r in page.items]
    for row, ranked in zip(rows, page.items, strict=True):
        assert row[2] == pytest.approx(ranked.score, abs=1e-9)
        assert bool(row[3]) == ranked.qualified and row[4] == ranked.required_met

    floor = Floor.build(N, len(ev.skill_ids), ev.credential_rows(N), ev.experience_rows(N))
    top = floor.rank(job_vector(work.job, columns, len(ev.skill_ids)), 50)
    assert len(set(top.tolist())) == 50 and top.max() < N


def test_run_size_cross_checks_pass(setting) -> None:
    work, graph, _ = setting
    figures = run_size(work, graph, N, runs=2, sql_budget_s=0.0)
    explained, sql = figures.checks[0], figures.checks[1]
    assert explained.startswith("explanations vs index") and "order same" in explained
    assert "50/50 same candidate" in sql
    assert figures.memory["total"] >= figures.nbytes_mb > 0
