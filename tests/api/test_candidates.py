"""/api/v1/candidates: profiles, upserts and bulk import (DESIGN.md §3, §5)."""

from __future__ import annotations

import pytest

from tests.api.helpers import (
    UNKNOWN_SKILL,
    assert_invalid,
    assert_problem,
    candidate_body,
    credential,
    experience,
    issuer_body,
    skill_id,
)


@pytest.fixture
def issuer(api) -> dict:
    return api.create("/issuers", issuer_body("Northwind Academy"))


def rich_body(external_id: str = "ats-1", **fields) -> dict:
    return candidate_body(
        external_id, "Ada Lovelace", email="ada@example.com", location="London, UK",
        credentials=[
            credential("Google Data Analytics", "micro-credential", issuer="NORTHWIND academy",
                       issued_on="2022-03-01", expires_on="2025-03-01",
                       skills=["sql", UNKNOWN_SKILL]),
            credential("Bootcamp Certificate", "certificate", issuer="Acme Bootcamp",
                       issued_on="2021-01-15"),
        ],
        experience=[
            experience("Data Analyst", "2019-01-01", end_date="2021-12-31",
                       employer="Contoso", industry="Retail", skills=["SQL", "Python"]),
            experience("Analytics Lead", "2022-01-01", skills=["project management"]),
        ],
        **fields)


def test_create_with_credentials_and_experience(api, issuer):
    response = api.post("/candidates", rich_body())
    assert response.status_code == 201
    created = response.get_json()
    assert isinstance(created["id"], int) and created["id"] > 0
    assert (created["external_id"], created["name"]) == ("ats-1", "Ada Lovelace")
    assert (created["email"], created["location"]) == ("ada@example.com", "London, UK")

    known, unknown = created["credentials"]
    assert (known["issuer"], known["issuer_id"]) == ("Northwind Academy", issuer["id"])
    assert (unknown["issuer"], unknown["issuer_id"]) == ("Acme Bootcamp", None)
    assert (known["name"], known["kind"]) == ("Google Data Analytics", "micro-credential")
    assert (known["issued_on"], known["expires_on"]) == ("2022-03-01", "2025-03-01")
    assert unknown["expires_on"] is None
    assert known["skills"] == [{"name": "sql", "skill_id": skill_id("SQL")},
                               {"name": UNKNOWN_SKILL, "skill_id": None}]
    assert known["verification"]["status"] == "unverified"

    past, current = created["experience"]
    assert (past["title"], past["employer"], past["industry"]) == (
        "Data Analyst", "Contoso", "Retail")
    assert (past["start_date"], past["end_date"]) == ("2019-01-01", "2021-12-31")
    assert current["end_date"] is None
    assert past["skills"] == [{"name": "SQL", "skill_id": skill_id("SQL")},
                              {"name": "Python", "skill_id": skill_id("Python")}]
    assert current["skills"] == [{"name": "project management",
                                  "skill_id": skill_id("project management")}]

    assert api.get(f"/candidates/{created['id']}").get_json() == created
    # the candidates API never adds an issuer to the registry
    assert [i["name"] for i in api.get("/issuers").get_json()["items"]] == ["Northwind Academy"]


def test_credential_by_issuer_id_gets_the_registry_name(api, issuer):
    created = api.create("/candidates", candidate_body(
        credentials=[credential(issuer_id=issuer["id"])]))
    assert created["credentials"][0]["issuer"] == "Northwind Academy"
    assert created["credentials"][0]["issuer_id"] == issuer["id"]


def test_unknown_issuer_id_in_a_credential_is_422(api, issuer):
    response = api.post("/candidates", candidate_body(
        credentials=[credential(), credential(issuer_id=issuer["id"] + 1000)]))
    assert_invalid(response, "credentials.1.issuer_id")
    assert api.total("/candidates") == 0


def test_list_pages_candidates(api):
    ids = [api.create("/candidates", candidate_body(f"ats-{n}"))["id"] for n in range(3)]
    page = api.get("/candidates?limit=2&offset=1").get_json()
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 1)
    assert len(page["items"]) == 2
    everything = api.get("/candidates").get_json()["items"]
    assert sorted(c["id"] for c in everything) == sorted(ids)


def test_post_with_an_existing_external_id_is_409_and_changes_nothing(api, issuer):
    created = api.create("/candidates", rich_body("ats-1"))
    assert_problem(api.post("/candidates", candidate_body("ats-1", "Someone Else")), 409)
    assert api.total("/candidates") == 1
    assert api.get(f"/candidates/{created['id']}").get_json() == created


def test_put_replaces_wholesale(api, issuer):
    created = api.create("/candidates", rich_body("ats-1"))
    response = api.put(f"/candidates/{created['id']}",
                       candidate_body("ats-1", "Ada King", location="Paris"))
    assert response.status_code == 200
    replaced = response.get_json()
    assert replaced["id"] == created["id"]
    assert (replaced["name"], replaced["location"], replaced["email"]) == (
        "Ada King", "Paris", None)
    assert replaced["credentials"] == [] and replaced["experience"] == []
    assert api.get(f"/candidates/{created['id']}").get_json() == replaced
    assert api.total("/candidates") == 1


def test_put_can_change_the_external_id(api):
    created = api.create("/candidates", candidate_body("ats-1"))
    replaced = api.put(f"/candidates/{created['id']}", candidate_body("ats-9")).get_json()
    assert replaced["external_id"] == "ats-9"
    assert api.get("/candidates/by-external-id/ats-9").get_json()["id"] == created["id"]
    assert_problem(api.get("/candidates/by-external-id/ats-1"), 404)


def test_put_to_an_external_id_owned_by_another_candidate_is_409(api):
    first = api.create("/candidates", candidate_body("ats-1", "Ada"))
    second = api.create("/candidates", candidate_body("ats-2", "Grace"))
    assert_problem(api.put(f"/candidates/{second['id']}", candidate_body("ats-1", "Grace")),
                   409)
    assert api.get(f"/candidates/{first['id']}").get_json() == first
    assert api.get(f"/candidates/{second['id']}").get_json() == second


def test_put_by_external_id_creates_then_updates(api, issuer):
    path = "/candidates/by-external-id/ats-77"
    response = api.put(path, candidate_body("ats-77", "Ada", credentials=[credential()]))
    assert response.status_code == 201
    created = response.get_json()
    assert created["external_id"] == "ats-77" and len(created["credentials"]) == 1

    response = api.put(path, candidate_body("ats-77", "Ada King"))
    assert response.status_code == 200
    updated = response.get_json()
    assert updated["id"] == created["id"]
    assert (updated["name"], updated["credentials"]) == ("Ada King", [])
    assert api.get(path).get_json() == updated
    assert api.total("/candidates") == 1


def test_put_by_external_id_with_a_slash_in_the_id(api):
    response = api.put("/candidates/by-external-id/workday/0042",
                       candidate_body("workday/0042"))
    assert response.status_code == 201
    found = api.get("/candidates/by-external-id/workday/0042").get_json()
    assert found["id"] == response.get_json()["id"]


def test_put_by_external_id_with_a_different_body_external_id_is_422(api):
    response = api.put("/candidates/by-external-id/ats-1", candidate_body("ats-2"))
    assert_invalid(response, "external_id")
    assert api.total("/candidates") == 0


def test_get_by_external_id(api):
    created = api.create("/candidates", candidate_body("ats-5"))
    assert api.get("/candidates/by-external-id/ats-5").get_json() == created
    assert_problem(api.get("/candidates/by-external-id/ats-6"), 404)


def test_delete(api):
    kept = api.create("/candidates", candidate_body("ats-1"))
    gone = api.create("/candidates", candidate_body("ats-2", credentials=[credential()],
                                                    experience=[experience()]))
    response = api.delete(f"/candidates/{gone['id']}")
    assert response.status_code == 204 and response.get_data() == b""
    assert_problem(api.get(f"/candidates/{gone['id']}"), 404)
    assert_problem(api.get("/candidates/by-external-id/ats-2"), 404)
    assert_problem(api.delete(f"/candidates/{gone['id']}"), 404)
    assert [c["id"] for c in api.get("/candidates").get_json()["items"]] == [kept["id"]]
    # the external_id is free again
    assert api.post("/candidates", candidate_body("ats-2")).status_code == 201


def test_dates_must_be_in_order(api):
    response = api.post("/candidates", candidate_body(
        credentials=[credential(), credential(issued_on="2022-05-01", expires_on="2022-04-30")],
        experience=[experience(start_date="2020-02-01", end_date="2020-01-31")]))
    assert_invalid(response, "credentials.1.expires_on", "experience.0.end_date")
    assert api.total("/candidates") == 0


def test_same_day_dates_are_fine(api):
    created = api.create("/candidates", candidate_body(
        credentials=[credential(issued_on="2022-05-01", expires_on="2022-05-01")],
        experience=[experience(start_date="2020-02-01", end_date="2020-02-01")]))
    assert created["credentials"][0]["expires_on"] == "2022-05-01"


def test_create_validates_fields(api):
    response = api.post("/candidates", {
        "name": "", "email": "not-an-email",
        "credentials": [{"name": "X", "kind": "diploma", "issued_on": "2022-13-01"}],
        "experience": [{"title": "Analyst"}],
    })
    assert_invalid(response, "external_id", "name", "email", "credentials.0.kind",
                   "credentials.0.issued_on", "experience.0.start_date")


# -- bulk ---------------------------------------------------------------------------------

def test_bulk_creates_and_updates_with_results_in_order(api, issuer):
    existing = api.create("/candidates", candidate_body("ats-1", "Ada",
                                                        credentials=[credential()]))
    response = api.post("/candidates/bulk", {"candidates": [
        candidate_body("ats-2", "Grace"),
        candidate_body("ats-1", "Ada King", credentials=[credential(issuer="northwind academy")]),
        candidate_body("ats-3", "Edsger"),
    ]})
    assert response.status_code == 200
    body = response.get_json()
    assert (body["created"], body["updated"]) == (2, 1)
    results = body["results"]
    assert [(r["index"], r["external_id"], r["status"]) for r in results] == [
        (0, "ats-2", "created"), (1, "ats-1", "updated"), (2, "ats-3", "created")]
    assert results[1]["id"] == existing["id"]
    assert len({r["id"] for r in results}) == 3

    for result, name in zip(results, ["Grace", "Ada King", "Edsger"], strict=True):
        stored = api.get(f"/candidates/{result['id']}").get_json()
        assert (stored["external_id"], stored["name"]) == (result["external_id"], name)
    updated = api.get(f"/candidates/{existing['id']}").get_json()
    assert [(k["issuer"], k["issuer_id"]) for k in updated["credentials"]] == [
        ("Northwind Academy", issuer["id"])]
    assert api.total("/candidates") == 3


def test_bulk_accepts_1000_and_rejects_1001(api):
    batch = [candidate_body(f"ats-{n}", f"Candidate {n}") for n in range(1001)]
    assert_invalid(api.post("/candidates/bulk", {"candidates": batch}), "candidates")
    assert api.total("/candidates") == 0
    response = api.post("/candidates/bulk", {"candidates": batch[:1000]})
    assert response.status_code == 200
    assert response.get_json()["created"] == 1000
    assert api.total("/candidates") == 1000


def test_bulk_rejects_duplicate_external_ids(api):
    response = api.post("/candidates/bulk", {"candidates": [
        candidate_body("ats-1"), candidate_body("ats-2"), candidate_body("ats-1")]})
    errors = assert_invalid(response)
    assert any(path.startswith("candidates.2") for path in errors), errors
    assert api.total("/candidates") == 0


def assert_bulk_rejected_whole(api, bad_item: dict, error_path: str) -> None:
    existing = api.create("/candidates", candidate_body(
        "ats-1", "Before", credentials=[credential("Old Cert")]))
    response = api.post("/candidates/bulk", {"candidates": [
        candidate_body("ats-1", "After"), candidate_body("ats-new", "New"), bad_item]})
    assert_invalid(response, error_path)
    assert api.total("/candidates") == 1
    assert api.get(f"/candidates/{existing['id']}").get_json() == existing
    assert_problem(api.get("/candidates/by-external-id/ats-new"), 404)


def test_bulk_is_all_or_nothing_on_a_schema_error(api):
    bad = candidate_body("ats-bad", experience=[
        experience(start_date="2020-01-01", end_date="2019-01-01")])
    assert_bulk_rejected_whole(api, bad, "candidates.2.experience.0.end_date")


def test_bulk_is_all_or_nothing_on_an_unknown_issuer_id_deep_inside(api, issuer):
    bad = candidate_body("ats-bad", credentials=[
        credential(issuer_id=issuer["id"]), credential(issuer_id=issuer["id"] + 1000)])
    assert_bulk_rejected_whole(api, bad, "candidates.2.credentials.1.issuer_id")


@pytest.mark.parametrize(("field", "value", "path"), [
    ("name", "Ada \ud800", "name"), ("name", "Ada\x00", "name"),
    ("email", "not an e-mail", "email"), ("location", " ", "location"),
    ("skills", ["x" * 201], "skills.0")])
def test_bulk_explains_what_its_fast_path_refuses(api, field, value, path):
    """Refused by the msgspec fast path, explained by the schema's fields: never a 500."""
    assert_bulk_rejected_whole(api, candidate_body("ats-bad", **{field: value}),
                               f"candidates.2.{path}")


def test_bulk_needs_a_list_of_candidates(api):
    assert_invalid(api.post("/candidates/bulk", {}), "candidates")
    assert_invalid(api.post("/candidates/bulk", {"candidates": "ats-1"}), "candidates")
