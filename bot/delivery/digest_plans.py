"""Plans for scheduled notices: a digest (built now, as its audience may read it now) and a
reminder of a State reply due (in the case's thread)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.delivery.case_plans import card_thread
from bot.delivery.port import Dropped, Held, Outgoing
from commands import policy
from commands.roles import RoleKind, actor_of, focal_points
from commands.views import view_case
from digests.build import DigestRequest, build_digest
from digests.model import Audience
from digests.periods import parse_month
from digests.preview import audience_note
from storage.records import NoticeRecord, PersonRecord, ThreadRecord
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Channels:
    coordination: str
    chairs: str


async def plan_digest(
    uow: UnitOfWork, notice: NoticeRecord, *, channels: Channels, reporting_year_start: int
) -> tuple[Outgoing, str | None, PersonRecord | None]:
    """The message, and its channel or person."""
    period = parse_month(str(notice.payload["period"]))
    audience = Audience(str(notice.payload["audience"]))
    person, actor, channel = None, None, None
    if audience is Audience.CHAIR:
        person = await uow.people.get(notice.recipient_id) if notice.recipient_id else None
        if person is None:
            raise Dropped("recipient no longer in the directory")
        actor = actor_of(person)
        if not actor.has(RoleKind.CHAIR):
            raise Dropped("recipient is no longer a Chair")
    else:
        channel = channels.chairs if audience is Audience.CHAIRS_CHANNEL else channels.coordination
        state = await uow.channels.state(channel)
        if not state.safe:
            raise Held(f"the channel is not safe: {state.reason}")
    request = DigestRequest(period, audience, actor, reporting_year_start)
    digest = await build_digest(uow, request)
    context = {"digest": digest, "audience_note": audience_note(audience, digest.committee, actor)}
    return Outgoing("digest", context), channel, person


async def plan_reminder(
    uow: UnitOfWork, notice: NoticeRecord, *, platform: str, mention: Any
) -> tuple[Outgoing, ThreadRecord]:
    """A reminder in the case thread, mentioning the lead committee's focal points."""
    case = await uow.cases.get(notice.case_id) if notice.case_id else None
    if case is None or case.erased:
        raise Dropped("case not found")
    due = dt.date.fromisoformat(str(notice.payload["due_on"]))
    facts = (await uow.digests.by_ids([case.id]))[0]
    if not case.is_open or facts.reply_due_on != due:
        raise Dropped("no State reply is due on that date any more")
    thread = await card_thread(uow, case, platform=platform)
    people = focal_points(await uow.people.active(), (case.facts.lead_committee,))
    context = {
        "case": view_case(case, policy.channel_visibility(case)),
        "due_on": due,
        "overdue": notice.payload.get("reminder") == "overdue",
        "mentions": [mention(p) for p in people],
    }
    return Outgoing("reminder", context), thread
