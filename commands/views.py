"""Views: what a reader may see of a case, built once the policy has decided."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from commands import vocabulary as v
from commands.history import HistoryLine
from commands.policy import Visibility
from storage.records import CaseRecord, SealedParts
from storage.reference import committee


@dataclass(frozen=True, slots=True)
class DiscussionLine:
    """A message of the case's thread. No author: someone outside the directory, not shown."""

    at: str
    author: str | None
    text: str


@dataclass(frozen=True, slots=True)
class CaseView:
    reference: str
    lead_committee: str
    lead_committee_name: str
    urgent: bool
    stage: str
    confidentiality: str  # effective: restricted, shared or public
    level: str
    due_on: dt.date | None = None  # the State's reply, if one is awaited
    overdue: bool = False
    outcome: str | None = None
    state_party: str | None = None
    committees: tuple[str, ...] = ()
    received_on: dt.date | None = None
    source: str | None = None
    cooperation: str | None = None
    timing: str | None = None
    target_type: str | None = None
    target_count: int | None = None
    acts: tuple[str, ...] = ()
    acts_other: str | None = None
    consents: tuple[str, ...] = ()
    reporter: str | None = None
    summary: str | None = None
    target_names: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    discussion: tuple[DiscussionLine, ...] = ()  # the case thread, for readers at FULL
    history: tuple[HistoryLine, ...] = ()  # received, actions, stages: readers of the facts
    linked: tuple[str, ...] = ()  # references of linked cases the reader may see


def view_case(
    case: CaseRecord,
    level: Visibility,
    today: dt.date | None = None,
    *,
    opened: SealedParts | None = None,
) -> CaseView:
    """The case as `level` allows; raises if the level allows nothing. With `today`, whether
    its State reply is overdue. At FULL, the sealed parts are `opened` (opened by the caller
    for this reader), or else what the record holds: blank for a case read from storage."""
    if level <= Visibility.NONE:
        raise PermissionError("no view at this level")
    facts = case.facts
    outline = CaseView(
        reference=case.reference,
        lead_committee=facts.lead_committee,
        lead_committee_name=committee(facts.lead_committee).name,
        urgent=facts.urgent,
        stage=v.STAGES.get(case.stage, case.stage),
        confidentiality=facts.effective_confidentiality,
        level=level.name.lower(),
        due_on=case.reply_due_on,
        overdue=bool(today and case.reply_due_on and case.reply_due_on < today),
        outcome=v.OUTCOMES.get(case.outcome) if case.outcome else None,
    )
    if level < Visibility.FACTS:
        return outline
    consents = facts.consents
    given = [label for code, label in v.CONSENTS.items() if getattr(consents, code)]
    with_facts = replace(
        outline,
        state_party=facts.state_party,
        committees=case.committees,
        received_on=facts.received_on,
        source=v.SOURCES[facts.source],
        cooperation=v.COOPERATION[facts.cooperation],
        timing=v.TIMING[facts.timing],
        target_type=v.TARGET_TYPES[facts.target_type],
        target_count=facts.target_count,
        acts=tuple(v.ACTS[a] for a in facts.acts if a != "other"),
        consents=tuple(given),
        reporter=case.reporter_name,
    )
    if level < Visibility.FULL:
        return with_facts
    parts = opened if opened is not None else SealedParts.of(facts)
    return replace(
        with_facts,
        acts_other=parts.acts_other,
        summary=parts.summary,
        target_names=parts.target_names,
        organisations=parts.organisations,
    )
