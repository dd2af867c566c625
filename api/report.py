"""Readable renderings of a ranking for the terminal (``talentmatch rank``)."""

from __future__ import annotations

import json

from matcher.scoring import CandidateResult

__all__ = ["ranking_json", "ranking_table"]


def _status(result: CandidateResult) -> str:
    if result.qualified:
        return "qualified"
    return "trainable" if result.trainable else "not qualified"


def _gaps(result: CandidateResult) -> str:
    parts = []
    for gap in result.gaps:
        offer = gap.offerings[0] if gap.offerings else None
        hint = f" ({offer.name}, {offer.duration_weeks:g} wk)" if offer and \
            offer.duration_weeks else ""
        parts.append(gap.requirement.skill.name + hint)
    return "; ".join(parts) or "-"


def ranking_table(ranking) -> str:
    """A fixed-width table: rank, candidate, score, status, requirements met, gaps."""
    required = sum(1 for r in ranking.job.requirements if r.importance.value == "required")
    lines = [f"{ranking.job.title}: {ranking.total} candidates, top {len(ranking.results)}",
             f"{'#':>3}  {'candidate':<28} {'score':>6}  {'status':<13} {'met':>5}  gaps"]
    for rank, result in enumerate(ranking.results, 1):
        who = f"{result.candidate.name} ({result.candidate.external_id})"[:28]
        lines.append(f"{rank:>3}  {who:<28} {result.score:>6.2f}  {_status(result):<13} "
                     f"{result.required_met:>2}/{required:<2}  {_gaps(result)}")
    return "\n".join(lines)


def ranking_json(ranking) -> str:
    """Results with per-requirement matches, as JSON."""
    return json.dumps({
        "job": ranking.job.title, "total": ranking.total,
        "results": [{
            "rank": rank, "external_id": r.candidate.external_id, "name": r.candidate.name,
            "score": r.score, "qualified": r.qualified, "trainable": r.trainable,
            "required_met": r.required_met, "unmet": list(r.unmet),
            "requirements": [{"skill": q.requirement.skill.name,
                              "skill_id": q.requirement.skill.skill_id, "match": q.match,
                              "contribution": q.contribution, "corroborated": q.corroborated,
                              "path": [p.label for p in q.path]} for q in r.requirements],
            "gaps": [{"skill": g.requirement.skill.name,
                      "offerings": [o.name for o in g.offerings]} for g in r.gaps],
        } for rank, r in enumerate(ranking.results, 1)],
    }, indent=2)
