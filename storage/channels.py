"""Channel safety: whether the bot may still post case details in a channel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChannelSafetyRow


@dataclass(frozen=True, slots=True)
class ChannelState:
    channel: str
    safe: bool
    reason: str
    since: dt.datetime | None


class ChannelRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def state(self, channel: str) -> ChannelState:
        row = await self._session.get(ChannelSafetyRow, channel)
        if row is None:
            return ChannelState(channel, True, "never flagged", None)
        return ChannelState(row.channel, row.safe, row.reason, row.since)

    async def mark(self, channel: str, *, safe: bool, reason: str, now: dt.datetime) -> bool:
        """Record the channel's state; True if it changed."""
        row = await self._session.get(ChannelSafetyRow, channel)
        if row is None:
            if safe:
                return False
            self._session.add(
                ChannelSafetyRow(channel=channel, safe=False, reason=reason[:200], since=now)
            )
            return True
        if row.safe == safe:
            return False
        row.safe, row.reason, row.since = safe, reason[:200], now
        return True
