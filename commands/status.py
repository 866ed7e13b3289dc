"""`/reprisal status REF|<State>|<COMMITTEE>`: what the asker may see, and nothing more."""

from __future__ import annotations

import re

from commands import policy
from commands.errors import CommandError, NoSuchCase
from commands.invocation import Core
from commands.results import CaseDetail, CaseList
from commands.roles import Actor
from commands.views import view_case
from storage.records import CaseRecord
from storage.reference import CommitteeCode, canonical_state, find_states

REFERENCE = re.compile(r"^RPR-\d{4}-\d{4,}$", re.IGNORECASE)


async def handle(args: tuple[str, ...], *, actor: Actor, core: Core) -> CaseDetail | CaseList:
    text = " ".join(args).strip()
    if not text:
        raise CommandError(
            "Please say which case, State or committee: `/reprisal status RPR-2026-0001`, "
            "`/reprisal status Viet Nam` or `/reprisal status CAT`."
        )
    if REFERENCE.match(text):
        return await _one(text.upper(), actor=actor, core=core)
    if text.upper() in CommitteeCode.__members__:
        code = text.upper()
        async with core.uow() as uow:
            cases = await uow.cases.find(committee=code)
        return visible_list(
            f"Cases concerning {code}",
            cases,
            actor,
            empty=f"No cases concerning {code} that you can see.",
        )
    state = _state(text)
    async with core.uow() as uow:
        cases = await uow.cases.find(state_party=state)
    return visible_list(
        f"Cases concerning {state}",
        cases,
        actor,
        empty=f"No cases concerning {state} that you can see.",
    )


async def _one(reference: str, *, actor: Actor, core: Core) -> CaseDetail:
    async with core.uow() as uow:
        case = await uow.cases.by_reference(reference)
    level = policy.visibility(actor, case) if case else policy.Visibility.NONE
    if case is None or level is policy.Visibility.NONE:
        raise NoSuchCase(reference)
    return CaseDetail(case=view_case(case, level))


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


LIST_LIMIT = 50


def visible_list(title: str, cases: list[CaseRecord], actor: Actor, *, empty: str) -> CaseList:
    """Only the cases the actor may see, each at the actor's level."""
    views = []
    for case in cases:
        level = policy.visibility(actor, case)
        if level > policy.Visibility.NONE:
            views.append(view_case(case, level))
    return CaseList(
        title=title, cases=tuple(views[:LIST_LIMIT]), empty=empty, truncated=len(views) > LIST_LIMIT
    )
