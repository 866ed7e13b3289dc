"""The composition root: the engine, units of work, clock, renderer and directory, built once."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.delivery.background import Background
from bot.directory.load import Directory, Person, load_directory
from bot.directory.roster import Resolve, Roster
from bot.metrics import Metrics
from bot.rendering.renderer import Renderer
from bot.schedules.checkpoints import anchor
from bot.settings import Settings
from commands.invocation import Clock, Dependencies
from commands.roles import Actor
from storage.crypto import KeyRing
from storage.engine import create_engine, session_factory
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
    roster: Roster
    renderer: Renderer
    clock: Clock
    metrics: Metrics
    background: Background

    @property
    def directory(self) -> Directory:
        return self.roster.directory

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, self.keyring)

    def core(self, platform: str) -> Dependencies:
        return Dependencies(
            uow=self.uow,
            clock=self.clock,
            platform=platform,
            reporting_year_start=self.directory.schedules.reporting_year_starts,
            reply_due_days=self.directory.reply_due_days,
        )

    def actor(self, person: Person) -> Actor:
        return Actor(
            person_id=self.roster.person_ids[person.key],
            name=person.name,
            roles=person.roles,
            slack_user=person.slack_user,
        )

    async def actor_for_slack_user(self, user_id: str) -> Actor | None:
        """The person now: the directory file is re-read first if it changed, and the database
        says whether Slack deactivated them (whichever instance heard it)."""
        await self.roster.refresh(self.uow)
        person = self.roster.member(user_id)
        if person is None or not await self.roster.may_act(person, self.engine):
            return None
        return self.actor(person)

    async def close(self) -> None:
        """Anchor the audit trail outside the database, then let the engine go."""
        await anchor(self)
        await self.engine.dispose()


async def build_services(
    settings: Settings,
    keyring: KeyRing,
    *,
    clock: Clock | None = None,
    directory: Directory | None = None,
    resolve: Resolve | None = None,
) -> Services:
    """Load the directory, check the schema, and mirror the directory's people into storage."""
    directory = directory or load_directory(settings.directory_path)
    clock = clock or SystemClock(ZoneInfo(directory.timezone))
    engine = create_engine(settings.database_url)
    try:
        await ensure_current(engine)
        services = Services(
            settings=settings,
            engine=engine,
            sessions=session_factory(engine),
            keyring=keyring,
            roster=Roster(settings.directory_path, directory, clock),
            renderer=Renderer(),
            clock=clock,
            metrics=Metrics(),
            background=Background(),
        )
        services.roster.resolve = resolve
        await services.roster.apply(directory, services.uow)
        await index_names(services)
        return services
    except BaseException:
        await engine.dispose()
        raise


async def index_names(services: Services) -> int:
    """Index the names of targets stored before there was a name index (schema 0001): once,
    in batches; nothing to do on later starts."""
    total = 0
    while True:
        async with services.uow() as uow:
            done = await uow.cases.index_missing_names()
            await uow.commit()
        total += done
        if done == 0:
            break
    if total:
        log.info("indexed the names of %d targets stored before the name index", total)
    return total
