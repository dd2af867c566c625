"""Self-reported demographics: a table of their own, read only by audits and exports.

Scoring never reads them (DESIGN.md §7): nothing in ``matcher/`` can reach this
module, and the ranking path loads candidates through ``CandidateRepository``,
which does not touch this table.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select

from api import models
from api.repositories.candidates import CandidateRepository

__all__ = ["DemographicsRepository"]

_CHUNK = 500


class DemographicsRepository:
    """The demographics of one organization's candidates."""

    def __init__(self, candidates: CandidateRepository):
        self.candidates = candidates
        self.session = candidates.session

    def get(self, candidate_id: int) -> dict | None:
        self.candidates.get(candidate_id)  # 404 for unknown or foreign candidates
        row = self.session.get(models.Demographics, candidate_id)
        return None if row is None else _out(row)

    def put(self, candidate_id: int, sex: str | None, race_ethnicity: str | None) -> dict:
        self.candidates.get(candidate_id)
        row = self.session.get(models.Demographics, candidate_id)
        if row is None:
            row = models.Demographics(candidate_id=candidate_id)
            self.session.add(row)
        row.sex, row.race_ethnicity = sex, race_ethnicity
        row.updated_at = datetime.now(UTC)
        self.session.flush()
        return _out(row)

    def of(self, candidate_ids: Sequence[int]) -> dict[int, tuple[str | None, str | None]]:
        """``(sex, race_ethnicity)`` as reported, for the organization's candidates given."""
        found: dict[int, tuple[str | None, str | None]] = {}
        ids = sorted(set(candidate_ids))
        for start in range(0, len(ids), _CHUNK):
            rows = self.session.execute(
                select(models.Demographics.candidate_id, models.Demographics.sex,
                       models.Demographics.race_ethnicity)
                .join(models.Candidate, models.Candidate.id == models.Demographics.candidate_id)
                .where(models.Candidate.organization_id == self.candidates.organization_id,
                       models.Demographics.candidate_id.in_(ids[start:start + _CHUNK])))
            found.update((cid, (sex, race)) for cid, sex, race in rows)
        return found


def _out(row: models.Demographics) -> dict:
    return {"candidate_id": row.candidate_id, "sex": row.sex,
            "race_ethnicity": row.race_ethnicity, "updated_at": row.updated_at}
