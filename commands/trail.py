"""Recording reads, changes and denials in the audit trail: ids only, never content."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from commands.errors import NoSuchCase
from commands.invocation import Clock, Dependencies
from commands.policy import ON_DEMAND, Surface
from commands.roles import Actor
from storage.audit import AuditEntry
from storage.uow import UnitOfWork

CLI = "cli"  # the surface of an operator's answers on the server's command line


@dataclass(frozen=True, slots=True)
class Operator(Actor):
    """Someone with a shell on the server, acting as the secretariat: known by login and host."""

    login: str = ""
    host: str = ""


async def record(
    uow: UnitOfWork,
    *,
    actor: Actor | None,
    action: str,
    case_id: int | None,
    allowed: bool,
    surface: Surface | str,
    clock: Clock,
    detail: dict[str, object] | None = None,
) -> None:
    """Append one entry; the caller commits it with the rest of its unit of work.

    An operator's entry names their login and host; their on-demand answers are on `cli`.
    """
    if isinstance(actor, Operator):
        detail = {**(detail or {}), "operator": actor.login, "host": actor.host}
        surface = CLI if surface in ON_DEMAND else surface
    await uow.audit.append(
        AuditEntry(
            at=clock.now(),
            actor_id=actor.person_id if actor and actor.person_id else None,
            action=action,
            case_id=case_id,
            decision="allowed" if allowed else "denied",
            surface=str(surface),
            detail=detail or {},
        )
    )


def on_demand_surface(core: Dependencies) -> Surface:
    """Where an answer to one person is shown: the console, or Slack's ephemeral replies."""
    return Surface.CONSOLE if core.platform == "console" else Surface.STATUS


async def refuse(
    core: Dependencies, *, actor: Actor | None, action: str, detail: dict[str, object] | None = None
) -> None:
    """Record a refusal in its own unit of work (the caller then raises the CommandError)."""
    async with core.uow() as uow:
        await record(
            uow,
            actor=actor,
            action=action,
            case_id=None,
            allowed=False,
            surface=on_demand_surface(core),
            clock=core.clock,
            detail=detail,
        )
        await uow.commit()


async def deny_as_missing(
    uow: UnitOfWork,
    core: Dependencies,
    *,
    actor: Actor,
    action: str,
    reference: str,
    case_id: int | None,
) -> NoReturn:
    """Record the refusal and commit it, then give the answer a missing case gets."""
    await record(
        uow,
        actor=actor,
        action=action,
        case_id=case_id,
        allowed=False,
        surface=on_demand_surface(core),
        clock=core.clock,
    )
    await uow.commit()
    raise NoSuchCase(reference)
