"""The audit trail: append-only, each entry chained to the one before by an HMAC."""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.audit_chain import ChainKeys, chain_keys, entry_mac, head_mac
from storage.audit_verdict import Verdict, Walk, judge
from storage.checkpoints import Checkpoint
from storage.crypto import KeyRing
from storage.errors import StorageError
from storage.models import AuditHeadRow, AuditRow, SealedKeyRow


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """Who did what to which case, on which surface, and whether it was allowed. Ids only."""

    at: dt.datetime
    actor_id: int | None
    action: str
    case_id: int | None
    decision: str
    surface: str
    detail: dict[str, object] = field(default_factory=dict)
    seq: int = 0


class AuditRepository:
    def __init__(self, session: AsyncSession, keyring: KeyRing) -> None:
        self._session = session
        self._keyring = keyring

    async def append(self, entry: AuditEntry) -> None:
        """Chain the entry after the current head (the head row is locked until commit)."""
        head = await self._locked_head()
        keys = await chain_keys(self._session, self._keyring, create=True, head_seq=head.seq)
        seq = head.seq + 1
        row = AuditRow(
            seq=seq,
            at=entry.at,
            actor_id=entry.actor_id,
            action=entry.action,
            case_id=entry.case_id,
            decision=entry.decision,
            surface=entry.surface,
            detail=entry.detail,
        )
        row.mac = entry_mac(keys.for_seq(seq), head.mac, row)
        self._session.add(row)
        head.seq, head.mac = seq, row.mac
        head.head_mac = head_mac(keys.for_seq(seq), seq, row.mac)
        await self._session.flush()

    async def anchor(self) -> tuple[int, str, str] | None:
        """The head to anchor outside (seq, mac, chain key id); None if the trail is empty or
        its head's seal is broken (a broken head is never vouched for)."""
        head = await self._locked_head()
        if head.seq == 0:
            return None
        keys = await chain_keys(self._session, self._keyring, create=True, head_seq=head.seq)
        expected = head_mac(keys.for_seq(head.seq), head.seq, head.mac)
        if not hmac.compare_digest(head.head_mac, expected):
            return None
        return head.seq, head.mac, keys.key_id

    async def for_case(self, case_id: int) -> list[AuditEntry]:
        rows = await self._session.scalars(
            select(AuditRow).where(AuditRow.case_id == case_id).order_by(AuditRow.seq)
        )
        return [_entry(row) for row in rows]

    async def verify(self, anchors: Sequence[Checkpoint] = ()) -> Verdict:
        """Walk the chain; the first entry that was edited, deleted, inserted or moved is
        named, and a wiped, truncated or rolled-back trail (against the head and `anchors`)."""
        keys = await chain_keys(self._session, self._keyring, create=False)
        head = await self._session.get(AuditHeadRow, 1)
        walk = await self._walk(keys, {a.seq for a in anchors if a.key_id == keys.key_id})
        return judge(walk, head, keys, anchors)

    async def _walk(self, keys: ChainKeys, wanted: set[int]) -> Walk:
        previous, count, macs = "", 0, dict[int, str]()
        async for row in self._rows():
            if row.seq != count + 1:
                where = "deleted" if row.seq > count + 1 else "duplicated or reordered"
                problem = f"entry {count + 1}: {where} (found entry {row.seq} next)"
                return Walk(count, previous, macs, problem)
            if not hmac.compare_digest(row.mac, entry_mac(keys.for_seq(row.seq), previous, row)):
                return Walk(count, previous, macs, f"entry {row.seq}: altered, inserted or moved")
            if row.seq in wanted:
                macs[row.seq] = row.mac
            previous, count = row.mac, row.seq
        return Walk(count, previous, macs)

    async def _locked_head(self) -> AuditHeadRow:
        # The head row (seeded by the first migration) is locked first: appends take turns.
        head = await self._session.scalar(
            select(AuditHeadRow).where(AuditHeadRow.id == 1).with_for_update()
        )
        if head is None:
            raise StorageError("the audit trail's head record is missing: run `audit verify`")
        return head

    async def _rows(self) -> AsyncIterator[AuditRow]:
        result = await self._session.stream_scalars(
            select(AuditRow).order_by(AuditRow.seq).execution_options(yield_per=500)
        )
        async for row in result:
            yield row


async def rewrap_sealed_keys(session: AsyncSession, keyring: KeyRing) -> int:
    """Re-seal the bot's other keys under the primary master key."""
    count = 0
    for row in await session.scalars(select(SealedKeyRow)):
        if row.master_key_id != keyring.primary.key_id:
            key = keyring.unwrap(row.master_key_id, row.wrapped, row.name)
            row.master_key_id, row.wrapped = keyring.wrap(key, row.name)
            count += 1
    await session.flush()
    return count


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        at=row.at,
        actor_id=row.actor_id,
        action=row.action,
        case_id=row.case_id,
        decision=row.decision,
        surface=row.surface,
        detail=dict(row.detail),
        seq=row.seq,
    )
