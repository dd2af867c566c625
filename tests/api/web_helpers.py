"""Signing in to the recruiter interface from Flask test clients."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

PASSWORD = "correct horse battery"


def csrf_token(client: FlaskClient, path: str = "/ui/login") -> str:
    """The CSRF token a page's forms carry."""
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None, page[:500]
    return found.group(1)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    response = client.post("/ui/login", data={"email": email, "password": password,
                                              "csrf_token": csrf_token(client)})
    assert response.status_code == 302
