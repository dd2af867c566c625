"""Whatever document they are given, the importers map it or raise DocumentError.

A DocumentError is a 422 with a path; anything else would be a 500. Real documents with one
member replaced by an arbitrary JSON value are the inputs most likely to reach deep code.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.taxonomy import taxonomy_resolver
from matcher.mentions import MentionFinder
from standards.badges import badge_to_credential
from standards.ctdl import ctdl_to_registry
from standards.errors import DocumentError
from standards.job_posting import posting_to_job
from standards.json_resume import resume_to_candidate
from standards.result import ImportResult
from tests.json_edits import paths, replaced

DATA = Path(__file__).resolve().parent / "data"
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
    | st.text(max_size=8) | st.sampled_from(["2020", "2020-13", "P3W", "Python", "SQL", ""]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=6) | st.sampled_from(
        ["name", "@type", "@id", "startDate", "skills", "keywords", "ceterms:name"]),
        inner, max_size=3),
    max_leaves=10)


@cache
def finder() -> MentionFinder:
    return MentionFinder(taxonomy_resolver())


def _documents(folder: str) -> list[Any]:
    # strict=False: one official example holds a raw tab inside a string.
    return [json.loads(p.read_text("utf-8"), strict=False)
            for p in sorted((DATA / folder).glob("*.json"))
            if "schema" not in p.name and "context" not in p.name]


def mutated(folder: str) -> st.SearchStrategy:
    documents = _documents(folder)
    return st.sampled_from(documents).flatmap(
        lambda d: st.tuples(st.sampled_from(paths(d)), JSON).map(
            lambda pv: replaced(d, pv[0], pv[1]))) | JSON


IMPORTERS = {
    "json_resume": lambda doc: resume_to_candidate(doc, external_id=None,
                                                   resolver=taxonomy_resolver(),
                                                   finder=finder(), today=date(2026, 1, 1)),
    "job_posting": lambda doc: posting_to_job(doc, external_id=None,
                                              resolver=taxonomy_resolver(), finder=finder(),
                                              today=date(2026, 1, 1)),
    "ctdl": lambda doc: ctdl_to_registry(doc, resolver=taxonomy_resolver()),
    "badges": lambda doc: badge_to_credential(doc, resolver=taxonomy_resolver()).result,
}


def _answers(folder: str, document: Any) -> None:
    try:
        result = IMPORTERS[folder](document)
    except DocumentError as error:
        assert error.errors and all(isinstance(k, str) for k in error.errors)
        return
    assert isinstance(result, ImportResult) and isinstance(result.body, dict)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated("json_resume"))
def test_json_resume_import_never_crashes(document: Any) -> None:
    _answers("json_resume", document)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated("job_posting"))
def test_job_posting_import_never_crashes(document: Any) -> None:
    _answers("job_posting", document)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated("ctdl"))
def test_ctdl_import_never_crashes(document: Any) -> None:
    _answers("ctdl", document)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated("badges"))
def test_badge_mapping_never_crashes(document: Any) -> None:
    _answers("badges", document)


def test_the_mutation_strategy_reaches_inner_members() -> None:
    (dana, _lee) = _documents("json_resume")
    found = paths(dana)
    assert ("work", 0, "startDate") in found
    assert replaced(dana, ("work", 0, "startDate"), 5)["work"][0]["startDate"] == 5
