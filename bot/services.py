"""The composition root: the engine, units of work, clock, renderer and directory, built once."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.directory import Directory, Person, load_directory
from bot.rendering import Renderer
from bot.settings import Settings
from commands.invocation import Clock, Core
from commands.roles import Actor
from storage.crypto import KeyRing
from storage.engine import create_engine, session_factory
from storage.records import PersonRecord
from storage.schema import ensure_current
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SystemClock:
    timezone: ZoneInfo

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def today(self) -> dt.date:
        return self.now().astimezone(self.timezone).date()


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    keyring: KeyRing
    directory: Directory
    person_ids: dict[str, int]
    renderer: Renderer
    clock: Clock

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.keyring)

    def core(self, platform: str) -> Core:
        return Core(uow=self.uow, clock=self.clock, platform=platform)

    def actor(self, person: Person) -> Actor:
        return Actor(
            person_id=self.person_ids[person.key],
            name=person.name,
            roles=person.roles,
            slack_user=person.slack_user,
        )

    def actor_for_slack_user(self, user_id: str) -> Actor | None:
        person = self.directory.by_slack_user(user_id)
        return self.actor(person) if person is not None else None

    def with_directory(self, directory: Directory) -> Services:
        return replace(self, directory=directory)

    async def close(self) -> None:
        await self.engine.dispose()


async def build_services(
    settings: Settings,
    keyring: KeyRing,
    *,
    clock: Clock | None = None,
    directory: Directory | None = None,
) -> Services:
    """Load the directory, check the schema, and mirror the directory's people into storage."""
    directory = directory or load_directory(settings.directory_path)
    engine = create_engine(settings.database_url)
    try:
        await ensure_current(engine)
        services = Services(
            settings=settings,
            engine=engine,
            sessions=session_factory(engine),
            keyring=keyring,
            directory=directory,
            person_ids={},
            renderer=Renderer(),
            clock=clock or SystemClock(ZoneInfo(directory.timezone)),
        )
        return await sync_people(services, directory)
    except BaseException:
        await engine.dispose()
        raise


async def sync_people(services: Services, directory: Directory) -> Services:
    """Store the directory's people and roles; returns services that know their ids."""
    async with services.uow() as uow:
        ids = await uow.people.sync(_person_record(p) for p in directory.people)
        await uow.commit()
    return replace(services, directory=directory, person_ids=ids)


def _person_record(person: Person) -> PersonRecord:
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
