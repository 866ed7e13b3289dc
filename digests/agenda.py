"""The monthly coordination meeting's agenda: joint cases, overdue replies, cases awaiting a
decision, and patterns (one State before several committees, one target in several cases)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from digests.model import Agenda, Digest, Pattern
from digests.periods import Period, trailing_months
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from digests.build import Shower

AWAITING_DECISION = ("received", "under_assessment")
PATTERN_MONTHS = 12


async def build_agenda(uow: UnitOfWork, period: Period, digest: Digest, show: Shower) -> Agenda:
    """Patterns look back twelve months and use only cases the channel may see in full facts."""
    q = uow.digests
    waiting = await q.open_in_stages(AWAITING_DECISION, period.end)
    shown_waiting = [show(f) for f in waiting]
    window = Period(trailing_months(period, PATTERN_MONTHS)[0].start, period.end)
    patterns = [
        Pattern("state_committees", state, tuple(sorted(codes)), ())
        for state, codes in sorted((await q.committees_per_state(window.start, window.end)).items())
        if len(codes) > 1
    ]
    for group in await q.repeated_targets(window.start, window.end):
        shown = [show(f) for f in await q.by_ids(group)]
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
    )
