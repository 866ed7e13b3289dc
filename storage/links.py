"""Links between related cases, and the search for cases that may be related."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CaseLinkRow, CaseRow, TargetRow

MOST_RECENT = 100  # candidates of each kind: the search runs with every report


class LinkRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def link(self, a: int, b: int, *, by: int | None, now: dt.datetime) -> bool:
        """Link two cases; False if they were linked already (or are the same case)."""
        if a == b:
            return False
        low, high = sorted((a, b))
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        result = await self._session.execute(
            insert(CaseLinkRow)
            .values(case_id=low, other_id=high, linked_by=by, linked_at=now)
            .on_conflict_do_nothing()
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def linked_to(self, case_id: int) -> list[int]:
        """The ids of the cases linked to `case_id`, in order."""
        rows = await self._session.execute(
            select(CaseLinkRow.case_id, CaseLinkRow.other_id).where(
                or_(CaseLinkRow.case_id == case_id, CaseLinkRow.other_id == case_id)
            )
        )
        return sorted(b if a == case_id else a for a, b in rows)

    async def possibly_related(
        self,
        case_id: int,
        *,
        state_party: str,
        committee: str,
        received_on: dt.date,
        days: int = 90,
    ) -> dict[int, str]:
        """Other cases of the same State that name the same person or organisation (by the
        keyed name index), or that concern the same lead committee within `days` of this
        one: case id -> why ("same_target" or "same_committee")."""
        names = select(TargetRow.name_index).where(
            TargetRow.case_id == case_id,
            TargetRow.name_index.is_not(None),
            TargetRow.name_index != "",
        )
        same_target = await self._session.scalars(
            select(TargetRow.case_id)
            .join(CaseRow, CaseRow.id == TargetRow.case_id)
            .where(
                TargetRow.name_index.in_(names),
                CaseRow.state_party == state_party,
                CaseRow.id != case_id,
            )
            .distinct()
            .order_by(TargetRow.case_id.desc())
            .limit(MOST_RECENT)
        )
        found = {other: "same_target" for other in same_target}
        window = dt.timedelta(days=days)
        nearby = await self._session.scalars(
            select(CaseRow.id)
            .where(
                CaseRow.state_party == state_party,
                CaseRow.lead_committee == committee,
                CaseRow.id != case_id,
                CaseRow.received_on >= received_on - window,
                CaseRow.received_on <= received_on + window,
            )
            .order_by(CaseRow.id.desc())
            .limit(MOST_RECENT)
        )
        for other in nearby:
            found.setdefault(other, "same_committee")
        return dict(sorted(found.items()))
