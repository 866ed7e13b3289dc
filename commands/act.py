"""`/reprisal action REF [reply|refer|share|stage|close]` and the case card's buttons: open the
form, then record what was done. One unit of work: the action (its note sealed), the case's
new stage and due date, the timeline, the audit entry, and the thread post and card update."""

from __future__ import annotations

import datetime as dt
import functools

from commands import lifecycle, policy
from commands import vocabulary as v
from commands.case_forms import (
    FIELDS,
    TITLES,
    CaseAnswers,
    Mode,
    action_of,
    defaults_for,
    validate,
)
from commands.errors import CommandError, NotAllowed
from commands.form import COMMITTEE_OPTIONS
from commands.invocation import Dependencies
from commands.results import ActionRecorded, CaseForm
from commands.roles import Actor
from commands.trail import deny_as_missing, on_demand_surface, record
from storage.actions import FollowUp, NewAction
from storage.records import CaseRecord
from storage.uow import UnitOfWork

MODES = {m.value: m for m in Mode}
NONE = policy.Visibility.NONE
USAGE = "`/reprisal action RPR-2026-0001` (or add reply, refer, share, stage or close)"


async def open_form(args: tuple[str, ...], *, actor: Actor, core: Dependencies) -> CaseForm:
    if not args or len(args) > 2 or (len(args) == 2 and args[1].lower() not in MODES):
        raise CommandError(f"Please say which case: {USAGE}.")
    mode = MODES[args[1].lower()] if len(args) == 2 else Mode.ACTION
    async with core.uow() as uow:
        case = await actionable(uow, args[0], mode, actor=actor, core=core)
    defaults = defaults_for(mode, today=core.clock.today(), committees=case.committees)
    return CaseForm(mode.value, case.reference, TITLES[mode], FIELDS[mode], defaults)


async def actionable(
    uow: UnitOfWork,
    reference: str,
    mode: Mode,
    *,
    actor: Actor,
    core: Dependencies,
    kind: object = None,
) -> CaseRecord:
    """The case, if the actor may fill in this form on it (as `case_to_act_on` answers)."""
    case = await _seen(uow, reference, "act", actor=actor, core=core)
    action = action_of(mode, kind=kind, closed=not case.is_open)
    await _permitted(uow, case, action, actor=actor, core=core)
    return case


async def case_to_act_on(
    uow: UnitOfWork, reference: str, action: policy.Action, *, actor: Actor, core: Dependencies
) -> CaseRecord:
    """The case, if the actor may do `action` to it. The same answer as for a missing case if
    they may not even see it; a polite reason if they may see it but not do this."""
    case = await _seen(uow, reference, str(action), actor=actor, core=core)
    await _permitted(uow, case, action, actor=actor, core=core)
    return case


async def _seen(
    uow: UnitOfWork, reference: str, name: str, *, actor: Actor, core: Dependencies
) -> CaseRecord:
    case = await uow.cases.by_reference(reference)
    if case is None or case.erased or policy.visibility(actor, case) is NONE:
        await deny_as_missing(
            uow,
            core,
            actor=actor,
            action=name,
            reference=reference,
            case_id=case.id if case else None,
        )
    return case


async def _permitted(
    uow: UnitOfWork, case: CaseRecord, action: policy.Action, *, actor: Actor, core: Dependencies
) -> None:
    """NotAllowed with the policy's reason, the refusal recorded and committed, if refused."""
    why = policy.refusal(actor, case, action)
    if why is None:
        return
    await record(
        uow,
        actor=actor,
        action=str(action),
        case_id=case.id,
        allowed=False,
        surface=on_demand_surface(core),
        clock=core.clock,
    )
    await uow.commit()
    raise NotAllowed(why)


async def submit(
    mode: str,
    reference: str,
    raw: dict,
    *,
    actor: Actor,
    core: Dependencies,
    idempotency_key: str | None = None,
) -> ActionRecorded:
    """Record the form's answers; FormInvalid, or a CommandError saying why it cannot be."""
    chosen = MODES.get(mode)
    if chosen is None:
        raise CommandError(f"Please say what to record: {USAGE}.")
    answers = validate(chosen, raw, today=core.clock.today())
    async with core.uow() as uow:
        case = await actionable(
            uow, reference, chosen, actor=actor, core=core, kind=answers.get("kind")
        )
        if idempotency_key and not await uow.ledgers.claim_event(
            idempotency_key, now=core.clock.now()
        ):
            stage = v.STAGES.get(case.stage, case.stage)
            return ActionRecorded(case.reference, "nothing new", stage, case.reply_due_on, True)
        what, follow = await _apply(uow, case, answers, actor=actor, core=core)
        await uow.commit()
    return ActionRecorded(case.reference, what, v.STAGES[follow.stage], follow.reply_due_on)


async def _apply(
    uow: UnitOfWork, case: CaseRecord, answers: CaseAnswers, *, actor: Actor, core: Dependencies
) -> tuple[str, FollowUp]:
    now, today = core.clock.now(), core.clock.today()
    note = str(answers.get("note") or "")
    match answers.mode:
        case Mode.ACTION | Mode.REPLY | Mode.REFER:
            action = _new_action(case, answers, actor=actor, today=today, core=core)
            follow = lifecycle.after_action(case, action.kind, due_on=action.due_on)
            what = v.ACTIONS[action.kind]
        case Mode.STAGE:
            wanted = str(answers.get("stage"))
            if case.is_open:
                follow = lifecycle.change_stage(
                    case.reference, case.stage, wanted, case.reply_due_on
                )
            else:
                follow = lifecycle.reopen(case.reference, case.stage, wanted)
            action = NewAction("stage", today, actor.person_id, detail={"to": wanted}, note=note)
            what = f"{'Stage changed to' if case.is_open else 'Reopened at'} {v.STAGES[wanted]}"
        case Mode.CLOSE:
            outcome = str(answers.get("outcome"))
            follow = lifecycle.close(case.stage, case.reference, outcome=outcome, on=today)
            action = NewAction(
                "close", today, actor.person_id, detail={"outcome": outcome}, note=note
            )
            what = f"Closed: {v.OUTCOMES[outcome]}"
        case Mode.SHARE:
            return await share(
                uow, case, str(answers.get("share_with")), note, actor=actor, core=core
            )
    action_id = await uow.actions.add(case.id, action, now=now)
    await uow.actions.follow_up(case.id, follow, now=now)
    await _recorded(uow, case, action_id, action.kind, follow, actor=actor, core=core)
    return what, follow


def _new_action(
    case: CaseRecord, answers: CaseAnswers, *, actor: Actor, today: dt.date, core: Dependencies
) -> NewAction:
    mode = answers.mode
    if mode is Mode.REFER:
        missing = policy.missing_consent_to_share(case, "asg")
        if missing:
            raise CommandError(
                f"{case.reference} cannot be referred to the ASG: the person has not given"
                f" {missing}."
            )
    kind = {Mode.REPLY: "state_reply", Mode.REFER: "asg_referral"}.get(
        mode, str(answers.get("kind"))
    )
    taken_on = answers.get("taken_on")
    assert isinstance(taken_on, dt.date)
    due = answers.get("due_on")
    if kind in v.ASKS_STATE and not isinstance(due, dt.date):
        due = taken_on + dt.timedelta(days=core.reply_due_days)
    detail: dict[str, object] = {
        key: str(answers.get(key))
        for key in ("signed_by", "substance", "place")
        if answers.get(key)
    }
    committees = answers.get("committees") or case.committees
    return NewAction(
        kind,
        taken_on,
        actor.person_id,
        tuple(committees),  # type: ignore[arg-type]
        detail,
        due if isinstance(due, dt.date) else None,
        str(answers.get("note") or ""),
    )


async def share_command(
    args: tuple[str, ...], *, actor: Actor, core: Dependencies
) -> ActionRecorded:
    """`/reprisal share REF CODE|asg`: at once, without a form."""
    target = args[1].strip() if len(args) == 2 else ""
    target = target.lower() if target.lower() == "asg" else target.upper()
    if target != "asg" and target not in dict(COMMITTEE_OPTIONS):
        raise CommandError(
            "Please say which case and with whom: `/reprisal share RPR-2026-0001 CERD`, or"
            " `/reprisal share RPR-2026-0001 asg` for the ASG office."
        )
    async with core.uow() as uow:
        case = await case_to_act_on(uow, args[0], policy.Action.SHARE, actor=actor, core=core)
        what, follow = await share(uow, case, target, "", actor=actor, core=core)
        await uow.commit()
    return ActionRecorded(case.reference, what, v.STAGES[follow.stage], follow.reply_due_on)


async def share(
    uow: UnitOfWork, case: CaseRecord, target: str, note: str, *, actor: Actor, core: Dependencies
) -> tuple[str, FollowUp]:
    """Share with a committee (its focal points see and act from now on) or the ASG office;
    refused, naming the consent, when the person has not given it."""
    missing = policy.missing_consent_to_share(case, target)
    name = "the ASG office" if target == "asg" else target
    if missing:
        raise CommandError(
            f"{case.reference} cannot be shared with {name}: the person has not given {missing}."
        )
    now = core.clock.now()
    if target != "asg" and not await uow.cases.share_with(case.id, target, now=now):
        raise CommandError(f"{case.reference} is already shared with {target}.")
    action = NewAction(
        "share", core.clock.today(), actor.person_id, (target,), {"with": target}, note=note
    )
    action_id = await uow.actions.add(case.id, action, now=now)
    follow = FollowUp(case.stage, case.reply_due_on)
    await _recorded(uow, case, action_id, "share", follow, actor=actor, core=core, shared=target)
    return f"Shared with {name}", follow


async def _recorded(
    uow: UnitOfWork,
    case: CaseRecord,
    action_id: int,
    kind: str,
    follow: FollowUp,
    *,
    actor: Actor,
    core: Dependencies,
    shared: str | None = None,
) -> None:
    now = core.clock.now()
    detail: dict[str, object] = {"action": action_id, "kind": kind}
    if follow.stage != case.stage:
        detail["stage"] = {"from": case.stage, "to": follow.stage}
    await uow.timeline.append(
        case.id, at=now, actor_id=actor.person_id, kind="action", detail=detail
    )
    await record(
        uow,
        actor=actor,
        action=f"act:{kind}"[:40],
        case_id=case.id,
        allowed=True,
        surface=on_demand_surface(core),
        clock=core.clock,
        detail={"action": action_id},
    )
    add = functools.partial(
        uow.outbox.add,
        platform=core.platform,
        case_id=case.id,
        now=now,
        ordering_key=f"case:{case.id}:thread",
    )
    payload: dict[str, object] = {"action": action_id}
    if shared:
        payload["shared_with"] = shared
    await add(kind="action_recorded", destination="thread", payload=payload)
    await add(kind="card_update", destination="card")
