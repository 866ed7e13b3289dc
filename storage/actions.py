"""Actions on a case: appended to `case_actions`, and the case's follow-up columns kept in step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.crypto import CaseCipher, KeyRing
from storage.models import CaseActionRow, CaseRow
from storage.sealed_keys import case_cipher


@dataclass(frozen=True, slots=True)
class NewAction:
    kind: str
    taken_on: dt.date
    actor_id: int | None
    committees: tuple[str, ...] = ()
    detail: dict[str, object] | None = None
    due_on: dt.date | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class ActionRecord:
    id: int
    case_id: int
    kind: str
    taken_on: dt.date
    actor_id: int | None
    committees: tuple[str, ...]
    detail: dict[str, object]
    due_on: dt.date | None
    note: str


@dataclass(frozen=True, slots=True)
class FollowUp:
    """The case's state after an action: its stage, when a reply is due, how it ended."""

    stage: str
    reply_due_on: dt.date | None
    closed_on: dt.date | None = None
    outcome: str | None = None


class ActionRepository:
    def __init__(self, session: AsyncSession, keyring: KeyRing) -> None:
        self._session = session
        self._keyring = keyring

    async def add(self, case_id: int, action: NewAction, *, now: dt.datetime) -> int:
        """Append the action (its note sealed with the case's key); its id."""
        row = CaseActionRow(
            case_id=case_id,
            kind=action.kind,
            taken_on=action.taken_on,
            actor_id=action.actor_id,
            committees=list(action.committees),
            detail=dict(action.detail or {}),
            due_on=action.due_on,
            created_at=now,
        )
        cipher = await self._cipher(case_id)
        self._session.add(row)
        await self._session.flush()
        if action.note and cipher is not None:
            row.note_sealed = cipher.seal(f"action/{row.id}/note", action.note)
            await self._session.flush()
        return row.id

    async def follow_up(self, case_id: int, state: FollowUp, *, now: dt.datetime) -> None:
        await self._session.execute(
            update(CaseRow)
            .where(CaseRow.id == case_id)
            .values(
                stage=state.stage,
                reply_due_on=state.reply_due_on,
                closed_on=state.closed_on,
                outcome=state.outcome,
                updated_at=now,
            )
        )

    async def for_case(self, case_id: int, *, notes: bool = False) -> list[ActionRecord]:
        """The case's actions in date order; their sealed notes opened only if `notes` (for a
        reader who sees the case in full), blank otherwise."""
        rows = await self._session.scalars(
            select(CaseActionRow)
            .where(CaseActionRow.case_id == case_id)
            .order_by(CaseActionRow.taken_on, CaseActionRow.id)
        )
        cipher = await self._cipher(case_id) if notes else None
        return [
            ActionRecord(
                id=r.id,
                case_id=r.case_id,
                kind=r.kind,
                taken_on=r.taken_on,
                actor_id=r.actor_id,
                committees=tuple(r.committees or ()),
                detail=dict(r.detail or {}),
                due_on=r.due_on,
                note=(
                    cipher.open(f"action/{r.id}/note", r.note_sealed)
                    if cipher and r.note_sealed
                    else ""
                ),
            )
            for r in rows
        ]

    async def _cipher(self, case_id: int) -> CaseCipher | None:
        return await case_cipher(self._session, self._keyring, case_id)
