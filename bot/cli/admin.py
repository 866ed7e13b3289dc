"""Operator commands on the command line: keys, erasure, and the audit trail."""

from __future__ import annotations

import asyncio
import datetime as dt
import getpass
import os
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.cli.spreadsheet import to_csv
from bot.keys import load_keyring
from bot.rendering.template_table import template_for
from bot.services import build_services
from bot.settings import Settings
from commands import erase, export
from commands.dispatch import COMMANDS, dispatch
from commands.errors import CommandError
from commands.invocation import Dependencies, Invocation
from commands.results import Result
from commands.roles import Role, RoleKind
from commands.trail import Operator
from storage import backup as storage_backup
from storage.audit import rewrap_sealed_keys
from storage.audit_chain import rekey_chain
from storage.checkpoints import read_checkpoints, save_checkpoint
from storage.crypto import KeyRing, generate_master_key
from storage.engine import create_engine, session_factory
from storage.schema import ensure_current
from storage.uow import UnitOfWork

Write = Callable[[str], None]


def operator() -> Operator:
    """Whoever runs this command acts as the secretariat; the audit trail names their login."""
    try:
        login = getpass.getuser()
    except OSError:  # no name for this uid (a bare container)
        login = f"uid {os.getuid()}"
    return Operator(
        person_id=0,
        name=f"operator {login}",
        roles=frozenset({Role(RoleKind.SECRETARIAT)}),
        login=login,
        host=socket.gethostname(),
    )


def keys_generate(write: Write) -> int:
    write(generate_master_key() + "\n")
    sys.stderr.write(
        "This is a new master key. Put it first in REPRISAL_BOT_MASTER_KEY (or the key file), "
        "followed by the current one, restart, then run `reprisal-bot keys rotate`.\n"
    )
    return 0


async def keys_rotate(settings: Settings, write: Write) -> int:
    """Re-seal every data key under the first master key, in small committed batches."""
    keyring, _ = load_keyring(settings, local_fallback=False)
    engine = create_engine(settings.database_url)
    try:
        await ensure_current(engine)
        sessions = session_factory(engine)
        total = 0
        while True:
            async with UnitOfWork(sessions, keyring) as uow:
                done = await uow.cases.rewrap_keys(batch=200)
                await uow.commit()
            total += done
            if done == 0:
                break
        async with sessions() as session:
            others = await rewrap_sealed_keys(session, keyring)
            await session.commit()
        trail = await _rekey_trail(settings, keyring, sessions)
    finally:
        await engine.dispose()
    write(
        f"Re-sealed {total} case keys and {others} other keys with master key "
        f"{keyring.primary.key_id!r}. "
    )
    if trail is not None:
        write(
            f"The audit trail was NOT moved to the new key ({trail}): keep the older master "
            "key and run `reprisal-bot audit verify`.\n"
        )
        return 1
    write("The audit trail is sealed with the new key too. The older keys can now be removed.\n")
    return 0


async def _rekey_trail(
    settings: Settings, keyring: KeyRing, sessions: async_sessionmaker[AsyncSession]
) -> str | None:
    """Re-MAC the audit chain under the new primary key and anchor it; the problem, if any."""
    async with sessions() as session:
        problem = await rekey_chain(session, keyring)
        if problem is not None:
            await session.rollback()
            return problem
        await session.commit()
    now = dt.datetime.now(dt.UTC)
    await save_checkpoint(UnitOfWork(sessions, keyring), keyring, settings.checkpoint_path, now=now)
    return None


async def audit_verify(settings: Settings, write: Write) -> int:
    """Check the chain, its head and the checkpoints kept outside the database."""
    keyring, _ = load_keyring(settings, local_fallback=False)
    log = await asyncio.to_thread(read_checkpoints, settings.checkpoint_path, keyring)
    engine = create_engine(settings.database_url)
    try:
        await ensure_current(engine)
        async with UnitOfWork(session_factory(engine), keyring) as uow:
            verdict = await uow.audit.verify(log.anchors)
    finally:
        await engine.dispose()
    problem = verdict.problem or (f"the checkpoint file: {log.problem}" if log.problem else None)
    if problem is None:
        write(f"The audit trail is intact: {verdict.entries} entries.\n")
        if not log.exists:
            write(
                f"No checkpoint file at {log.path} yet: a wiped or rolled-back trail is "
                "detected from the first checkpoint on.\n"
            )
        return 0
    write(
        f"The audit trail is NOT intact: {problem}. "
        f"({verdict.entries} entries verified before it.)\n"
    )
    return 1


async def as_operator(settings: Settings, verb: str, args: tuple[str, ...], write: Write) -> int:
    """Run a secretariat command (audit) from the shell, rendered as text."""
    return await _as_operator(
        settings, lambda core: dispatch(Invocation(operator(), verb, args), core, COMMANDS), write
    )


async def erase_case(settings: Settings, reference: str, write: Write) -> int:
    """`reprisal-bot case erase REF`, once confirmed on the command line: erase the case."""
    return await _as_operator(
        settings, lambda core: erase.confirm(reference, actor=operator(), core=core), write
    )


async def _as_operator(
    settings: Settings, act: Callable[[Dependencies], Awaitable[Result]], write: Write
) -> int:
    keyring, _ = load_keyring(settings, local_fallback=False)
    services = await build_services(settings, keyring)
    try:
        result = await act(services.core("console"))
        write(services.renderer.text(f"text/{template_for(result)}.md.j2", result=result))
        return 0
    except CommandError as problem:
        write(problem.message + "\n")
        return 1
    finally:
        await services.close()


async def export_cases(settings: Settings, out: BinaryIO) -> int:
    """`reprisal-bot export cases`: CSV for the annual reports, facts only, formulas neutralised;
    UTF-8 with a BOM whatever the terminal's encoding."""
    keyring, _ = load_keyring(settings, local_fallback=False)
    services = await build_services(settings, keyring)
    try:
        rows = await export.cases(actor=operator(), core=services.core("console"))
    finally:
        await services.close()
    out.write(to_csv(export.COLUMNS, rows).encode("utf-8"))
    out.flush()
    return 0


async def backup(settings: Settings, target: Path, write: Write) -> int:
    pages = await asyncio.to_thread(storage_backup.backup, settings.database_url, target)
    write(
        f"Backed up {pages} pages to {target}. It holds sealed data: keep the master key "
        "separately, and both safe.\n"
    )
    return 0


async def restore(settings: Settings, source: Path, *, replace: bool, write: Write) -> int:
    """Restore, then prove it: schema, audit chain, and every case opened with the key."""
    await asyncio.to_thread(storage_backup.restore, source, settings.database_url, replace=replace)
    keyring, _ = load_keyring(settings, local_fallback=False)
    engine = create_engine(settings.database_url)
    try:
        await ensure_current(engine)
        async with UnitOfWork(session_factory(engine), keyring) as uow:
            cases = await uow.cases.open_every()
            verdict = await uow.audit.verify()
        if verdict.intact:
            back = await _mark_restore(settings, keyring, session_factory(engine))
    finally:
        await engine.dispose()
    write(
        f"Restored {source}: {cases} cases, all readable with the master key; "
        f"audit trail {'intact' if verdict.intact else 'NOT intact: ' + str(verdict.problem)}"
        f" ({verdict.entries} entries).\n"
    )
    if verdict.intact and back:
        write(f"{back}\n")
    return 0 if verdict.intact else 1


async def _mark_restore(
    settings: Settings, keyring: KeyRing, sessions: async_sessionmaker[AsyncSession]
) -> str | None:
    """A restore puts the trail back on purpose: say so in the checkpoint file (a signed
    `restore` line), so later checks start from the restored head; what to tell the operator."""
    path = settings.checkpoint_path
    log = await asyncio.to_thread(read_checkpoints, path, keyring)
    async with UnitOfWork(sessions, keyring) as uow:
        behind = await uow.audit.verify(log.anchors)
    kind = "checkpoint" if behind.intact else "restore"
    now = dt.datetime.now(dt.UTC)
    await save_checkpoint(UnitOfWork(sessions, keyring), keyring, path, now=now, kind=kind)
    if behind.intact:
        return None
    return (
        f"The trail is older than its last checkpoint ({behind.problem}): "
        f"the restore is recorded in {path}."
    )
