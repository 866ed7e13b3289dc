"""`/reprisal report`: ask for the form, then store a valid report with its notices, at once."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from commands import policy
from commands.errors import NotAllowed, NotInDirectory
from commands.form import FIELDS, Raw, validate_report
from commands.invocation import Dependencies
from commands.related import queue_suggestions
from commands.results import ReportForm, ReportSaved
from commands.roles import Actor, RoleKind
from commands.trail import on_demand_surface, record, refuse
from commands.views import view_case
from storage.errors import AlreadyRecorded
from storage.records import CaseRecord
from storage.uow import UnitOfWork


async def open_form(*, actor: Actor, core: Dependencies) -> ReportForm:
    """The empty form, with the reporter's committee as lead and today as the date received."""
    await _check_may_report(actor, core)
    own = sorted(actor.committees_as(RoleKind.FOCAL_POINT, RoleKind.ALTERNATE))
    defaults: dict[str, str | tuple[str, ...]] = {
        "received_on": core.clock.today().isoformat(),
        "target_count": "1",
        "urgency": "normal",
        "confidentiality": "restricted",
    }
    if own:
        defaults["lead_committee"] = own[0]
    return ReportForm(fields=FIELDS, defaults=defaults)


async def submit(
    raw: Mapping[str, Raw], *, actor: Actor, core: Dependencies, idempotency_key: str | None
) -> ReportSaved:
    """Validate, then store the case, its timeline entry, its audit entry and its notices in
    one transaction."""
    await _check_may_report(actor, core)
    new = validate_report(raw, today=core.clock.today())
    now = core.clock.now()
    async with core.uow() as uow:
        if idempotency_key and (earlier := await uow.cases.by_idempotency_key(idempotency_key)):
            return _saved(earlier, actor, core, duplicate=True)
        reference = await uow.cases.next_reference(core.clock.today().year)
        try:
            case = await uow.cases.add(
                new,
                reference=reference,
                reporter_id=actor.person_id,
                reporter_name=actor.name,
                idempotency_key=idempotency_key,
                now=now,
            )
        except AlreadyRecorded:
            await uow.rollback()
            earlier = await uow.cases.by_idempotency_key(idempotency_key or "")
            assert earlier is not None
            return _saved(earlier, actor, core, duplicate=True)
        await uow.timeline.append(
            case.id, at=now, actor_id=actor.person_id, kind="reported", detail={}
        )
        await record(
            uow,
            actor=actor,
            action="report",
            case_id=case.id,
            allowed=True,
            surface=on_demand_surface(core),
            clock=core.clock,
        )
        await _queue_notices(uow, case, actor, core.platform)
        await queue_suggestions(uow, case, actor, core.platform)
        await uow.commit()
    return _saved(case, actor, core, duplicate=False)


async def _queue_notices(uow: UnitOfWork, case: CaseRecord, actor: Actor, platform: str) -> None:
    """The card, the thread alert and the DMs: content is rendered at send time, not now."""
    add = functools.partial(uow.outbox.add, platform=platform, case_id=case.id, now=case.created_at)
    thread = f"case:{case.id}:thread"
    await add(kind="case_card", destination="channel", ordering_key=thread)
    alert = policy.committees_to_alert(case)
    if alert:
        await add(
            kind="committees_alerted",
            destination="thread",
            ordering_key=thread,
            payload={"committees": list(alert)},
        )
    await add(
        kind="report_saved",
        destination="dm",
        ordering_key=f"dm:{actor.person_id}",
        recipient_id=actor.person_id,
    )
    if policy.asg_alert_allowed(case):
        for person in await uow.people.active():
            if any(kind == RoleKind.ASG_OFFICE for kind, _ in person.roles):
                await add(
                    kind="urgent_case",
                    destination="dm",
                    ordering_key=f"dm:{person.id}",
                    recipient_id=person.id,
                )


def _saved(case: CaseRecord, actor: Actor, core: Dependencies, *, duplicate: bool) -> ReportSaved:
    level = policy.level_for(actor, case, on_demand_surface(core))
    level = max(level, policy.Visibility.OUTLINE)
    return ReportSaved(reference=case.reference, case=view_case(case, level), duplicate=duplicate)


async def _check_may_report(actor: Actor, core: Dependencies) -> None:
    if policy.may_report(actor):
        return
    await refuse(core, actor=actor, action="report")
    if not policy.may_use_bot(actor):
        raise NotInDirectory()
    raise NotAllowed(
        "Only focal points, alternates and the secretariat can log a report. "
        "You can still use `/reprisal status` and `/reprisal list`."
    )
