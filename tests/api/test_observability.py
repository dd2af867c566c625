"""Request ids, structured logs and Prometheus metrics (issue 8, item 5).

Metrics live in the process-wide default registry, so each test compares a sample
before and after its own requests rather than expecting absolute values.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from api import create_app
from api.observability import configure_logging
from tests.api.helpers import (
    PROBLEM_JSON,
    Caller,
    assert_problem,
    candidate_body,
    experience,
    job_body,
)
from tests.conftest import Tenant

GENERATED = re.compile(r"[0-9a-f]{32}")
JOB_ROUTE = "/api/v1/jobs/<id:job_id>"


@pytest.fixture
def make_app(database, connection) -> Callable[..., Flask]:
    url, _ = database

    return lambda **config: create_app({"TESTING": True, "DATABASE_URL": url,
                                        "DB_BIND": connection, **config})


@pytest.fixture(autouse=True)
def _json_logs():
    """Leave the process-wide log setup as the app configures it by default."""
    yield
    configure_logging("INFO", "json")


def scrape(client: FlaskClient, **headers: str) -> dict[tuple[str, frozenset], float]:
    """Every sample of ``/metrics`` (no API key needed): (name, labels) -> value."""
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type.startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def request_count(client: FlaskClient, route: str, status: str = "200") -> float:
    return value(scrape(client), "talentmatch_http_request_duration_seconds_count",
                 method="GET", route=route, status=status)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def access_line(lines: list[dict], rid: str) -> dict:
    found = [line for line in lines
             if line.get("logger") == "talentmatch.access" and line.get("request_id") == rid]
    assert len(found) == 1, lines
    return found[0]


def ranked_world(api: Caller, count: int) -> int:
    """``count`` candidates and a job; returns the job id."""
    for n in range(count):
        api.create("/candidates", candidate_body(f"obs-{n}", f"Person {n}", skills=["SQL"],
                                                 experience=[experience(skills=["SQL"])]))
    return api.create("/jobs", job_body("obs-req"))["id"]


# -- request id ------------------------------------------------------------------------------

def test_a_request_id_is_generated_for_each_request(client):
    first = client.get("/api/v1/health").headers["X-Request-ID"]
    second = client.get("/api/v1/health").headers["X-Request-ID"]
    assert GENERATED.fullmatch(first) and GENERATED.fullmatch(second)
    assert first != second


@pytest.mark.parametrize("rid", ["abc-123", "trace:01.a_b-C", "x" * 128,
                                 "0f8fad5b-d9cb-469f-a165-70867728950e"])
def test_a_sane_request_id_is_accepted(client, rid):
    assert client.get("/api/v1/health", headers={"X-Request-ID": rid}) \
        .headers["X-Request-ID"] == rid


@pytest.mark.parametrize("rid", ["", "x" * 129, "two words", "a/b", '{"json": 1}',
                                 "caf\u00e9", "<script>"])
def test_an_insane_request_id_is_replaced(client, rid):
    returned = client.get("/api/v1/health", headers={"X-Request-ID": rid}) \
        .headers["X-Request-ID"]
    assert returned != rid
    assert GENERATED.fullmatch(returned)


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/api/v1/no-such-thing", 404),
    ("GET", "/api/v1/jobs", 401),
    ("DELETE", "/api/v1/health", 405),
    ("POST", "/api/v1/issuers", 415),
])
def test_problems_carry_the_request_id_in_header_and_body(client, method, path, status):
    response = client.open(path, method=method, data="x", headers={
        "X-Request-ID": "err-42", "Content-Type": "text/plain"})
    body = assert_problem(response, status)
    assert response.headers["X-Request-ID"] == "err-42"
    assert body["request_id"] == "err-42"


def test_validation_problems_carry_a_generated_request_id(api):
    response = api.post("/jobs", {"title": ""})
    body = assert_problem(response, 422)
    assert GENERATED.fullmatch(body["request_id"])
    assert body["request_id"] == response.headers["X-Request-ID"]


def test_pages_and_metrics_return_the_request_id(client):
    for path in ("/ui/login", "/metrics", "/api/v1/openapi.json"):
        response = client.get(path, headers={"X-Request-ID": f"rid-{len(path)}"})
        assert response.status_code == 200, path
        assert response.headers["X-Request-ID"] == f"rid-{len(path)}", path


def test_throttled_requests_return_the_request_id_and_metrics_are_never_throttled(
        make_app, tenant: Tenant):
    client = make_app(RATELIMIT_READ="2/minute").test_client()
    statuses = [client.get("/api/v1/jobs", headers=tenant.headers).status_code
                for _ in range(3)]
    assert statuses == [200, 200, 429]
    throttled = client.get("/api/v1/jobs", headers={**tenant.headers, "X-Request-ID": "slow"})
    assert assert_problem(throttled, 429)["request_id"] == "slow"
    assert throttled.headers["X-Request-ID"] == "slow"
    for _ in range(5):
        assert client.get("/metrics").status_code == 200


# -- logs ---------------------------------------------------------------------------------------

def test_the_access_line_is_json_with_route_status_duration_and_caller(api, tenant, capsys):
    job_id = api.create("/jobs", job_body())["id"]
    capsys.readouterr()
    response = api.get(f"/jobs/{job_id}", headers={"X-Request-ID": "log-1",
                                                    "User-Agent": "obs-test/1.0"})
    assert response.status_code == 200
    line = access_line(json_lines(capsys.readouterr().err), "log-1")
    assert line["route"] == JOB_ROUTE
    assert line["path"] == f"/api/v1/jobs/{job_id}"
    assert (line["method"], line["status"], line["level"]) == ("GET", 200, "INFO")
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["organization_id"] == tenant.organization_id
    assert line["principal"].startswith("key:")
    assert line["user_agent"] == "obs-test/1.0"
    assert line["remote_addr"] == "127.0.0.1"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"])


def test_every_line_is_json_and_unmatched_routes_are_one_label(client, capsys):
    capsys.readouterr()
    client.get("/api/v1/nope/12345", headers={"X-Request-ID": "log-404"})
    lines = json_lines(capsys.readouterr().err)  # raises unless every line is JSON
    line = access_line(lines, "log-404")
    assert (line["status"], line["route"], line["path"]) == (404, "<unmatched>",
                                                              "/api/v1/nope/12345")
    assert "organization_id" not in line


def test_lines_logged_during_a_request_carry_its_id_and_others_do_not(make_app, capsys):
    app = make_app()
    app.add_url_rule("/test-log", "test_log",
                     lambda: (logging.getLogger("api.test").warning("inside") or "ok"))
    capsys.readouterr()
    app.test_client().get("/test-log", headers={"X-Request-ID": "inner-7"})
    logging.getLogger("api.test").warning("outside")
    lines = json_lines(capsys.readouterr().err)
    inside = [line for line in lines if line["message"] == "inside"]
    outside = [line for line in lines if line["message"] == "outside"]
    assert [line["request_id"] for line in inside] == ["inner-7"]
    assert len(outside) == 1 and "request_id" not in outside[0]
    assert outside[0]["level"] == "WARNING" and outside[0]["logger"] == "api.test"


def test_text_format_for_people(make_app, capsys):
    client = make_app(LOG_FORMAT="text").test_client()
    capsys.readouterr()
    client.get("/api/v1/health/nope", headers={"X-Request-ID": "txt-1"})
    err = capsys.readouterr().err
    assert re.search(r"Z INFO +talentmatch\.access \[txt-1\] GET /api/v1/health/nope 404 ", err)


def test_the_log_level_setting_filters_lines(make_app, capsys):
    client = make_app(LOG_LEVEL="WARNING").test_client()
    capsys.readouterr()
    client.get("/api/v1/nope", headers={"X-Request-ID": "quiet-1"})
    assert "quiet-1" not in capsys.readouterr().err


@pytest.mark.parametrize("setting", [{"LOG_LEVEL": "LOUD"}, {"LOG_FORMAT": "xml"}])
def test_bad_log_settings_fail_at_startup(make_app, setting):
    with pytest.raises(ValueError, match="TALENTMATCH_LOG_"):
        make_app(**setting)


def test_caplog_still_sees_application_records(client, caplog):
    with caplog.at_level(logging.INFO, logger="talentmatch.access"):
        client.get("/api/v1/nope", headers={"X-Request-ID": "cap-1"})
    records = [r for r in caplog.records if r.name == "talentmatch.access"]
    assert [(r.status, r.route) for r in records] == [(404, "<unmatched>")]


# -- metrics -------------------------------------------------------------------------------------

def test_request_latency_is_counted_by_route_method_and_status(api, client):
    job_id = api.create("/jobs", job_body())["id"]
    before = request_count(client, JOB_ROUTE)
    missing_before = request_count(client, "<unmatched>", status="404")
    for _ in range(3):
        assert api.get(f"/jobs/{job_id}").status_code == 200
    client.get("/api/v1/unknown-thing")
    assert request_count(client, JOB_ROUTE) == before + 3
    assert request_count(client, "<unmatched>", status="404") == missing_before + 1
    samples = scrape(client)
    inf_bucket = value(samples, "talentmatch_http_request_duration_seconds_bucket",
                       method="GET", route=JOB_ROUTE, status="200", le="+Inf")
    assert inf_bucket == before + 3


def test_a_ranking_moves_ranking_latency_and_index_metrics(api, client, tenant: Tenant):
    job_id = ranked_world(api, 3)
    org = str(tenant.organization_id)
    before = scrape(client)
    run = api.post(f"/jobs/{job_id}/rankings", {})
    assert run.status_code == 201, run.get_data(as_text=True)
    mode = run.get_json()["mode"]
    after = scrape(client)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("talentmatch_ranking_duration_seconds_count", mode=mode) == 1
    assert moved("talentmatch_ranking_duration_seconds_sum", mode=mode) > 0
    assert moved("talentmatch_index_build_seconds_count", kind="build") == 1
    assert value(after, "talentmatch_index_candidates", organization=org) == 3
    assert value(after, "talentmatch_index_bytes", organization=org) > 0
    assert moved("talentmatch_http_request_duration_seconds_count", method="POST",
                 route=JOB_ROUTE + "/rankings", status="201") == 1

    api.create("/candidates", candidate_body("obs-late", "Late Comer", skills=["SQL"]))
    assert api.post(f"/jobs/{job_id}/rankings", {}).status_code == 201
    later = scrape(client)
    assert value(later, "talentmatch_index_build_seconds_count", kind="catch_up") \
        == value(after, "talentmatch_index_build_seconds_count", kind="catch_up") + 1
    assert value(later, "talentmatch_index_build_seconds_count", kind="build") \
        == value(after, "talentmatch_index_build_seconds_count", kind="build")
    assert value(later, "talentmatch_index_candidates", organization=org) == 4


def test_database_pool_gauges(client, database):
    _, engine = database
    samples = scrape(client)
    db = engine.dialect.name
    size = value(samples, "talentmatch_db_pool_size", database=db)
    assert size == engine.pool.size() >= 1
    # The test's own connection (the app's requests run in it) is checked out.
    assert value(samples, "talentmatch_db_pool_checked_out", database=db) >= 1
    assert value(samples, "talentmatch_db_pool_overflow", database=db) >= 0
    assert value(samples, "talentmatch_db_pool_max_connections", database=db) >= size


def test_the_metrics_token_protects_the_endpoint(make_app):
    client = make_app(METRICS_TOKEN="s3cret-scrape").test_client()
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret-scrape"},
                    {"Authorization": "Basic s3cret-scrape"}):
        response = client.get("/metrics", headers={**headers, "X-Request-ID": "tok-1"})
        body = assert_problem(response, 401)
        assert response.mimetype == PROBLEM_JSON
        assert body["request_id"] == "tok-1"
        assert "talentmatch_" not in response.get_data(as_text=True)
    samples = scrape(client, Authorization="Bearer s3cret-scrape")
    assert any(name.startswith("talentmatch_http_request_duration_seconds")
               for name, _ in samples)
