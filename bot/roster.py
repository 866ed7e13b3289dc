"""The people the bot serves right now: the directory file, re-read when it changes, less anyone
Slack reports as deactivated. Someone removed or deactivated loses access at once."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.directory import Directory, DirectoryError, Person, load_directory
from storage.records import PersonRecord
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

Resolve = Callable[[Directory], Awaitable[Directory]]
RECHECK_AFTER = 60.0  # seconds before the directory is checked against Slack again


class Unreachable(Exception):
    """Slack could not be asked; `directory` is the one to serve meanwhile (as written)."""

    def __init__(self, directory: Directory, reason: str) -> None:
        super().__init__(reason)
        self.directory = directory


class Roster:
    def __init__(self, path: Path, directory: Directory) -> None:
        self.path = path
        self.directory = directory
        self.person_ids: dict[str, int] = {}
        self._seen = _mtime(path)
        self._deactivated: set[str] = set()
        self._lock = asyncio.Lock()
        self._recheck_at: float | None = None
        self.resolve: Resolve | None = None  # set by the Slack edge: e-mail -> Slack user id

    def person_for_slack_user(self, user_id: str) -> Person | None:
        if user_id in self._deactivated:
            return None
        person = self.directory.by_slack_user(user_id)
        return person if person is not None and person.key in self.person_ids else None

    async def apply(self, directory: Directory, uow: Callable[[], UnitOfWork]) -> None:
        """Mirror `directory` into storage; the deactivated are kept out of it."""
        if self.resolve is not None:
            try:
                directory = await self.resolve(directory)
                self._recheck_at = None
            except Unreachable as down:
                log.warning(
                    "Slack could not be reached to check the directory (%s): serving "
                    "it as written, checking again in a minute",
                    down,
                )
                directory = down.directory
                self._recheck_at = time.monotonic() + RECHECK_AFTER
        serving = [p for p in directory.people if p.slack_user not in self._deactivated]
        async with uow() as work:
            ids = await work.people.sync(person_record(p) for p in serving)
            await work.commit()
        self.directory = directory
        self.person_ids = {p.key: ids[p.key] for p in serving}

    async def refresh(self, uow: Callable[[], UnitOfWork]) -> None:
        """Re-read the directory file if it changed; an invalid file keeps the last good one."""
        if self._recheck_at is not None and time.monotonic() >= self._recheck_at:
            async with self._lock:
                await self.apply(self.directory, uow)
        if _mtime(self.path) == self._seen:
            return
        async with self._lock:
            seen = _mtime(self.path)
            if seen == self._seen:
                return
            self._seen = seen
            try:
                directory = load_directory(self.path)
            except DirectoryError as problem:
                log.warning(
                    "the directory file changed but is not valid (%d problems): "
                    "keeping the previous one",
                    len(problem.problems),
                )
                return
            await self.apply(directory, uow)
            log.info("directory re-read: %d people", len(self.person_ids))

    async def deactivate(self, user_id: str, uow: Callable[[], UnitOfWork]) -> None:
        """Slack says this account is deactivated: no access, no mention, no DM from now on."""
        async with self._lock:
            if user_id in self._deactivated:
                return
            self._deactivated.add(user_id)
            await self.apply(self.directory, uow)

    async def reactivate(self, user_id: str, uow: Callable[[], UnitOfWork]) -> None:
        async with self._lock:
            if user_id not in self._deactivated:
                return
            self._deactivated.discard(user_id)
            await self.apply(self.directory, uow)


def person_record(person: Person) -> PersonRecord:
    roles = tuple(
        sorted(
            ((str(r.kind), str(r.committee) if r.committee else None) for r in person.roles),
            key=str,
        )
    )
    return PersonRecord(
        id=0,
        key=person.key,
        name=person.name,
        slack_user=person.slack_user,
        email=person.email,
        roles=roles,
    )


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None
