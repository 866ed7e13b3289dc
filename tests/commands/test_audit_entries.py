"""The audit trail after Home, a digest preview and an export: which cases were shown, and an
operator's command-line actions under their own login and host."""

from __future__ import annotations

import asyncio
import getpass
import socket

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from commands import export, home
from commands.invocation import Dependencies
from commands.roles import Actor, Role, RoleKind
from digests import preview
from storage.crypto import KeyRing
from storage.engine import create_engine, session_factory
from storage.models import AuditRow
from storage.uow import UnitOfWork
from tests.bot.test_cli import REPORT_ANSWERS, run_cli
from tests.commands.test_home import RECEIVED, person, restricted, store
from tests.conftest import FrozenClock
from tests.digests.dataset import Spec, secretariat


@pytest.fixture
def core(engine: AsyncEngine, keyring: KeyRing, clock: FrozenClock) -> Dependencies:
    factory = session_factory(engine)
    return Dependencies(uow=lambda: UnitOfWork(factory, keyring), clock=clock, platform="slack")


async def trail(engine: AsyncEngine) -> list[AuditRow]:
    async with session_factory(engine)() as session:
        return list((await session.scalars(select(AuditRow).order_by(AuditRow.seq))).all())


async def case_ids(core: Dependencies) -> dict[str, int]:
    async with core.uow() as uow:
        return {c.reference: c.id for c in await uow.cases.find(limit=100)}


async def test_home_writes_an_entry_for_each_case_it_shows(
    core: Dependencies, engine: AsyncEngine
) -> None:
    own = await store(core, Spec(RECEIVED, "CAT", "Egypt"))
    hidden = await store(core, restricted(Spec(RECEIVED, "CCPR", "Egypt")))
    other = await store(core, Spec(RECEIVED, "CCPR", "Egypt"))
    ids = await case_ids(core)
    await home.handle(actor=person("focal_point:CAT"), core=core)
    rows = [r for r in await trail(engine) if r.action == "home"]
    assert {r.case_id for r in rows if r.case_id} == {ids[own], ids[other]}
    assert ids[hidden] not in {r.case_id for r in rows}
    assert {(r.actor_id, r.surface, r.decision) for r in rows} == {(7, "app_home", "allowed")}
    assert [r.detail for r in rows if r.case_id is None] == [{"cases": 2}]


async def test_a_digest_preview_writes_one_entry_with_the_number_of_cases_listed(
    core: Dependencies, engine: AsyncEngine
) -> None:
    for _ in range(3):
        await store(core, Spec(RECEIVED.replace(month=10), "CAT", "Egypt"))
    await preview.handle(("preview", "2026-10"), actor=secretariat(), core=core)
    [entry] = [r for r in await trail(engine) if r.action == "digest"]
    assert entry.detail == {"period": "2026-10", "cases": 3} and entry.actor_id == 1


async def test_an_export_writes_an_entry_for_each_case_exported(
    core: Dependencies, engine: AsyncEngine
) -> None:
    first = await store(core, Spec(RECEIVED, "CAT", "Egypt"))
    second = await store(core, restricted(Spec(RECEIVED, "CCPR", "Egypt")))
    ids = await case_ids(core)
    clerk = Actor(5, "Clerk", frozenset({Role(RoleKind.SECRETARIAT)}))
    rows = await export.cases(actor=clerk, core=core)
    assert [r["reference"] for r in rows] == [first, second]
    entries = [r for r in await trail(engine) if r.action == "export"]
    assert [r.case_id for r in entries] == [ids[first], ids[second], None]
    assert {(r.actor_id, r.surface) for r in entries} == {(5, "export")}
    assert entries[-1].detail == {"cases": 2}


async def test_command_line_actions_are_the_operators_by_login_and_host(
    database_url: str,
) -> None:
    def cli(*args: str, stdin: str = "") -> None:
        done = run_cli(*args, database_url=database_url, stdin=stdin)
        assert done.returncode == 0, done.stdout + done.stderr

    await asyncio.to_thread(cli, "db", "upgrade")
    report = "\n".join(REPORT_ANSWERS) + "\n"
    await asyncio.to_thread(cli, "shell", "--as", "Ana Example", stdin=report)
    for command in (
        ("export", "cases"),
        ("audit", "show", "RPR-2026-0001"),
        ("digest", "--month", "2026-01"),
        ("case", "erase", "RPR-2026-0001", "--yes"),
    ):
        await asyncio.to_thread(cli, *command)
    engine = create_engine(database_url)
    try:
        rows = await trail(engine)
    finally:
        await engine.dispose()
    by_operator = [r for r in rows if r.detail.get("operator")]
    actions = [(r.action, r.case_id, r.surface) for r in by_operator]
    assert actions == [
        ("export", 1, "export"),
        ("export", None, "export"),
        ("audit", 1, "cli"),
        ("digest", None, "cli"),
        ("erase", 1, "cli"),
    ]
    operator = {"operator": getpass.getuser(), "host": socket.gethostname()}
    for row in by_operator:
        assert row.actor_id is None and operator.items() <= row.detail.items()
    assert {r.action for r in rows if r.actor_id is None} >= {"export", "audit", "erase"}
