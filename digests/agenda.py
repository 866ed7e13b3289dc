"""The monthly coordination meeting's agenda: joint cases, overdue replies, cases awaiting a
decision, and patterns (one State before several committees, one target in several cases)."""

from __future__ import annotations

from digests.disclosure import Disclosure
from digests.model import LIST_CAP, Agenda, Digest, Pattern
from digests.periods import Period, trailing_months
from storage.uow import UnitOfWork

AWAITING_DECISION = ("received", "under_assessment")
PATTERN_MONTHS = 12


async def build_agenda(uow: UnitOfWork, period: Period, digest: Digest, show: Disclosure) -> Agenda:
    """Patterns look back twelve months and use only cases the channel may see in full facts."""
    q = uow.digests
    waiting = await q.open_in_stages(AWAITING_DECISION, period.end, limit=LIST_CAP)
    shown_waiting = [show(f) for f in waiting]
    window = Period(trailing_months(period, PATTERN_MONTHS)[0].start, period.end)
    per_state = await q.committees_per_state(window.start, window.end)
    several = sorted(
        ((state, codes) for state, codes in per_state.items() if len(codes) > 1),
        key=lambda item: (-len(item[1]), item[0]),
    )
    # Only cases the channel may see with their facts can form a pattern there.
    groups = await q.repeated_targets(window.start, window.end, shared_only=True)
    patterns_total = len(several) + len(groups)
    # Each kind gets half the list: the States before most committees, the latest targets.
    patterns = [
        Pattern("state_committees", state, tuple(sorted(codes)), ())
        for state, codes in several[: LIST_CAP // 2]
    ]
    groups = groups[-(LIST_CAP // 2) :]
    facts = {f.case.id: f for f in await q.by_ids(i for group in groups for i in group)}
    for group in groups:
        shown = [show(facts[i]) for i in group if i in facts]
        if all(s is not None and s.level == "facts" for s in shown):
            states = {s.state_party for s in shown if s is not None}
            codes = sorted({c for s in shown if s is not None for c in s.committees})
            references = tuple(s.reference for s in shown if s is not None)
            state = states.pop() if len(states) == 1 else None
            patterns.append(Pattern("same_target", state, tuple(codes), references))
    return Agenda(
        joint=digest.joint,
        overdue=digest.overdue,
        awaiting_decision=tuple(s for s in shown_waiting if s is not None),
        patterns=tuple(patterns),
        undescribed=sum(1 for s in shown_waiting if s is None),
        awaiting_total=await q.count_in_stages(AWAITING_DECISION, period.end),
        patterns_total=patterns_total,
    )
