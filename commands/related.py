"""Related cases: on a new report, suggest the cases that may concern the same events (same
State and a person or organisation named in both; or same State and committee within 90 days),
among those the reporter may see; and `/reprisal link REF REF` to link two cases by hand.
A relation is posted in a case's thread only where the channel may see both cases' facts."""

from __future__ import annotations

import functools

from commands import policy
from commands.act import case_to_act_on
from commands.errors import CommandError
from commands.invocation import Dependencies
from commands.results import Linked
from commands.roles import Actor
from commands.trail import on_demand_surface, record
from storage.records import CaseRecord
from storage.uow import UnitOfWork

RELATED = "related_cases"
LINKED = "cases_linked"
WHY = {
    "same_target": "same State, and a person or organisation named in both",
    "same_committee": "same State and lead committee, within 90 days",
}
MOST = 10  # suggestions in one thread post


async def queue_suggestions(uow: UnitOfWork, case: CaseRecord, actor: Actor, platform: str) -> None:
    """The possibly related cases the reporter may see (references and reasons only): in the
    new case's thread those the channel may know to be related to it, the others to the
    reporter alone."""
    found = await uow.links.possibly_related(
        case.id,
        state_party=case.facts.state_party,
        committee=case.facts.lead_committee,
        received_on=case.facts.received_on,
    )
    # The latest candidates only, read as facts (nothing unsealed): this runs in every report.
    latest = sorted(found, reverse=True)[: MOST * 3]
    facts = {f.case.id: f.case for f in await uow.digests.by_ids(latest)}
    in_thread: list[list[object]] = []
    privately: list[list[object]] = []
    for other_id in latest:
        other = facts.get(other_id)
        if other and not other.erased and policy.visibility(actor, other) > policy.Visibility.NONE:
            chosen = in_thread if channel_may_relate(case, other) else privately
            chosen.append([other_id, found[other_id]])
    add = functools.partial(
        uow.outbox.add, kind=RELATED, platform=platform, now=case.created_at, case_id=case.id
    )
    if in_thread:
        payload = {"related": in_thread[:MOST], "reporter": actor.person_id}
        await add(destination="thread", ordering_key=f"case:{case.id}:thread", payload=payload)
    if privately:
        await add(
            destination="dm",
            ordering_key=f"dm:{actor.person_id}",
            recipient_id=actor.person_id,
            payload={"related": privately[:MOST], "reporter": actor.person_id},
        )


def channel_may_relate(case: CaseRecord, other: CaseRecord) -> bool:
    """May the coordination channel be told that two cases are related? Only if it may see the
    facts of both: a relation tells the State and the people of one from the other."""
    level = min(policy.channel_visibility(case), policy.channel_visibility(other))
    return level >= policy.Visibility.FACTS


async def link(args: tuple[str, ...], *, actor: Actor, core: Dependencies) -> Linked:
    """Link two cases the actor may see in full; said once, and posted in each thread whose
    channel may know of the other case."""
    if len(args) != 2:
        raise CommandError("Please name two cases: `/reprisal link RPR-2026-0001 RPR-2026-0002`.")
    first, second = (a.strip().upper() for a in args)
    if first == second:
        raise CommandError("A case cannot be linked to itself: please name two different cases.")
    async with core.uow() as uow:
        a = await _linkable(uow, first, actor=actor, core=core)
        b = await _linkable(uow, second, actor=actor, core=core)
        now = core.clock.now()
        if not await uow.links.link(a.id, b.id, by=actor.person_id, now=now):
            return Linked(a.reference, b.reference, already=True)
        add = functools.partial(
            uow.outbox.add, kind=LINKED, platform=core.platform, destination="thread", now=now
        )
        for case, other in ((a, b), (b, a)):
            detail: dict[str, object] = {"other": other.id}
            await uow.timeline.append(
                case.id, at=now, actor_id=actor.person_id, kind="linked", detail=detail
            )
            await record(
                uow,
                actor=actor,
                action="link",
                case_id=case.id,
                allowed=True,
                surface=on_demand_surface(core),
                clock=core.clock,
                detail=detail,
            )
            if channel_may_relate(case, other):  # else the thread is told nothing of it
                await add(case_id=case.id, ordering_key=f"case:{case.id}:thread", payload=detail)
        await uow.commit()
    return Linked(a.reference, b.reference)


async def linked_references(uow: UnitOfWork, case: CaseRecord, actor: Actor) -> tuple[str, ...]:
    """The cases linked to `case` that the actor may see, by reference."""
    others = await uow.digests.by_ids(await uow.links.linked_to(case.id))
    return tuple(
        f.case.reference
        for f in others
        if policy.visibility(actor, f.case) > policy.Visibility.NONE
    )


async def _linkable(
    uow: UnitOfWork, reference: str, *, actor: Actor, core: Dependencies
) -> CaseRecord:
    """The case, if the actor may link it: the lead committee or the secretariat (who acts)."""
    return await case_to_act_on(uow, reference, policy.Action.LINK, actor=actor, core=core)
