"""Ledgers of what has been queued once and must never be queued again (digests, reminders).

A claim inserts the ledger row in the caller's transaction, with the outbox rows it goes with;
the primary key turns a second claim (another instance, a restart, a re-run) into a no-op."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DigestSentRow, ReminderSentRow, SlackEventRow


class LedgerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim_digest(self, period: str, recipient: str, *, now: dt.datetime) -> bool:
        """True if this period's digest for `recipient` was not queued before (now it is)."""
        values = {"period": period, "recipient": recipient, "queued_at": now}
        return await self._claim(DigestSentRow.__table__, values)  # type: ignore[arg-type]

    async def claim_reminder(
        self, case_id: int, due_on: dt.date, kind: str, *, now: dt.datetime
    ) -> bool:
        values = {"case_id": case_id, "due_on": due_on, "kind": kind, "queued_at": now}
        return await self._claim(ReminderSentRow.__table__, values)  # type: ignore[arg-type]

    async def claim_event(self, event_id: str, *, now: dt.datetime) -> bool:
        """True the first time Slack's `event_id` is seen."""
        values = {"event_id": event_id, "received_at": now}
        return await self._claim(SlackEventRow.__table__, values)  # type: ignore[arg-type]

    async def event_handled(self, event_id: str) -> bool:
        return await self._session.get(SlackEventRow, event_id) is not None

    async def digests_for(self, period: str) -> list[str]:
        rows = await self._session.scalars(
            select(DigestSentRow.recipient).where(DigestSentRow.period == period)
        )
        return sorted(rows)

    async def _claim(self, table: Table, values: dict[str, Any]) -> bool:
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(table).values(**values).on_conflict_do_nothing()
        result = await self._session.execute(statement)
        return bool(result.rowcount)  # type: ignore[attr-defined]
