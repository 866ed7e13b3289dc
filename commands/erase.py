"""`/reprisal erase REF`: the secretariat destroys a case's identifying data, for good."""

from __future__ import annotations

from commands import policy
from commands.errors import CommandError, NoSuchCase, NotAllowed
from commands.invocation import Dependencies
from commands.results import EraseConfirmation, Erased
from commands.roles import Actor
from commands.status import REFERENCE
from commands.trail import on_demand_surface, record
from storage.records import CaseRecord
from storage.uow import UnitOfWork


async def handle(args: tuple[str, ...], *, actor: Actor, core: Dependencies) -> EraseConfirmation:
    """Ask for confirmation, whatever follows the reference: typing `confirm` erases nothing."""
    reference = _reference(args)
    async with core.uow() as uow:
        await _checked(uow, reference, actor, core, confirmed=False)
    return EraseConfirmation(reference)


async def confirm(reference: str, *, actor: Actor, core: Dependencies) -> Erased:
    """Destroy the case's data key. Only a confirmation calls this: the button, the console's
    retyped reference, or `reprisal-bot case erase` (retyped, or `--yes`)."""
    reference = _reference((reference,))
    surface = on_demand_surface(core)
    async with core.uow() as uow:
        case = await _checked(uow, reference, actor, core, confirmed=True)
        erased = await uow.cases.erase(case.id, now=core.clock.now())
        if not erased:
            raise CommandError(f"{reference} was already erased.")
        await uow.outbox.cancel_for_case(case.id, reason="case erased", now=core.clock.now())
        await record(
            uow,
            actor=actor,
            action="erase",
            case_id=case.id,
            allowed=True,
            surface=surface,
            clock=core.clock,
        )
        await uow.commit()
        scrubbed = await uow.scrub()
    return Erased(reference, scrubbed)


def _reference(args: tuple[str, ...]) -> str:
    if not args or not REFERENCE.match(args[0]):
        raise CommandError("Please give the case: `/reprisal erase RPR-2026-0001`.")
    return args[0].upper()


async def _checked(
    uow: UnitOfWork, reference: str, actor: Actor, core: Dependencies, *, confirmed: bool
) -> CaseRecord:
    """The case if the actor may erase it; a request, and any refusal, is recorded at once."""
    case = await uow.cases.by_reference(reference)
    allowed = case is not None and policy.may_do(actor, case, policy.Action.ERASE)
    if not allowed or not confirmed:
        await record(
            uow,
            actor=actor,
            action="erase" if confirmed else "erase-request",
            case_id=case.id if case else None,
            allowed=allowed,
            surface=on_demand_surface(core),
            clock=core.clock,
        )
        await uow.commit()
    if not allowed and (case is not None or not policy.may_administer(actor)):
        # One answer for everyone but the secretariat, whether the case exists or not.
        raise NotAllowed("Only the secretariat can erase a case.")
    if case is None:
        raise NoSuchCase(reference)
    return case
