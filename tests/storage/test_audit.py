"""The audit trail is append-only in effect: any edit, deletion, insertion, reordering or
truncation is detected, and the first bad entry is named."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from storage.audit import AuditEntry
from storage.engine import session_factory
from storage.uow import UnitOfWork

START = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
async def trail(engine, keyring):
    factory = session_factory(engine)

    def uow() -> UnitOfWork:
        return UnitOfWork(factory, keyring)

    for n in range(1, 11):
        async with uow() as work:
            await work.audit.append(
                AuditEntry(
                    at=START + dt.timedelta(minutes=n),
                    actor_id=n % 3 or None,
                    action="read",
                    case_id=n % 4 + 1,
                    decision="allowed",
                    surface="status",
                    detail={"n": n},
                )
            )
            await work.commit()
    return uow


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
    assert result.problem == "entries after 7 are missing (the trail had 10)"


async def test_an_emptied_trail_is_detected(trail, engine) -> None:
    await tamper(engine, "DELETE FROM audit")
    await tamper(engine, "UPDATE audit_head SET seq = 0, mac = '', head_mac = ''")
    result = await verdict(trail)
    assert not result.intact
