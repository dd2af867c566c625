"""Payload builders and assertions shared by the API tests."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

API = "/api/v1"
PROBLEM_JSON = "application/problem+json"
UNKNOWN_SKILL = "Zorblax quantum basketweaving"


def skill_id(name: str) -> str:
    """The canonical id the bundled taxonomy gives ``name`` (it must know it)."""
    from graph.taxonomy import taxonomy_resolver

    found = taxonomy_resolver().resolve(name).skill_id
    assert found is not None, name
    return found


class Caller:
    """A test client bound to one API key: ``caller.get("/issuers")``."""

    def __init__(self, client: FlaskClient, headers: dict[str, str]):
        self.client = client
        self.headers = headers

    def _call(self, method: str, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        if json is not None:
            kwargs["json"] = json
        return self.client.open(API + path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self._call("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
        return self._call("POST", path, json, **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
        return self._call("PUT", path, json, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
        return self._call("PATCH", path, json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        return self._call("DELETE", path, **kwargs)

    def create(self, path: str, body: dict) -> dict:
        """POST ``body`` and return the created resource (asserting 201)."""
        response = self.post(path, body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def total(self, path: str) -> int:
        response = self.get(path)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["total"]


def assert_problem(response: TestResponse, status: int) -> dict:
    """``response`` is an RFC 9457 problem with ``status``; returns its body."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == PROBLEM_JSON
    body = response.get_json(force=True)
    assert body["status"] == status
    for key in ("type", "title", "detail"):
        assert isinstance(body[key], str) and body[key], key
    return body


def assert_invalid(response: TestResponse, *paths: str) -> dict[str, list[str]]:
    """A 422 problem whose ``errors`` name every one of ``paths``; returns the errors."""
    body = assert_problem(response, 422)
    errors = body.get("errors")
    assert isinstance(errors, dict) and errors, body
    for path in paths:
        assert path in errors, (path, errors)
    for key, messages in errors.items():
        assert isinstance(key, str)
        assert isinstance(messages, list) and messages, (key, messages)
        assert all(isinstance(m, str) and m for m in messages), (key, messages)
    return errors


# -- payload builders ---------------------------------------------------------------------

def issuer_body(name: str = "Northwind Academy", **fields: Any) -> dict:
    return {"name": name, **fields}


def accreditation(body: str = "ABET", status: str = "active", **fields: Any) -> dict:
    return {"accrediting_body": body, "status": status, **fields}


def offering_body(issuer_id: int | None = None, *, issuer: str | None = None,
                  name: str = "SQL for Analysts", **fields: Any) -> dict:
    body: dict[str, Any] = {"name": name, "kind": "micro-credential",
                            "skills": ["SQL"], **fields}
    if issuer_id is not None:
        body["issuer_id"] = issuer_id
    if issuer is not None:
        body["issuer"] = issuer
    return body


def credential(name: str = "Data Analytics Certificate", kind: str = "certificate",
               **fields: Any) -> dict:
    return {"name": name, "kind": kind, **fields}


def experience(title: str = "Data Analyst", start_date: str = "2019-01-01",
               **fields: Any) -> dict:
    return {"title": title, "start_date": start_date, **fields}


def candidate_body(external_id: str = "ats-1", name: str = "Ada Lovelace",
                   **fields: Any) -> dict:
    return {"external_id": external_id, "name": name, **fields}


def requirement(skill: str = "SQL", **fields: Any) -> dict:
    return {"skill": skill, **fields}


def job_body(external_id: str = "req-1", title: str = "Data Analyst", *,
             requirements: list[dict] | None = None, **fields: Any) -> dict:
    return {"external_id": external_id, "title": title,
            "requirements": requirements if requirements is not None else [requirement()],
            **fields}


# -- skills -------------------------------------------------------------------------------

ESCO_SQL = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"


def skill_body(label: str = "SQL window functions", **fields: Any) -> dict:
    return {"label": label, **fields}


def skill_link(skill_id: str, label: str) -> dict:
    """How a skill response names a linked skill."""
    return {"skill_id": skill_id, "label": label}
