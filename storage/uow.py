"""The unit of work: one session, its repositories, one commit."""

from __future__ import annotations

import asyncio
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.actions import ActionRepository
from storage.audit import AuditRepository
from storage.cases import CaseRepository
from storage.channels import ChannelRepository
from storage.crypto import KeyRing
from storage.digest_queries import DigestQueries
from storage.engine import checkpoint, writer_lock
from storage.ledgers import LedgerRepository
from storage.links import LinkRepository
from storage.marks import MarkRepository
from storage.messages import MessageRepository
from storage.outbox import OutboxRepository
from storage.people import PeopleRepository
from storage.threads import ThreadRepository
from storage.timeline import TimelineRepository


class UnitOfWork:
    """`async with uow:` opens a transaction; nothing is kept unless `commit()` is awaited."""

    cases: CaseRepository
    people: PeopleRepository
    timeline: TimelineRepository
    threads: ThreadRepository
    outbox: OutboxRepository
    audit: AuditRepository
    channels: ChannelRepository
    digests: DigestQueries
    actions: ActionRepository
    ledgers: LedgerRepository
    links: LinkRepository
    messages: MessageRepository
    marks: MarkRepository

    def __init__(self, sessions: async_sessionmaker[AsyncSession], keyring: KeyRing) -> None:
        self._sessions = sessions
        self._keyring = keyring
        self._session: AsyncSession | None = None
        self._lock: asyncio.Lock | None = None

    async def __aenter__(self) -> UnitOfWork:
        bind = self._sessions.kw["bind"]
        self._lock = writer_lock(bind)
        if self._lock is not None:
            await self._lock.acquire()
        self._session = session = self._sessions()
        self.cases = CaseRepository(session, self._keyring)
        self.people = PeopleRepository(session)
        self.timeline = TimelineRepository(session)
        self.threads = ThreadRepository(session)
        self.outbox = OutboxRepository(session)
        self.audit = AuditRepository(session, self._keyring)
        self.channels = ChannelRepository(session)
        self.digests = DigestQueries(session)
        self.actions = ActionRepository(session, self._keyring)
        self.ledgers = LedgerRepository(session)
        self.links = LinkRepository(session)
        self.messages = MessageRepository(session, self._keyring)
        self.marks = MarkRepository(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            await self._session.rollback()
        finally:
            await self._session.close()
            self._session = None
            if self._lock is not None:
                self._lock.release()

    async def commit(self) -> None:
        assert self._session is not None
        await self._session.commit()

    async def scrub(self) -> bool:
        """After a commit that destroyed data: on SQLite, fold the WAL into the database file
        (secure_delete has already overwritten the freed pages); False if a reader prevented it."""
        assert self._session is not None
        engine = self._session.bind
        assert isinstance(engine, AsyncEngine)
        await self._session.close()
        return await checkpoint(engine)

    async def rollback(self) -> None:
        assert self._session is not None
        await self._session.rollback()
