"""Job documents in: schema.org JobPosting and JSON Resume jobs -> a job input body.

:func:`posting_to_job` reads either standard (:func:`job_standard` tells which)
and returns the body ``POST /jobs`` accepts, each requirement carrying
``to_confirm``:

- skills the employer *listed* (``skills`` text, ``DefinedTerm`` or, in a
  JSON Resume job, ``skills[].name`` and ``keywords``) become required
  requirements, with ``to_confirm`` false when the entry is a skill's name, an
  alias or an ESCO URI; an entry that is a phrase gives the skills mentioned
  in it, and one the resolver only matches fuzzily its best guess, to confirm;
- skills *mentioned* in free text are inferred, so ``to_confirm`` is true:
  ``qualifications`` and the experience and education texts say what the role
  needs, so their mentions are required; ``responsibilities`` and
  ``description`` say what the role does, which a newcomer may learn, so their
  mentions are preferred. A skill is kept once, from the first of these
  sources (in the order just given), and at most :data:`MAX_REQUIREMENTS`.
- names talentmatch cannot resolve are reported, not sent: a requirement on
  an unknown skill is met by nobody and would disqualify every candidate.

Experience and education follow schema.org: ``monthsOfExperience`` / 12 is
``min_total_years``; ``credentialCategory`` names the education level; with
``experienceInPlaceOfEducation`` either requirement suffices, so the months
become ``education.experience_in_place_months`` instead of a minimum of their
own. Without structured requirements, years ("5+ years") and degree words
are looked for in the experience text and the qualifications, and "or
equivalent experience" next to a degree accepts the default
:data:`DEFAULT_EXPERIENCE_IN_PLACE_MONTHS`; all of these are marked
``inferred`` in the report.
Salary, employer, location, employment type and dates are reported as not
mapped; so is ``occupationalCategory``: a job has no occupation field, and
guessing requirements from an occupation code would put words in the
employer's mouth.

The package: ``reading`` (:func:`job_standard`, :func:`posting_to_job`) picks
the reader of ``schema_org`` or ``json_resume_job``; both build on ``job``
(id, title, description, status, members not mapped), ``experience``
(experience and education requirements, read from prose with ``text``) and
``requirements`` (the shared state and the requirements it collects), with
``members`` reading schema.org's one-or-many values.
"""

from standards.job_posting.experience import DEFAULT_EXPERIENCE_IN_PLACE_MONTHS
from standards.job_posting.job import DESCRIPTION_LIMIT
from standards.job_posting.json_resume_job import JSON_RESUME_JOB
from standards.job_posting.reading import job_standard, posting_to_job
from standards.job_posting.requirements import MAX_REQUIREMENTS
from standards.job_posting.schema_org import JOB_POSTING
from standards.job_posting.text import education_in_text, years_in_text

__all__ = ["DEFAULT_EXPERIENCE_IN_PLACE_MONTHS", "DESCRIPTION_LIMIT", "JOB_POSTING",
           "JSON_RESUME_JOB", "MAX_REQUIREMENTS", "education_in_text", "job_standard",
           "posting_to_job", "years_in_text"]
