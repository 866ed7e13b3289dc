"""The files that hold sealed data are the owner's alone: the SQLite database, its WAL and
shared-memory files and backups are 0600, and a key file others may read is refused."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from storage import backup as storage_backup
from storage.engine import create_engine
from storage.schema import upgrade
from tests.bot.test_cli import run_cli
from tests.conftest import MASTER_KEY


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    # The usual default: files anyone can read unless the bot asks otherwise.
    previous = os.umask(0o022)
    yield
    os.umask(previous)


async def test_a_new_database_and_its_wal_are_the_owners_alone(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    engine = create_engine(f"sqlite:///{database}")
    try:
        await upgrade(engine)
        async with engine.begin() as connection:
            await connection.execute(text("SELECT count(*) FROM cases"))
            files = [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
            assert all(path.exists() for path in files)
            assert {path.name: mode(path) for path in files} == {path.name: 0o600 for path in files}
    finally:
        await engine.dispose()


async def test_an_existing_database_open_to_others_is_closed_at_start(tmp_path: Path) -> None:
    database = tmp_path / "old.db"
    sqlite3.connect(database).close()
    database.chmod(0o644)
    engine = create_engine(f"sqlite:///{database}")
    await engine.dispose()
    assert mode(database) == 0o600


async def test_a_backup_and_a_restored_database_are_the_owners_alone(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()
    copy = tmp_path / "copy.db"
    await asyncio.to_thread(storage_backup.backup, url, copy)
    assert mode(copy) == 0o600
    restored = tmp_path / "restored.db"
    await asyncio.to_thread(storage_backup.restore, copy, f"sqlite:///{restored}", replace=False)
    assert mode(restored) == 0o600


@pytest.mark.parametrize("where", ["setting", "local"])
def test_a_key_file_others_can_read_is_refused_with_the_fix(tmp_path: Path, where: str) -> None:
    env = {"REPRISAL_BOT_MASTER_KEY": ""}
    if where == "setting":
        key_file = shown = tmp_path / "master.key"
        source = "REPRISAL_BOT_MASTER_KEY_FILE"
        env["REPRISAL_BOT_MASTER_KEY_FILE"] = str(key_file)
    else:
        key_file, shown, source = (
            tmp_path / "reprisal-bot.key",
            "reprisal-bot.key",
            "the local key file",
        )
    key_file.write_text(MASTER_KEY + "\n")
    key_file.chmod(0o644)
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    run_cli("db", "upgrade", database_url=url, cwd=tmp_path)
    refused = run_cli("export", "cases", database_url=url, cwd=tmp_path, **env)
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        f"reprisal-bot: {source} ({shown}) is open to other users (mode 644): "
        f"run `chmod 600 {shown}` and start again."
    ]
    key_file.chmod(0o600)
    accepted = run_cli("export", "cases", database_url=url, cwd=tmp_path, **env)
    assert accepted.returncode == 0, accepted.stderr
