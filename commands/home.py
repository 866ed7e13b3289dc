"""A person's Home tab: their committee's open cases, State replies overdue and due soon, the
cases shared with them, as the policy allows on Home (never more than the facts)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

from commands import policy
from commands.invocation import Dependencies
from commands.results import HomeResult
from commands.roles import COMMITTEE_ROLES, Actor
from commands.trail import record
from commands.views import CaseView, view_case
from storage.digest_queries import CaseFacts, DigestQueries

SHOWN = 15  # cases per section: Home holds at most 100 blocks
OWN_READ = SHOWN * 4  # cases read per query, before the policy and the sections filter them
ALL_READ = SHOWN * 8
DUE_SOON_DAYS = 7


async def handle(*, actor: Actor, core: Dependencies) -> HomeResult:
    """The actor's Home, at most the facts of each case; an audit entry per case shown."""
    if not policy.may_use_bot(actor):
        return HomeResult(actor.name, in_directory=False)
    today = core.clock.today()
    codes = tuple(sorted({str(r.committee) for r in actor.roles if r.kind in COMMITTEE_ROLES}))
    async with core.uow() as uow:
        own, due, everyone = await _read(uow.digests, codes, today)
        home = _home(actor, codes, today, own, due, everyone)
        ids = {f.case.reference: f.case.id for f in (*own, *due, *everyone)}
        sections = (*home.mine, *home.overdue, *home.due_soon, *home.shared)
        shown = sorted({ids[view.reference] for view in sections})
        seen = functools.partial(
            record, uow, actor=actor, action="home", allowed=True, clock=core.clock
        )
        for case_id in shown:
            await seen(case_id=case_id, surface=policy.Surface.APP_HOME)
        await seen(case_id=None, surface=policy.Surface.APP_HOME, detail={"cases": len(shown)})
        await uow.commit()
    return home


def _home(
    actor: Actor,
    codes: tuple[str, ...],
    today: dt.date,
    own: list[CaseFacts],
    due: list[CaseFacts],
    everyone: list[CaseFacts],
) -> HomeResult:
    """The four sections, as the policy allows on Home."""
    mine = _shown(actor, own, today, lambda f: True)
    shared = _shown(actor, everyone, today, lambda f: f.case.facts.lead_committee not in codes)
    overdue = _shown(actor, due, today, lambda f: bool(f.reply_due_on and f.reply_due_on < today))
    soon = _shown(actor, due, today, lambda f: bool(f.reply_due_on and f.reply_due_on >= today))
    return HomeResult(
        actor.name,
        in_directory=True,
        may_report=policy.may_report(actor),
        committees=codes,
        mine=mine[:SHOWN],
        overdue=overdue[:SHOWN],
        due_soon=soon[:SHOWN],
        shared=shared[:SHOWN],
        # A read that hit its cap may have left out cases a section would show: say so.
        more=len(own) == OWN_READ
        or ALL_READ in (len(due), len(everyone))
        or any(len(x) > SHOWN for x in (mine, overdue, soon, shared)),
    )


async def _read(
    q: DigestQueries, codes: tuple[str, ...], today: dt.date
) -> tuple[list[CaseFacts], list[CaseFacts], list[CaseFacts]]:
    """Open cases of `codes` (all if none), replies due within the window, every open case."""
    own = await q.open_concerning(codes or None, limit=OWN_READ)
    due_before = today + dt.timedelta(days=DUE_SOON_DAYS + 1)
    due = await q.open_with_reply_due_before(due_before, limit=ALL_READ)
    everyone = await q.open_concerning(None, limit=ALL_READ) if codes else []
    return own, due, everyone


def _shown(
    actor: Actor, facts: list[CaseFacts], today: dt.date, keep: Callable[[CaseFacts], bool]
) -> tuple[CaseView, ...]:
    views = []
    for f in facts:
        if f.case.erased or not keep(f):
            continue
        level = policy.level_for(actor, f.case, policy.Surface.APP_HOME)
        if level > policy.Visibility.NONE:
            views.append(view_case(f.case, level, today))
    return tuple(views)
