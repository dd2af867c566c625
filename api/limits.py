"""Per-key rate limits (flask-limiter), answered as 429 problems with ``Retry-After``.

Every request but health and the OpenAPI document falls into one class, each
with its own budget per caller and window (README "Configuration"):

* ``ranking``: ``POST /jobs/{id}/rankings`` and ``POST /audits/bias`` (they
  score a whole candidate pool or scan stored runs);
* ``write``: any other POST, PUT, PATCH or DELETE;
* ``read``: everything else.

The caller is the API key's lookup prefix when the ``Authorization`` header
carries a key of the right shape, else the client address, so floods without
a key are limited per address. A forged prefix would open a fresh bucket per
request, so failed authentications (401) also count against a per-address
budget of their own.

Limits are checked in an app-level ``before_request`` hook, which Flask runs
before any blueprint's (authentication included): a throttled request costs
no database round trip, and no resource module needs to know about limits.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from functools import lru_cache

from flask import Flask, Response, current_app, request
from flask_limiter import ApplicationLimit, Limiter, RateLimitExceeded, RequestLimit
from limits import parse_many

from api.errors import problem
from api.http_methods import WRITE_METHODS
from api.repositories.organizations import lookup_prefix

__all__ = ["AUTH_FAILURES", "RANKING", "READ", "WRITE", "get_limiter", "init_limits",
           "request_class"]

READ, WRITE, RANKING = "read", "write", "ranking"
AUTH_FAILURES = "auth-failures"
_CLASS_SETTINGS = {READ: "RATELIMIT_READ", WRITE: "RATELIMIT_WRITE",
                   RANKING: "RATELIMIT_RANKING", AUTH_FAILURES: "RATELIMIT_AUTH_FAILURES"}
# Path templates with their parameters blanked, so renaming one changes nothing.
_RANKING_ROUTES = {("POST", "/api/v1/jobs/{}/rankings"), ("POST", "/api/v1/audits/bias")}
_UNLIMITED_BLUEPRINTS = {"health", "api-docs", "metrics"}
_PARAMETER = re.compile(r"<[^>]*>")
_EXTENSION = "talentmatch.limiter"
RATE_LIMITED = "urn:talentmatch:problem:rate-limited"


def caller_key() -> str:
    """Whom a request is counted against: its API key's prefix, else its address."""
    prefix = lookup_prefix(request.headers.get("Authorization", ""))
    return f"key:{prefix}" if prefix else _address()


def _address() -> str:
    # Behind a reverse proxy, wrap the app in werkzeug's ProxyFix so this is the client.
    return f"addr:{request.remote_addr or 'unknown'}"


@lru_cache(maxsize=1024)
def _classify(method: str, rule: str | None) -> str:
    if rule is not None and (method, _PARAMETER.sub("{}", rule)) in _RANKING_ROUTES:
        return RANKING
    return WRITE if method in WRITE_METHODS else READ


def request_class() -> str:
    """The limit class of the current request: ``read``, ``write`` or ``ranking``."""
    rule = request.url_rule.rule if request.url_rule is not None else None
    return _classify(request.method, rule)


def _unlimited() -> bool:
    return request.blueprint in _UNLIMITED_BLUEPRINTS


def _class_limit(name: str, value: str) -> ApplicationLimit:
    # Shared limits are scoped by class alone, so one budget spans every endpoint.
    return ApplicationLimit(value, key_function=caller_key, scope=name,
                            exempt_when=lambda: request_class() != name)


def _auth_failure_limit(value: str) -> ApplicationLimit:
    # Tested before the request, counted only once it has answered 401.
    return ApplicationLimit(value, key_function=_address, scope=AUTH_FAILURES,
                            deduct_when=lambda response: response.status_code == 401)


def _settings(app: Flask) -> dict[str, str]:
    """The configured limit of each class; a typo fails at startup, not per request."""
    values = {}
    for name, setting in _CLASS_SETTINGS.items():
        value = str(app.config[setting])
        try:
            parse_many(value)
        except ValueError as error:
            raise ValueError(f"{setting}={value!r} is not a rate limit "
                             "(examples: '600/minute', '10 per second').") from error
        values[name] = value
    return values


def init_limits(app: Flask) -> None:
    """Install the limiter on ``app`` unless ``RATELIMIT_ENABLED`` is false."""
    app.register_error_handler(RateLimitExceeded, _too_many_requests)
    if not app.config.get("RATELIMIT_ENABLED", True):
        return
    settings = _settings(app)
    budgets: list[str | Callable[[], str] | ApplicationLimit] = [
        _class_limit(name, settings[name]) for name in (READ, WRITE, RANKING)]
    budgets.append(_auth_failure_limit(settings[AUTH_FAILURES]))
    limiter = Limiter(
        caller_key,
        application_limits=budgets,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        # A storage outage degrades to per-process limits instead of failing requests.
        in_memory_fallback_enabled=True,
        key_prefix="talentmatch",
        # Unmatched paths (404, 405) are limited too, by their method's class.
        request_identifier=lambda: request.endpoint or "unmatched",
        headers_enabled=False,  # written below: flask-limiter's own put Retry-After on 200s
    )
    limiter.request_filter(_unlimited)
    limiter.init_app(app)
    app.extensions[_EXTENSION] = limiter
    app.after_request(_rate_headers)


def get_limiter(app: Flask) -> Limiter | None:
    """The limiter of ``app`` (``None`` when rate limiting is disabled)."""
    return app.extensions.get(_EXTENSION)


def _reported_limit() -> RequestLimit | None:
    """The limit the headers describe: the one breached, else the request's class budget."""
    limiter = get_limiter(current_app)
    if limiter is None:
        return None
    limits = limiter.current_limits
    breached = [lim for lim in limits if lim.breached]
    if breached:
        return breached[0]
    own = request_class()
    return next((lim for lim in limits if lim.request_args[-1] == own), None)


def _rate_headers(response: Response) -> Response:
    limit = _reported_limit()
    if limit is not None:
        response.headers["X-RateLimit-Limit"] = str(limit.limit.amount)
        response.headers["X-RateLimit-Remaining"] = str(max(limit.remaining, 0))
        response.headers["X-RateLimit-Reset"] = str(math.ceil(limit.window.reset_time))
    return response


def _too_many_requests(error: RateLimitExceeded) -> Response:
    limit = _reported_limit()
    reset_at = limit.window.reset_time if limit is not None else time.time() + 1
    # Whole seconds, rounded up and at least 1, so a client retrying on time is let in.
    retry_after = max(1, math.ceil(reset_at - time.time()))
    scope = limit.request_args[-1] if limit is not None else request_class()
    detail = (f"Rate limit of {error.description} for {scope} requests exceeded; "
              f"retry in {retry_after} s.")
    return problem(429, detail, type_=RATE_LIMITED,
                   headers={"Retry-After": str(retry_after)})
