"""Marks on the database itself, such as `demo`: the database holds synthetic cases."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DatabaseMarkRow

DEMO = "demo"  # value: what made the demo data


class MarkRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, name: str) -> str | None:
        """The mark's value, or None if the database does not bear it."""
        row = await self._session.get(DatabaseMarkRow, name)
        return None if row is None else row.value

    async def put(self, name: str, value: str, *, now: dt.datetime) -> None:
        """Set the mark (a second put replaces the value and the time)."""
        row = await self._session.get(DatabaseMarkRow, name)
        if row is None:
            self._session.add(DatabaseMarkRow(name=name, value=value, marked_at=now))
        else:
            row.value, row.marked_at = value, now
        await self._session.flush()
