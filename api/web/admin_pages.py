"""Admin pages: the organization's API keys and the people who may sign in.

Keys go through :class:`ApiKeyRepository` and people through
:func:`api.web.users.create_user`, the same code the API and the CLI use, so the
rules (a new key is shown once; the last admin key stays; passwords are hashed)
hold here too. Every change is committed with its audit event.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import render_template, request
from sqlalchemy import select

from api import models, wiring
from api.db import get_session
from api.errors import flatten_messages
from api.repositories.organizations import SCOPES, ApiKeyRepository
from api.schemas.keys import KeyInSchema
from api.web import web
from api.web.session import login_required
from api.web.users import ROLES, create_user
from matcher.errors import Conflict, InvalidInput, NotFound

MAX_ROWS = 500
MAX_NAME = 200  # the column's size


def _keys() -> ApiKeyRepository:
    return ApiKeyRepository(get_session(), wiring.organization_id())


def _keys_page(status: int = 200, **context: Any) -> Any:
    keys, _ = _keys().list(MAX_ROWS, 0)
    context.setdefault("errors", {})
    return render_template("admin_keys.html", keys=keys, scopes=SCOPES, **context), status


def _issue_key() -> Any:
    try:
        data = KeyInSchema().load({"name": request.form.get("name", "").strip(),
                                   "scopes": request.form.getlist("scopes")})
    except ma.ValidationError as invalid:
        errors: dict[str, list[str]] = {}
        for path, texts in flatten_messages(invalid.messages).items():
            # "scopes.0" -> "scopes": the form has one control per field, not per item.
            errors.setdefault(path.split(".")[0], []).extend(texts)
        return _keys_page(400, errors=errors, form=request.form)
    info, plaintext = _keys().issue(data["name"], tuple(data["scopes"]))
    wiring.commit(resource_id=info.id)
    # The plaintext exists only in this answer: the database keeps a hash.
    return _keys_page(201, new_key=plaintext, new_info=info)


def _revoke_key() -> Any:
    raw = request.form.get("key_id", "")
    if not raw.isdigit() or not 0 < int(raw) < 2**31:
        return _keys_page(400, errors={"$": ["Choose a key to revoke."]})
    try:
        info = _keys().revoke(int(raw))
    except NotFound:
        return _keys_page(404, errors={"$": ["There is no such key in your organization."]})
    except Conflict as conflict:
        return _keys_page(409, errors={"$": [str(conflict)]})
    wiring.commit(resource_id=info.id)
    return _keys_page(200, message=f"Key “{info.name}” ({info.prefix}) is revoked.")


@web.route("/admin/keys", methods=["GET", "POST"])
@login_required(role="admin")
def admin_keys() -> Any:
    if request.method == "GET":
        return _keys_page()
    action = request.form.get("action")
    if action == "create":
        return _issue_key()
    if action == "revoke":
        return _revoke_key()
    return _keys_page(400, errors={"$": ["Unknown action."]})


def _users() -> list[models.User]:
    return list(get_session().scalars(
        select(models.User).where(models.User.organization_id == wiring.organization_id())
        .order_by(models.User.id).limit(MAX_ROWS)))


def _users_page(status: int = 200, **context: Any) -> Any:
    context.setdefault("errors", {})
    context.setdefault("form", {})
    return render_template("admin_users.html", users=_users(), roles=ROLES,
                           **context), status


@web.route("/admin/users", methods=["GET", "POST"])
@login_required(role="admin")
def admin_users() -> Any:
    if request.method == "GET":
        return _users_page()
    form = request.form
    if len(form.get("name", "")) > MAX_NAME:
        return _users_page(400, errors={"name": [f"At most {MAX_NAME} characters."]}, form=form)
    try:
        user = create_user(get_session(), wiring.organization_id(), form.get("email", ""),
                           form.get("name", ""), form.get("password", ""),
                           form.get("role", ""))
    except InvalidInput as invalid:
        return _users_page(400, errors=invalid.errors or {"$": [str(invalid)]}, form=form)
    except Conflict as conflict:
        return _users_page(409, errors={"email": [str(conflict)]}, form=form)
    # The audit detail names the new account, never its password.
    wiring.commit(resource_id=user.id, detail={"email": user.email, "role": user.role})
    return _users_page(201, message=f"{user.name} ({user.email}) can now sign in as "
                                    f"{user.role}.")
