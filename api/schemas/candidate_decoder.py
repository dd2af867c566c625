"""A fast path for bulk candidate bodies: msgspec decoding, marshmallow's results.

Validating a candidate with :class:`~api.schemas.candidates.CandidateInSchema` walks
about 60 marshmallow fields and costs about 120 µs; a bulk import of a million
candidates spent half its CPU there. :func:`decode_candidates` decodes JSON Lines
text straight into msgspec structs (types, required and unknown fields, lengths and
ranges checked in C), then applies the checks msgspec cannot express (trimming,
control characters, the e-mail format, date ranges and order, unique external ids)
and returns exactly what ``BulkInSchema().load`` returns: plain dicts with the same
keys, defaults, enums and dates.

The fast path only ever *accepts*. Its constraints are the schema's or stricter (a
raw string over the limit is refused here even if trimming would bring it under),
so a batch it refuses, for whatever reason, goes through the schema, which gives the
error messages by field. ``tests/integration/test_candidate_decoder.py`` checks the
two agree on generated and on mutated bodies.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Any

import marshmallow as ma
import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from api.schemas.candidates import MAX_BULK, CandidateInSchema
from api.schemas.common import CONTROL, MAX_ID
from matcher.model import CredentialKind, EducationLevel, VerificationStatus

__all__ = ["convert_candidates", "decode_candidates"]


# Raw lengths: the schema's limits apply after trimming, so these are as strict or stricter.
_Text100 = Annotated[str, Meta(max_length=100)]
_Text200 = Annotated[str, Meta(max_length=200)]
_Text300 = Annotated[str, Meta(max_length=300)]
_Text320 = Annotated[str, Meta(max_length=320)]
_Text2000 = Annotated[str, Meta(max_length=2000)]
_Skills = Annotated[list[_Text200], Meta(max_length=100)]
_FIRST_DAY, _LAST_DAY = date(1900, 1, 1), date(2099, 12, 31)
# The schema's own field: its e-mail check, not a second copy that could drift.
_EMAIL = CandidateInSchema().fields["email"]


class _Verification(Struct, forbid_unknown_fields=True):
    status: VerificationStatus = VerificationStatus.UNVERIFIED
    method: _Text100 | None = None
    detail: _Text2000 | None = None


class _Credential(Struct, forbid_unknown_fields=True):
    name: _Text300
    kind: CredentialKind
    issuer: _Text200 | None = None
    issuer_id: Annotated[int, Meta(ge=1, le=MAX_ID)] | None = None
    issued_on: date | None = None
    expires_on: date | None = None
    skills: _Skills = msgspec.field(default_factory=list)
    # Left out, the schema's default is an empty dict, not a loaded verification.
    verification: _Verification | UnsetType = UNSET
    level: EducationLevel | None = None


class _Experience(Struct, forbid_unknown_fields=True):
    title: _Text300
    start_date: date
    employer: _Text200 | None = None
    industry: _Text200 | None = None
    end_date: date | None = None
    skills: _Skills = msgspec.field(default_factory=list)


class _Candidate(Struct, forbid_unknown_fields=True):
    external_id: _Text200
    name: _Text200
    email: _Text320 | None = None
    location: _Text200 | None = None
    credentials: Annotated[list[_Credential], Meta(max_length=200)] = \
        msgspec.field(default_factory=list)
    experience: Annotated[list[_Experience], Meta(max_length=200)] = \
        msgspec.field(default_factory=list)
    skills: _Skills = msgspec.field(default_factory=list)


_DECODER = msgspec.json.Decoder(_Candidate)


class _Refused(Exception):
    """The fast path is not sure: the schema decides (and explains)."""


def decode_candidates(lines: Sequence[str]) -> list[dict[str, Any]] | None:
    """``BulkInSchema().load({"candidates": [...]})["candidates"]`` for JSON Lines text.

    ``None`` when any line is not plainly valid: the caller then parses and validates
    the batch the slow way, which reports each error by line and field.

    Examples
    --------
    >>> decode_candidates(['{"external_id": " A-1 ", "name": "Ada"}'])[0]["external_id"]
    'A-1'
    >>> decode_candidates(['{"external_id": "A-1", "name": "Ada", "age": 36}']) is None
    True
    """
    return _checked(lambda: [_candidate(_DECODER.decode(line)) for line in lines], len(lines))


def convert_candidates(bodies: Sequence[Any]) -> list[dict[str, Any]] | None:
    """The same for bodies already parsed from JSON (a request's ``candidates``).

    Examples
    --------
    >>> convert_candidates([{"external_id": "A-1", "name": "Ada", "skills": [" SQL "]}])[0][
    ...     "skills"]
    ['SQL']
    >>> convert_candidates([{"external_id": "A-1", "name": ""}]) is None
    True
    """
    return _checked(lambda: [_candidate(msgspec.convert(body, _Candidate)) for body in bodies],
                    len(bodies))


def _checked(load: Callable[[], list[dict[str, Any]]], count: int
             ) -> list[dict[str, Any]] | None:
    if not 1 <= count <= MAX_BULK:
        return None
    try:
        loaded = load()
    # UnicodeError: msgspec refuses lone surrogates, which the fields reject with a message.
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeError, _Refused):
        return None
    if len({c["external_id"] for c in loaded}) < len(loaded):
        return None
    return loaded


def _candidate(c: _Candidate) -> dict[str, Any]:
    email = c.email
    if email is not None:
        try:
            email = _EMAIL.deserialize(email)
        except ma.ValidationError:
            raise _Refused from None
    return {"external_id": _trim(c.external_id), "name": _trim(c.name), "email": email,
            "location": _trim_or_none(c.location),
            "credentials": [_credential(k) for k in c.credentials],
            "experience": [_experience(e) for e in c.experience],
            "skills": _skills(c.skills)}


def _credential(k: _Credential) -> dict[str, Any]:
    _dates(k.issued_on, k.expires_on)
    v = k.verification
    return {"name": _trim(k.name), "kind": k.kind, "issuer": _trim_or_none(k.issuer),
            "issuer_id": k.issuer_id, "issued_on": k.issued_on, "expires_on": k.expires_on,
            "skills": _skills(k.skills), "level": k.level,
            "verification": {} if v is UNSET else {
                "status": v.status, "method": _trim_or_none(v.method),
                "detail": _trim_or_none(v.detail)}}


def _experience(e: _Experience) -> dict[str, Any]:
    _dates(e.start_date, e.end_date)
    return {"title": _trim(e.title), "employer": _trim_or_none(e.employer),
            "industry": _trim_or_none(e.industry), "start_date": e.start_date,
            "end_date": e.end_date, "skills": _skills(e.skills)}


def _dates(first: date | None, last: date | None) -> None:
    for day in (first, last):
        if day is not None and not _FIRST_DAY <= day <= _LAST_DAY:
            raise _Refused
    if first is not None and last is not None and last < first:
        raise _Refused


def _skills(names: list[str]) -> list[str]:
    return [_trim(name) for name in names]


def _trim(text: str) -> str:
    """What ``Text`` loads: trimmed, not empty, no control characters."""
    text = text.strip()
    if not text or CONTROL.search(text):
        raise _Refused
    return text


def _trim_or_none(text: str | None) -> str | None:
    return None if text is None else _trim(text)
