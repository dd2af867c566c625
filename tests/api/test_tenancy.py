"""Authentication, scopes and tenant isolation for every resource (DESIGN.md §3, §5)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask

from api.repositories.organizations import OrganizationRepository
from tests.api.conftest import key_for
from tests.api.helpers import (
    API,
    Caller,
    assert_invalid,
    assert_problem,
    candidate_body,
    credential,
    issuer_body,
    job_body,
    offering_body,
)

CATALOG_ISSUER = "Catalog Issuer"


def _make_offering(api: Caller) -> dict:
    issuer = api.create("/issuers", issuer_body(CATALOG_ISSUER))
    return api.create("/catalog", offering_body(issuer["id"]))


@dataclass(frozen=True)
class Resource:
    """One resource type: how to create one, and the bodies of its other writes."""

    collection: str
    make: Callable[[Caller], dict]
    post_body: Callable[[], dict]
    put_body: Callable[[dict], dict] | None = None
    patch_body: dict | None = None
    by_external_id: bool = False
    bulk: bool = False

    def item(self, created: dict) -> str:
        return f"{self.collection}/{created['id']}"

    def reads(self, created: dict) -> list[str]:
        paths = [self.collection, self.item(created)]
        if self.by_external_id:
            paths.append(f"{self.collection}/by-external-id/{created['external_id']}")
        return paths

    def item_writes(self, created: dict) -> list[tuple[str, str, dict | None]]:
        """Writes addressed to ``created`` by id."""
        ops: list[tuple[str, str, dict | None]] = []
        if self.put_body:
            ops.append(("PUT", self.item(created), self.put_body(created)))
        if self.patch_body:
            ops.append(("PATCH", self.item(created), self.patch_body))
        ops.append(("DELETE", self.item(created), None))
        return ops

    def writes(self, created: dict) -> list[tuple[str, str, dict | None]]:
        ops: list[tuple[str, str, dict | None]] = [("POST", self.collection, self.post_body())]
        if self.by_external_id:
            ext = created["external_id"]
            ops.append(("PUT", f"{self.collection}/by-external-id/{ext}",
                        self.put_body(created)))
        if self.bulk:
            ops.append(("POST", f"{self.collection}/bulk",
                        {"candidates": [candidate_body("ats-new")]}))
        return ops + self.item_writes(created)


RESOURCES = {
    "issuers": Resource(
        "/issuers", lambda api: api.create("/issuers", issuer_body("Northwind Academy")),
        lambda: issuer_body("Contoso University"), patch_body={"country": "GB"}),
    "catalog": Resource(
        "/catalog", _make_offering,
        lambda: offering_body(issuer=CATALOG_ISSUER, name="Python Basics")),
    "candidates": Resource(
        "/candidates", lambda api: api.create("/candidates", candidate_body("ats-1", "Ada")),
        lambda: candidate_body("ats-2", "Grace"),
        put_body=lambda c: candidate_body(c["external_id"], "Changed Name"),
        by_external_id=True, bulk=True),
    "jobs": Resource(
        "/jobs", lambda api: api.create("/jobs", job_body("req-1", "Analyst")),
        lambda: job_body("req-2", "Engineer"),
        put_body=lambda j: job_body(j["external_id"], "Changed Title"),
        by_external_id=True),
}
resources = pytest.mark.parametrize("resource", list(RESOURCES.values()), ids=list(RESOURCES))


def call(caller: Caller, method: str, path: str, body: dict | None = None):
    return caller.client.open(API + path, method=method, headers=caller.headers,
                              json=body if body is not None else None)


def every_operation(resource: Resource, created: dict) -> list[tuple[str, str, dict | None]]:
    return [("GET", p, None) for p in resource.reads(created)] + resource.writes(created)


def assert_untouched(api: Caller, resource: Resource, created: dict, total: int) -> None:
    assert api.get(resource.item(created)).get_json() == created
    assert api.total(resource.collection) == total


# -- authentication -----------------------------------------------------------------------

@resources
def test_no_key_is_401_with_www_authenticate(api, anonymous, resource):
    created = resource.make(api)
    for method, path, body in every_operation(resource, created):
        response = call(anonymous, method, path, body)
        assert_problem(response, 401)
        assert response.headers.get("WWW-Authenticate", "").startswith("Bearer"), (method, path)
    assert_untouched(api, resource, created, 1)


def bad_headers(session, tenant) -> list[dict[str, str]]:
    repo = OrganizationRepository(session)
    revoked = repo.issue_key(tenant.organization_id, ("read", "write"))
    repo.revoke_key(revoked.id)
    session.commit()
    prefix, _, secret = tenant.key.rpartition("_")
    tampered = prefix + "_" + ("A" if secret[0] != "A" else "B") + secret[1:]
    return [{"Authorization": value} for value in (
        "Bearer", "Bearer ", "Bearer nonsense", "Bearer tm_abc_def", f"Bearer {tampered}",
        f"Bearer {revoked.plaintext}", f"Basic {tenant.key}", tenant.key,
        f"Bearer {tenant.key}x")]


@resources
def test_a_bad_key_is_401(api, client, session, tenant, resource):
    created = resource.make(api)
    for headers in bad_headers(session, tenant):
        caller = Caller(client, headers)
        for method, path, body in every_operation(resource, created):
            response = call(caller, method, path, body)
            assert_problem(response, 401)
            assert "WWW-Authenticate" in response.headers
    assert_untouched(api, resource, created, 1)


@resources
def test_a_key_with_a_nul_character_is_401(api, client, tenant, resource):
    created = resource.make(api)
    for token in ("tm_a\x00b_c", f"{tenant.key}\x00", "tm_\x00_x"):
        caller = Caller(client, {"Authorization": f"Bearer {token}"})
        for method, path, body in every_operation(resource, created):
            assert_problem(call(caller, method, path, body), 401)


def test_the_bearer_scheme_is_case_insensitive(client, tenant):
    response = client.get(f"{API}/issuers", headers={"Authorization": f"bearer {tenant.key}"})
    assert response.status_code == 200


# -- scopes -------------------------------------------------------------------------------

@resources
def test_a_read_only_key_reads_but_cannot_write(api, client, session, tenant, resource):
    created = resource.make(api)
    reader = Caller(client, key_for(session, tenant, "read"))
    for path in resource.reads(created):
        assert reader.get(path).status_code == 200, path
    for method, path, body in resource.writes(created):
        assert_problem(call(reader, method, path, body), 403)
    assert_untouched(api, resource, created, 1)


@resources
def test_a_write_only_key_writes_but_cannot_read(api, client, session, tenant, resource):
    created = resource.make(api)
    writer = Caller(client, key_for(session, tenant, "write"))
    for path in resource.reads(created):
        assert_problem(writer.get(path), 403)
    method, path, body = resource.writes(created)[0]
    assert call(writer, method, path, body).status_code == 201
    assert api.total(resource.collection) == 2


# -- isolation ----------------------------------------------------------------------------

@resources
def test_another_organizations_resource_is_404_and_unlisted(api, other_api, resource):
    created = resource.make(api)
    for path in resource.reads(created)[1:]:
        assert_problem(other_api.get(path), 404)
    for method, path, body in resource.item_writes(created):
        assert_problem(call(other_api, method, path, body), 404)
    listing = other_api.get(resource.collection).get_json()
    assert (listing["total"], listing["items"]) == (0, [])
    assert_untouched(api, resource, created, 1)


@resources
def test_the_404_does_not_reveal_that_the_resource_exists(api, other_api, resource):
    created = resource.make(api)
    foreign = other_api.get(resource.item(created)).get_json()
    missing_id = created["id"] + 1000
    missing = other_api.get(f"{resource.collection}/{missing_id}").get_json()
    assert foreign["detail"].replace(str(created["id"]), "N") == (
        missing["detail"].replace(str(missing_id), "N"))
    assert (foreign["type"], foreign["title"]) == (missing["type"], missing["title"])


@pytest.mark.parametrize("resource", [RESOURCES["candidates"], RESOURCES["jobs"]],
                         ids=["candidates", "jobs"])
def test_external_ids_are_per_organization(api, other_api, resource):
    created = resource.make(api)
    path = f"{resource.collection}/by-external-id/{created['external_id']}"
    response = other_api.put(path, resource.put_body(created))
    assert response.status_code == 201
    assert response.get_json()["id"] != created["id"]
    assert api.get(resource.item(created)).get_json() == created
    assert other_api.get(path).get_json()["id"] == response.get_json()["id"]
    assert api.get(path).get_json() == created


def test_issuer_names_are_per_organization(api, other_api):
    mine = api.create("/issuers", issuer_body("Northwind Academy"))
    theirs = other_api.create("/issuers", issuer_body("NORTHWIND ACADEMY"))
    assert theirs["id"] != mine["id"]
    assert api.get(f"/issuers/{mine['id']}").get_json() == mine


@pytest.fixture
def foreign_issuer(other_api) -> dict:
    return other_api.create("/issuers", issuer_body("Globex Institute"))


def test_another_organizations_issuer_id_is_never_linked_to_a_credential(api, foreign_issuer):
    linked = credential(issuer_id=foreign_issuer["id"])
    assert_invalid(api.post("/candidates", candidate_body(credentials=[linked])),
                   "credentials.0.issuer_id")
    assert_invalid(api.put("/candidates/by-external-id/ats-1",
                           candidate_body("ats-1", credentials=[credential(), linked])),
                   "credentials.1.issuer_id")
    assert_invalid(api.post("/candidates/bulk", {"candidates": [
        candidate_body("ats-1"), candidate_body("ats-2", credentials=[linked])]}),
        "candidates.1.credentials.0.issuer_id")
    existing = api.create("/candidates", candidate_body("ats-3"))
    assert_invalid(api.put(f"/candidates/{existing['id']}",
                           candidate_body("ats-3", credentials=[linked])),
                   "credentials.0.issuer_id")
    assert api.total("/candidates") == 1
    assert api.get(f"/candidates/{existing['id']}").get_json() == existing


def test_another_organizations_issuer_name_is_an_unknown_issuer(api, foreign_issuer):
    created = api.create("/candidates", candidate_body(
        credentials=[credential(issuer="Globex Institute")]))
    assert (created["credentials"][0]["issuer"], created["credentials"][0]["issuer_id"]) == (
        "Globex Institute", None)


def test_another_organizations_issuer_cannot_offer_in_my_catalogue(api, foreign_issuer):
    assert_invalid(api.post("/catalog", offering_body(foreign_issuer["id"])), "issuer_id")
    assert_invalid(api.post("/catalog", offering_body(issuer="Globex Institute")), "issuer")
    assert api.total("/catalog") == 0


def test_deleting_my_issuer_leaves_another_organizations_credentials_alone(api, other_api):
    mine = api.create("/issuers", issuer_body("Northwind Academy"))
    theirs = other_api.create("/issuers", issuer_body("Northwind Academy"))
    candidate = other_api.create("/candidates", candidate_body(
        credentials=[credential(issuer="northwind academy")]))
    assert candidate["credentials"][0]["issuer_id"] == theirs["id"]
    assert api.delete(f"/issuers/{mine['id']}").status_code == 204
    assert other_api.get(f"/candidates/{candidate['id']}").get_json() == candidate


# -- public endpoints and the OpenAPI document --------------------------------------------

def test_health_needs_no_key(anonymous):
    response = anonymous.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_openapi_document_needs_no_key_and_is_3_1(anonymous):
    response = anonymous.get("/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert re.fullmatch(r"3\.1\.\d+", document["openapi"])
    assert document["paths"]


def _template(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def test_openapi_document_lists_every_path_and_method(app: Flask, anonymous):
    document = anonymous.get("/openapi.json").get_json()
    served: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API) or rule.endpoint.startswith("api-docs"):
            continue
        methods = {m.lower() for m in rule.methods or ()} - {"head", "options"}
        served.setdefault(_template(rule.rule), set()).update(methods)
    documented = {path: {m for m in ops if m in {"get", "post", "put", "patch", "delete"}}
                  for path, ops in document["paths"].items()}
    assert documented == served

    shapes = {re.sub(r"\{[^}]+\}", "{}", path) for path in documented}
    for collection in ("issuers", "catalog", "candidates", "jobs"):
        assert {f"{API}/{collection}", f"{API}/{collection}/{{}}"} <= shapes
    assert {f"{API}/health", f"{API}/candidates/bulk",
            f"{API}/candidates/by-external-id/{{}}", f"{API}/jobs/by-external-id/{{}}"} <= shapes


def test_openapi_document_describes_the_bearer_key(anonymous):
    document = anonymous.get("/openapi.json").get_json()
    bearer = [name for name, scheme in document["components"]["securitySchemes"].items()
              if scheme["type"] == "http" and scheme["scheme"].lower() == "bearer"]
    assert len(bearer) == 1
    assert document["security"] == [{bearer[0]: []}]
    assert document["paths"][f"{API}/health"]["get"]["security"] == []
