"""Migrations lose nothing: a database filled under the previous schema (0001) is upgraded to
head, on SQLite and PostgreSQL, and every row of every table is checked afterwards."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import MetaData, Table, delete, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.audit import AuditEntry
from storage.crypto import KeyRing
from storage.engine import create_engine, session_factory
from storage.records import ThreadRecord
from storage.schema import current_revision, head_revision, upgrade
from storage.uow import UnitOfWork
from tests.conftest import MASTER_KEY
from tests.digests.dataset import CASES, fill

PREVIOUS = ("0001", "0002", "0003")  # every earlier schema a database may be at
NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


async def a_full_database(path: str) -> AsyncEngine:
    """A database at head, filled through the real repositories: cases with sealed names,
    people, threads, the outbox, the audit chain, a channel's safety, an erased case."""
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await upgrade(engine)
    factory = session_factory(engine)

    def uow() -> UnitOfWork:
        return UnitOfWork(factory, KeyRing.parse(MASTER_KEY))

    ids = await fill(uow)
    async with uow() as work:
        for n, case_id in enumerate(ids.values()):
            await work.audit.append(
                AuditEntry(NOW, None, "report", case_id, "allowed", "status", {"n": n})
            )
            await work.outbox.add(
                kind="case_card",
                platform="slack",
                destination="channel",
                ordering_key=f"case:{case_id}:thread",
                now=NOW,
                case_id=case_id,
            )
            await work.timeline.append(case_id, at=NOW, actor_id=None, kind="reported", detail={})
            await work.threads.set(ThreadRecord(case_id, "slack", "C0COORD01", f"1700.{n}"))
        await work.channels.mark("C0COORD01", safe=False, reason="an outsider", now=NOW)
        await work.ledgers.claim_digest("2026-10", "slack:chairs_channel", now=NOW)
        await work.ledgers.claim_reminder(ids["sep_cat"], dt.date(2026, 10, 12), "overdue", now=NOW)
        await work.ledgers.claim_event("Ev0001", now=NOW)
        case_ids = sorted(ids.values())
        await work.links.link(case_ids[0], case_ids[1], by=None, now=NOW)
        await work.messages.keep(
            case_ids[0], platform="slack", ref="1700.1", author_id=None, at=NOW, text="a reply"
        )
        await work.cases.erase(ids["nov_cat"], now=NOW)
        await work.commit()
    return engine


async def tables_at(connection: AsyncConnection) -> list[Table]:
    metadata = MetaData()
    await connection.run_sync(lambda sync: metadata.reflect(sync))
    return [t for t in metadata.sorted_tables if t.name != "alembic_version"]


async def rows_of(connection: AsyncConnection, table: Table, columns: list[str]) -> list[tuple]:
    query = select(*(table.c[c] for c in columns)).order_by(*(table.c[c] for c in columns[:3]))
    return [tuple(row) for row in (await connection.execute(query)).all()]


async def copy_into(source: AsyncEngine, target: AsyncEngine) -> None:
    """Every row of the previous schema's columns, from the full database into the old one."""
    async with source.connect() as reading, target.begin() as writing:
        full = {t.name: t for t in await tables_at(reading)}
        for table in await tables_at(writing):
            old_columns = [c.name for c in table.columns]
            rows = await rows_of(reading, full[table.name], old_columns)
            await writing.execute(delete(table))  # the migration seeded committees and the head
            if rows:
                values = [dict(zip(old_columns, map(_utc, r), strict=True)) for r in rows]
                await writing.execute(insert(table), values)
        if target.dialect.name == "postgresql":
            for table in await tables_at(writing):
                if "id" in table.c and table.c.id.autoincrement is not False:
                    await writing.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                        )
                    )


def _utc(value: Any) -> Any:
    """SQLite keeps no zone: its times are UTC (storage.models.UTCDateTime)."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


async def snapshot(engine: AsyncEngine) -> dict[str, tuple[list[str], list[tuple]]]:
    async with engine.connect() as connection:
        found = {}
        for table in await tables_at(connection):
            columns = [c.name for c in table.columns]
            found[table.name] = (columns, await rows_of(connection, table, columns))
        return found


@pytest.mark.parametrize("previous", PREVIOUS)
async def test_an_upgrade_keeps_every_row_of_a_database_filled_under_a_previous_schema(
    database_url: str, tmp_path, previous: str
) -> None:
    source = await a_full_database(str(tmp_path / "full.db"))
    target = create_engine(database_url)
    try:
        await upgrade(target, previous)
        await copy_into(source, target)
        before = await snapshot(target)
        assert sum(len(rows) for _, rows in before.values()) > 60  # a real fill, every table
        empty = [name for name, (_, rows) in before.items() if not rows]
        assert empty == [], f"tables left empty by the fill: {empty}"

        await upgrade(target)
        assert await current_revision(target) == head_revision()

        async with target.connect() as connection:
            now_tables = {t.name: t for t in await tables_at(connection)}
            for name, (columns, rows) in before.items():
                after = await rows_of(connection, now_tables[name], columns)
                assert after == rows, f"table {name} changed in the upgrade"
            if previous == "0001":  # the columns 0002 added start empty
                new_columns = await connection.execute(
                    text("SELECT reply_due_on, closed_on, outcome FROM cases")
                )
                assert set(new_columns.all()) == {(None, None, None)}

        await check_the_bot_reads_everything(target, indexed=previous != "0001")
    finally:
        await source.dispose()
        await target.dispose()


async def check_the_bot_reads_everything(engine: AsyncEngine, *, indexed: bool) -> None:
    """Every case opens with its key, names as stored; the audit chain holds; numbering goes on."""
    factory = session_factory(engine)
    async with UnitOfWork(factory, KeyRing.parse(MASTER_KEY)) as uow:
        cases = sorted(await uow.cases.find(limit=100), key=lambda c: c.id)
        assert [c.facts.received_on for c in cases] == [s.received_on for s in CASES.values()]
        for case, spec in zip(cases, CASES.values(), strict=True):
            expected: Any = () if case.erased else spec.names
            assert (await uow.cases.unseal(case)).target_names == expected
        verdict = await uow.audit.verify()
        assert verdict.intact, verdict.problem
        assert await uow.cases.next_reference(2026) == "RPR-2026-0008"
        # Names stored before the index existed (0001) are indexed on the bot's next start.
        assert (await uow.cases.index_missing_names() == 0) == indexed
        assert await uow.cases.index_missing_names() == 0
        await uow.commit()
