"""`/reprisal status REF|<State>|<COMMITTEE>`: what the asker may see, and nothing more."""

from __future__ import annotations

import re
from dataclasses import replace

from commands import policy
from commands.discussion import discussion_of
from commands.errors import CommandError, NoSuchCase
from commands.history import history_of
from commands.invocation import Core
from commands.related import linked_references
from commands.results import CaseDetail, CaseList
from commands.roles import Actor
from commands.trail import on_demand_surface, record
from commands.views import CaseView, view_case
from storage.records import CaseRecord
from storage.reference import CommitteeCode, canonical_state, find_states
from storage.uow import UnitOfWork

REFERENCE = re.compile(r"^RPR-\d{4}-\d{4,}$", re.IGNORECASE)
LIST_LIMIT = 50


async def handle(args: tuple[str, ...], *, actor: Actor, core: Core) -> CaseDetail | CaseList:
    text = " ".join(args).strip()
    if not text:
        raise CommandError(
            "Please say which case, State or committee: `/reprisal status RPR-2026-0001`, "
            "`/reprisal status Viet Nam` or `/reprisal status CAT`."
        )
    if REFERENCE.match(text):
        return await _one(text.upper(), actor=actor, core=core)
    committee = text.upper() if text.upper() in CommitteeCode.__members__ else None
    subject = committee or _state(text)
    async with core.uow() as uow:
        if committee:
            cases = await uow.cases.find(committee=committee)
        else:
            cases = await uow.cases.find(state_party=subject)
        return await visible_list(
            uow,
            core,
            f"Cases concerning {subject}",
            cases,
            actor,
            empty=f"No cases concerning {subject} that you can see.",
        )


async def _one(reference: str, *, actor: Actor, core: Core) -> CaseDetail:
    surface = on_demand_surface(core)
    async with core.uow() as uow:
        case = await uow.cases.by_reference(reference)
        level = policy.level_for(actor, case, surface) if case else policy.Visibility.NONE
        allowed = level > policy.Visibility.NONE
        await record(
            uow,
            actor=actor,
            action="read",
            case_id=case.id if case else None,
            allowed=allowed,
            surface=surface,
            clock=core.clock,
            detail={} if case else {"reference": reference},
        )
        await uow.commit()
        discussion = await discussion_of(uow, case, level) if case else ()
        history = await history_of(uow, case, level) if case else ()
        linked = await linked_references(uow, case, actor) if case else ()
    if case is None or not allowed:
        raise NoSuchCase(reference)
    view = view_case(case, level, core.clock.today())
    return CaseDetail(case=replace(view, discussion=discussion, history=history, linked=linked))


def _state(text: str) -> str:
    exact = canonical_state(text)
    if exact:
        return exact
    matches = find_states(text, limit=6)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise CommandError(
            f"I know no State, committee or case called {text!r}. Try a UN short name "
            "(e.g. `Viet Nam`), a committee code (e.g. `CAT`) or a reference (`RPR-2026-0001`)."
        )
    raise CommandError("Which State do you mean: " + "; ".join(matches) + "?")


async def visible_list(
    uow: UnitOfWork, core: Core, title: str, cases: list[CaseRecord], actor: Actor, *, empty: str
) -> CaseList:
    """Only the cases the actor may see, each at the actor's level; each one shown is audited."""
    surface = policy.Surface.CONSOLE if core.platform == "console" else policy.Surface.LIST
    views: list[CaseView] = []
    for case in cases:
        level = policy.level_for(actor, case, surface)
        if level > policy.Visibility.NONE and len(views) < LIST_LIMIT + 1:
            views.append(view_case(case, level, core.clock.today()))
            if len(views) <= LIST_LIMIT:
                await record(
                    uow,
                    actor=actor,
                    action="read",
                    case_id=case.id,
                    allowed=True,
                    surface=surface,
                    clock=core.clock,
                )
    await uow.commit()
    return CaseList(
        title=title, cases=tuple(views[:LIST_LIMIT]), empty=empty, truncated=len(views) > LIST_LIMIT
    )
