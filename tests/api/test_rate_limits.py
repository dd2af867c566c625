"""Abuse resistance: per-key rate limits (429 + Retry-After), body and bulk size limits.

Each test builds an app with small limits of its own; the default limits are
high enough that the rest of the suite never meets them.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable

import pytest
from flask import Flask
from limits.storage import MemoryStorage, RedisStorage
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from api import create_app, models
from api.config import load_config
from api.limits import RANKING, READ, WRITE, _classify, get_limiter
from tests.api.conftest import key_for
from tests.api.helpers import (
    Caller,
    assert_invalid,
    assert_problem,
    candidate_body,
    experience,
    issuer_body,
    job_body,
)

# A Redis to prove a shared storage with (CI has none unless it sets this).
STORAGES = ["memory://"] + ([os.environ["TEST_REDIS_URL"]]
                            if os.environ.get("TEST_REDIS_URL") else [])


@pytest.fixture
def make_app(database, connection) -> Callable[..., Flask]:
    url, _ = database

    def make(**config) -> Flask:
        return create_app({"TESTING": True, "DATABASE_URL": url, "DB_BIND": connection,
                           **config})

    return make


def caller(app: Flask, headers: dict[str, str], address: str = "127.0.0.1") -> Caller:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return Caller(client, headers)


def forged_key() -> dict[str, str]:
    """A well-shaped key that names no key: a fresh prefix every time."""
    return {"Authorization": f"Bearer tm_{secrets.token_hex(6)}_{secrets.token_urlsafe(32)}"}


def assert_limited(response: TestResponse, limit: int, window: int = 60) -> dict:
    """A 429 problem with Retry-After (whole seconds within the window) and X-RateLimit-*."""
    body = assert_problem(response, 429)
    assert body["type"] == "urn:talentmatch:problem:rate-limited"
    assert 1 <= int(response.headers["Retry-After"]) <= window
    assert response.headers["X-RateLimit-Limit"] == str(limit)
    assert response.headers["X-RateLimit-Remaining"] == "0"
    assert int(response.headers["X-RateLimit-Reset"]) >= int(time.time())
    return body


def rows(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


# -- per key, per class -------------------------------------------------------------------

def test_reads_over_the_limit_are_429_for_that_key_only(make_app, session, tenant):
    app = make_app(RATELIMIT_READ="3/minute")
    api = caller(app, tenant.headers)
    remaining = [api.get("/candidates").headers["X-RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    body = assert_limited(api.get("/candidates"), 3)
    assert "3 per 1 minute" in body["detail"] and "read" in body["detail"]
    # Another key of the same organization, from the same address, has its own budget.
    second = caller(app, key_for(session, tenant, "read"))
    assert second.get("/candidates").status_code == 200


def test_several_limits_of_one_class_all_hold(make_app, tenant):
    app = make_app(RATELIMIT_READ="5/second;2/minute")
    api = caller(app, tenant.headers)
    assert [api.get("/jobs").status_code for _ in range(2)] == [200, 200]
    assert_limited(api.get("/jobs"), 2)


def test_writes_over_the_limit_are_429_write_nothing_and_leave_reads_alone(make_app, tenant):
    app = make_app(RATELIMIT_WRITE="2/minute", RATELIMIT_READ="100/minute")
    api = caller(app, tenant.headers)
    for name in ("A", "B"):
        assert api.post("/issuers", issuer_body(name)).status_code == 201
    assert_limited(api.post("/issuers", issuer_body("C")), 2)
    assert_limited(api.delete("/issuers/1"), 2)
    assert api.total("/issuers") == 2
    assert [i["name"] for i in api.get("/issuers").get_json()["items"]] == ["A", "B"]


def test_rankings_have_their_own_budget(make_app, session, tenant):
    app = make_app(RATELIMIT_RANKING="1/minute", RATELIMIT_WRITE="2/minute")
    api = caller(app, tenant.headers)
    job = api.create("/jobs", job_body())
    assert api.post(f"/jobs/{job['id']}/rankings", {}).status_code == 201
    assert_limited(api.post(f"/jobs/{job['id']}/rankings", {}), 1)
    assert rows(session, models.RankingRun) == 1
    # The ranking budget is spent, the write budget is not.
    assert api.post("/issuers", issuer_body()).status_code == 201


@pytest.mark.parametrize("method, rule, expected", [
    ("POST", "/api/v1/jobs/<id:job_id>/rankings", RANKING),
    ("POST", "/api/v1/audits/bias", RANKING),
    ("GET", "/api/v1/audits/bias", READ),
    ("GET", "/api/v1/jobs/<id:job_id>/rankings", READ),
    ("GET", "/api/v1/rankings/<id:run_id>", READ),
    ("POST", "/api/v1/candidates/bulk", WRITE),
    ("PUT", "/api/v1/candidates/<id:candidate_id>", WRITE),
    ("PATCH", "/api/v1/issuers/<id:issuer_id>", WRITE),
    ("DELETE", "/api/v1/keys/<id:key_id>", WRITE),
    ("HEAD", "/api/v1/candidates", READ),
    ("OPTIONS", None, READ),
    ("DELETE", None, WRITE),
])
def test_requests_are_classified_by_method_and_route(method, rule, expected):
    assert _classify(method, rule) == expected


# -- without a valid key: per address -----------------------------------------------------

def test_requests_without_a_key_are_limited_per_address(make_app, tenant):
    app = make_app(RATELIMIT_READ="2/minute")
    flood = caller(app, {}, "10.0.0.1")
    for _ in range(2):
        assert_problem(flood.get("/candidates"), 401)
    assert_limited(flood.get("/candidates"), 2)
    assert_limited(flood.get("/no-such-path"), 2)  # unmatched paths count too
    assert_problem(caller(app, {}, "10.0.0.2").get("/candidates"), 401)
    # A valid key is counted by itself, wherever it comes from.
    assert caller(app, tenant.headers, "10.0.0.1").get("/candidates").status_code == 200


def test_malformed_keys_count_against_their_address(make_app):
    app = make_app(RATELIMIT_READ="2/minute")
    for header in ("Bearer nonsense", "Basic dXNlcjpwYXNz"):
        assert_problem(caller(app, {"Authorization": header}, "10.0.0.3").get("/jobs"), 401)
    assert_limited(caller(app, {"Authorization": "Bearer x"}, "10.0.0.3").get("/jobs"), 2)


def test_forged_keys_cannot_escape_the_per_address_budget(make_app, tenant):
    app = make_app(RATELIMIT_AUTH_FAILURES="3/minute")
    for _ in range(3):
        assert_problem(caller(app, forged_key(), "10.0.0.4").get("/candidates"), 401)
    assert_limited(caller(app, forged_key(), "10.0.0.4").get("/candidates"), 3)
    # Until the window ends the address is turned away, valid keys included...
    assert_limited(caller(app, tenant.headers, "10.0.0.4").get("/candidates"), 3)
    # ...while other addresses are not, and keys that authenticate are no failures.
    assert_problem(caller(app, forged_key(), "10.0.0.5").get("/candidates"), 401)
    good = caller(app, tenant.headers, "10.0.0.6")
    assert all(good.get("/candidates").status_code == 200 for _ in range(5))


def test_a_revoked_key_keeps_failing_against_its_address(make_app, session, tenant):
    app = make_app(RATELIMIT_AUTH_FAILURES="2/minute")
    api = caller(app, tenant.headers)
    revoked = api.create("/keys", {"name": "Old", "scopes": ["read"]})
    assert api.delete(f"/keys/{revoked['id']}").status_code == 204
    holder = caller(app, {"Authorization": f"Bearer {revoked['key']}"}, "10.0.0.7")
    assert [holder.get("/jobs").status_code for _ in range(2)] == [401, 401]
    assert_limited(holder.get("/jobs"), 2)


# -- windows, storage, switches -----------------------------------------------------------

def test_the_window_resets(make_app, tenant):
    app = make_app(RATELIMIT_READ="2/second")
    api = caller(app, tenant.headers)
    assert [api.get("/jobs").status_code for _ in range(2)] == [200, 200]
    limited = api.get("/jobs")
    assert_limited(limited, 2, window=1)
    wait = int(limited.headers["Retry-After"])
    time.sleep(wait)  # what the service said: retrying then is let in
    assert api.get("/jobs").status_code == 200


def test_resetting_the_storage_clears_every_count(make_app, tenant):
    app = make_app(RATELIMIT_WRITE="1/hour")
    api = caller(app, tenant.headers)
    assert api.post("/issuers", issuer_body("A")).status_code == 201
    assert_limited(api.post("/issuers", issuer_body("B")), 1, window=3600)
    get_limiter(app).reset()
    assert api.post("/issuers", issuer_body("B")).status_code == 201


@pytest.mark.parametrize("storage", STORAGES)
def test_limits_hold_in_the_configured_storage(make_app, tenant, storage):
    limits = {"RATELIMIT_STORAGE_URI": storage, "RATELIMIT_READ": "2/minute"}
    app = make_app(**limits)
    kind = MemoryStorage if storage.startswith("memory") else RedisStorage
    assert isinstance(get_limiter(app).storage, kind) and get_limiter(app).storage.check()
    api = caller(app, tenant.headers)
    assert [api.get("/jobs").status_code for _ in range(2)] == [200, 200]
    assert_limited(api.get("/jobs"), 2)
    # Another process (app) sees the same counts only through a shared storage.
    elsewhere = caller(make_app(**limits), tenant.headers).get("/jobs")
    assert elsewhere.status_code == (200 if kind is MemoryStorage else 429)


def test_disabled_limits_let_everything_through(make_app, tenant):
    app = make_app(RATELIMIT_ENABLED=False, RATELIMIT_READ="1/minute",
                   RATELIMIT_AUTH_FAILURES="1/minute")
    assert get_limiter(app) is None
    api = caller(app, tenant.headers)
    responses = [api.get("/jobs") for _ in range(5)]
    assert all(r.status_code == 200 for r in responses)
    assert not any("X-RateLimit-Limit" in r.headers for r in responses)
    assert all(caller(app, forged_key()).get("/jobs").status_code == 401 for _ in range(3))


def test_health_and_the_openapi_document_are_not_limited(make_app):
    app = make_app(RATELIMIT_READ="1/minute")
    client = app.test_client()
    for _ in range(3):
        health = client.get("/api/v1/health")
        assert health.status_code == 200 and "X-RateLimit-Limit" not in health.headers
        assert client.get("/api/v1/openapi.json").status_code == 200


def test_an_invalid_limit_fails_at_startup(make_app):
    with pytest.raises(ValueError, match="RATELIMIT_WRITE"):
        make_app(RATELIMIT_WRITE="lots")


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TALENTMATCH_RATELIMIT_ENABLED", "off")
    monkeypatch.setenv("TALENTMATCH_RATELIMIT_RANKING", "5/minute")
    monkeypatch.setenv("TALENTMATCH_RATELIMIT_STORAGE_URI", "redis://cache:6379/2")
    config = load_config(str(tmp_path))
    assert config["RATELIMIT_ENABLED"] is False
    assert config["RATELIMIT_RANKING"] == "5/minute"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/2"
    monkeypatch.setenv("TALENTMATCH_RATELIMIT_ENABLED", "maybe")
    with pytest.raises(ValueError, match="TALENTMATCH_RATELIMIT_ENABLED"):
        load_config(str(tmp_path))


def test_the_defaults(monkeypatch, tmp_path):
    for name in ("ENABLED", "STORAGE_URI", "READ", "WRITE", "RANKING", "AUTH_FAILURES"):
        monkeypatch.delenv(f"TALENTMATCH_RATELIMIT_{name}", raising=False)
    config = load_config(str(tmp_path))
    assert (config["RATELIMIT_ENABLED"], config["RATELIMIT_STORAGE_URI"]) == (True, "memory://")
    assert [config[f"RATELIMIT_{n}"] for n in ("READ", "WRITE", "RANKING", "AUTH_FAILURES")] \
        == ["600/minute", "120/minute", "60/minute", "600/minute"]


# -- body and bulk sizes ------------------------------------------------------------------

def test_a_body_over_the_configured_size_is_413_and_writes_nothing(make_app, session, tenant):
    app = make_app(MAX_CONTENT_LENGTH=2048)
    api = caller(app, tenant.headers)
    big = candidate_body("ats-big", experience=[
        experience(f"Analyst {n}", employer="Initech " * 5) for n in range(40)])
    body = assert_problem(api.post("/candidates", big), 413)
    assert body["type"] == "urn:talentmatch:problem:payload-too-large"
    assert_problem(api.post("/candidates/bulk", {"candidates": [big]}), 413)
    assert rows(session, models.Candidate) == 0
    assert api.post("/candidates", candidate_body("ats-small")).status_code == 201


def test_a_bulk_of_1001_is_422_and_writes_nothing(make_app, session, tenant):
    api = caller(make_app(), tenant.headers)
    bulk = [candidate_body(f"ats-{n}", name=f"Person {n}") for n in range(1001)]
    assert_invalid(api.post("/candidates/bulk", {"candidates": bulk}), "candidates")
    assert rows(session, models.Candidate) == 0
    assert api.post("/candidates/bulk", {"candidates": bulk[:1000]}).status_code == 200
    assert rows(session, models.Candidate) == 1000


def test_more_than_100_resumes_are_422_and_write_nothing(make_app, session, tenant):
    api = caller(make_app(), tenant.headers)
    resumes = [{"basics": {"name": f"Person {n}", "email": f"p{n}@example.com"}}
               for n in range(101)]
    assert_invalid(api.post("/imports/json-resume", resumes), "$")
    assert rows(session, models.Candidate) == 0


def test_an_unreachable_storage_falls_back_to_limits_in_memory(make_app, tenant):
    # Nothing listens on port 1: the first request finds the storage down.
    app = make_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0", RATELIMIT_READ="2/minute")
    api = caller(app, tenant.headers)
    assert [api.get("/jobs").status_code for _ in range(2)] == [200, 200]
    assert_limited(api.get("/jobs"), 2)
