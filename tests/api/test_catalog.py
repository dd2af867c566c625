"""/api/v1/catalog: credential offerings of registered issuers (DESIGN.md §3, §5)."""

from __future__ import annotations

import pytest

from tests.api.helpers import (
    UNKNOWN_SKILL,
    assert_invalid,
    assert_problem,
    issuer_body,
    offering_body,
    skill_id,
)


@pytest.fixture
def issuer(api) -> dict:
    return api.create("/issuers", issuer_body("Northwind Academy"))


def test_create_with_issuer_id(api, issuer):
    body = offering_body(issuer["id"], name="SQL for Analysts", kind="micro-credential",
                         skills=["SQL", UNKNOWN_SKILL], duration_weeks=6, cost=199.5,
                         currency="EUR", delivery="blended", url="https://northwind.example/sql")
    response = api.post("/catalog", body)
    assert response.status_code == 201
    created = response.get_json()
    assert isinstance(created["id"], int) and created["id"] > 0
    assert created["issuer_id"] == issuer["id"]
    assert created["issuer"] == "Northwind Academy"
    assert (created["name"], created["kind"]) == ("SQL for Analysts", "micro-credential")
    assert created["skills"] == [{"name": "SQL", "skill_id": skill_id("SQL")},
                                 {"name": UNKNOWN_SKILL, "skill_id": None}]
    assert (created["duration_weeks"], created["cost"]) == (6, 199.5)
    assert (created["currency"], created["delivery"]) == ("EUR", "blended")
    assert created["url"] == "https://northwind.example/sql"
    assert api.get(f"/catalog/{created['id']}").get_json() == created


def test_create_defaults(api, issuer):
    created = api.create("/catalog", offering_body(issuer["id"]))
    assert (created["currency"], created["delivery"]) == ("USD", "online")
    assert (created["duration_weeks"], created["cost"], created["url"]) == (None, None, None)


def test_create_with_issuer_name_in_any_case(api, issuer):
    created = api.create("/catalog", offering_body(issuer="NORTHWIND academy"))
    assert created["issuer_id"] == issuer["id"]
    assert created["issuer"] == "Northwind Academy"


def test_unknown_issuer_is_422_with_the_field_path(api, issuer):
    assert_invalid(api.post("/catalog", offering_body(issuer="Nobody University")), "issuer")
    assert_invalid(api.post("/catalog", offering_body(issuer["id"] + 1000)), "issuer_id")
    no_issuer = offering_body()
    errors = assert_invalid(api.post("/catalog", no_issuer))
    assert {"issuer", "issuer_id"} & set(errors), errors
    assert api.total("/catalog") == 0
    assert api.total("/issuers") == 1  # an unknown name never joins the registry


def test_create_validates_fields(api, issuer):
    response = api.post("/catalog", offering_body(
        issuer["id"], kind="diploma", duration_weeks=0, cost=-1, currency="usd",
        delivery="carrier pigeon", url="javascript:alert(1)"))
    assert_invalid(response, "kind", "duration_weeks", "cost", "currency", "delivery", "url")
    assert_invalid(api.post("/catalog", {"issuer_id": issuer["id"], "kind": "badge"}),
                   "name", "skills")
    assert api.total("/catalog") == 0


def test_list_get_and_delete(api, issuer):
    first = api.create("/catalog", offering_body(issuer["id"], name="SQL for Analysts"))
    second = api.create("/catalog", offering_body(issuer["id"], name="Python Basics",
                                                  skills=["Python"]))
    page = api.get("/catalog?limit=1&offset=1").get_json()
    assert (page["total"], page["limit"], page["offset"]) == (2, 1, 1)
    assert len(page["items"]) == 1
    everything = api.get("/catalog").get_json()["items"]
    assert sorted(o["id"] for o in everything) == sorted([first["id"], second["id"]])
    assert second in everything

    assert api.get(f"/catalog/{second['id']}").get_json() == second
    response = api.delete(f"/catalog/{second['id']}")
    assert response.status_code == 204 and response.get_data() == b""
    assert_problem(api.get(f"/catalog/{second['id']}"), 404)
    assert_problem(api.delete(f"/catalog/{second['id']}"), 404)
    assert [o["id"] for o in api.get("/catalog").get_json()["items"]] == [first["id"]]


def test_get_unknown_offering_is_404(api):
    assert_problem(api.get("/catalog/424242"), 404)


def test_the_issuer_can_be_deleted_once_its_offerings_are_gone(api, issuer):
    offering = api.create("/catalog", offering_body(issuer["id"]))
    assert_problem(api.delete(f"/issuers/{issuer['id']}"), 409)
    assert api.delete(f"/catalog/{offering['id']}").status_code == 204
    assert api.delete(f"/issuers/{issuer['id']}").status_code == 204
