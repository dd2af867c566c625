"""The bulk fast path (msgspec) accepts only what the schema accepts, and loads it the same."""

from __future__ import annotations

import json
from itertools import islice
from typing import Any

import marshmallow as ma
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.schemas.candidate_decoder import convert_candidates, decode_candidates
from api.schemas.candidates import BulkInSchema, CandidateInSchema
from fixtures.generate import generate_candidates
from tests.json_edits import paths, replaced

BODIES = list(islice(generate_candidates(300, seed=11), 300))

# Values that sit on the schema's edges: trimming, control characters, lengths,
# nulls, wrong types, date formats and ranges, enum spellings, e-mail shapes.
TRICKY: list[Any] = [
    None, "", " ", "  padded  ", "x\x0b", "\x0bx", "x\x00y", "x\ud800", "\ty\n",
    "a" * 200, "a" * 201, " " + "a" * 200, "a" * 300, "a" * 301, "é" * 200,
    0, 1, -1, 2**31 - 1, 2**31, 1.0, 1.5, True, False, [], {}, ["x"], [""], [" x "],
    ["a" * 201], ["x"] * 101, {"status": "verified"}, {"status": "Verified"},
    {"method": None}, {"bogus": 1}, "2001-01-01", "1900-01-01", "1899-12-31",
    "2099-12-31", "2100-01-01", "20010101", "2001-W01-1", "2001-1-1", "2001-02-30",
    "2001-01-01T00:00:00", "x@example.com", "not an e-mail", "a@b", " x@example.com",
    "badge", "degree", "Badge", "bachelor", "master", "verified", "revoked",
]


def schema_load(body: Any) -> list[dict] | None:
    """What the schema's fields load (its fast path left out)."""
    try:
        return ma.Schema.load(BulkInSchema(), {"candidates": [body]})["candidates"]
    except ma.ValidationError:
        return None


def assert_agrees(text: str, body: Any) -> None:
    """Both fast paths, from text and from parsed JSON, accept only what the fields do."""
    expected = schema_load(body)
    for fast in (decode_candidates([text]), convert_candidates([body])):
        if fast is not None:
            assert fast == expected, text


def test_generated_candidates_take_the_fast_path_and_load_as_the_schema_does() -> None:
    lines = [json.dumps(body) for body in BODIES]
    fast = decode_candidates(lines)
    assert fast is not None
    assert fast == convert_candidates(BODIES)
    assert fast == ma.Schema.load(BulkInSchema(), {"candidates": BODIES})["candidates"]


FULL = {"external_id": "E-1", "name": "Ada", "email": "ada@example.com", "location": "Oslo",
        "skills": ["SQL"], "credentials": [{
            "name": "SQL Badge", "kind": "badge", "issuer": "Kestrel", "issuer_id": 3,
            "issued_on": "2020-01-01", "expires_on": "2024-01-01", "skills": ["SQL"],
            "verification": {"status": "verified", "method": "manual", "detail": "seen"},
            "level": "bachelor"}],
        "experience": [{"title": "Analyst", "employer": "Acme", "industry": "Retail",
                        "start_date": "2019-01-01", "end_date": "2021-01-01",
                        "skills": ["Python"]}]}


@pytest.mark.parametrize("path", paths(FULL)[1:], ids=lambda p: ".".join(map(str, p)))
def test_every_field_takes_every_edge_value_as_the_schema_does(path: tuple) -> None:
    assert_agrees(json.dumps(FULL), FULL)
    for value in TRICKY:
        edited = replaced(FULL, path, value)
        assert_agrees(json.dumps(edited), edited)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_an_edited_field_is_accepted_only_as_the_schema_accepts_it(data: st.DataObject) -> None:
    body = data.draw(st.sampled_from(BODIES))
    path = data.draw(st.sampled_from(paths(body)[1:]))
    value = data.draw(st.sampled_from(TRICKY) | st.text(max_size=8) | st.integers())
    edited = replaced(body, path, value)
    assert_agrees(json.dumps(edited), edited)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_added_and_removed_keys_are_refused_or_defaulted_as_the_schema_does(
        data: st.DataObject) -> None:
    body = json.loads(json.dumps(data.draw(st.sampled_from(BODIES))))
    objects = [p for p in paths(body) if isinstance(_at(body, p), dict)]
    target = _at(body, data.draw(st.sampled_from(objects)))
    if data.draw(st.booleans()) and target:
        del target[data.draw(st.sampled_from(sorted(target)))]
    else:
        target[data.draw(st.sampled_from(["extra", "id", "skills", "verification", "level"]))] \
            = data.draw(st.sampled_from(TRICKY))
    assert_agrees(json.dumps(body), body)


def _at(body: Any, path: tuple) -> Any:
    for step in path:
        body = body[step]
    return body


@pytest.mark.parametrize("text", [
    '{"external_id": "a", "name": "A", "name": "B"}',  # the last key wins, as in json
    '{"external_id": "a", "name": "A", "credentials": [{"name": "x", "kind": "badge", '
    '"issuer_id": 1e0}]}',
    '{"external_id": "a", "name": NaN}',
    '{"external_id": "a", "name": "A"} trailing',
    '["not", "an", "object"]',
    '{"external_id": "a", "name": "\\u0000"}',
])
def test_json_edge_cases_agree_with_the_json_module(text: str) -> None:
    try:
        body = json.loads(text)
    except ValueError:
        assert decode_candidates([text]) is None
        return
    if not isinstance(body, dict):
        assert convert_candidates([body]) is None
    assert_agrees(text, body)


def test_a_batch_with_repeated_external_ids_is_left_to_the_schema() -> None:
    line = json.dumps(BODIES[0])
    assert decode_candidates([line, line]) is None
    assert convert_candidates([BODIES[0], BODIES[0]]) is None
    with pytest.raises(ma.ValidationError):
        BulkInSchema().load({"candidates": [BODIES[0], BODIES[0]]})


def test_missing_and_empty_verification_load_differently_as_in_the_schema() -> None:
    credential = {"name": "SQL", "kind": "badge"}
    body = {"external_id": "a", "name": "A", "credentials": [credential, {
        **credential, "verification": {}}]}
    fast = decode_candidates([json.dumps(body)])
    assert fast is not None
    assert fast == schema_load(body)
    assert fast[0]["credentials"][0]["verification"] == {}
    assert fast[0]["credentials"][1]["verification"]["method"] is None


def test_empty_and_oversized_batches_are_left_to_the_schema() -> None:
    assert decode_candidates([]) is None
    assert decode_candidates([json.dumps(BODIES[0])] * 1001) is None
    assert convert_candidates([]) is None


def test_the_bulk_schema_takes_the_fast_path_and_still_explains_refusals(monkeypatch) -> None:
    bodies = BODIES[:3]
    assert BulkInSchema().load({"candidates": bodies}) == ma.Schema.load(
        BulkInSchema(), {"candidates": bodies})
    monkeypatch.setattr(CandidateInSchema, "load", lambda *a, **k: pytest.fail("slow path"))
    BulkInSchema().load({"candidates": bodies})  # never reaches the fields
    monkeypatch.undo()
    with pytest.raises(ma.ValidationError) as refused:
        BulkInSchema().load({"candidates": [{**bodies[0], "email": "not an e-mail"}]})
    assert refused.value.messages == {"candidates": {0: {"email": ["Not a valid email address."]}}}
