"""A case's card in the coordination channel and the export for the annual reports name the same
confidentiality: the effective one, as consent allows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.delivery.case_plans import card_context
from bot.rendering.renderer import Renderer
from commands import export
from commands.invocation import Dependencies
from commands.roles import Actor, Role, RoleKind
from storage.crypto import KeyRing
from storage.engine import session_factory
from storage.records import PersonRecord
from storage.uow import UnitOfWork
from tests.conftest import FrozenClock
from tests.storage.test_confidentiality import a_case

NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
CLERK = Actor(5, "Clerk", frozenset({Role(RoleKind.SECRETARIAT)}))


async def store(core: Dependencies, choice: str, share_committees: bool, publish: bool) -> str:
    async with core.uow() as uow:
        person = PersonRecord(0, "slack:U1", "Ana", "U1", None, (("focal_point", "CAT"),))
        reporter = (await uow.people.sync([person]))["slack:U1"]
        case = await uow.cases.add(
            a_case(choice, share_committees, publish),
            reference=await uow.cases.next_reference(2026),
            reporter_id=reporter,
            reporter_name="Ana",
            idempotency_key=None,
            now=NOW,
        )
        await uow.commit()
    return case.reference


async def card_says(core: Dependencies, reference: str) -> tuple[str, str]:
    """The case's card as Slack and as text would show it, rendered from what delivery plans."""
    async with core.uow() as uow:
        case = await uow.cases.by_reference(reference)
        assert case is not None
        context = await card_context(uow, case)
    renderer = Renderer()
    slack = str(renderer.json("slack/case_card.message.json.j2", **context))
    return slack, renderer.text("text/case_card.md.j2", **context)


@pytest.mark.parametrize(
    ("choice", "share_committees", "publish", "shown"),
    [
        ("shared", True, True, "public"),
        ("shared", True, False, "shared"),
        ("shared", False, True, "restricted"),  # chosen shared, without consent to share
    ],
)
async def test_a_case_card_and_the_export_say_the_same_confidentiality(
    engine: AsyncEngine,
    keyring: KeyRing,
    clock: FrozenClock,
    choice: str,
    share_committees: bool,
    publish: bool,
    shown: str,
) -> None:
    factory = session_factory(engine)
    core = Dependencies(uow=lambda: UnitOfWork(factory, keyring), clock=clock, platform="slack")
    reference = await store(core, choice, share_committees, publish)
    [row] = await export.cases(actor=CLERK, core=core)
    assert row["reference"] == reference and row["confidentiality"] == shown
    for card in await card_says(core, reference):
        assert f"· {shown.capitalize()}" in card
        others = {"Restricted", "Shared", "Public"} - {shown.capitalize()}
        assert not any(f"· {other}" in card for other in others)
