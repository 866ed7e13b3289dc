"""`/reprisal list open|mine|overdue`: the cases the asker may see."""

from __future__ import annotations

from commands.errors import CommandError
from commands.invocation import Dependencies
from commands.results import CaseList
from commands.roles import Actor, RoleKind
from commands.status import visible_list


async def handle(args: tuple[str, ...], *, actor: Actor, core: Dependencies) -> CaseList:
    which = args[0].lower() if args else ""
    async with core.uow() as uow:
        if which == "open":
            cases = await uow.cases.find(open_only=True)
            return await visible_list(
                uow, core, "Open cases", cases, actor, empty="No open cases that you can see."
            )
        if which == "overdue":
            today = core.clock.today()
            cases = await uow.cases.find(open_only=True, reply_due_before=today)
            return await visible_list(
                uow,
                core,
                "State replies overdue",
                cases,
                actor,
                empty="No State reply is overdue on a case you can see.",
            )
        if which == "mine":
            own = sorted(actor.committees_as(RoleKind.FOCAL_POINT, RoleKind.ALTERNATE))
            cases = await uow.cases.find(reporter_id=actor.person_id, lead_committees=own)
            return await visible_list(
                uow,
                core,
                "Your cases",
                cases,
                actor,
                empty="No cases reported by you or led by your committee.",
            )
    raise CommandError(
        "Please say which list: `/reprisal list open`, `/reprisal list mine` or"
        " `/reprisal list overdue`."
    )
