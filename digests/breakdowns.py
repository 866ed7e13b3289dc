"""What a digest breaks down (by committee, State, act, urgency, action and outcome): only the
cases its reader may see with their facts, and never a restricted case outside a Chair's own
section. Every other case counts in a total alone, so a small count cannot point at one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from commands import policy
from commands import vocabulary as v
from commands.policy import Visibility
from digests.model import Count, Figures
from storage.confidentiality import RESTRICTED
from storage.digest_queries import ActionFacts, CaseFacts
from storage.records import CaseRecord
from storage.reference import committees

Level = Callable[[CaseRecord], Visibility]


def restricted(case: CaseRecord) -> bool:
    """Shared with no other committee (by choice or for want of consent)."""
    return policy.confidentiality(case) == RESTRICTED


def without_restricted(level: Level) -> Level:
    """`level`, except that a restricted case is only counted (not even in outline)."""

    def level_of(case: CaseRecord) -> Visibility:
        return Visibility.NONE if restricted(case) else level(case)

    return level_of


def broken_down(cases: Iterable[CaseFacts], level: Level) -> list[CaseFacts]:
    """The cases a breakdown may count: those `level` shows with their facts."""
    return [f for f in cases if level(f.case) >= Visibility.FACTS]


def figures_of(cases: Iterable[CaseFacts], level: Level | None = None) -> Figures:
    """Every case in `new_cases`; the other figures only from those `level` breaks down."""
    everyone = list(cases)
    shown = everyone if level is None else broken_down(everyone, level)
    return Figures(
        new_cases=len(everyone),
        persons_affected=sum(f.case.facts.target_count for f in shown),
        states_concerned=len({f.case.facts.state_party for f in shown}),
        urgent_cases=sum(1 for f in shown if f.case.facts.urgent),
        counted_only=len(everyone) - len(shown),
    )


def by_committee(now: list[CaseFacts], then: list[CaseFacts]) -> tuple[Count, ...]:
    """Cases per committee concerned (lead or other), this period and the one before."""
    this, before = _per_committee(now), _per_committee(then)
    return tuple(
        Count(c.code, c.name, this.get(c.code, 0), before.get(c.code, 0)) for c in committees()
    )


def by_state(cases: list[CaseFacts]) -> tuple[Count, ...]:
    return counted(Counter(f.case.facts.state_party for f in cases), lambda s: s)


def by_act(cases: list[CaseFacts]) -> tuple[Count, ...]:
    return counted(Counter(a for f in cases for a in f.case.facts.acts), v.ACTS.get)


def by_outcome(closed: list[CaseFacts]) -> tuple[Count, ...]:
    return counted(Counter(f.outcome or "other" for f in closed), v.OUTCOMES.get)


def by_action(
    actions: list[ActionFacts], cases: dict[int, CaseFacts], level: Level
) -> tuple[tuple[Count, ...], int]:
    """Actions per kind on the cases `level` breaks down; and how many others there were."""
    shown = {i for i, f in cases.items() if level(f.case) >= Visibility.FACTS}
    kinds = Counter(a.kind for a in actions if a.case_id in shown)
    return counted(kinds, v.ACTIONS.get), len(actions) - kinds.total()


def counted(counter: Counter[str], label: Callable[[str], str | None]) -> tuple[Count, ...]:
    """Largest first, then by label."""
    items = [Count(key, label(key) or key, count) for key, count in counter.items()]
    return tuple(sorted(items, key=lambda c: (-c.count, c.label)))


def _per_committee(cases: list[CaseFacts]) -> Counter[str]:
    return Counter(code for f in cases for code in f.case.committees)
