"""/api/v1/issuers: the issuer registry (DESIGN.md §3, §5)."""

from __future__ import annotations

from tests.api.helpers import (
    accreditation,
    assert_invalid,
    assert_problem,
    candidate_body,
    credential,
    issuer_body,
    offering_body,
)

ABET = accreditation("ABET", "active", valid_from="2020-01-01", valid_until="2030-12-31",
                     scope="Computing programmes")
DEAC = accreditation("DEAC", "expired", valid_from="2010-06-01", valid_until="2015-06-01",
                     scope=None)


def test_create_answers_201_with_id_reviewed_and_accreditations(api):
    body = issuer_body("Northwind Academy", url="https://northwind.example", country="US",
                       industry_recognized=True, accreditations=[ABET, DEAC])
    response = api.post("/issuers", body)
    assert response.status_code == 201
    created = response.get_json()
    assert isinstance(created["id"], int) and created["id"] > 0
    assert created["name"] == "Northwind Academy"
    assert created["url"] == "https://northwind.example"
    assert created["country"] == "US"
    assert created["industry_recognized"] is True
    assert created["reviewed"] is True
    assert created["accreditations"] == [ABET, DEAC]
    assert api.get(f"/issuers/{created['id']}").get_json() == created


def test_create_defaults(api):
    created = api.create("/issuers", issuer_body("Plain Issuer"))
    assert created["reviewed"] is True
    assert created["industry_recognized"] is False
    assert created["accreditations"] == []
    assert created["public_keys"] == []


def test_create_with_a_name_that_exists_in_another_case_is_409(api):
    api.create("/issuers", issuer_body("Northwind Academy"))
    assert_problem(api.post("/issuers", issuer_body("NORTHWIND academy")), 409)
    assert api.total("/issuers") == 1


def test_create_validates_fields(api):
    response = api.post("/issuers", issuer_body(
        "X", country="usa", url="ftp://x.example",
        accreditations=[accreditation(status="pending"),
                        accreditation(valid_from="2020-01-01", valid_until="2019-01-01")]))
    assert_invalid(response, "country", "url", "accreditations.0.status",
                   "accreditations.1.valid_until")
    assert api.total("/issuers") == 0


def test_list_is_a_page_envelope_honouring_limit_and_offset(api):
    ids = [api.create("/issuers", issuer_body(f"Issuer {n}"))["id"] for n in range(5)]

    first = api.get("/issuers?limit=2&offset=0").get_json()
    assert set(first) == {"items", "total", "limit", "offset"}
    assert (first["total"], first["limit"], first["offset"]) == (5, 2, 0)
    second = api.get("/issuers?limit=2&offset=2").get_json()
    last = api.get("/issuers?limit=2&offset=4").get_json()
    assert (second["total"], second["offset"], len(last["items"])) == (5, 2, 1)
    paged = [i["id"] for page in (first, second, last) for i in page["items"]]
    assert sorted(paged) == sorted(ids) and len(set(paged)) == 5

    beyond = api.get("/issuers?offset=10").get_json()
    assert beyond["items"] == [] and beyond["total"] == 5


def test_list_defaults_to_limit_50_offset_0(api):
    api.create("/issuers", issuer_body())
    page = api.get("/issuers").get_json()
    assert (page["limit"], page["offset"], page["total"], len(page["items"])) == (50, 0, 1, 1)


def test_list_rejects_bad_paging(api):
    for query in ("limit=0", "limit=501", "offset=-1", "limit=abc"):
        assert_problem(api.get(f"/issuers?{query}"), 422)
    assert api.get("/issuers?limit=500").status_code == 200


def test_get_unknown_issuer_is_404(api):
    assert_problem(api.get("/issuers/424242"), 404)


def test_patch_changes_only_the_fields_given(api):
    created = api.create("/issuers", issuer_body(
        "Northwind Academy", url="https://northwind.example", country="US",
        accreditations=[ABET]))
    response = api.patch(f"/issuers/{created['id']}", {"industry_recognized": True})
    assert response.status_code == 200
    patched = response.get_json()
    assert patched == {**created, "industry_recognized": True}
    assert api.get(f"/issuers/{created['id']}").get_json() == patched


def test_patch_replaces_accreditations(api):
    created = api.create("/issuers", issuer_body(accreditations=[ABET, DEAC]))
    path = f"/issuers/{created['id']}"
    replacement = accreditation("ACCSC", "revoked", valid_from="2021-03-01")
    patched = api.patch(path, {"accreditations": [replacement]}).get_json()
    assert patched["accreditations"] == [
        {**replacement, "valid_until": None, "scope": None}]
    assert api.patch(path, {"accreditations": []}).get_json()["accreditations"] == []
    assert api.get(path).get_json()["accreditations"] == []


def test_patch_renames(api):
    created = api.create("/issuers", issuer_body("Northwind Academy"))
    path = f"/issuers/{created['id']}"
    assert api.patch(path, {"name": "Northwind Institute"}).get_json()["name"] == (
        "Northwind Institute")
    assert api.get(path).get_json()["name"] == "Northwind Institute"
    # changing only the case of its own name is no clash
    assert api.patch(path, {"name": "NORTHWIND Institute"}).status_code == 200


def test_patch_to_another_issuers_name_in_any_case_is_409(api):
    api.create("/issuers", issuer_body("Northwind Academy"))
    other = api.create("/issuers", issuer_body("Contoso University"))
    response = api.patch(f"/issuers/{other['id']}", {"name": "northwind ACADEMY"})
    assert_problem(response, 409)
    assert api.get(f"/issuers/{other['id']}").get_json() == other


def test_patch_validates_and_unknown_is_404(api):
    created = api.create("/issuers", issuer_body())
    assert_invalid(api.patch(f"/issuers/{created['id']}", {"country": "gb"}), "country")
    assert_invalid(api.patch(f"/issuers/{created['id']}", {"name": None}), "name")
    assert api.get(f"/issuers/{created['id']}").get_json() == created
    assert_problem(api.patch("/issuers/424242", {"country": "GB"}), 404)


def test_delete_answers_204_then_404(api):
    created = api.create("/issuers", issuer_body())
    response = api.delete(f"/issuers/{created['id']}")
    assert response.status_code == 204
    assert response.get_data() == b""
    assert_problem(api.get(f"/issuers/{created['id']}"), 404)
    assert_problem(api.delete(f"/issuers/{created['id']}"), 404)
    assert api.total("/issuers") == 0


def test_delete_keeps_the_name_on_credentials_and_unlinks_them(api):
    issuer = api.create("/issuers", issuer_body("Northwind Academy"))
    candidate = api.create("/candidates", candidate_body(credentials=[
        credential(issuer="northwind academy"), credential(issuer_id=issuer["id"])]))
    assert [k["issuer_id"] for k in candidate["credentials"]] == [issuer["id"]] * 2

    assert api.delete(f"/issuers/{issuer['id']}").status_code == 204

    after = api.get(f"/candidates/{candidate['id']}").get_json()
    assert [(k["issuer"], k["issuer_id"]) for k in after["credentials"]] == [
        ("Northwind Academy", None), ("Northwind Academy", None)]


def test_delete_of_an_issuer_with_catalogue_offerings_is_409_and_changes_nothing(api):
    issuer = api.create("/issuers", issuer_body(accreditations=[ABET]))
    offering = api.create("/catalog", offering_body(issuer["id"]))
    candidate = api.create("/candidates", candidate_body(
        credentials=[credential(issuer_id=issuer["id"])]))

    assert_problem(api.delete(f"/issuers/{issuer['id']}"), 409)

    assert api.get(f"/issuers/{issuer['id']}").get_json() == issuer
    assert api.get(f"/catalog/{offering['id']}").get_json() == offering
    assert api.get(f"/candidates/{candidate['id']}").get_json() == candidate
