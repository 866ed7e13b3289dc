"""build_digest: a period's figures, events, dues and trend, as one audience may read them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from commands import policy
from commands import vocabulary as v
from commands.policy import Visibility
from commands.roles import Actor, RoleKind
from digests import breakdowns as bd
from digests.agenda import build_agenda
from digests.breakdowns import Level
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
    level = level_for_audience(request)
    counts = breakdown_level(level)
    read = await _read(uow, request)
    asg = await q.cases_with_action("asg_referral")
    show = Shower(level, asg)
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
    uow: UnitOfWork, request: DigestRequest, digest: Digest, read: Read, show: Shower
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


def level_for_audience(request: DigestRequest) -> Level:
    """The policy's answer for each audience: a Chair or an asker as themselves; a channel as
    what every reader of it may see, and never a restricted case (it is only counted there)."""
    match request.audience:
        case Audience.CHAIRS_CHANNEL:
            return bd.without_restricted(policy.chairs_channel_visibility)
        case Audience.COORDINATION:
            return bd.without_restricted(policy.channel_visibility)
        case _:
            actor = request.actor
            if actor is None:
                raise ValueError(f"a {request.audience} digest needs its reader")
            return lambda case: policy.level_for(actor, case, policy.Surface.DIGEST)


def breakdown_level(level: Level) -> Level:
    """What the figures, breakdowns and charts count beyond the totals: the cases `level`
    shows in facts, restricted ones never (a Chair's own section has its own rule)."""
    return bd.without_restricted(level)


class Shower:
    """Turns a case's facts into what the audience may read of it (None: counted only)."""

    def __init__(self, level: Level, asg: set[int]) -> None:
        self.level, self._asg = level, asg

    def __call__(self, facts: CaseFacts) -> DigestCase | None:
        case = facts.case
        level = self.level(case)
        if level <= Visibility.NONE or case.erased:
            return None
        outline = DigestCase(
            reference=case.reference,
            lead_committee=case.facts.lead_committee,
            urgent=case.facts.urgent,
            stage=v.STAGES.get(case.stage, case.stage),
            level="outline",
        )
        if level < Visibility.FACTS:
            return outline
        f = case.facts
        return DigestCase(
            reference=case.reference,
            lead_committee=f.lead_committee,
            urgent=f.urgent,
            stage=outline.stage,
            level="facts",
            committees=case.committees,
            state_party=f.state_party,
            acts=tuple(v.ACTS[a] for a in f.acts if a != "other"),
            target_type=v.TARGET_TYPES.get(f.target_type, f.target_type),
            target_count=f.target_count,
            received_on=f.received_on,
            due_on=facts.reply_due_on,
            outcome=v.OUTCOMES.get(facts.outcome) if facts.outcome else None,
            asg=case.id in self._asg,
        )


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


def _section(code: str, read: Read, show: Shower, period: Period) -> Section:
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
    actions: list[ActionFacts], kind: str, known: dict[int, CaseFacts], show: Shower
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
