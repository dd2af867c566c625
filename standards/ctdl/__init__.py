"""CTDL (Credential Engine) documents in -> issuers, accreditations and catalogue offerings.

:func:`ctdl_to_registry` reads the three shapes CTDL travels in: one resource,
the Credential Registry's ``@graph`` of resources, and a Verifiable Credential
whose ``credentialSubject.achievement`` holds resources (both forms of ids and
types, ``@id``/``id`` and ``@type``/``type``, are read). Members are read by
their CTDL names (``ceterms:name``, or the full ``https://purl.org/ctdl/terms/``
IRI); ids written as compact IRIs (``res:ce-...``) are expanded with the
prefixes the document's own ``@context`` defines. Nothing is fetched.

- Organizations (``ceterms:CredentialOrganization``,
  ``ceterms:QACredentialOrganization``) and every organization that owns or
  offers a credential become issuers: name, ``subjectWebpage`` as url, an
  ISO 3166-1 alpha-2 ``addressCountry`` as country, and ``ctid``/``ref`` (the
  CTID and the resource's IRI) for the API to de-duplicate.
- ``ceterms:accreditedBy``, ``approvedBy`` and ``recognizedBy`` are CTDL's
  quality-assurance relations; each becomes an active accreditation naming the
  QA body (its ``ceterms:name`` from the document, else its id). On an
  organization it has no scope; on a credential it accredits that credential
  only, so it goes to the credential's owners (its offerers when no owner is
  named) with the credential's name as ``scope``. ``regulatedBy`` is reported:
  regulation is not accreditation.
- Credentials, assessments and learning opportunities become catalogue
  offerings of each organization that offers them (owners when none is named
  as offerer): kind from the type (:func:`credential_kind`), skills from the
  competencies it ``teaches``, ``assesses`` or ``requires``, duration from
  ``estimatedDuration`` (:func:`iso_weeks`), cost from ``estimatedCost``,
  delivery from ``deliveryType``. The catalogue only serves to close skill
  gaps, so a competency no talentmatch skill matches is reported, not sent,
  and a resource none of whose competencies resolves is not offered.

The package: ``reading`` (:func:`ctdl_to_registry`) builds on ``offerings``,
which combines ``organizations`` (issuers and accreditations) and
``competencies`` (competencies to skills); all of them read the document
through ``graph`` (resources, nodes by IRI, member values). ``terms`` holds
CTDL's vocabulary and ``durations`` the ISO 8601 durations.
"""

from standards.ctdl.durations import HOURS_PER_WEEK, WEEKS_PER_YEAR, iso_weeks
from standards.ctdl.reading import ctdl_to_registry
from standards.ctdl.terms import credential_kind

__all__ = ["HOURS_PER_WEEK", "WEEKS_PER_YEAR", "credential_kind", "ctdl_to_registry",
           "iso_weeks"]
