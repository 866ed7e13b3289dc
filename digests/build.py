"""build_digest: a period's figures, events, dues and trend, as one audience may read them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from commands import vocabulary as v
from commands.policy import Visibility
from commands.roles import Actor, RoleKind
from digests import breakdowns as bd
from digests.agenda import build_agenda
from digests.disclosure import Disclosure, breakdown_level, level_for_audience
from digests.model import (
    LIST_CAP,
    ActionLine,
    Audience,
    Count,
    Digest,
    DigestCase,
    Section,
    Trend,
)
from digests.periods import (
    Period,
    reporting_year_to_date,
    shift,
    trailing_months,
    year_to_date,
)
from storage.digest_queries import ActionFacts, CaseFacts
from storage.reference import committee
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class DigestRequest:
    """Who the digest is for. `actor` is the Chair (Audience.CHAIR) or the asker (PREVIEW)."""

    period: Period
    audience: Audience
    actor: Actor | None = None
    reporting_year_start: int = 1


@dataclass(slots=True)
class Read:
    """The period's cases and actions as the queries return them, before any policy."""

    received: list[CaseFacts]
    received_before: list[CaseFacts]
    actions: list[ActionFacts]
    closed: list[CaseFacts]
    overdue: list[CaseFacts]
    due: list[CaseFacts]
    known: dict[int, CaseFacts] = field(default_factory=dict)  # the cases a list may name
    acted_on: dict[int, CaseFacts] = field(default_factory=dict)  # every case acted on


async def build_digest(uow: UnitOfWork, request: DigestRequest) -> Digest:
    """Everything a digest shows; each case at the level its audience is allowed, and every
    breakdown only from the cases `breakdown_level` lets it count."""
    period, q = request.period, uow.digests
    level = level_for_audience(request.audience, request.actor)
    counts = breakdown_level(level)
    read = await _read(uow, request)
    asg = await q.cases_with_action("asg_referral")
    show = Disclosure(level, asg)
    described = [show(f) for f in read.received]
    joint = [
        show(f) for f in read.known.values() if _joint(f, f.case.id in asg) and f.closed_on is None
    ]
    counted_now = bd.broken_down(read.received, counts)
    counted_closed = bd.broken_down(read.closed, counts)
    by_action, actions_counted_only = bd.by_action(read.actions, read.acted_on, counts)
    digest = Digest(
        period=period,
        audience=request.audience,
        committee=_chair_committee(request),
        figures=bd.figures_of(read.received, counts),
        previous_figures=bd.figures_of(read.received_before, counts),
        by_committee=bd.by_committee(counted_now, bd.broken_down(read.received_before, counts)),
        by_state=bd.by_state(counted_now),
        by_act=bd.by_act(counted_now),
        trend=await _trend(uow, request),
        new_cases=_kept(described),
        undescribed=sum(1 for d in described if d is None),
        actions_by_type=by_action,
        actions_counted_only=actions_counted_only,
        replies_received=_lines(read.actions, "state_reply", read.known, show),
        referrals=_lines(read.actions, "asg_referral", read.known, show),
        closed=_kept(show(f) for f in read.closed),
        outcomes=bd.by_outcome(counted_closed),
        closed_counted_only=len(read.closed) - len(counted_closed),
        overdue=_kept(show(f) for f in read.overdue),
        overdue_total=await q.count_open_with_reply_due_before(period.end),
        due_next_month=_kept(show(f) for f in read.due),
        joint=_kept(sorted(joint, key=_by_reference)),
    )
    return await _finish(uow, request, digest, read, show)


async def _read(uow: UnitOfWork, request: DigestRequest) -> Read:
    """The period's facts; `known` adds the cases acted on that a list names: replies and
    referrals, and for a Chair every one concerning their committee."""
    period, q = request.period, uow.digests
    before, upcoming = shift(period, -1), shift(period, 1)
    # Stage changes, closures and shares are kept as actions too; the digest counts actions.
    actions = [a for a in await q.actions_between(period.start, period.end) if a.kind in v.ACTIONS]
    read = Read(
        received=await q.received_between(period.start, period.end),
        received_before=await q.received_between(before.start, before.end),
        actions=actions,
        closed=await q.closed_between(period.start, period.end),
        overdue=await q.open_with_reply_due_before(period.end, limit=LIST_CAP),
        due=await q.open_with_reply_due_between(upcoming.start, upcoming.end),
    )
    read.known = {f.case.id: f for f in (*read.received, *read.closed, *read.overdue, *read.due)}
    others = await q.by_ids({a.case_id for a in actions} - set(read.known))
    code = _chair_committee(request)
    named = {a.case_id for a in actions if a.kind in ("state_reply", "asg_referral")}
    for f in others:
        if (code in f.case.committees) if code else (f.case.id in named):
            read.known[f.case.id] = f
    read.acted_on = {**read.known, **{f.case.id: f for f in others}}
    return read


async def _finish(
    uow: UnitOfWork, request: DigestRequest, digest: Digest, read: Read, show: Disclosure
) -> Digest:
    if request.audience is Audience.COORDINATION:
        agenda = await build_agenda(uow, request.period, digest, show)
        return replace(digest, agenda=agenda)
    if digest.committee is not None:
        code, end = digest.committee, request.period.end
        overdue = await uow.digests.open_with_reply_due_before(end, committee=code)
        section = _section(code, read, show, request.period)
        mine = bd.broken_down(overdue, show.level)
        section = replace(
            section,
            overdue=_kept(show(f) for f in mine[:LIST_CAP]),
            overdue_total=len(mine),
        )
        return replace(digest, own_section=section)
    return digest


async def _trend(uow: UnitOfWork, request: DigestRequest) -> Trend:
    period = request.period
    months = trailing_months(period, 12)
    ytd = year_to_date(period)
    sg = reporting_year_to_date(period, request.reporting_year_start)
    start = min(months[0].start, ytd.start, sg.start)
    daily = await uow.digests.received_per_day(start, period.end)

    def within(p: Period) -> int:
        return sum(count for day, count in daily.items() if day in p)

    twelve = tuple(Count(m.label, m.title, within(m)) for m in months)
    return Trend(
        this_period=within(period),
        previous_period=within(shift(period, -1)),
        year_to_date=ytd,
        year_to_date_count=within(ytd),
        reporting_year=sg,
        reporting_year_count=within(sg),
        twelve_months=twelve,
    )


def _section(code: str, read: Read, show: Disclosure, period: Period) -> Section:
    """The Chair's committee: the cases concerning it that they may see in facts."""
    mine = {
        i: f
        for i, f in read.known.items()
        if code in f.case.committees and show.level(f.case) >= Visibility.FACTS
    }
    new = sorted(
        (f for f in mine.values() if f.case.facts.received_on in period), key=lambda f: f.case.id
    )
    return Section(
        committee=code,
        committee_name=committee(code).name,
        figures=bd.figures_of(new),
        new_cases=_kept(show(f) for f in new),
        actions=tuple(
            ActionLine(c, a.kind, v.ACTIONS.get(a.kind, a.kind), a.taken_on, a.committees)
            for a in read.actions
            if a.case_id in mine and (c := show(mine[a.case_id])) is not None
        ),
    )


def _lines(
    actions: list[ActionFacts], kind: str, known: dict[int, CaseFacts], show: Disclosure
) -> tuple[ActionLine, ...]:
    lines = []
    for action in actions:
        if action.kind != kind or action.case_id not in known:
            continue
        shown = show(known[action.case_id])
        if shown is None:
            continue
        substance = action.detail.get("substance")
        label = v.REPLY_SUBSTANCE.get(str(substance)) if substance else None
        lines.append(
            ActionLine(shown, kind, v.ACTIONS[kind], action.taken_on, action.committees, label)
        )
    return tuple(lines)


def _joint(facts: CaseFacts, asg: bool) -> bool:
    return len(facts.case.committees) > 1 or asg


def _chair_committee(request: DigestRequest) -> str | None:
    if request.audience not in (Audience.CHAIR, Audience.PREVIEW) or request.actor is None:
        return None
    codes = sorted(
        r.committee for r in request.actor.roles if r.kind is RoleKind.CHAIR and r.committee
    )
    return codes[0] if codes else None


def _kept(cases: Iterable[DigestCase | None]) -> tuple[DigestCase, ...]:
    return tuple(c for c in cases if c is not None)


def _by_reference(case: DigestCase | None) -> str:
    return case.reference if case else ""
