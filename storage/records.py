"""Plain, frozen records that repositories hand to the core (no ORM object leaves storage)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from storage.confidentiality import effective


@dataclass(frozen=True, slots=True)
class Consents:
    share_committees: bool = False
    share_asg: bool = False
    name_to_state: bool = False
    publish: bool = False


@dataclass(frozen=True, slots=True)
class NewCase:
    """What a valid report holds before it has a reference."""

    state_party: str
    lead_committee: str
    other_committees: tuple[str, ...]
    received_on: dt.date
    source: str
    cooperation: str
    timing: str
    target_type: str
    target_count: int
    target_names: tuple[str, ...]
    organisations: tuple[str, ...]
    acts: tuple[str, ...]
    acts_other: str | None
    summary: str
    urgent: bool
    confidentiality: str
    consents: Consents

    @property
    def effective_confidentiality(self) -> str:
        """`restricted`, `shared` or `public`: the confidentiality chosen, as consent allows."""
        consents = self.consents
        return effective(self.confidentiality, consents.share_committees, consents.publish)


@dataclass(frozen=True, slots=True)
class SealedParts:
    """A case's sealed parts, opened: for a reader who may see the case in full, when shown."""

    target_names: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    summary: str = ""
    acts_other: str | None = None

    @classmethod
    def of(cls, new: NewCase) -> SealedParts:
        """The parts a report holds in memory, before they are sealed."""
        return cls(new.target_names, new.organisations, new.summary, new.acts_other)


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """A case's facts. Read from storage, its sealed parts stay sealed (the names, organisations,
    summary and other acts in `facts` are blank): `CaseRepository.unseal` opens them."""

    id: int
    reference: str
    reporter_id: int
    reporter_name: str
    stage: str
    created_at: dt.datetime
    updated_at: dt.datetime
    facts: NewCase
    erased: bool = False
    reply_due_on: dt.date | None = None  # when the State's reply is due, if one is awaited
    closed_on: dt.date | None = None
    outcome: str | None = None
    shared_with: tuple[str, ...] = ()  # committees the case was shared with by hand

    @property
    def committees(self) -> tuple[str, ...]:
        """The lead committee first, then the others concerned."""
        return (self.facts.lead_committee, *self.facts.other_committees)

    @property
    def is_open(self) -> bool:
        return self.stage != "closed"


@dataclass(frozen=True, slots=True)
class PersonRecord:
    id: int
    key: str
    name: str
    slack_user: str | None
    email: str | None
    roles: tuple[tuple[str, str | None], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class ThreadRecord:
    case_id: int
    platform: str
    channel: str
    root_ref: str


@dataclass(frozen=True, slots=True)
class NoticeRecord:
    id: int
    case_id: int | None
    kind: str
    destination: str
    recipient_id: int | None
    payload: dict[str, object]
    attempts: int
