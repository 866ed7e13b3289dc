"""Plans for what an action on a case sends: a post in its thread (what was done, never the
note) and the case card updated in place (stage, last action, next due date)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.delivery.port import DeliveryError, Dropped, Outgoing
from commands import policy
from commands import vocabulary as v
from commands.history import action_label, shared_name
from commands.related import WHY, channel_may_relate
from commands.roles import RoleKind, actor_of, focal_points
from commands.views import view_case
from storage.actions import ActionRecord
from storage.records import CaseRecord, NoticeRecord, PersonRecord, ThreadRecord
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Progress:
    """What the case card shows of the joint action so far."""

    last_action: str | None
    last_on: dt.date | None
    due_on: dt.date | None
    actions: int


@dataclass(frozen=True, slots=True)
class ActionView:
    """An action as the thread may show it: what, when, who acted; never the note."""

    label: str
    taken_on: dt.date
    committees: tuple[str, ...]
    details: tuple[str, ...]
    due_on: dt.date | None


async def card_thread(uow: UnitOfWork, case: CaseRecord, *, platform: str) -> ThreadRecord:
    """The thread under the case's card; retried later if the card is not posted yet."""
    thread = await uow.threads.get(case.id, platform)
    if thread is None:
        raise DeliveryError("the case card is not posted yet", transient=True)
    return thread


async def card_context(uow: UnitOfWork, case: CaseRecord) -> dict[str, Any]:
    """The card's content at channel level, with its progress."""
    actions = [a for a in await uow.actions.for_case(case.id) if a.kind != "share"]
    last = actions[-1] if actions else None
    progress = Progress(
        last_action=_label(last) if last else None,
        last_on=last.taken_on if last else None,
        due_on=case.reply_due_on,
        actions=len(actions),
    )
    return {"case": view_case(case, policy.channel_visibility(case)), "progress": progress}


async def plan_card_update(
    uow: UnitOfWork, case: CaseRecord, *, platform: str
) -> tuple[Outgoing, ThreadRecord]:
    thread = await card_thread(uow, case, platform=platform)
    return Outgoing("case_card", await card_context(uow, case)), thread


async def plan_action_post(
    uow: UnitOfWork, case: CaseRecord, notice: NoticeRecord, *, platform: str, mention: Any
) -> tuple[Outgoing, ThreadRecord]:
    thread = await card_thread(uow, case, platform=platform)
    found = [a for a in await uow.actions.for_case(case.id) if a.id == notice.payload.get("action")]
    if not found:
        raise Dropped("the action is no longer recorded")
    action = found[0]
    shared = notice.payload.get("shared_with")
    mentions = await _mentions(uow, str(shared), mention) if shared else []
    context = {
        "reference": case.reference,
        "action": ActionView(
            _label(action),
            action.taken_on,
            action.committees,
            _details(action),
            action.due_on,
        ),
        "stage": v.STAGES.get(case.stage, case.stage),
        "shared_with": shared_name(str(shared)) if shared else None,
        "mentions": mentions,
    }
    return Outgoing("action_recorded", context), thread


def _label(action: ActionRecord) -> str:
    return action_label(action.kind, action.detail)


def _details(action: ActionRecord) -> tuple[str, ...]:
    found = []
    if signed := action.detail.get("signed_by"):
        found.append(f"Signed by {v.SIGNED_BY.get(str(signed), str(signed)).lower()}")
    if substance := action.detail.get("substance"):
        found.append(f"Substance: {v.REPLY_SUBSTANCE.get(str(substance), str(substance))}")
    if place := action.detail.get("place"):
        found.append(f"In {v.MEETING_PLACES.get(str(place), str(place))}")
    return tuple(found)


async def _mentions(uow: UnitOfWork, target: str, mention: Any) -> list[str]:
    """The people a share brings in: the committee's focal points and alternates, or the ASG
    office."""
    people = await uow.people.active()
    if target == "asg":
        chosen = [p for p in people if any(k == RoleKind.ASG_OFFICE for k, _ in p.roles)]
    else:
        chosen = focal_points(people, (target,))
    return [mention(p) for p in chosen]


async def plan_related(
    uow: UnitOfWork, case: CaseRecord, notice: NoticeRecord, *, platform: str
) -> tuple[Outgoing, ThreadRecord]:
    """Possibly related cases in the new case's thread, by reference and reason, each with a
    Link button; re-checked now: only those the reporter still may see, and the channel may
    know to be related to this one."""
    thread = await card_thread(uow, case, platform=platform)
    reporter = await _reporter(uow, notice)
    related = await _related(uow, case, notice, actor_of(reporter), in_channel=True)
    return Outgoing("related_cases", {"reference": case.reference, "related": related}), thread


async def plan_related_privately(
    uow: UnitOfWork, case: CaseRecord, notice: NoticeRecord
) -> tuple[Outgoing, PersonRecord]:
    """Possibly related cases the channel may not be told of, to the reporter alone (references
    and reasons only, as in the thread)."""
    reporter = await _reporter(uow, notice)
    related = await _related(uow, case, notice, actor_of(reporter), in_channel=False)
    context = {"reference": case.reference, "related": related, "privately": True}
    return Outgoing("related_cases", context), reporter


async def _reporter(uow: UnitOfWork, notice: NoticeRecord) -> PersonRecord:
    reporter = await uow.people.get(int(str(notice.payload.get("reporter", 0))))
    if reporter is None:
        raise Dropped("the reporter is no longer in the directory")
    return reporter


async def _related(
    uow: UnitOfWork, case: CaseRecord, notice: NoticeRecord, reader: Any, *, in_channel: bool
) -> list[dict[str, str]]:
    related = []
    for other_id, why in notice.payload.get("related", []):  # type: ignore[attr-defined]
        other = await uow.cases.get(int(other_id))
        if other is None or other.erased:
            continue
        if policy.visibility(reader, other) is policy.Visibility.NONE:
            continue
        if in_channel and not channel_may_relate(case, other):
            continue
        related.append({"reference": other.reference, "why": WHY.get(str(why), str(why))})
    if not related:
        raise Dropped("no related case to suggest any more")
    return related


async def plan_linked(
    uow: UnitOfWork, case: CaseRecord, notice: NoticeRecord, *, platform: str
) -> tuple[Outgoing, ThreadRecord]:
    """`Linked with REF` in the case's thread, if the channel may still know of the other."""
    thread = await card_thread(uow, case, platform=platform)
    other = await uow.cases.get(int(str(notice.payload.get("other", 0))))
    if other is None or other.erased:
        raise Dropped("the other case is gone")
    if not channel_may_relate(case, other):
        raise Dropped("the channel may no longer know of the other case")
    return Outgoing("cases_linked", {"reference": case.reference, "other": other.reference}), thread
