"""From a queued notice to a message plan: read what the notice needs, apply the policy now.

Runs inside a short unit of work; nothing here calls a platform, so no transaction is held
open while Slack is slow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.delivery.case_plans import (
    card_context,
    card_thread,
    plan_action_post,
    plan_card_update,
    plan_linked,
    plan_related,
    plan_related_privately,
)
from bot.delivery.digest_plans import Channels, plan_digest, plan_reminder
from bot.delivery.port import Dropped, Held, Outgoing
from commands import policy
from commands.related import LINKED, RELATED
from commands.reminders import REMINDER
from commands.results import ReportSaved
from commands.roles import actor_of, focal_points
from commands.views import view_case
from digests.queue import DIGEST
from storage.records import CaseRecord, NoticeRecord, PersonRecord, ThreadRecord
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Plan:
    """Where a message goes; exactly one of channel, thread, person and card is set (a card
    is updated in place, at the root of its thread)."""

    message: Outgoing
    channel: str | None = None
    thread: ThreadRecord | None = None
    person: PersonRecord | None = None
    card: ThreadRecord | None = None
    starts_thread_of: int | None = None


async def plan_for(
    uow: UnitOfWork,
    notice: NoticeRecord,
    *,
    channels: Channels,
    reporting_year_start: int,
    platform: str,
    mention: Any,
) -> Plan:
    """Where and what to send for `notice`, judged now; Dropped, Held or DeliveryError if not."""
    channel = channels.coordination
    if notice.kind == "channel_unsafe":
        return await _alert_plan(uow, notice)
    if notice.kind == DIGEST:
        message, to_channel, person = await plan_digest(
            uow, notice, channels=channels, reporting_year_start=reporting_year_start
        )
        return Plan(message, channel=to_channel, person=person)
    if notice.kind == REMINDER:
        message, thread = await plan_reminder(uow, notice, platform=platform, mention=mention)
        return Plan(message, thread=thread)
    case = await uow.cases.get(notice.case_id) if notice.case_id else None
    if case is None:
        raise Dropped("case not found")
    if case.erased:
        raise Dropped("case erased")
    if notice.destination in ("channel", "thread", "card"):
        state = await uow.channels.state(channel)
        if not state.safe:
            raise Held(f"the coordination channel is not safe: {state.reason}")
    match notice.destination:
        case "channel":
            message = Outgoing("case_card", await card_context(uow, case))
            return Plan(message, channel=channel, starts_thread_of=case.id)
        case "thread" if notice.kind == RELATED:
            message, thread = await plan_related(uow, case, notice, platform=platform)
            return Plan(message, thread=thread)
        case "thread" if notice.kind == LINKED:
            message, thread = await plan_linked(uow, case, notice, platform=platform)
            return Plan(message, thread=thread)
        case "thread" if notice.kind == "action_recorded":
            message, thread = await plan_action_post(
                uow, case, notice, platform=platform, mention=mention
            )
            return Plan(message, thread=thread)
        case "card":
            message, thread = await plan_card_update(uow, case, platform=platform)
            return Plan(message, card=thread)
        case "thread":
            return await _thread_plan(uow, case, platform=platform, mention=mention)
        case "dm" if notice.kind == RELATED:
            message, person = await plan_related_privately(uow, case, notice)
            return Plan(message, person=person)
        case "dm":
            return await _person_plan(uow, case, notice)
    raise Dropped(f"unknown destination {notice.destination}")


async def _thread_plan(uow: UnitOfWork, case: CaseRecord, *, platform: str, mention: Any) -> Plan:
    thread = await card_thread(uow, case, platform=platform)
    committees = policy.committees_to_alert(case)
    if not committees:
        raise Dropped("the case is no longer shared with other committees")
    people = focal_points(await uow.people.active(), committees)
    context = {
        "reference": case.reference,
        "committees": list(committees),
        "mentions": [mention(p) for p in people],
    }
    return Plan(Outgoing("committees_alerted", context), thread=thread)


async def _person_plan(uow: UnitOfWork, case: CaseRecord, notice: NoticeRecord) -> Plan:
    person = await uow.people.get(notice.recipient_id) if notice.recipient_id else None
    if person is None:
        raise Dropped("recipient no longer in the directory")
    if notice.kind == "urgent_case" and not policy.asg_alert_allowed(case):
        raise Dropped("consent to share with the ASG office withdrawn")
    level = policy.level_for(actor_of(person), case, policy.Surface.DM)
    if level is policy.Visibility.NONE:
        raise Dropped("recipient may no longer see the case")
    view = view_case(case, level)
    context: dict[str, Any] = {"case": view}
    if notice.kind == "report_saved":
        context = {"result": ReportSaved(case.reference, view)}
    return Plan(Outgoing(notice.kind, context), person=person)


async def _alert_plan(uow: UnitOfWork, notice: NoticeRecord) -> Plan:
    person = await uow.people.get(notice.recipient_id) if notice.recipient_id else None
    if person is None:
        raise Dropped("recipient no longer in the directory")
    context = {"channel": notice.payload.get("channel"), "reason": notice.payload.get("reason")}
    return Plan(Outgoing("channel_unsafe", context), person=person)
