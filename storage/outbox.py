"""The outbox repository: queue notices with a change, claim them, record the outcome."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import NoticeRow
from storage.records import NoticeRecord

PENDING, SENT, FAILED = "pending", "sent", "failed"


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        kind: str,
        platform: str,
        destination: str,
        ordering_key: str,
        now: dt.datetime,
        case_id: int | None = None,
        recipient_id: int | None = None,
        payload: dict[str, object] | None = None,
    ) -> None:
        self._session.add(
            NoticeRow(
                case_id=case_id,
                kind=kind,
                platform=platform,
                destination=destination,
                ordering_key=ordering_key,
                recipient_id=recipient_id,
                payload=payload or {},
                status=PENDING,
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
        )

    async def claim_next(
        self, platform: str, now: dt.datetime, lease: dt.timedelta
    ) -> NoticeRecord | None:
        """Lease the oldest due notice that has no earlier pending notice in its order."""
        earlier = aliased(NoticeRow)
        blocked = exists().where(
            and_(
                earlier.ordering_key == NoticeRow.ordering_key,
                earlier.status == PENDING,
                earlier.id < NoticeRow.id,
            )
        )
        query = (
            select(NoticeRow)
            .where(
                NoticeRow.status == PENDING,
                NoticeRow.platform == platform,
                NoticeRow.next_attempt_at <= now,
                or_(NoticeRow.lease_until.is_(None), NoticeRow.lease_until <= now),
                ~blocked,
            )
            .order_by(NoticeRow.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        row = await self._session.scalar(query)
        if row is None:
            return None
        row.lease_until = now + lease
        row.attempts += 1
        await self._session.flush()
        return _record(row)

    async def mark_sent(self, notice_id: int, *, ref: str | None, now: dt.datetime) -> None:
        await self._session.execute(
            update(NoticeRow)
            .where(NoticeRow.id == notice_id)
            .values(status=SENT, sent_ref=ref, sent_at=now, lease_until=None, last_error=None)
        )

    async def retry_later(self, notice_id: int, *, error: str, at: dt.datetime) -> None:
        await self._session.execute(
            update(NoticeRow)
            .where(NoticeRow.id == notice_id)
            .values(next_attempt_at=at, lease_until=None, last_error=error[:200])
        )

    async def hold(self, notice_id: int, *, reason: str, until: dt.datetime) -> None:
        """Keep the notice waiting (it does not count as a failed attempt)."""
        await self._session.execute(
            update(NoticeRow)
            .where(NoticeRow.id == notice_id)
            .values(
                next_attempt_at=until,
                lease_until=None,
                last_error=reason[:200],
                attempts=NoticeRow.attempts - 1,
            )
        )

    async def release_channel_messages(self, *, now: dt.datetime) -> None:
        """Make held channel and thread messages (and card updates) due now (their channel is
        safe again)."""
        await self._session.execute(
            update(NoticeRow)
            .where(
                NoticeRow.status == PENDING,
                NoticeRow.destination.in_(("channel", "thread", "card")),
                NoticeRow.next_attempt_at > now,
            )
            .values(next_attempt_at=now)
        )

    async def give_up(self, notice_id: int, *, error: str, now: dt.datetime) -> None:
        await self._session.execute(
            update(NoticeRow)
            .where(NoticeRow.id == notice_id)
            .values(status=FAILED, lease_until=None, last_error=error[:200], sent_at=now)
        )

    async def cancel_for_case(self, case_id: int, *, reason: str, now: dt.datetime) -> None:
        """Withdraw every notice about the case that has not gone out yet."""
        await self._session.execute(
            update(NoticeRow)
            .where(NoticeRow.case_id == case_id, NoticeRow.status == PENDING)
            .values(status=FAILED, lease_until=None, last_error=reason, sent_at=now)
        )

    async def of_kind(self, kind: str) -> list[NoticeRecord]:
        """Every notice of `kind`, sent or not, oldest first (operations and tests)."""
        rows = await self._session.scalars(
            select(NoticeRow).where(NoticeRow.kind == kind).order_by(NoticeRow.id)
        )
        return [_record(row) for row in rows]

    async def backlog(self) -> int:
        query = select(func.count()).select_from(NoticeRow).where(NoticeRow.status == PENDING)
        return await self._session.scalar(query) or 0


def _record(row: NoticeRow) -> NoticeRecord:
    return NoticeRecord(
        id=row.id,
        case_id=row.case_id,
        kind=row.kind,
        destination=row.destination,
        recipient_id=row.recipient_id,
        payload=dict(row.payload),
        attempts=row.attempts,
    )
