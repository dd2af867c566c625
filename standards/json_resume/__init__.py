"""JSON Resume 1.x in and out (DESIGN.md §6).

:func:`resume_to_candidate` reads a resume into the body of the candidate
endpoint; :func:`candidate_to_resume` writes a candidate as a resume that the
JSON Resume schema accepts.

=======================  =====================================================
JSON Resume              candidate body
=======================  =====================================================
basics.name, .email      name, email (the email is the default external_id)
basics.location          location, "City, Region, CC"
work[], volunteer[]      experience: position -> title, name/organization ->
                         employer, description -> industry, skills found in
                         position, summary, description and highlights
certificates[]           credentials, kind read from the name
education[]              credentials of kind degree (completed ones only)
skills[]                 skills (declared): name and keywords that resolve
=======================  =====================================================

JSON Resume has no place for the skills of a role or a credential, nor for a
credential's kind, expiry or level. An export writes skills twice: as text
people and other tools read (a work ``summary`` "Skills: SQL, Tableau."), and
exactly, with the rest, in an ``x-talentmatch`` member, which the schema allows
(``additionalProperties``). On import that member, where present, is taken as
written and the entry's text is not searched again: the text was generated from
it, and a label such as "Python (computer programming)" also mentions
"computer programming". Verification is exported for readers but never
imported: a resume is what the candidate says.

The package: ``reading`` (import, with the section readers ``experience`` and
``credentials`` built on ``fields``), ``writing`` (export) and ``common`` (the
vocabulary both share).
"""

from standards.json_resume.common import (
    EXTENSION,
    SCHEMA_URL,
    degree_name,
    kind_from_name,
    partial_date,
)
from standards.json_resume.reading import resume_to_candidate
from standards.json_resume.writing import candidate_to_resume

__all__ = ["EXTENSION", "SCHEMA_URL", "candidate_to_resume", "degree_name", "kind_from_name",
           "partial_date", "resume_to_candidate"]
