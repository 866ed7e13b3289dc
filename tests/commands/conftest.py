"""The example directory's people on a real database (SQLite and PostgreSQL) with a frozen clock,
and what a command left behind: its audit entries and the notices queued in the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.directory.load import load_directory
from bot.directory.roster import person_record
from commands import report
from commands.form import Raw
from commands.invocation import Dependencies
from commands.roles import Actor, actor_of
from storage.crypto import KeyRing
from storage.engine import session_factory
from storage.models import AuditRow, NoticeRow
from storage.uow import UnitOfWork
from tests.commands.test_form import answers
from tests.conftest import FrozenClock


@dataclass
class Office:
    """Everyone in directory.example.toml, by first name, and the core their commands run on."""

    core: Dependencies
    engine: AsyncEngine
    people: dict[str, Actor]

    def __getitem__(self, first_name: str) -> Actor:
        return self.people[first_name]

    async def report(self, by: str, **changes: Raw) -> str:
        """A valid report (a shared, urgent CAT case on Viet Nam unless changed); its reference."""
        saved = await report.submit(
            answers(**changes), actor=self[by], core=self.core, idempotency_key=None
        )
        return saved.reference

    async def trail(self) -> list[AuditRow]:
        async with session_factory(self.engine)() as session:
            return list((await session.scalars(select(AuditRow).order_by(AuditRow.seq))).all())

    async def notices(self) -> list[NoticeRow]:
        async with session_factory(self.engine)() as session:
            return list((await session.scalars(select(NoticeRow).order_by(NoticeRow.id))).all())

    async def case_id(self, reference: str) -> int:
        async with self.core.uow() as uow:
            case = await uow.cases.by_reference(reference)
        assert case is not None
        return case.id


@pytest.fixture
async def office(
    engine: AsyncEngine, keyring: KeyRing, clock: FrozenClock, example_directory: Path
) -> Office:
    factory = session_factory(engine)
    core = Dependencies(uow=lambda: UnitOfWork(factory, keyring), clock=clock, platform="slack")
    directory = load_directory(example_directory)
    async with core.uow() as uow:
        await uow.people.sync([person_record(p) for p in directory.people])
        stored = await uow.people.active()
        await uow.commit()
    return Office(core, engine, {p.name.split()[0]: actor_of(p) for p in stored})
