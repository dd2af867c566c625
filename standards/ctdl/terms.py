"""CTDL's vocabulary as talentmatch reads it: term prefixes, resource types and kinds.

Members and types are read by their CTDL names, written ``ceterms:name`` or as
the full ``https://purl.org/ctdl/terms/`` IRI; :func:`local` strips either.
"""

from __future__ import annotations

from typing import Any

from matcher.model import CredentialKind
from standards.result import values_of

__all__ = ["ORGANIZATIONS", "PARTS", "QA", "TERMS", "USED", "as_list", "credential_kind",
           "local", "type_key", "useful", "values_of"]

TERMS = ("ceterms:", "https://purl.org/ctdl/terms/", "http://purl.org/ctdl/terms/")
ORGANIZATIONS = {"CredentialOrganization", "QACredentialOrganization"}
# Not credentials, but what they lead to is: completing one earns a certificate.
_LEARNING = {"AssessmentProfile", "LearningOpportunityProfile", "LearningProgram", "Course"}
QA = ("accreditedBy", "approvedBy", "recognizedBy")
# Parts of other resources: met inside them, never imported on their own.
PARTS = {"ceasn:Competency", "ceasn:CompetencyFramework", "ConditionProfile", "CostProfile",
         "DurationProfile", "Place", "CredentialAlignmentObject", "AlignmentObject",
         "ContactPoint", "QuantitativeValue", "ceasn:ProgressionModel"}
# The terms every imported resource may use; the rest are reported as not used.
USED = {"ctid", "name", "subjectWebpage", "regulatedBy", *QA}


def credential_kind(ctdl_type: str) -> CredentialKind | None:
    """The talentmatch kind of a CTDL credential (or learning) type; ``None`` if not one.

    >>> credential_kind("ceterms:BachelorDegree"), credential_kind("ceterms:OpenBadge")
    (<CredentialKind.DEGREE: 'degree'>, <CredentialKind.BADGE: 'badge'>)
    >>> credential_kind("ceterms:AssessmentProfile"), credential_kind("ceterms:Place")
    (<CredentialKind.CERTIFICATE: 'certificate'>, None)
    """
    name = local(ctdl_type)
    exact = {"Certification": CredentialKind.CERTIFICATION, "License": CredentialKind.LICENSE,
             "Badge": CredentialKind.BADGE, "OpenBadge": CredentialKind.BADGE,
             "DigitalBadge": CredentialKind.BADGE,
             "MicroCredential": CredentialKind.MICRO_CREDENTIAL}
    if name in exact:
        return exact[name]
    if name.endswith(("Degree", "Doctorate")):
        return CredentialKind.DEGREE
    if (name.endswith(("Certificate", "Diploma")) or name.startswith("CertificateOf")
            or name in _LEARNING | {"Credential", "GeneralEducationDevelopment"}):
        return CredentialKind.CERTIFICATE
    return None


def local(ctdl_type: str) -> str:
    """``ceterms:Certification`` -> ``Certification``; other vocabularies keep their prefix.

    >>> local("https://purl.org/ctdl/terms/Course"), local("ceasn:Competency")
    ('Course', 'ceasn:Competency')
    """
    return next((ctdl_type[len(p):] for p in TERMS if ctdl_type.startswith(p)), ctdl_type)


def useful(name: str) -> bool:
    """Whether talentmatch imports resources of the (local) type ``name``."""
    return name in ORGANIZATIONS or credential_kind(name) is not None


def type_key(node: dict) -> str:
    """``@type``, or ``type`` in documents that write ``type`` (VC contexts alias it)."""
    return "type" if "type" in node or ("id" in node and "@id" not in node) else "@type"


def as_list(value: Any) -> list:
    """``value`` as a list: itself, empty for ``None``, else a list of one."""
    return value if isinstance(value, list) else [] if value is None else [value]
