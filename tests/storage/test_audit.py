"""The audit trail is append-only in effect: any edit, deletion, insertion, reordering or
truncation is detected, and the first bad entry is named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.cli import admin
from bot.settings import Settings
from storage.audit import AuditEntry
from storage.audit_chain import entry_mac, head_mac
from storage.checkpoints import save_checkpoint
from storage.crypto import KeyRing, generate_master_key
from storage.engine import session_factory
from storage.models import AuditHeadRow, AuditRow
from storage.sealed_keys import sealed_key
from storage.uow import UnitOfWork
from tests.conftest import MASTER_KEY

START = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
async def trail(engine, keyring):
    factory = session_factory(engine)

    def uow() -> UnitOfWork:
        return UnitOfWork(factory, keyring)

    await append(uow, range(1, 11))
    return uow


def entry(n: int) -> AuditEntry:
    return AuditEntry(
        at=START + dt.timedelta(minutes=n),
        actor_id=n % 3 or None,
        action="read",
        case_id=n % 4 + 1,
        decision="allowed",
        surface="status",
        detail={"n": n},
    )


async def append(uow, numbers) -> None:
    for n in numbers:
        async with uow() as work:
            await work.audit.append(entry(n))
            await work.commit()


async def verdict(uow):
    async with uow() as work:
        return await work.audit.verify()


async def tamper(engine, sql: str) -> None:
    async with engine.begin() as connection:
        await connection.execute(text(sql))


async def test_an_untouched_trail_verifies(trail) -> None:
    result = await verdict(trail)
    assert result.intact and result.entries == 10


async def test_an_edited_entry_is_named(trail, engine) -> None:
    await tamper(engine, "UPDATE audit SET decision = 'denied' WHERE seq = 4")
    result = await verdict(trail)
    assert result.problem == "entry 4: altered, inserted or moved"


async def test_a_deleted_entry_is_named(trail, engine) -> None:
    await tamper(engine, "DELETE FROM audit WHERE seq = 6")
    result = await verdict(trail)
    assert result.problem is not None and result.problem.startswith("entry 6: deleted")


async def test_an_inserted_entry_is_named(trail, engine) -> None:
    await tamper(engine, "UPDATE audit SET seq = seq + 100 WHERE seq >= 5")
    await tamper(engine, "UPDATE audit SET seq = seq - 99 WHERE seq >= 105")
    await tamper(
        engine,
        "INSERT INTO audit (seq, at, actor_id, action, case_id, decision, surface, detail, mac) "
        "SELECT 5, at, actor_id, 'erase', case_id, decision, surface, detail, mac "
        "FROM audit WHERE seq = 4",
    )
    result = await verdict(trail)
    assert result.problem == "entry 5: altered, inserted or moved"


async def test_reordered_entries_are_named(trail, engine) -> None:
    await tamper(engine, "UPDATE audit SET seq = 1000 WHERE seq = 2")
    await tamper(engine, "UPDATE audit SET seq = 2 WHERE seq = 3")
    await tamper(engine, "UPDATE audit SET seq = 3 WHERE seq = 1000")
    result = await verdict(trail)
    assert result.problem == "entry 2: altered, inserted or moved"


async def test_a_truncated_tail_is_detected(trail, engine) -> None:
    await tamper(engine, "DELETE FROM audit WHERE seq > 7")
    result = await verdict(trail)
    assert result.problem == "truncated: entries after 7 are missing (the trail had 10)"


async def checkpoint(uow, keyring: KeyRing, path: Path) -> None:
    await save_checkpoint(uow(), keyring, path, now=START + dt.timedelta(hours=1))


async def verify_as_operator(database_url: str, path: Path, key: str = MASTER_KEY) -> str:
    """`reprisal-bot audit verify` as the operator runs it; what it writes."""
    said: list[str] = []
    settings = Settings(database_url=database_url, master_key=key, audit_checkpoints=path)
    await admin.audit_verify(settings, said.append)
    return "".join(said)


async def test_a_wiped_trail_is_named_against_the_checkpoint_file(
    trail, engine, keyring, database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "audit.checkpoints"
    await checkpoint(trail, keyring, path)
    assert "intact: 10 entries" in await verify_as_operator(database_url, path)
    for table in ("audit", "audit_head", "database_marks", "sealed_keys"):
        await tamper(engine, f"DELETE FROM {table}")
    said = await verify_as_operator(database_url, path)
    assert said.startswith(
        "The audit trail is NOT intact: wiped: the trail is empty, but the checkpoint of "
        "2026-11-27T10:00:00+00:00 recorded 10 entries."
    )


async def test_a_truncated_trail_without_its_head_is_named(
    trail, engine, keyring, database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "audit.checkpoints"
    await checkpoint(trail, keyring, path)
    await tamper(engine, "DELETE FROM audit WHERE seq > 7")
    await tamper(engine, "DELETE FROM audit_head")
    said = await verify_as_operator(database_url, path)
    assert "NOT intact: truncated: entries after 7 are missing (the checkpoint of" in said


async def test_an_older_head_put_back_is_named_a_rollback(
    engine, keyring, database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "audit.checkpoints"
    factory = session_factory(engine)

    def uow() -> UnitOfWork:
        return UnitOfWork(factory, keyring)

    await append(uow, range(1, 8))
    async with engine.connect() as connection:
        old_head = (
            await connection.execute(text("SELECT seq, mac, head_mac FROM audit_head"))
        ).one()
    await append(uow, range(8, 11))
    await checkpoint(uow, keyring, path)
    await tamper(engine, "DELETE FROM audit WHERE seq > 7")
    await tamper(
        engine,
        f"UPDATE audit_head SET seq = {old_head.seq}, mac = '{old_head.mac}', "
        f"head_mac = '{old_head.head_mac}'",
    )
    async with uow() as work:
        assert (await work.audit.verify()).intact  # the database alone cannot tell
    said = await verify_as_operator(database_url, path)
    assert "NOT intact: rolled back: the trail ends at entry 7, but the checkpoint of" in said
    await append(uow, range(11, 15))  # and written on past the checkpoint
    said = await verify_as_operator(database_url, path)
    assert "NOT intact: rolled back: entry 10 differs from the checkpoint of" in said


async def test_an_altered_checkpoint_line_is_named(
    trail, keyring, database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "audit.checkpoints"
    await checkpoint(trail, keyring, path)
    path.write_text(path.read_text().replace("\t10\t", "\t11\t"))
    said = await verify_as_operator(database_url, path)
    assert f"NOT intact: the checkpoint file: line 1 of {path} was altered" in said


async def test_the_chain_key_is_not_in_the_database(trail, engine) -> None:
    async with engine.connect() as connection:
        sealed = (await connection.execute(text("SELECT name FROM sealed_keys"))).all()
    assert sealed == []
    stranger = KeyRing.parse(generate_master_key("test"))  # same id, another secret
    async with UnitOfWork(session_factory(engine), stranger) as work:
        assert (await work.audit.verify()).problem == "entry 1: altered, inserted or moved"


async def make_legacy_trail(engine, keyring: KeyRing, count: int) -> None:
    """A trail as older versions wrote it: a random key sealed in `sealed_keys`."""
    async with session_factory(engine)() as session:
        key = await sealed_key(session, keyring, "audit-hmac", create=True)
        assert key is not None
        previous = ""
        for n in range(1, count + 1):
            e = entry(n)
            row = AuditRow(
                seq=n,
                at=e.at,
                actor_id=e.actor_id,
                action=e.action,
                case_id=e.case_id,
                decision=e.decision,
                surface=e.surface,
                detail=e.detail,
            )
            row.mac = previous = entry_mac(key, previous, row)
            session.add(row)
        head = await session.get(AuditHeadRow, 1)
        assert head is not None
        head.seq, head.mac, head.head_mac = count, previous, head_mac(key, count, previous)
        await session.commit()


async def test_an_older_trail_keeps_verifying_and_moves_to_a_derived_key_at_rotation(
    engine, keyring, database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "audit.checkpoints"
    await make_legacy_trail(engine, keyring, 5)
    assert "intact: 5 entries" in await verify_as_operator(database_url, path)
    factory = session_factory(engine)
    await append(lambda: UnitOfWork(factory, keyring), range(6, 9))
    await checkpoint(lambda: UnitOfWork(factory, keyring), keyring, path)
    assert "intact: 8 entries" in await verify_as_operator(database_url, path)
    newest = generate_master_key("newer")
    said: list[str] = []
    settings = Settings(
        database_url=database_url, master_key=f"{newest},{MASTER_KEY}", audit_checkpoints=path
    )
    assert await admin.keys_rotate(settings, said.append) == 0
    assert "The audit trail is sealed with the new key too" in "".join(said)
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT name FROM sealed_keys"))).all() == []
    assert "intact: 8 entries" in await verify_as_operator(database_url, path, newest)
