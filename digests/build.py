"""build_digest: a period's figures, events, dues and trend, as one audience may read them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from commands import policy
from commands import vocabulary as v
from commands.policy import Visibility
from commands.roles import Actor, RoleKind
from digests.agenda import build_agenda
from digests.model import (
    LIST_CAP,
    ActionLine,
    Audience,
    Count,
    Digest,
    DigestCase,
    Figures,
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
from storage.records import CaseRecord
from storage.reference import committee, committees
from storage.uow import UnitOfWork

Level = Callable[[CaseRecord], Visibility]


@dataclass(frozen=True, slots=True)
class DigestRequest:
    """Who the digest is for. `actor` is the Chair (Audience.CHAIR) or the asker (PREVIEW)."""

    period: Period
    audience: Audience
    actor: Actor | None = None
    reporting_year_start: int = 1


async def build_digest(uow: UnitOfWork, request: DigestRequest) -> Digest:
    """Everything a digest shows; each case at the level its audience is allowed."""
    period, q = request.period, uow.digests
    level = level_for_audience(request)
    received = await q.received_between(period.start, period.end)
    before = shift(period, -1)
    # Stage changes, closures and shares are kept as actions too; the digest counts actions.
    actions = [a for a in await q.actions_between(period.start, period.end) if a.kind in v.ACTIONS]
    closed = await q.closed_between(period.start, period.end)
    overdue = await q.open_with_reply_due_before(period.end, limit=LIST_CAP)
    upcoming = shift(period, 1)
    due = await q.open_with_reply_due_between(upcoming.start, upcoming.end)
    known = {f.case.id: f for f in (*received, *closed, *overdue, *due)}
    # The cases acted on that the digest names: replies and referrals, and a Chair's own.
    named = {a.case_id for a in actions if a.kind in ("state_reply", "asg_referral")}
    committee = _chair_committee(request)
    acted_on = {a.case_id for a in actions} - set(known) if committee else named - set(known)
    known.update({f.case.id: f for f in await q.by_ids(acted_on, committee=committee)})
    asg = await q.cases_with_action("asg_referral")
    show = Shower(level, asg)
    described = [show(f) for f in received]
    joint = [show(f) for f in known.values() if _joint(f, f.case.id in asg) and f.closed_on is None]
    digest = Digest(
        period=period,
        audience=request.audience,
        committee=_chair_committee(request),
        figures=figures_of(received),
        previous_figures=Figures(*await q.figures_between(before.start, before.end)),
        by_committee=await _by_committee(uow, period, before),
        by_state=_counted(Counter(f.case.facts.state_party for f in received), lambda s: s),
        by_act=_counted(Counter(a for f in received for a in f.case.facts.acts), v.ACTS.get),
        trend=await _trend(uow, request),
        new_cases=_kept(described),
        undescribed=sum(1 for d in described if d is None),
        actions_by_type=_counted(Counter(a.kind for a in actions), v.ACTIONS.get),
        replies_received=_lines(actions, "state_reply", known, show),
        referrals=_lines(actions, "asg_referral", known, show),
        closed=_kept(show(f) for f in closed),
        outcomes=_counted(Counter(f.outcome or "other" for f in closed), v.OUTCOMES.get),
        overdue=_kept(show(f) for f in overdue),
        overdue_total=await q.count_open_with_reply_due_before(period.end),
        due_next_month=_kept(show(f) for f in due),
        joint=_kept(sorted(joint, key=_by_reference)),
    )
    return await _finish(uow, request, digest, known, actions, show)


async def _finish(
    uow: UnitOfWork,
    request: DigestRequest,
    digest: Digest,
    known: dict[int, CaseFacts],
    actions: list[ActionFacts],
    show: Shower,
) -> Digest:
    if request.audience is Audience.COORDINATION:
        agenda = await build_agenda(uow, request.period, digest, show)
        return replace(digest, agenda=agenda)
    if digest.committee is not None:
        section = _section(digest.committee, known, actions, show, request.period)
        q, end, code = uow.digests, request.period.end, digest.committee
        overdue = await q.open_with_reply_due_before(end, committee=code, limit=LIST_CAP)
        section = replace(
            section,
            overdue=_kept(show(f) for f in overdue),
            overdue_total=await q.count_open_with_reply_due_before(end, committee=code),
        )
        return replace(digest, own_section=section)
    return digest


def level_for_audience(request: DigestRequest) -> Level:
    """The policy's answer for each audience: a Chair or an asker as themselves; a channel as
    what every reader of it may see."""
    match request.audience:
        case Audience.CHAIRS_CHANNEL:
            return policy.chairs_channel_visibility
        case Audience.COORDINATION:
            return policy.channel_visibility
        case _:
            actor = request.actor
            if actor is None:
                raise ValueError(f"a {request.audience} digest needs its reader")
            return lambda case: policy.level_for(actor, case, policy.Surface.DIGEST)


class Shower:
    """Turns a case's facts into what the audience may read of it (None: counted only)."""

    def __init__(self, level: Level, asg: set[int]) -> None:
        self._level, self._asg = level, asg

    def __call__(self, facts: CaseFacts) -> DigestCase | None:
        case = facts.case
        level = self._level(case)
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


def figures_of(cases: Iterable[CaseFacts]) -> Figures:
    cases = list(cases)
    return Figures(
        new_cases=len(cases),
        persons_affected=sum(f.case.facts.target_count for f in cases),
        states_concerned=len({f.case.facts.state_party for f in cases}),
        urgent_cases=sum(1 for f in cases if f.case.facts.urgent),
    )


async def _by_committee(uow: UnitOfWork, period: Period, before: Period) -> tuple[Count, ...]:
    now = await uow.digests.per_committee(period.start, period.end)
    then = await uow.digests.per_committee(before.start, before.end)
    return tuple(
        Count(c.code, c.name, now.get(c.code, 0), then.get(c.code, 0)) for c in committees()
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


def _section(
    code: str,
    known: dict[int, CaseFacts],
    actions: list[ActionFacts],
    show: Shower,
    period: Period,
) -> Section:
    mine = {i: f for i, f in known.items() if code in f.case.committees}
    new = [f for f in mine.values() if f.case.facts.received_on in period]
    described = [show(f) for f in sorted(new, key=lambda f: f.case.id)]
    return Section(
        committee=code,
        committee_name=committee(code).name,
        figures=figures_of(new),
        new_cases=_kept(described),
        actions=tuple(
            ActionLine(c, a.kind, v.ACTIONS.get(a.kind, a.kind), a.taken_on, a.committees)
            for a in actions
            if a.case_id in mine and (c := show(mine[a.case_id])) is not None
        ),
        undescribed=sum(1 for d in described if d is None),
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


def _counted(counter: Counter[str], label: Callable[[str], str | None]) -> tuple[Count, ...]:
    """Largest first, then by label."""
    items = [Count(key, label(key) or key, count) for key, count in counter.items()]
    return tuple(sorted(items, key=lambda c: (-c.count, c.label)))


def _kept(cases: Iterable[DigestCase | None]) -> tuple[DigestCase, ...]:
    return tuple(c for c in cases if c is not None)


def _by_reference(case: DigestCase | None) -> str:
    return case.reference if case else ""
