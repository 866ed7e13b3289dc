"""The timeline repository: what happened to a case, in order. It never commits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import TimelineRow


class TimelineRepository:
    """A case's timeline entries: appended, never changed."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def append(
        self, case_id: int, *, at: dt.datetime, actor_id: int | None, kind: str, detail: dict
    ) -> None:
        self._session.add(
            TimelineRow(case_id=case_id, at=at, actor_id=actor_id, kind=kind, detail=detail)
        )

    async def for_case(self, case_id: int) -> list[tuple[dt.datetime, str, dict]]:
        """The case's timeline, oldest first: (when, kind, detail)."""
        rows = await self._session.scalars(
            select(TimelineRow).where(TimelineRow.case_id == case_id).order_by(TimelineRow.id)
        )
        return [(row.at, row.kind, dict(row.detail)) for row in rows]
