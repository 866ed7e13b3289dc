"""Backups of the SQLite database with SQLite's online backup API (safe while the bot runs).
PostgreSQL is backed up with its own tools (see docs/operations.md)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.engine import keep_private
from storage.errors import StorageError


class BackupProblem(StorageError):
    """A backup or restore that cannot be done, said in words an operator can act on."""


def sqlite_path(url: str) -> Path:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise BackupProblem(
            "this database is PostgreSQL: back it up with `pg_dump --format=custom` and restore "
            "it with `pg_restore` (docs/operations.md)"
        )
    if not parsed.database or parsed.database == ":memory:":
        raise BackupProblem("the database is in memory: there is nothing to back up")
    return Path(parsed.database)


def backup(url: str, target: Path) -> int:
    """Copy the live database to `target` (created 0600) page by page; the number of pages
    copied."""
    source_path = sqlite_path(url)
    if not source_path.exists():
        raise BackupProblem(f"there is no database at {source_path}")
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise BackupProblem(f"{target} exists already: choose a new file") from None
    except OSError as problem:
        raise BackupProblem(f"{target} cannot be created: {problem.strerror}") from None
    source = sqlite3.connect(source_path)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy, pages=256)
        return int(copy.execute("PRAGMA page_count").fetchone()[0])
    finally:
        copy.close()
        source.close()


def restore(backup_file: Path, url: str, *, replace: bool) -> None:
    """Put a backup in place of the configured database (the bot must be stopped)."""
    target = sqlite_path(url)
    if not backup_file.exists():
        raise BackupProblem(f"there is no backup at {backup_file}")
    check = sqlite3.connect(backup_file)
    try:
        healthy = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        healthy = False
    finally:
        check.close()
    if not healthy:
        raise BackupProblem(f"{backup_file} is not a sound database (integrity check failed)")
    if target.exists() and target.stat().st_size and not replace:
        raise BackupProblem(f"{target} holds a database: add --replace to overwrite it")
    keep_private(target)
    source = sqlite3.connect(backup_file)
    into = sqlite3.connect(target)
    try:
        source.backup(into)
    finally:
        into.close()
        source.close()
