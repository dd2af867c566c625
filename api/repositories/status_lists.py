"""Revocation and status lists callers supplied, kept so later badges verify offline."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime

from sqlalchemy import select

from api import models
from api.repositories.base import TenantRepository

__all__ = ["KnownStatusLists", "StatusListRepository"]


class StatusListRepository(TenantRepository[models.StatusList, dict]):
    """One organization's cache of status lists, by URL."""

    model = models.StatusList
    noun = "status list"

    def to_domain(self, row: models.StatusList) -> dict:
        return {"url": row.url, "document": row.document, "received_at": row.received_at}

    def document(self, url: str) -> dict | str | None:
        return self.session.scalar(select(models.StatusList.document).where(
            models.StatusList.organization_id == self.organization_id,
            models.StatusList.url == url))

    def save(self, lists: Mapping[str, dict | str]) -> None:
        """Keep the newest copy of each list (a newer list may revoke more)."""
        for url, document in lists.items():
            row = self.session.scalar(self._scoped().where(models.StatusList.url == url))
            if row is None:
                self.session.add(models.StatusList(
                    organization_id=self.organization_id, url=url, document=document))
            else:
                row.document = document
                row.received_at = datetime.now(UTC)
        self.session.flush()


class KnownStatusLists(Mapping[str, "dict | str"]):
    """The lists supplied with a request, then those kept from earlier requests."""

    def __init__(self, supplied: Mapping[str, dict | str], repository: StatusListRepository):
        self._supplied = dict(supplied)
        self._repository = repository
        self._seen: dict[str, dict | str | None] = {}

    def __getitem__(self, url: str) -> dict | str:
        if url in self._supplied:
            return self._supplied[url]
        if url not in self._seen:
            self._seen[url] = self._repository.document(url)
        found = self._seen[url]
        if found is None:
            raise KeyError(url)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._supplied)

    def __len__(self) -> int:
        return len(self._supplied)
