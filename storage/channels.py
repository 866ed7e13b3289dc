"""Channel safety: whether the bot may still post case details in a channel, and when that was
last checked against the platform (a short-lived verdict, kept for every instance)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChannelSafetyRow, DatabaseMarkRow


@dataclass(frozen=True, slots=True)
class ChannelState:
    channel: str
    safe: bool
    reason: str
    since: dt.datetime | None


@dataclass(frozen=True, slots=True)
class ChannelCheck:
    """The last check of a channel's members: its verdict, and the directory it was made with."""

    safe: bool
    directory: str  # a fingerprint of the people the bot served then
    at: dt.datetime


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

    async def last_check(self, channel: str) -> ChannelCheck | None:
        row = await self._session.get(DatabaseMarkRow, _check_name(channel))
        if row is None:
            return None
        verdict, _, directory = row.value.partition(" ")
        return ChannelCheck(verdict == "safe", directory, row.marked_at)

    async def record_check(
        self, channel: str, *, safe: bool, directory: str, now: dt.datetime
    ) -> None:
        value = f"{'safe' if safe else 'unsafe'} {directory}"[:200]
        row = await self._session.get(DatabaseMarkRow, _check_name(channel))
        if row is None:
            self._session.add(
                DatabaseMarkRow(name=_check_name(channel), value=value, marked_at=now)
            )
        else:
            row.value, row.marked_at = value, now

    async def forget_check(self, channel: str) -> None:
        """The channel changed (a member came or left, it was shared): check it again."""
        await self._session.execute(
            delete(DatabaseMarkRow).where(DatabaseMarkRow.name == _check_name(channel))
        )


def _check_name(channel: str) -> str:
    return f"checked:{channel}"[:32]
