"""Engine set-up: SQLite (WAL, foreign keys, full sync) or PostgreSQL through asyncpg."""

from __future__ import annotations

import asyncio
import os
import stat
import weakref
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

DEFAULT_URL = "sqlite+aiosqlite:///reprisal-bot.db"


class UnsupportedDatabase(ValueError):
    """The URL names a database engine the bot does not run on."""


def normalise_url(url: str) -> str:
    """Accept plain `sqlite:///` and `postgresql://` URLs and pick the async drivers."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif backend == "postgresql":
        parsed = parsed.set(drivername="postgresql+asyncpg")
    else:
        raise UnsupportedDatabase(f"unsupported database {backend!r} (use sqlite or postgresql)")
    return parsed.render_as_string(hide_password=False)


def create_engine(url: str) -> AsyncEngine:
    """An async engine; on SQLite every connection gets WAL, foreign keys and full sync.
    Parameters are hidden from errors and logs: they hold victims' names."""
    url = normalise_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        database = make_url(url).database
        if database and database != ":memory:" and not database.startswith("file:"):
            keep_private(Path(database))
        engine = create_async_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    return create_async_engine(url, pool_pre_ping=True, hide_parameters=True)


def keep_private(database: Path) -> None:
    """Create the SQLite file 0600 if it is missing, and take group and world access off it
    and its WAL and shared-memory files (SQLite gives those the database file's mode)."""
    try:
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError:
        return  # a missing folder: SQLite says so in its own words when it connects
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
            if mode & 0o077:
                path.chmod(mode & 0o700)
        except OSError:
            continue  # absent, or not ours to change


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers run while a report is written; FULL sync so a confirmed report survives
    # a power cut, not only a crash.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted bytes (an erased case's key) are overwritten, not left in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
    # Let SQLAlchemy, not the driver, decide when a transaction begins (see _sqlite_begin).
    dbapi_connection.isolation_level = None


CHECKPOINT_ATTEMPTS = 5


async def checkpoint(engine: AsyncEngine) -> bool:
    """On SQLite, copy the WAL into the database file and empty it (after an erasure); False if
    a reader's snapshot kept old pages in the files after a few tries. True on PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return True
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        # A reader's snapshot makes TRUNCATE wait on the busy handler: wait briefly, retry.
        await autocommit.exec_driver_sql("PRAGMA busy_timeout=200")
        try:
            for attempt in range(CHECKPOINT_ATTEMPTS):
                result = await autocommit.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                row = result.fetchone()
                if row is not None and row[0] == 0:
                    return True
                await asyncio.sleep(0.1 * (attempt + 1))
            return False
        finally:
            await autocommit.exec_driver_sql("PRAGMA busy_timeout=30000")


def _sqlite_begin(connection: Any) -> None:
    if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        return
    # A deferred transaction that reads and then writes can fail with "database is locked"
    # without waiting; IMMEDIATE takes the write lock up front, so busy_timeout applies.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


_WRITERS: weakref.WeakKeyDictionary[Engine, asyncio.Lock] = weakref.WeakKeyDictionary()


def writer_lock(engine: AsyncEngine) -> asyncio.Lock | None:
    """On SQLite, the lock a unit of work holds while its transaction is open.

    SQLite allows one writer at a time, and its busy handler waits by sleeping in growing steps;
    taking turns on an asyncio lock instead is first come, first served, with no sleeping.
    """
    if engine.dialect.name != "sqlite":
        return None
    return _WRITERS.setdefault(engine.sync_engine, asyncio.Lock())


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
