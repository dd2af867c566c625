"""The standards benchmark measures working paths (no timings asserted)."""

from __future__ import annotations

import pytest

from bench.standards import badge_cases, bench_badges, bench_postings, bench_resumes
from graph.taxonomy import taxonomy_resolver
from matcher.mentions import MentionFinder
from matcher.skills import SkillResolver


@pytest.fixture(scope="module")
def finder() -> MentionFinder:
    return MentionFinder(taxonomy_resolver())


def test_every_badge_format_verifies_and_gets_a_rate() -> None:
    timings = bench_badges(runs=3, budget_s=0.0)
    assert [case.label for case in badge_cases()] == list(timings)
    assert {label.split()[0] for label in timings} == {"OB3", "OB2"}
    for timing in timings.values():
        assert len(timing.seconds) == 3
        assert timing.per_s > 0 and timing.median_ms > 0


def test_a_badge_case_refuses_a_wrong_expectation() -> None:
    case = badge_cases()[1]
    wrong = type(case)(case.label, case.document, [], case.lists, case.method)
    with pytest.raises(AssertionError, match="unverified"):
        wrong.verify()  # without the registry the VC-JWT proves nothing


def test_the_imports_find_skills_and_get_rates(finder: MentionFinder) -> None:
    resolver: SkillResolver = finder.resolver
    timing, skills = bench_resumes(resolver, finder, runs=3, budget_s=0.0)
    assert timing.per_s > 0 and len(timing.seconds) == 3 and skills >= 10
    timing, requirements = bench_postings(resolver, finder, runs=3, budget_s=0.0)
    assert timing.per_s > 0 and len(timing.seconds) == 3 and requirements >= 3
