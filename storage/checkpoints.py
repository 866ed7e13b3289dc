"""The audit trail's anchor outside the database: an append-only file of signed checkpoints
(time, kind, seq, mac, the chain's master key id, signature), so a wiped, truncated or
rolled-back trail no longer matches what was seen before."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from storage.crypto import KeyRing

if TYPE_CHECKING:
    from storage.uow import UnitOfWork

CHECKPOINT_LABEL = "audit-checkpoint"
KINDS = ("checkpoint", "restore")  # a restore line starts the history over, on purpose


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The trail's head as seen at `at`: entry `seq` had `mac` under the chain key `key_id`."""

    at: dt.datetime
    kind: str
    seq: int
    mac: str
    key_id: str

    @property
    def when(self) -> str:
        return self.at.isoformat(timespec="seconds")

    def fields(self) -> list[str]:
        return [self.when, self.kind, str(self.seq), self.mac, self.key_id]


@dataclass(frozen=True, slots=True)
class CheckpointLog:
    """The genuine checkpoints since the last restore; a problem if a line was altered."""

    path: Path
    exists: bool
    anchors: tuple[Checkpoint, ...] = ()
    problem: str | None = None


def default_checkpoint_path(database_url: str) -> Path:
    """Beside an SQLite database; for PostgreSQL, in the working directory, by database name."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(f"{url.database}.audit-checkpoints")
    return Path(f"reprisal-bot-{url.database or 'memory'}.audit-checkpoints")


def append_checkpoint(path: Path, checkpoint: Checkpoint, keyring: KeyRing) -> None:
    """Append one signed line (the file is created 0600) and make it durable."""
    fields = checkpoint.fields()
    line = "\t".join([*fields, _signature(keyring, checkpoint.key_id, fields)]) + "\n"
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line.encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def read_checkpoints(path: Path, keyring: KeyRing) -> CheckpointLog:
    """Every line checked; lines signed with a master key no longer configured are skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return CheckpointLog(path, exists=False)
    anchors: list[Checkpoint] = []
    for number, line in enumerate(lines, 1):
        fields = line.split("\t")
        checkpoint = _parse(fields)
        if checkpoint is None or (
            checkpoint.key_id in keyring.key_ids
            and not hmac.compare_digest(
                fields[5], _signature(keyring, checkpoint.key_id, fields[:5])
            )
        ):
            return CheckpointLog(path, True, (), f"line {number} of {path} was altered")
        if checkpoint.key_id not in keyring.key_ids:
            continue
        anchors = [checkpoint] if checkpoint.kind == "restore" else [*anchors, checkpoint]
    return CheckpointLog(path, True, tuple(anchors))


async def save_checkpoint(
    uow: UnitOfWork, keyring: KeyRing, path: Path, *, now: dt.datetime, kind: str = "checkpoint"
) -> Checkpoint | None:
    """Anchor the trail's current head in the file; None if the trail is empty."""
    async with uow as work:
        head = await work.audit.anchor()
        await work.commit()
    if head is None:
        return None
    checkpoint = Checkpoint(now, kind, *head)
    await asyncio.to_thread(append_checkpoint, path, checkpoint, keyring)
    return checkpoint


def _parse(fields: list[str]) -> Checkpoint | None:
    if len(fields) != 6 or fields[1] not in KINDS or not fields[2].isdigit():
        return None
    try:
        at = dt.datetime.fromisoformat(fields[0])
    except ValueError:
        return None
    return Checkpoint(at, fields[1], int(fields[2]), fields[3], fields[4])


def _signature(keyring: KeyRing, key_id: str, fields: list[str]) -> str:
    key = keyring.derive(CHECKPOINT_LABEL, key_id)
    return hmac.new(key, "\t".join(fields).encode(), hashlib.sha256).hexdigest()
