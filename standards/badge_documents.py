"""Reading either Open Badges standard into the parts that the badge mapping uses.

:func:`read_badge` takes an Open Badges 3.0 credential (W3C VC 2.0 or 1.1
shape, or a VC 1.1 JWT payload with its ``vc`` claim) or an Open Badges 2.0
assertion and returns a :class:`BadgeView`: each value the mapping reads, with
its document path. Nothing is fetched: a BadgeClass, achievement or issuer
given only by its URL is read from the ``linked`` documents, or not at all.

Examples
--------
>>> from standards.badge_documents import linked_profile, read_badge
>>> view = read_badge({"badge": {"name": "Query Basics", "issuer": "https://ex.org/i",
...                              "tags": ["sql"]}, "issuedOn": "2024-03-01"}, None, {})
>>> view.standard, view.names, view.terms
('ob2', [('Query Basics', 'badge.name')], [('sql', 'badge.tags.0')])
>>> linked_profile("did:key:z6Mkf", {})
{'id': 'did:key:z6Mkf'}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from standards.badge_values import Located, items_of, type_names
from standards.errors import DocumentError
from standards.result import join

__all__ = ["BadgeView", "is_ob2", "linked_profile", "read_badge"]


@dataclass
class BadgeView:
    """The parts of either standard's document that the mapping reads."""

    standard: str
    names: list[Located]
    issuer: Located
    issued: list[Located]
    expires: list[Located]
    root: str = ""
    kind: Located | None = None
    alignments: list[Located] = field(default_factory=list)
    topics: list[Located] = field(default_factory=list)  # skills only if known, else quiet
    terms: list[Located] = field(default_factory=list)  # skills if known, else reported
    notes: list[tuple[str, str, Any]] = field(default_factory=list)


def read_badge(document: object, fmt: str | None, linked: Mapping[str, Any]) -> BadgeView:
    """The view of an OB 3.0 or OB 2.0 document (``fmt`` ``"ob3-..."``/``"ob2-..."`` or guessed).

    Raises
    ------
    DocumentError
        When the document is neither standard's, or lacks what its standard requires.
    ValueError
        When ``fmt`` names another format.
    """
    if not isinstance(document, dict):
        raise DocumentError("$", "An Open Badge is a JSON object.")
    if fmt is not None and not fmt.startswith(("ob2", "ob3")):
        raise ValueError(f"Unknown badge format {fmt!r}: expected 'ob2-...' or 'ob3-...'.")
    if fmt is None:
        fmt = "ob2" if is_ob2(document) else "ob3" if (
            "credentialSubject" in document or "vc" in document) else ""
    if not fmt.startswith(("ob2", "ob3")):
        raise DocumentError("$", "Neither an Open Badges 3.0 credential (credentialSubject) "
                                 "nor an Open Badges 2.0 assertion (badge).")
    return _ob2(document, linked) if fmt.startswith("ob2") else _ob3(document, linked)


def is_ob2(document: dict[str, Any]) -> bool:
    """Whether the document is an Open Badges 2.0 assertion rather than an OB 3.0 credential."""
    return "credentialSubject" not in document and (
        "badge" in document or "Assertion" in type_names(document))


def linked_profile(value: object, linked: Mapping[str, Any]) -> dict[str, Any] | None:
    """An embedded object, the linked document an id names, or ``{"id": ...}`` for a bare id."""
    if isinstance(value, str):
        found = linked.get(value)
        return found if isinstance(found, dict) else {"id": value}
    return value if isinstance(value, dict) else None


def _ob3(document: dict[str, Any], linked: Mapping[str, Any]) -> BadgeView:
    doc, root, claims = document, "", {}
    if "credentialSubject" not in document and isinstance(document.get("vc"), dict):
        # A VC 1.1 JWT payload: its claims stand in for members the vc object leaves out.
        doc, root, claims = document["vc"], "vc", document
    subject, spath = _subject(doc, root)
    view = BadgeView("ob3", root=root, names=[],
                     issuer=(claims["iss"], "iss") if "issuer" not in doc and "iss" in claims
                     else (doc.get("issuer"), join(root, "issuer")),
                     # awardedDate survives a reissue of the credential, when validFrom moves on.
                     issued=[*_members(doc, root, "awardedDate", "validFrom", "issuanceDate"),
                             (claims.get("nbf"), "nbf")],
                     expires=[*_members(doc, root, "validUntil", "expirationDate"),
                              (claims.get("exp"), "exp")])
    if "EndorsementSubject" in type_names(subject) or "EndorsementCredential" in type_names(doc):
        view.notes.append((spath, "An endorsement of its subject, not an achievement its holder "
                                  "earned: it maps as a badge named after the credential.",
                           subject.get("id")))
    achievement, apath = _achievement(subject, spath, linked, view)
    view.names = [((achievement or {}).get("name"), join(apath, "name")),
                  (doc.get("name"), join(root, "name"))]
    if achievement is not None:
        _read_achievement(view, achievement, apath)
    return view


def _read_achievement(view: BadgeView, achievement: dict[str, Any], path: str) -> None:
    view.topics = [view.names[0]]
    if "achievementType" in achievement:
        view.kind = (achievement["achievementType"], join(path, "achievementType"))
    view.alignments = items_of(achievement.get("alignment"), join(path, "alignment"))
    view.terms = [*items_of(achievement.get("tag"), join(path, "tag")),
                  *_members(achievement, path, "fieldOfStudy", "specialization")]
    if achievement.get("resultDescription"):
        view.notes.append((join(path, "resultDescription"), "Result descriptions say how the "
                           "achievement is graded; they are not read as skills.", None))


def _members(obj: dict[str, Any], path: str, *keys: str) -> list[Located]:
    return [(obj[key], join(path, key)) for key in keys if key in obj]


def _subject(doc: dict[str, Any], root: str) -> tuple[dict[str, Any], str]:
    path = join(root, "credentialSubject")
    subjects = items_of(doc.get("credentialSubject"), path)
    chosen = [s for s in subjects if isinstance(s[0], dict) and "achievement" in s[0]]
    chosen += [s for s in subjects if isinstance(s[0], dict) and s not in chosen]
    if not chosen:
        raise DocumentError(path, "An Open Badges 3.0 credential has a credentialSubject object.")
    return chosen[0]


def _achievement(subject: dict[str, Any], spath: str, linked: Mapping[str, Any],
                 view: BadgeView) -> tuple[dict[str, Any] | None, str]:
    path, value = join(spath, "achievement"), subject.get("achievement")
    if isinstance(value, str):
        if isinstance(linked.get(value), dict):
            return linked[value], path
        view.notes.append((path, "The achievement is given by its id only and nothing is "
                                 "fetched: the credential's own name is used.", value))
    return (value if isinstance(value, dict) else None), path


def _ob2(document: dict[str, Any], linked: Mapping[str, Any]) -> BadgeView:
    value = document.get("badge")
    badge = linked_profile(value, linked)
    if badge is None or set(badge) == {"id"}:
        raise DocumentError("badge", "The BadgeClass is given by its URL only and nothing is "
                                     "fetched: embed it in the assertion or supply it linked."
                            if isinstance(value, str) else
                            "An Open Badges 2.0 assertion embeds or names its BadgeClass.")
    name = (badge.get("name"), "badge.name")
    return BadgeView("ob2", names=[name], topics=[name],
                     issuer=(badge.get("issuer"), "badge.issuer"),
                     issued=[(document.get("issuedOn"), "issuedOn")],
                     expires=[(document.get("expires"), "expires")],
                     alignments=items_of(badge.get("alignment"), "badge.alignment"),
                     terms=items_of(badge.get("tags"), "badge.tags"))
