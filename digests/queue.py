"""Queue a period's digests exactly once: a ledger row and an outbox row per recipient, in the
caller's transaction. Run it as often as you like; only what was never queued is queued."""

from __future__ import annotations

import datetime as dt

from commands.roles import RoleKind
from digests.model import Audience
from digests.periods import Period
from storage.uow import UnitOfWork

DIGEST = "digest"


async def queue_digests(
    uow: UnitOfWork, period: Period, *, platform: str, now: dt.datetime
) -> list[str]:
    """Each Chair by DM, the Chairs' channel and the coordination channel; the recipients newly
    queued (empty if all had been)."""
    chairs = [p for p in await uow.people.active() if any(k == RoleKind.CHAIR for k, _ in p.roles)]
    wanted: list[tuple[str, Audience, int | None]] = [
        (f"chair:{p.id}", Audience.CHAIR, p.id) for p in chairs
    ]
    wanted += [
        (Audience.CHAIRS_CHANNEL.value, Audience.CHAIRS_CHANNEL, None),
        (Audience.COORDINATION.value, Audience.COORDINATION, None),
    ]
    queued = []
    for recipient, audience, person in wanted:
        if not await uow.ledgers.claim_digest(period.label, f"{platform}:{recipient}", now=now):
            continue
        await uow.outbox.add(
            kind=DIGEST,
            platform=platform,
            destination="dm" if person else "channel",
            ordering_key=f"digest:{period.label}:{recipient}",
            now=now,
            recipient_id=person,
            payload={"period": period.label, "audience": audience.value},
        )
        queued.append(recipient)
    return queued
