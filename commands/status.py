"""`/reprisal status REF|<State>|<COMMITTEE>`: what the asker may see, and nothing more."""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from commands import policy
from commands.discussion import discussion_of
from commands.errors import CommandError, NoSuchCase
from commands.history import history_of
from commands.invocation import Dependencies
from commands.related import linked_references
from commands.results import CaseDetail, CaseList
from commands.roles import Actor
from commands.trail import on_demand_surface, record
from commands.views import CaseView, view_case
from storage.crypto import CiphertextMismatch, KeyProblem
from storage.records import CaseRecord
from storage.reference import CommitteeCode, canonical_state, find_states
from storage.uow import UnitOfWork

REFERENCE = re.compile(r"^RPR-\d{4}-\d{4,}$", re.IGNORECASE)
LIST_LIMIT = 50
_log = logging.getLogger(__name__)


class SealedDataDamaged(CommandError):
    """A case the reader may see in full whose sealed parts will not open."""

    def __init__(self, reference: str) -> None:
        super().__init__(
            f"Sorry, {reference} cannot be opened: its sealed data (names, summary or notes) is "
            "damaged. The fault has been logged for the bot's administrators; please tell the "
            "secretariat too. Other cases are not affected."
        )


async def handle(
    args: tuple[str, ...], *, actor: Actor, core: Dependencies
) -> CaseDetail | CaseList:
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


async def _one(reference: str, *, actor: Actor, core: Dependencies) -> CaseDetail:
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
        if case is None or not allowed:
            raise NoSuchCase(reference)
        return CaseDetail(case=await _detail(uow, case, actor, level, core))


async def _detail(
    uow: UnitOfWork, case: CaseRecord, actor: Actor, level: policy.Visibility, core: Dependencies
) -> CaseView:
    """The case at `level`; its sealed parts are opened only for a reader who sees it in full,
    and damage to them stops this case's detail alone."""
    try:
        opened = await uow.cases.unseal(case) if level >= policy.Visibility.FULL else None
        discussion = await discussion_of(uow, case, level)
        history = await history_of(uow, case, level)
    except (KeyProblem, CiphertextMismatch) as problem:
        # The problem names the case id, field and key id, never what was sealed.
        _log.error("%s cannot be opened: %s", case.reference, problem)
        raise SealedDataDamaged(case.reference) from None
    linked = await linked_references(uow, case, actor)
    view = view_case(case, level, core.clock.today(), opened=opened)
    return replace(view, discussion=discussion, history=history, linked=linked)


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
    uow: UnitOfWork,
    core: Dependencies,
    title: str,
    cases: list[CaseRecord],
    actor: Actor,
    *,
    empty: str,
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
