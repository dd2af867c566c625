"""JSON Resume ``certificates`` and ``education`` entries read as a candidate's credentials.

Certificates take their kind from their name; education entries are degrees,
and only completed ones (an end date not after today) count. An export's
extension member gives kind, level, expiry and skills exactly.
"""

from __future__ import annotations

from datetime import date

from matcher.evidence import degree_level
from matcher.model import Credential, CredentialKind, EducationLevel
from standards.errors import DocumentError
from standards.json_resume.common import EXTENSION, degree_name, kind_from_name
from standards.json_resume.fields import Reader, SkillList, day_of, limited, text_of
from standards.result import join

__all__ = ["CredentialReader"]


class CredentialReader(Reader):
    """Reads one entry into a credential item of the body, or skips it (``None``)."""

    def _certificate(self, at: str, entry: dict, to: str) -> dict | None:
        name = text_of(entry, "name", join(at, "name"))
        if name is None:
            self.result.skip(at, "No name: a credential needs a name.", entry)
            return None
        ext = self._extension(entry, at) or {}
        kind = self._kind(ext, join(at, EXTENSION, "kind")) or kind_from_name(name)
        item: dict = {}
        self.put(item, to, "name", limited(name, "credential name", join(at, "name")),
                 join(at, "name"))
        self.put(item, to, "kind", kind.value, join(at, EXTENSION, "kind") if "kind" in ext
                 else join(at, "name"))
        self._issuer(entry, "issuer", item, to, at)
        issued = self._issued(entry, "date", item, to, at, last=False)
        self._credential_extension(ext, item, to, join(at, EXTENSION), issued)
        skills = SkillList(self.result, join(to, "skills"), at)
        if "skills" in ext:
            self._exact_skills(ext, skills, join(at, EXTENSION, "skills"))
        else:
            skills.mentions(self.finder, name, join(at, "name"))
            whole = self.resolver.resolve(name)  # "PMP" names project management outright
            if whole.skill_id and whole.label and whole.method in ("exact", "alias"):
                skills.add(whole.skill_id, whole.label, join(at, "name"))
        item["skills"] = skills.names
        self.ignore(entry, at, {"name", "issuer", "date", EXTENSION})
        return item

    def _kind(self, ext: dict, at: str) -> CredentialKind | None:
        text = text_of(ext, "kind", at)
        try:
            return CredentialKind(text) if text else None
        except ValueError:
            raise DocumentError(at, f"Not a credential kind; one of "
                                    f"{', '.join(k.value for k in CredentialKind)}.") from None

    def _issuer(self, entry: dict, key: str, item: dict, to: str, at: str) -> None:
        issuer = text_of(entry, key, join(at, key))
        if issuer is not None:
            self.put(item, to, "issuer", limited(issuer, "issuer", join(at, key)), join(at, key))

    def _issued(self, entry: dict, key: str, item: dict, to: str, at: str, *, last: bool
                ) -> date | None:
        text = text_of(entry, key, join(at, key))
        issued = None if text is None else day_of(text, join(at, key), last=last)
        if issued is not None:
            self.put(item, to, "issued_on", issued.isoformat(), join(at, key))
        return issued

    def _credential_extension(self, ext: dict, item: dict, to: str, at: str,
                              issued: date | None) -> None:
        """Expiry (and a degree's level) an export wrote; verification is not taken."""
        expires_text = text_of(ext, "expiresOn", join(at, "expiresOn"))
        if expires_text is not None:
            expires = day_of(expires_text, join(at, "expiresOn"), last=True)
            if issued is not None and expires < issued:
                raise DocumentError(join(at, "expiresOn"), "Before the issue date.")
            self.put(item, to, "expires_on", expires.isoformat(), join(at, "expiresOn"))
        if ext.get("verification") is not None:
            self.result.skip(join(at, "verification"), "Verification is not taken from a resume: "
                             "the candidate writes it; signed badges are verified by the "
                             "service.", ext["verification"])

    def _degree(self, at: str, entry: dict, to: str) -> dict | None:
        study, area = (text_of(entry, k, join(at, k)) for k in ("studyType", "area"))
        ext = self._extension(entry, at)
        written = text_of(ext, "name", join(at, EXTENSION, "name")) if ext else None
        name = written or degree_name(study, area)
        if name is None:
            self.result.skip(at, "No studyType or area: the entry names no degree.", entry)
            return None
        end_text = text_of(entry, "endDate", join(at, "endDate"))
        # A degree counts from graduation; an export's own entries are held degrees.
        if ext is None and (end_text is None or day_of(end_text, join(at, "endDate"),
                                                       last=True) > self.today):
            reason = "No endDate" if end_text is None else "endDate after today"
            self.result.skip(at, f"{reason}: not a completed degree.", entry)
            return None
        kind = self._kind(ext or {}, join(at, EXTENSION, "kind")) or kind_from_name(
            study or "", CredentialKind.DEGREE)  # "Professional Certificate" is no degree
        item: dict = {}
        source = join(at, EXTENSION, "name") if written else at
        self.put(item, to, "name", limited(name, "credential name", source), source)
        self.put(item, to, "kind", kind.value, join(at, EXTENSION, "kind") if ext and "kind"
                 in ext else join(at, "studyType") if study else at)
        level = self._level(ext, study, kind, join(at, EXTENSION, "level"))
        if level is not None:
            self.put(item, to, "level", level.value,
                     join(at, EXTENSION, "level") if ext else join(at, "studyType"))
        self._issuer(entry, "institution", item, to, at)
        issued = self._issued(entry, "endDate", item, to, at, last=True)
        self._credential_extension(ext or {}, item, to, join(at, EXTENSION), issued)
        skills = SkillList(self.result, join(to, "skills"), at)
        if ext is not None and "skills" in ext:
            self._exact_skills(ext, skills, join(at, EXTENSION, "skills"))
        else:
            skills.mentions(self.finder, area, join(at, "area"))
            self._mine_list(entry, "courses", at, skills)
        item["skills"] = skills.names
        self.ignore(entry, at, {"studyType", "area", "institution", "endDate", "courses",
                                EXTENSION})
        return item

    def _level(self, ext: dict | None, study: str | None, kind: CredentialKind, at: str
               ) -> EducationLevel | None:
        if ext is not None:
            text = text_of(ext, "level", at)
            try:
                return EducationLevel(text) if text else None
            except ValueError:
                raise DocumentError(at, "Not an education level; one of "
                                        f"{', '.join(v.value for v in EducationLevel)}.") from None
        if study is None or kind is not CredentialKind.DEGREE:
            return None
        return degree_level(Credential(study, CredentialKind.DEGREE))
