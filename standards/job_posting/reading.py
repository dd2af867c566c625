"""Which job standard a document follows, and reading it into a job body."""

from __future__ import annotations

from datetime import date

from matcher.mentions import MentionFinder
from matcher.skills import SkillResolver
from standards.errors import DocumentError
from standards.job_posting.json_resume_job import (
    JSON_RESUME_JOB,
    RESUME_JOB_MEMBERS,
    ResumeJobReader,
)
from standards.job_posting.schema_org import JOB_POSTING, PostingReader
from standards.result import ImportResult

__all__ = ["job_standard", "posting_to_job"]


def job_standard(document: object) -> str:
    """Which job standard ``document`` follows: :data:`JOB_POSTING` or :data:`JSON_RESUME_JOB`.

    JSON-LD members (``@type``, ``@context``, ``@graph``) make a JobPosting;
    otherwise the members of the JSON Resume job schema make a JSON Resume job.

    >>> job_standard({"@context": "https://schema.org", "@type": "JobPosting"})
    'schema.org JobPosting'
    >>> job_standard({"title": "Data Analyst", "skills": [{"name": "SQL"}]})
    'JSON Resume job'
    """
    if not isinstance(document, dict):
        raise DocumentError("$", "A job document is a JSON object.")
    if {"@type", "@context", "@graph"} & document.keys():
        return JOB_POSTING
    if RESUME_JOB_MEMBERS & document.keys():
        return JSON_RESUME_JOB
    raise DocumentError("$", "Neither a schema.org JobPosting (no @type) nor a JSON Resume job "
                             "(none of title, skills, qualifications, ...).")


def posting_to_job(document: dict, *, external_id: str | None, resolver: SkillResolver,
                   finder: MentionFinder, today: date, path: str = "") -> ImportResult:
    """A job input body from a schema.org JobPosting or a JSON Resume job.

    Parameters
    ----------
    document : dict
        The JobPosting (alone, or the one JobPosting of an ``@graph``) or the JSON Resume job.
    external_id : str or None
        The job's external id; ``None`` takes it from the document (``identifier``,
        ``@id`` or ``url``; ``meta.canonical`` in a JSON Resume job).
    resolver, finder
        Resolve listed skill names, and find skills mentioned in free text.
    today : date
        A ``validThrough`` before it closes the job.
    path : str
        Where ``document`` sits in the request, prefixed to every reported path.

    Returns
    -------
    ImportResult
        ``body`` for ``POST /jobs``; the first ``mapped`` item has ``to="standard"``.

    Raises
    ------
    DocumentError
        No title, no id, wrong member types, or no skill talentmatch recognises.
    """
    reader = PostingReader if job_standard(document) == JOB_POSTING else ResumeJobReader
    job = reader(resolver, finder, today, path)
    if external_id is not None:
        job.result.body["external_id"] = external_id
    job.read(document)
    return job.finish()
