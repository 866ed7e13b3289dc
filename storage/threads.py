"""The thread repository: where each case's thread lives on each platform. It never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CaseThreadRow
from storage.records import ThreadRecord


class ThreadRepository:
    """Each case's thread per platform: its channel and root message."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, case_id: int, platform: str) -> ThreadRecord | None:
        row = await self._session.get(CaseThreadRow, (case_id, platform))
        if row is None:
            return None
        return ThreadRecord(row.case_id, row.platform, row.channel, row.root_ref)

    async def by_root(self, platform: str, channel: str, root_ref: str) -> ThreadRecord | None:
        """The case thread rooted at this message of this channel, if a case's card is it."""
        row = await self._session.scalar(
            select(CaseThreadRow).where(
                CaseThreadRow.platform == platform,
                CaseThreadRow.channel == channel,
                CaseThreadRow.root_ref == root_ref,
            )
        )
        if row is None:
            return None
        return ThreadRecord(row.case_id, row.platform, row.channel, row.root_ref)

    async def set(self, thread: ThreadRecord) -> None:
        await self._session.merge(
            CaseThreadRow(
                case_id=thread.case_id,
                platform=thread.platform,
                channel=thread.channel,
                root_ref=thread.root_ref,
            )
        )
        await self._session.flush()
