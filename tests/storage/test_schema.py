"""Schema: migrations create it, and an outdated database is refused with the command to run."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from storage.engine import create_engine
from storage.errors import SchemaOutdated
from storage.schema import current_revision, ensure_current, head_revision, upgrade


async def test_an_empty_database_is_refused_with_the_command_to_run(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        with pytest.raises(SchemaOutdated, match="reprisal-bot db upgrade"):
            await ensure_current(engine)
    finally:
        await engine.dispose()


async def test_upgrade_creates_the_schema_and_the_ten_committees(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine)
        await ensure_current(engine)
        assert await current_revision(engine) == head_revision()
        async with engine.connect() as connection:
            codes = (await connection.execute(text("SELECT code FROM committees"))).scalars()
            assert sorted(codes) == sorted(
                ["CCPR", "CESCR", "CAT", "CERD", "CEDAW", "SPT", "CRC", "CMW", "CRPD", "CED"]
            )
        await upgrade(engine)  # running it again changes nothing
        assert await current_revision(engine) == head_revision()
    finally:
        await engine.dispose()


async def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_full_sync(tmp_path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        async with engine.connect() as connection:
            mode = (await connection.execute(text("PRAGMA journal_mode"))).scalar()
            keys = (await connection.execute(text("PRAGMA foreign_keys"))).scalar()
            sync = (await connection.execute(text("PRAGMA synchronous"))).scalar()
        assert (mode, keys, sync) == ("wal", 1, 2)
    finally:
        await engine.dispose()
