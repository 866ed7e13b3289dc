"""What a digest holds, once the policy has decided what its audience may read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from digests.periods import Period

# Lists that grow with the years (overdue replies, cases awaiting a decision, patterns) show
# the most recent LIST_CAP; their totals are always given.
LIST_CAP = 100


class Audience(StrEnum):
    CHAIR = "chair"  # a DM to one Chair: their committee's section first
    CHAIRS_CHANNEL = "chairs_channel"  # the post in the Chairs' channel
    COORDINATION = "coordination"  # the agenda in the focal points' coordination channel
    PREVIEW = "preview"  # on demand: what the asker may see


@dataclass(frozen=True, slots=True)
class Count:
    """One bar of a chart or one line of a table: a key, its label, this period and the one
    before (when compared)."""

    key: str
    label: str
    count: int
    previous: int = 0


@dataclass(frozen=True, slots=True)
class Figures:
    """`new_cases` counts every case; the other figures only the cases the digest breaks
    down, and `counted_only` says how many it does not (restricted, or not seen in facts)."""

    new_cases: int = 0
    persons_affected: int = 0
    states_concerned: int = 0
    urgent_cases: int = 0
    counted_only: int = 0


@dataclass(frozen=True, slots=True)
class DigestCase:
    """A case as the audience may see it; `state_party` and what follows only at `facts`."""

    reference: str
    lead_committee: str
    urgent: bool
    stage: str
    level: str  # "outline" or "facts"
    committees: tuple[str, ...] = ()
    state_party: str | None = None
    acts: tuple[str, ...] = ()
    target_type: str | None = None
    target_count: int | None = None
    received_on: dt.date | None = None
    due_on: dt.date | None = None
    outcome: str | None = None
    asg: bool = False  # referred to, or shared with, the ASG office


@dataclass(frozen=True, slots=True)
class ActionLine:
    """An action taken in the period, on a case the audience may see described."""

    case: DigestCase
    kind: str
    label: str
    taken_on: dt.date
    committees: tuple[str, ...] = ()
    substance: str | None = None


@dataclass(frozen=True, slots=True)
class Trend:
    this_period: int
    previous_period: int
    year_to_date: Period
    year_to_date_count: int
    reporting_year: Period
    reporting_year_count: int
    twelve_months: tuple[Count, ...] = ()  # key: YYYY-MM, oldest first


@dataclass(frozen=True, slots=True)
class Pattern:
    """Something the coordination meeting should look at. `kind` is `state_committees` (one
    State before several committees) or `same_target` (acts against one person or
    organisation across cases). Names are never carried: only references."""

    kind: str
    state_party: str | None
    committees: tuple[str, ...]
    references: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Agenda:
    """The monthly coordination meeting's agenda."""

    joint: tuple[DigestCase, ...] = ()
    overdue: tuple[DigestCase, ...] = ()
    awaiting_decision: tuple[DigestCase, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    undescribed: int = 0  # cases counted but not described at this audience's level
    awaiting_total: int = 0  # all cases awaiting a decision (the list stops at LIST_CAP)
    patterns_total: int = 0


@dataclass(frozen=True, slots=True)
class Section:
    """One committee's part: for a Chair, their own committee, shown first. It holds only the
    cases the Chair may see in facts (their committee's restricted ones too): a case of
    another committee they may not see is not even counted here."""

    committee: str
    committee_name: str
    figures: Figures
    new_cases: tuple[DigestCase, ...] = ()
    actions: tuple[ActionLine, ...] = ()
    overdue: tuple[DigestCase, ...] = ()
    overdue_total: int = 0


@dataclass(frozen=True, slots=True)
class Digest:
    period: Period
    audience: Audience
    committee: str | None  # the Chair's committee, for Audience.CHAIR
    figures: Figures
    previous_figures: Figures
    by_committee: tuple[Count, ...]
    by_state: tuple[Count, ...]
    by_act: tuple[Count, ...]
    trend: Trend
    new_cases: tuple[DigestCase, ...] = ()
    actions_by_type: tuple[Count, ...] = ()
    replies_received: tuple[ActionLine, ...] = ()
    referrals: tuple[ActionLine, ...] = ()
    closed: tuple[DigestCase, ...] = ()
    outcomes: tuple[Count, ...] = ()
    overdue: tuple[DigestCase, ...] = ()
    due_next_month: tuple[DigestCase, ...] = ()
    joint: tuple[DigestCase, ...] = ()
    own_section: Section | None = None
    agenda: Agenda | None = None
    undescribed: int = 0  # new cases counted in the figures but not described
    overdue_total: int = 0  # every overdue reply; the list holds the LIST_CAP latest
    actions_counted_only: int = 0  # actions on cases not broken down: in no count by type
    closed_counted_only: int = 0  # cases closed but not broken down: in no count by outcome
    notes: tuple[str, ...] = field(default=())

    @property
    def quiet(self) -> bool:
        """Nothing new in the period: no new case, no action, nothing closed."""
        return not (
            self.figures.new_cases
            or self.actions_by_type
            or self.actions_counted_only
            or self.closed
            or self.closed_counted_only
        )
