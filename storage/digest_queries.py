"""The queries a digest needs, without unsealing anything: facts and counts only.

Digests cover every case of a period (100,000 cases must build in under two seconds), so
cases are read with Core selects of their fact columns, never as ORM objects with their keys.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, distinct, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from storage.confidentiality import RESTRICTED, effective_sql
from storage.models import (
    CaseActionRow,
    CaseActRow,
    CaseCommitteeRow,
    CaseRow,
    TargetRow,
)
from storage.records import CaseRecord, Consents, NewCase

_CHUNK = 5000  # ids per IN (...) list: under every engine's limit on bound parameters
_FACT_COLUMNS = (
    CaseRow.id,
    CaseRow.reference,
    CaseRow.reporter_id,
    CaseRow.state_party,
    CaseRow.lead_committee,
    CaseRow.received_on,
    CaseRow.source,
    CaseRow.cooperation,
    CaseRow.timing,
    CaseRow.target_type,
    CaseRow.target_count,
    CaseRow.urgent,
    CaseRow.confidentiality,
    CaseRow.consent_share_committees,
    CaseRow.consent_share_asg,
    CaseRow.consent_name_to_state,
    CaseRow.consent_publish,
    CaseRow.stage,
    CaseRow.created_at,
    CaseRow.updated_at,
    CaseRow.erased_at,
    CaseRow.reply_due_on,
    CaseRow.closed_on,
    CaseRow.outcome,
)


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """A case as digests read it: the record the policy judges (no names, no summary), and
    the follow-up columns."""

    case: CaseRecord
    reply_due_on: dt.date | None
    closed_on: dt.date | None
    outcome: str | None


@dataclass(frozen=True, slots=True)
class ActionFacts:
    case_id: int
    kind: str
    taken_on: dt.date
    committees: tuple[str, ...]
    detail: dict[str, object]


class DigestQueries:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def received_between(self, start: dt.date, end: dt.date) -> list[CaseFacts]:
        """Cases received from `start` (included) to `end` (excluded)."""
        return await self._facts(
            select(*_FACT_COLUMNS).where(CaseRow.received_on >= start, CaseRow.received_on < end)
        )

    async def closed_between(self, start: dt.date, end: dt.date) -> list[CaseFacts]:
        return await self._facts(
            select(*_FACT_COLUMNS).where(CaseRow.closed_on >= start, CaseRow.closed_on < end)
        )

    async def open_with_reply_due_before(
        self, day: dt.date, *, committee: str | None = None, limit: int | None = None
    ) -> list[CaseFacts]:
        """Open cases whose State reply was due before `day` (the most recently due first),
        concerning `committee` if given."""
        query = select(*_FACT_COLUMNS).where(CaseRow.stage != "closed", CaseRow.reply_due_on < day)
        if committee is not None:
            query = query.where(_concerns(committee))
        return await self._facts(query, latest=CaseRow.reply_due_on, limit=limit)

    async def count_open_with_reply_due_before(
        self, day: dt.date, *, committee: str | None = None
    ) -> int:
        query = select(func.count()).where(CaseRow.stage != "closed", CaseRow.reply_due_on < day)
        if committee is not None:
            query = query.where(_concerns(committee))
        return await self._session.scalar(query) or 0

    async def open_with_reply_due_between(self, start: dt.date, end: dt.date) -> list[CaseFacts]:
        return await self._facts(
            select(*_FACT_COLUMNS).where(
                CaseRow.stage != "closed",
                CaseRow.reply_due_on >= start,
                CaseRow.reply_due_on < end,
            )
        )

    async def open_received_before(self, day: dt.date) -> list[CaseFacts]:
        """Every case still open at `day` (received before it, not closed before it)."""
        return await self._facts(
            select(*_FACT_COLUMNS).where(
                CaseRow.received_on < day,
                (CaseRow.closed_on.is_(None)) | (CaseRow.closed_on >= day),
            )
        )

    async def open_in_stages(
        self, stages: Sequence[str], day: dt.date, *, limit: int | None = None
    ) -> list[CaseFacts]:
        """Open cases received before `day` that are in one of `stages` (the latest first)."""
        query = select(*_FACT_COLUMNS).where(CaseRow.stage.in_(stages), CaseRow.received_on < day)
        return await self._facts(query, latest=CaseRow.received_on, limit=limit)

    async def count_in_stages(self, stages: Sequence[str], day: dt.date) -> int:
        query = select(func.count()).where(CaseRow.stage.in_(stages), CaseRow.received_on < day)
        return await self._session.scalar(query) or 0

    async def open_concerning(
        self, committees: Sequence[str] | None, *, limit: int
    ) -> list[CaseFacts]:
        """Open cases led by or concerning any of `committees` (every open case if None), the
        latest first."""
        query = select(*_FACT_COLUMNS).where(CaseRow.stage != "closed")
        if committees is not None:
            concerned = [_concerns(code) for code in committees]
            query = query.where(or_(*concerned)) if concerned else query.where(false())
        return await self._facts(query, latest=CaseRow.received_on, limit=limit)

    async def by_ids(self, ids: Iterable[int], *, committee: str | None = None) -> list[CaseFacts]:
        """These cases (those concerning `committee` only, if given)."""
        found: list[CaseFacts] = []
        wanted = sorted(set(ids))
        for at in range(0, len(wanted), _CHUNK):
            query = select(*_FACT_COLUMNS).where(CaseRow.id.in_(wanted[at : at + _CHUNK]))
            if committee is not None:
                query = query.where(_concerns(committee))
            found += await self._facts(query)
        return found

    async def actions_between(self, start: dt.date, end: dt.date) -> list[ActionFacts]:
        rows = await self._session.execute(
            select(
                CaseActionRow.case_id,
                CaseActionRow.kind,
                CaseActionRow.taken_on,
                CaseActionRow.committees,
                CaseActionRow.detail,
            )
            .where(CaseActionRow.taken_on >= start, CaseActionRow.taken_on < end)
            .order_by(CaseActionRow.taken_on, CaseActionRow.id)
        )
        return [
            ActionFacts(case_id, kind, taken_on, tuple(committees or ()), dict(detail or {}))
            for case_id, kind, taken_on, committees, detail in rows
        ]

    async def cases_with_action(self, kind: str) -> set[int]:
        """The cases that have had an action of `kind` at any time."""
        query = select(CaseActionRow.case_id).distinct().where(CaseActionRow.kind == kind)
        return set(await self._session.scalars(query))

    async def received_per_day(self, start: dt.date, end: dt.date) -> dict[dt.date, int]:
        """How many cases were received on each day that had any."""
        rows = await self._session.execute(
            select(CaseRow.received_on, func.count())
            .where(CaseRow.received_on >= start, CaseRow.received_on < end)
            .group_by(CaseRow.received_on)
        )
        return {day: count for day, count in rows}

    async def committees_per_state(self, start: dt.date, end: dt.date) -> dict[str, set[str]]:
        """For cases received in the period and not restricted: the committees before which
        each State has cases."""
        shared = (
            CaseRow.received_on >= start,
            CaseRow.received_on < end,
            effective_sql() != RESTRICTED,
        )
        found: dict[str, set[str]] = defaultdict(set)
        lead = select(CaseRow.state_party, CaseRow.lead_committee).where(*shared).distinct()
        for state, code in await self._session.execute(lead):
            found[state].add(code)
        others = (
            select(CaseRow.state_party, CaseCommitteeRow.committee_code)
            .join(CaseRow, CaseRow.id == CaseCommitteeRow.case_id)
            .where(*shared)
            .distinct()
        )
        for state, code in await self._session.execute(others):
            found[state].add(code)
        return dict(found)

    async def repeated_targets(
        self, start: dt.date, end: dt.date, *, shared_only: bool = False
    ) -> list[list[int]]:
        """Groups of cases received in the period that name the same person or organisation
        (by the keyed name index), each group's case ids in order; with `shared_only`, among
        cases shared between committees."""
        in_period = select(CaseRow.id).where(
            CaseRow.received_on >= start, CaseRow.received_on < end
        )
        if shared_only:
            in_period = in_period.where(effective_sql() != RESTRICTED)
        repeated = (
            select(TargetRow.name_index)
            .where(TargetRow.name_index.is_not(None), TargetRow.name_index != "")
            .where(TargetRow.case_id.in_(in_period))
            .group_by(TargetRow.name_index)
            .having(func.count(distinct(TargetRow.case_id)) > 1)
        )
        rows = await self._session.execute(
            select(TargetRow.name_index, TargetRow.case_id)
            .where(TargetRow.name_index.in_(repeated), TargetRow.case_id.in_(in_period))
            .distinct()
            .order_by(TargetRow.name_index, TargetRow.case_id)
        )
        groups: dict[str, list[int]] = defaultdict(list)
        for index, case_id in rows:
            groups[str(index)].append(case_id)
        return sorted(groups.values())

    async def _facts(
        self,
        query: Select[*tuple[Any, ...]],
        *,
        latest: InstrumentedAttribute[Any] | None = None,
        limit: int | None = None,
    ) -> list[CaseFacts]:
        if latest is not None:
            query = query.order_by(latest.desc(), CaseRow.id.desc())
        else:
            query = query.order_by(CaseRow.id)
        if limit is not None:
            query = query.limit(limit)
        rows = (await self._session.execute(query)).all()
        # The committees and acts of those same cases: the database joins on the same filter
        # (no long lists of ids to bind).
        chosen = select(query.with_only_columns(CaseRow.id).subquery().c.id)
        others: dict[int, list[str]] = defaultdict(list)
        shared: dict[int, list[str]] = defaultdict(list)
        concerned = select(
            CaseCommitteeRow.case_id, CaseCommitteeRow.committee_code, CaseCommitteeRow.shared_at
        ).where(CaseCommitteeRow.case_id.in_(chosen))
        for case_id, code, shared_at in await self._session.execute(concerned):
            others[case_id].append(code)
            if shared_at is not None:
                shared[case_id].append(code)
        acts: dict[int, list[str]] = defaultdict(list)
        alleged = select(CaseActRow.case_id, CaseActRow.act).where(CaseActRow.case_id.in_(chosen))
        for case_id, act in await self._session.execute(alleged):
            acts[case_id].append(act)
        return [
            _facts(
                row,
                tuple(sorted(others.get(row.id, ()))),
                tuple(sorted(acts.get(row.id, ()))),
                tuple(sorted(shared.get(row.id, ()))),
            )
            for row in rows
        ]


def _concerns(committee: str) -> ColumnElement[bool]:
    """The case is led by `committee`, or concerns it."""
    others = select(CaseCommitteeRow.case_id).where(CaseCommitteeRow.committee_code == committee)
    return (CaseRow.lead_committee == committee) | CaseRow.id.in_(others)


def _facts(
    r: Row[*tuple[Any, ...]],
    others: tuple[str, ...],
    acts: tuple[str, ...],
    shared: tuple[str, ...],
) -> CaseFacts:
    """A Row of _FACT_COLUMNS, as the record the policy reads."""
    facts = NewCase(
        state_party=r.state_party,
        lead_committee=r.lead_committee,
        other_committees=others,
        received_on=r.received_on,
        source=r.source,
        cooperation=r.cooperation,
        timing=r.timing,
        target_type=r.target_type,
        target_count=r.target_count,
        target_names=(),
        organisations=(),
        acts=acts,
        acts_other=None,
        summary="",
        urgent=r.urgent,
        confidentiality=r.confidentiality,
        consents=Consents(
            share_committees=r.consent_share_committees,
            share_asg=r.consent_share_asg,
            name_to_state=r.consent_name_to_state,
            publish=r.consent_publish,
        ),
    )
    case = CaseRecord(
        id=r.id,
        reference=r.reference,
        reporter_id=r.reporter_id,
        reporter_name="",
        stage=r.stage,
        created_at=r.created_at,
        updated_at=r.updated_at,
        facts=facts,
        erased=r.erased_at is not None,
        reply_due_on=r.reply_due_on,
        closed_on=r.closed_on,
        outcome=r.outcome,
        shared_with=shared,
    )
    return CaseFacts(case, r.reply_due_on, r.closed_on, r.outcome)
