"""The audit chain's keys: derived from a master key, never stored. A database whose chain
began under the old random key sealed in `sealed_keys` keeps that key for its first entries
(up to a recorded seq) until `keys rotate` re-MACs the whole chain under a derived key."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.crypto import KeyRing
from storage.models import AuditHeadRow, AuditRow, DatabaseMarkRow, SealedKeyRow
from storage.sealed_keys import sealed_key

CHAIN_MARK = "audit-chain"
CHAIN_LABEL = "audit-chain"
LEGACY_KEY = "audit-hmac"  # the random key older versions sealed in the database
NEVER = 2**62


@dataclass(frozen=True, slots=True)
class ChainKeys:
    """Entries up to `legacy_until` are under the legacy key; later ones, and the head once
    past it, under the key derived from master key `key_id`."""

    key_id: str
    derived: bytes
    legacy: bytes | None = None
    legacy_until: int = 0

    def for_seq(self, seq: int) -> bytes:
        if self.legacy is not None and seq <= self.legacy_until:
            return self.legacy
        return self.derived


async def chain_keys(
    session: AsyncSession, keyring: KeyRing, *, create: bool, head_seq: int = 0
) -> ChainKeys:
    """The chain's keys as recorded; with `create` (the head locked), a chain without a record
    is recorded under the primary master key, its legacy entries (up to `head_seq`) kept."""
    mark = await session.get(DatabaseMarkRow, CHAIN_MARK)
    legacy = await sealed_key(session, keyring, LEGACY_KEY, create=False)
    if mark is not None:
        key_id, _, recorded = mark.value.partition(";legacy-until=")
        return _keys(keyring, key_id, legacy, int(recorded or 0))
    key_id = keyring.primary.key_id
    if not create:
        # Never recorded: an older database (all of it legacy) or a new one (none of it).
        return _keys(keyring, key_id, legacy, NEVER if legacy else 0)
    until = head_seq if legacy is not None else 0
    await _record(session, key_id, until, now=dt.datetime.now(dt.UTC))
    return _keys(keyring, key_id, legacy, until)


def _keys(keyring: KeyRing, key_id: str, legacy: bytes | None, until: int) -> ChainKeys:
    derived = keyring.derive(CHAIN_LABEL, key_id)
    return ChainKeys(key_id, derived, legacy if until else None, until)


async def _record(session: AsyncSession, key_id: str, until: int, *, now: dt.datetime) -> None:
    value = f"{key_id};legacy-until={until}" if until else key_id
    mark = await session.get(DatabaseMarkRow, CHAIN_MARK)
    if mark is None:
        session.add(DatabaseMarkRow(name=CHAIN_MARK, value=value, marked_at=now))
    else:
        mark.value, mark.marked_at = value, now
    await session.flush()


async def rekey_chain(session: AsyncSession, keyring: KeyRing) -> str | None:
    """Re-MAC every entry and the head under the primary master key's derived key, after
    checking each under the old keys; the problem (nothing changed) if the chain is broken."""
    head = await session.scalar(select(AuditHeadRow).where(AuditHeadRow.id == 1).with_for_update())
    if head is None:
        return "the trail's head record is missing"
    old = await chain_keys(session, keyring, create=True, head_seq=head.seq)
    primary = keyring.primary.key_id
    if old.key_id == primary:
        return None  # already under this key (a legacy start stays until the key changes)
    new = _keys(keyring, primary, None, 0)
    previous_old, previous_new, seq = "", "", 0
    while True:
        rows = list(
            await session.scalars(
                select(AuditRow).where(AuditRow.seq > seq).order_by(AuditRow.seq).limit(500)
            )
        )
        if not rows:
            break
        for row in rows:
            if row.seq != seq + 1 or not hmac.compare_digest(
                row.mac, entry_mac(old.for_seq(row.seq), previous_old, row)
            ):
                return f"entry {seq + 1} does not verify"
            previous_old, seq = row.mac, row.seq
            row.mac = previous_new = entry_mac(new.derived, previous_new, row)
        await session.flush()
    if seq != head.seq or previous_old != head.mac:
        return f"the trail has {seq} entries but its head records {head.seq}"
    head.mac, head.head_mac = previous_new, head_mac(new.derived, seq, previous_new)
    await _record(session, primary, 0, now=dt.datetime.now(dt.UTC))
    legacy = await session.get(SealedKeyRow, LEGACY_KEY)
    if legacy is not None:
        await session.delete(legacy)
    await session.flush()
    return None


def canonical(row: AuditRow) -> bytes:
    """The entry as MACed: stable across engines and versions."""
    return json.dumps(
        [
            row.seq,
            row.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            row.actor_id,
            row.action,
            row.case_id,
            row.decision,
            row.surface,
            row.detail,
        ],
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    ).encode()


def entry_mac(key: bytes, previous: str, row: AuditRow) -> str:
    return hmac.new(key, previous.encode() + b"|" + canonical(row), hashlib.sha256).hexdigest()


def head_mac(key: bytes, seq: int, mac: str) -> str:
    return hmac.new(key, f"head|{seq}|{mac}".encode(), hashlib.sha256).hexdigest()
