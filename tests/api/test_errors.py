"""Every failure is an RFC 9457 problem with the status §5 assigns; no input makes a 500."""

from __future__ import annotations

import pytest

from tests.api.helpers import (
    API,
    assert_invalid,
    assert_problem,
    candidate_body,
    credential,
    experience,
    issuer_body,
    job_body,
    offering_body,
    requirement,
)

COLLECTIONS = ["/issuers", "/catalog", "/candidates", "/jobs"]
BODY_ENDPOINTS = [("POST", "/issuers"), ("POST", "/catalog"), ("POST", "/candidates"),
                  ("POST", "/candidates/bulk"), ("POST", "/jobs"),
                  ("PUT", "/candidates/by-external-id/ats-1"),
                  ("PUT", "/jobs/by-external-id/req-1")]


def raw(api, method: str, path: str, data: bytes | str, content_type: str = "application/json"):
    return api.client.open(API + path, method=method, data=data,
                           headers={**api.headers, "Content-Type": content_type})


@pytest.mark.parametrize(("method", "path"), BODY_ENDPOINTS)
def test_malformed_json_is_400(api, method, path):
    body = assert_problem(raw(api, method, path, '{"name": "Ada", '), 400)
    assert "errors" not in body or isinstance(body["errors"], dict)


@pytest.mark.parametrize(("method", "path"), BODY_ENDPOINTS)
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "application/xml"])
def test_a_body_that_is_not_json_is_415(api, method, path, content_type):
    assert_problem(raw(api, method, path, '{"name": "Ada Lovelace"}', content_type), 415)


def test_a_body_without_content_type_is_415(api):
    response = api.client.post(API + "/issuers", data=b'{"name": "Northwind"}',
                               headers=api.headers)
    assert_problem(response, 415)


def test_an_empty_json_body_is_a_validation_error(api):
    assert_invalid(raw(api, "POST", "/issuers", b""), "name")


@pytest.mark.parametrize("document", [
    "[" * 100_000 + "]" * 100_000,
    '{"name": "A", "url": ' + "[" * 50_000 + "]" * 50_000 + "}",
    '{"name": "A", "public_keys": [{"id": "k", "public_key_jwk": ' + '{"a": ' * 20_000
    + "1" + "}" * 20_000 + "}]}",
])
def test_json_nested_too_deep_to_parse_is_a_client_error(api, document):
    response = raw(api, "POST", "/issuers", document)
    assert response.status_code in (400, 422), response.get_data(as_text=True)
    assert_problem(response, response.status_code)
    assert api.total("/issuers") == 0


@pytest.mark.parametrize("document", ['{"name": "North\\ud800wind"}',
                                      '{"name": "Northwind", "did": "did:key:\\udfff"}'])
def test_lone_surrogates_are_422(api, document):
    assert_problem(raw(api, "POST", "/issuers", document), 422)
    assert api.total("/issuers") == 0


def test_415_changes_nothing(api):
    response = raw(api, "POST", "/issuers", '{"name": "Northwind"}', "text/plain")
    assert_problem(response, 415)
    assert api.total("/issuers") == 0


def test_a_json_suffix_media_type_and_a_charset_are_accepted(api):
    assert raw(api, "POST", "/issuers", '{"name": "A"}',
               "application/json; charset=utf-8").status_code == 201
    assert raw(api, "POST", "/issuers", '{"name": "B"}',
               "application/merge-patch+json").status_code == 201


def test_a_body_over_the_limit_is_413(app, api):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    big = issuer_body("Northwind Academy", accreditations=[
        {"accrediting_body": f"Body {n}", "status": "active", "scope": "x" * 40}
        for n in range(30)])
    body = assert_problem(api.post("/issuers", big), 413)
    assert body["status"] == 413
    assert api.post("/issuers", issuer_body("Small")).status_code == 201
    assert api.total("/issuers") == 1


def test_validation_errors_map_dotted_paths_to_messages(api):
    response = api.post("/candidates", candidate_body(
        "", credentials=[credential(), credential(kind="diploma")],
        experience=[experience(start_date="yesterday")]))
    errors = assert_invalid(response, "external_id", "credentials.1.kind",
                            "experience.0.start_date")
    assert "credentials.0" not in " ".join(errors)
    assert all(not key.startswith("json") for key in errors)


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/issuers/1/children",
                                  "/nowhere", "/api/v2/issuers"])
def test_unknown_route_is_404(client, tenant, path):
    assert_problem(client.get(path, headers=tenant.headers), 404)


@pytest.mark.parametrize(("method", "path"), [
    ("DELETE", "/issuers"), ("PUT", "/issuers"), ("PUT", "/issuers/1"),
    ("PATCH", "/candidates/1"), ("PATCH", "/jobs/1"), ("PUT", "/catalog/1"),
    ("GET", "/candidates/bulk"), ("POST", "/jobs/1"), ("POST", "/health"),
])
def test_wrong_method_is_405_with_allow(api, method, path):
    response = api.client.open(API + path, method=method, headers=api.headers, json={})
    assert_problem(response, 405)
    allowed = {m.strip() for m in response.headers.get("Allow", "").split(",")}
    assert method not in allowed and allowed - {"HEAD", "OPTIONS"}, allowed


@pytest.mark.parametrize(("method", "path"), BODY_ENDPOINTS)
@pytest.mark.parametrize("document", ["[]", '[{"name": "Ada"}]', "42", '"text"', "null",
                                      "true"])
def test_a_json_document_that_is_not_an_object_is_422(api, method, path, document):
    assert_problem(raw(api, method, path, document), 422)


def test_patch_with_a_non_object_is_422(api):
    issuer = api.create("/issuers", issuer_body())
    for document in ("[]", "7", "null"):
        assert_problem(raw(api, "PATCH", f"/issuers/{issuer['id']}", document), 422)
    assert api.get(f"/issuers/{issuer['id']}").get_json() == issuer


NUL = "Ada\u0000Lovelace"


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/issuers", issuer_body(NUL), "name"),
    ("/issuers", issuer_body(did="did:web:\u0000x"), "did"),
    ("/issuers", issuer_body(url="https://x.example/\u0000"), "url"),
    ("/issuers", issuer_body(accreditations=[{"accrediting_body": "A", "status": "active",
                                              "scope": NUL}]), "accreditations.0.scope"),
    ("/issuers", issuer_body(public_keys=[{"id": "k1", "public_key_jwk": {
        "kty": "OKP", "crv": "Ed25519", "x": NUL}}]), "public_keys.0.public_key_jwk"),
    ("/issuers", issuer_body(public_keys=[{"id": "k1", "public_key_jwk": {
        "kty\u0000": "OKP"}}]), "public_keys.0.public_key_jwk"),
    ("/candidates", candidate_body(NUL), "external_id"),
    ("/candidates", candidate_body(name=NUL), "name"),
    ("/candidates", candidate_body(email="ada\u0000@example.com"), "email"),
    ("/candidates", candidate_body(credentials=[credential(skills=[NUL])]),
     "credentials.0.skills.0"),
    ("/candidates", candidate_body(credentials=[credential(issuer=NUL)]),
     "credentials.0.issuer"),
    ("/candidates", candidate_body(credentials=[credential(
        verification={"status": "verified", "method": NUL})]),
     "credentials.0.verification.method"),
    ("/candidates", candidate_body(experience=[experience(employer=NUL)]),
     "experience.0.employer"),
    ("/jobs", job_body(title=NUL), "title"),
    ("/jobs", job_body(description="line one\u0000"), "description"),
    ("/jobs", job_body(requirements=[requirement(NUL)]), "requirements.0.skill"),
    ("/catalog", offering_body(issuer=NUL), "issuer"),
    ("/catalog", offering_body(issuer="X", currency="US\u0000"), "currency"),
])
def test_strings_with_nul_characters_are_422(api, path, body, field):
    errors = assert_invalid(api.post(path, body))
    assert any(key == field or key.startswith(field + ".") for key in errors), errors


@pytest.mark.parametrize("path", ["/candidates/by-external-id/ats%001",
                                  "/jobs/by-external-id/req%00"])
def test_a_nul_character_in_an_external_id_path_is_not_a_500(api, path):
    response = api.get(path)
    assert response.status_code in (404, 422), response.get_data(as_text=True)
    assert_problem(response, response.status_code)


def test_a_nul_character_in_an_upsert_path_is_422(api):
    response = api.put("/candidates/by-external-id/ats%001", candidate_body("ats\u00001"))
    assert_problem(response, 422)
    assert api.total("/candidates") == 0


@pytest.mark.parametrize("collection", COLLECTIONS)
@pytest.mark.parametrize("item", ["99999999999999999999", "2147483648", "0", "-1", "1.5",
                                  "1e3", "abc"])
def test_ids_that_can_name_nothing_are_404(api, collection, item):
    assert_problem(api.get(f"{collection}/{item}"), 404)
    assert_problem(api.delete(f"{collection}/{item}"), 404)


def test_unknown_ids_in_range_are_404(api):
    for collection in COLLECTIONS:
        assert_problem(api.get(f"{collection}/2147483647"), 404)


HUGE = 99999999999999999999


def huge_number_bodies(issuer_id: int) -> list[tuple[str, str, str]]:
    """(path, raw JSON, field) with numbers no column can hold or that are not numbers."""
    return [
        ("/candidates", '{"external_id": "a", "name": "A", "credentials": [{"name": "C", '
                        f'"kind": "badge", "issuer_id": {HUGE}}}]}}', "credentials.0.issuer_id"),
        ("/candidates", '{"external_id": "a", "name": "A", "credentials": [{"name": "C", '
                        '"kind": "badge", "issuer_id": 1e30}]}', "credentials.0.issuer_id"),
        ("/catalog", f'{{"issuer_id": {HUGE}, "name": "C", "kind": "badge", "skills": []}}',
         "issuer_id"),
        ("/catalog", f'{{"issuer_id": {issuer_id}, "name": "C", "kind": "badge", "skills": [], '
                     '"cost": NaN}', "cost"),
        ("/catalog", f'{{"issuer_id": {issuer_id}, "name": "C", "kind": "badge", "skills": [], '
                     '"duration_weeks": Infinity}', "duration_weeks"),
        ("/catalog", f'{{"issuer_id": {issuer_id}, "name": "C", "kind": "badge", "skills": [], '
                     '"cost": 1e400}', "cost"),
        ("/catalog", f'{{"issuer_id": {issuer_id}, "name": "C", "kind": "badge", "skills": [], '
                     f'"cost": {HUGE}}}', "cost"),
        ("/jobs", '{"external_id": "j", "title": "T", "requirements": '
                  '[{"skill": "SQL", "weight": NaN}]}', "requirements.0.weight"),
        ("/jobs", '{"external_id": "j", "title": "T", "requirements": '
                  '[{"skill": "SQL", "min_years": -Infinity}]}', "requirements.0.min_years"),
        ("/jobs", '{"external_id": "j", "title": "T", "requirements": [{"skill": "SQL"}], '
                  f'"min_total_years": {HUGE}}}', "min_total_years"),
        ("/jobs", '{"external_id": "j", "title": "T", "requirements": [{"skill": "SQL"}], '
                  f'"education": {{"level": "bachelor", "experience_in_place_months": {HUGE}}}}}',
         "education.experience_in_place_months"),
        ("/jobs", '{"external_id": "j", "title": "T", "requirements": [{"skill": "SQL"}], '
                  '"min_total_years": "NaN"}', "min_total_years"),
    ]


def test_huge_and_non_finite_numbers_are_422(api):
    issuer_id = api.create("/issuers", issuer_body())["id"]
    for path, document, field in huge_number_bodies(issuer_id):
        response = raw(api, "POST", path, document)
        errors = assert_invalid(response)
        assert field in errors, (document, errors)
    assert (api.total("/candidates"), api.total("/catalog"), api.total("/jobs")) == (0, 0, 0)


@pytest.mark.parametrize("query", [f"limit={HUGE}", f"offset={HUGE}", "limit=NaN",
                                   "offset=1e3", "limit=-5", "offset=Infinity"])
def test_huge_or_non_finite_paging_is_422(api, query):
    for collection in COLLECTIONS:
        assert_problem(api.get(f"{collection}?{query}"), 422)
