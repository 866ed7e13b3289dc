"""Queue reminders of State replies: some days before one is due, and once it is overdue.
Each (case, due date, kind) is queued once, whatever restarts or instances; a reminder
missed while the bot was down is queued at its next run."""

from __future__ import annotations

import datetime as dt

from storage.uow import UnitOfWork

REMINDER = "reminder"
DUE_SOON, OVERDUE = "due_soon", "overdue"


async def queue_reminders(
    uow: UnitOfWork, *, today: dt.date, days_before: int, platform: str, now: dt.datetime
) -> int:
    """Queue every reminder due by `today`; how many were queued."""
    horizon = today + dt.timedelta(days=days_before + 1)
    queued = 0
    for facts in await uow.digests.open_with_reply_due_before(horizon):
        due = facts.reply_due_on
        assert due is not None
        kind = OVERDUE if due < today else DUE_SOON
        if not await uow.ledgers.claim_reminder(facts.case.id, due, kind, now=now):
            continue
        await uow.outbox.add(
            kind=REMINDER,
            platform=platform,
            destination="thread",
            ordering_key=f"case:{facts.case.id}:thread",
            now=now,
            case_id=facts.case.id,
            payload={"due_on": due.isoformat(), "reminder": kind},
        )
        queued += 1
    return queued
