"""Shared fixtures: a fresh database per test on SQLite and on PostgreSQL, and a frozen clock."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from storage.crypto import KeyRing, generate_master_key
from storage.engine import create_engine
from storage.schema import upgrade

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_DIRECTORY = ROOT / "directory.example.toml"
POSTGRES_ADMIN = os.environ.get(
    "REPRISAL_BOT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("REPRISAL_BOT_REQUIRE_POSTGRES") == "1"
_postgres_outcome: dict[str, object] = {"ran": 0, "skipped": None}


@dataclass
class FrozenClock:
    """The clock the bot runs on in tests: set, advanced, never read from the machine."""

    current: dt.datetime = field(
        default_factory=lambda: dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC)
    )
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Zurich"))

    def now(self) -> dt.datetime:
        return self.current

    def today(self) -> dt.date:
        return self.current.astimezone(self.timezone).date()

    def advance(self, **delta: float) -> None:
        self.current += dt.timedelta(**delta)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture(autouse=True)
def _no_slack_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # Bolt and slack_sdk read SLACK_* implicitly: a developer's own tokens must not leak in.
    for name in list(os.environ):
        if name.startswith(("SLACK_", "REPRISAL_BOT_")) and name not in (
            "REPRISAL_BOT_TEST_POSTGRES",
            "REPRISAL_BOT_REQUIRE_POSTGRES",
        ):
            monkeypatch.delenv(name)


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of each engine, created for this test and dropped after it."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
        return
    async with _postgres_database() as url:
        yield url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[object]:
    engine = create_engine(database_url)
    await upgrade(engine)
    yield engine
    await engine.dispose()


class _postgres_database:
    """CREATE DATABASE a uniquely named one; DROP it on exit, whatever happened."""

    def __init__(self) -> None:
        self.name = f"reprisal_test_{secrets.token_hex(6)}"

    async def __aenter__(self) -> str:
        import asyncpg

        try:
            self._admin = await asyncpg.connect(POSTGRES_ADMIN, timeout=5)
        except (OSError, asyncpg.PostgresError) as problem:
            reason = f"PostgreSQL unreachable at {POSTGRES_ADMIN}: {type(problem).__name__}"
            _postgres_outcome["skipped"] = reason
            if REQUIRE_POSTGRES:
                pytest.fail(reason)
            pytest.skip(reason)
        await self._admin.execute(f'CREATE DATABASE "{self.name}"')
        _postgres_outcome["ran"] = int(_postgres_outcome["ran"]) + 1  # type: ignore[call-overload]
        base = POSTGRES_ADMIN.rsplit("/", 1)[0]
        return f"postgresql+asyncpg://{base.split('://', 1)[1]}/{self.name}"

    async def __aexit__(self, *exc: object) -> None:
        try:
            await self._admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        finally:
            await self._admin.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    skipped = _postgres_outcome["skipped"]
    ran = _postgres_outcome["ran"]
    if skipped:
        terminalreporter.write_line(f"PostgreSQL: SKIPPED ({skipped}).", yellow=True, bold=True)
    elif ran:
        terminalreporter.write_line(f"PostgreSQL: {ran} tests ran on a fresh database each.")


MASTER_KEY = generate_master_key("test")


@pytest.fixture
def keyring() -> KeyRing:
    return KeyRing.parse(MASTER_KEY)


@pytest.fixture
def example_directory() -> Iterator[Path]:
    yield EXAMPLE_DIRECTORY
