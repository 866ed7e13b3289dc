"""The audit trail: append-only, each entry chained to the one before by an HMAC."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.crypto import KeyRing
from storage.models import AuditHeadRow, AuditRow, SealedKeyRow
from storage.sealed_keys import sealed_key

AUDIT_KEY = "audit-hmac"


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


@dataclass(frozen=True, slots=True)
class Verdict:
    entries: int
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


class AuditRepository:
    def __init__(self, session: AsyncSession, keyring: KeyRing) -> None:
        self._session = session
        self._keyring = keyring
        self._key: bytes | None = None

    async def append(self, entry: AuditEntry) -> None:
        """Chain the entry after the current head (the head row is locked until commit)."""
        # The head row (seeded by the first migration) is locked first: appends take turns.
        head = await self._session.scalar(
            select(AuditHeadRow).where(AuditHeadRow.id == 1).with_for_update()
        )
        assert head is not None, "the audit head is seeded by the first migration"
        key = await self._audit_key(create=True)
        assert key is not None
        seq = head.seq + 1
        mac = _mac(key, head.mac, seq, entry)
        self._session.add(
            AuditRow(
                seq=seq,
                at=entry.at,
                actor_id=entry.actor_id,
                action=entry.action,
                case_id=entry.case_id,
                decision=entry.decision,
                surface=entry.surface,
                detail=entry.detail,
                mac=mac,
            )
        )
        head.seq, head.mac, head.head_mac = seq, mac, _head_mac(key, seq, mac)
        await self._session.flush()

    async def for_case(self, case_id: int) -> list[AuditEntry]:
        rows = await self._session.scalars(
            select(AuditRow).where(AuditRow.case_id == case_id).order_by(AuditRow.seq)
        )
        return [_entry(row) for row in rows]

    async def verify(self) -> Verdict:
        """Walk the chain; the first entry that was edited, deleted, inserted or moved, or a
        truncated tail, is named."""
        key = await self._audit_key(create=False)
        head = await self._session.get(AuditHeadRow, 1)
        if key is None:
            # No entry was ever committed: the key is made, and kept, with the first one.
            empty = head is not None and head.seq == 0 and not await self._any()
            return Verdict(0, None if empty else "entries exist but the trail's key is missing")
        previous, expected, count = "", 1, 0
        async for row in self._rows():
            if row.seq != expected:
                where = "deleted" if row.seq > expected else "duplicated or reordered"
                return Verdict(count, f"entry {expected}: {where} (found entry {row.seq} next)")
            if not hmac.compare_digest(row.mac, _mac(key, previous, row.seq, _entry(row))):
                return Verdict(count, f"entry {row.seq}: altered, inserted or moved")
            previous, expected, count = row.mac, expected + 1, count + 1
        if head is None or head.seq == 0:
            return Verdict(count, "the trail's head record was removed or reset")
        if not hmac.compare_digest(head.head_mac, _head_mac(key, head.seq, head.mac)):
            return Verdict(count, "the trail's head record was altered")
        if head.seq != count or head.mac != previous:
            return Verdict(count, f"entries after {count} are missing (the trail had {head.seq})")
        return Verdict(count)

    async def _rows(self) -> AsyncIterator[AuditRow]:
        result = await self._session.stream_scalars(
            select(AuditRow).order_by(AuditRow.seq).execution_options(yield_per=500)
        )
        async for row in result:
            yield row

    async def _any(self) -> bool:
        return await self._session.scalar(select(AuditRow.seq).limit(1)) is not None

    async def _audit_key(self, *, create: bool) -> bytes | None:
        """The chain's HMAC key: random, kept sealed by the master key in `sealed_keys`."""
        if self._key is not None:
            return self._key
        key = await sealed_key(self._session, self._keyring, AUDIT_KEY, create=create)
        if key is None:
            return None
        self._key = key
        return key


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


def _canonical(seq: int, entry: AuditEntry) -> bytes:
    return json.dumps(
        [
            seq,
            entry.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            entry.actor_id,
            entry.action,
            entry.case_id,
            entry.decision,
            entry.surface,
            entry.detail,
        ],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    ).encode()


def _mac(key: bytes, previous: str, seq: int, entry: AuditEntry) -> str:
    return hmac.new(
        key, previous.encode() + b"|" + _canonical(seq, entry), hashlib.sha256
    ).hexdigest()


def _head_mac(key: bytes, seq: int, mac: str) -> str:
    return hmac.new(key, f"head|{seq}|{mac}".encode(), hashlib.sha256).hexdigest()


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
