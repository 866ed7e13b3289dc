"""`/reprisal audit REF`: a case's audit trail, for the secretariat."""

from __future__ import annotations

from commands import policy
from commands.errors import CommandError, NoSuchCase, NotAllowed
from commands.invocation import Dependencies
from commands.results import AuditLine, AuditTrail
from commands.roles import Actor
from commands.status import REFERENCE
from commands.trail import on_demand_surface, record


async def handle(args: tuple[str, ...], *, actor: Actor, core: Dependencies) -> AuditTrail:
    if not args or not REFERENCE.match(args[0]):
        raise CommandError("Please give the case: `/reprisal audit RPR-2026-0001`.")
    reference = args[0].upper()
    allowed = policy.may_administer(actor)
    async with core.uow() as uow:
        case = await uow.cases.by_reference(reference)
        await record(
            uow,
            actor=actor,
            action="audit",
            case_id=case.id if case else None,
            allowed=allowed and case is not None,
            surface=on_demand_surface(core),
            clock=core.clock,
        )
        await uow.commit()
        if not allowed:
            raise NotAllowed("Only the secretariat can read a case's audit trail.")
        if case is None:
            raise NoSuchCase(reference)
        entries = await uow.audit.for_case(case.id)
        names = {p.id: p.name for p in await uow.people.every()}
    lines = tuple(
        AuditLine(
            at=e.at.strftime("%Y-%m-%d %H:%M:%S UTC"),
            who=names.get(e.actor_id, "?") if e.actor_id else "the bot or an operator",
            action=e.action,
            decision=e.decision,
            surface=e.surface,
        )
        for e in entries
    )
    return AuditTrail(reference=reference, lines=lines)
