"""Who runs the schedules: one instance at a time. On PostgreSQL, the holder of an advisory
lock on a connection of its own (released by the server when that process dies, so another
takes over at its next try); on SQLite, which serves one instance, always this one."""

from __future__ import annotations

import contextlib
import logging
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

# Any fixed 64-bit number, the same for every instance: "reprisal" in ASCII.
LOCK_KEY = 0x7265707269736C


class Leadership(Protocol):
    async def try_lead(self) -> bool:
        """True if this instance leads now (it already did, or just became leader)."""
        ...

    async def release(self) -> None: ...


class SoleLeadership:
    """SQLite: one instance per database file, so it leads."""

    async def try_lead(self) -> bool:
        return True

    async def release(self) -> None:
        return None


class AdvisoryLockLeadership:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None

    async def try_lead(self) -> bool:
        if self._connection is not None:
            if await self._alive(self._connection):
                return True
            log.warning("lost the scheduler lock's connection; no longer leading")
            await self._drop()
        connection = await self._engine.connect()
        try:
            got = await connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}
            )
            await connection.commit()
        except Exception:
            await connection.close()
            raise
        if not got:
            await connection.close()
            return False
        self._connection = connection
        return True

    async def release(self) -> None:
        if self._connection is None:
            return
        with contextlib.suppress(Exception):
            await self._connection.execute(
                text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY}
            )
            await self._connection.commit()
        await self._drop()

    async def _alive(self, connection: AsyncConnection) -> bool:
        try:
            await connection.execute(text("SELECT 1"))
            await connection.commit()
            return True
        except Exception:
            return False

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.close()


def leadership_for(engine: AsyncEngine) -> Leadership:
    if engine.dialect.name == "postgresql":
        return AdvisoryLockLeadership(engine)
    return SoleLeadership()
