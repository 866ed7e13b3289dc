"""Sealed parts are opened only for a reader who sees a case in full, only when shown: lists,
searches by State or committee, Home and exports open nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from commands import export, home, list_cases, status
from commands.invocation import Dependencies
from commands.results import CaseDetail, CaseList
from commands.roles import Actor, Role
from storage.crypto import KeyRing
from storage.engine import session_factory
from storage.records import PersonRecord
from storage.uow import UnitOfWork
from tests.conftest import MASTER_KEY, FrozenClock
from tests.digests.dataset import Spec, new_case

CASES = 60
VICTIM = "Unsealing Canary-Victim"
SECRETARIAT = Actor(person_id=1, name="Sam", roles=frozenset({Role.parse("secretariat")}))
CHAIR = Actor(person_id=1, name="Hana", roles=frozenset({Role.parse("chair:CAT")}))


class CountingKeyRing(KeyRing):
    """The real key ring, noting each case data key it unwraps (nothing opens without one)."""

    opened: list[str]

    def unwrap(self, key_id: str, wrapped: bytes, label: str) -> bytes:
        if label.startswith("case/"):
            self.opened.append(label)
        return super().unwrap(key_id, wrapped, label)


@pytest.fixture
def keyring() -> CountingKeyRing:
    ring = CountingKeyRing.parse(MASTER_KEY)
    assert isinstance(ring, CountingKeyRing)
    ring.opened = []
    return ring


def core_on(
    engine: AsyncEngine, keyring: KeyRing, clock: FrozenClock, platform: str
) -> Dependencies:
    factory = session_factory(engine)
    return Dependencies(uow=lambda: UnitOfWork(factory, keyring), clock=clock, platform=platform)


async def store_cases(core: Dependencies) -> None:
    """CASES shared cases against Viet Nam led by CAT, each naming the victim."""
    spec = Spec(dt.date(2026, 10, 1), "CAT", "Viet Nam", names=(VICTIM,))
    async with core.uow() as uow:
        reporter = PersonRecord(0, "slack:USAM", "Sam", "USAM", None)
        reporter_id = (await uow.people.sync([reporter]))["slack:USAM"]
        for _ in range(CASES):
            await uow.cases.add(
                new_case(spec),
                reference=await uow.cases.next_reference(2026),
                reporter_id=reporter_id,
                reporter_name="Sam",
                idempotency_key=None,
                now=core.clock.now(),
            )
        await uow.commit()


@pytest.mark.parametrize("platform", ["slack", "console"])
async def test_lists_searches_home_and_export_open_no_sealed_part(
    engine: AsyncEngine, keyring: CountingKeyRing, clock: FrozenClock, platform: str
) -> None:
    core = core_on(engine, keyring, clock, platform)
    await store_cases(core)
    keyring.opened.clear()
    lists = [
        await list_cases.handle(("open",), actor=SECRETARIAT, core=core),
        await list_cases.handle(("mine",), actor=SECRETARIAT, core=core),
        await status.handle(("Viet", "Nam"), actor=SECRETARIAT, core=core),
        await status.handle(("CAT",), actor=SECRETARIAT, core=core),
    ]
    for shown in lists:
        assert isinstance(shown, CaseList) and len(shown.cases) == status.LIST_LIMIT
        assert {c.level for c in shown.cases} == {"full"}  # the reader may; the list shows less
        assert all(not c.target_names and not c.summary for c in shown.cases)
    assert (await home.handle(actor=SECRETARIAT, core=core)).mine
    assert len(await export.cases(actor=SECRETARIAT, core=core)) == CASES
    assert keyring.opened == []


async def test_status_of_one_case_opens_that_case_alone_and_only_for_a_full_reader(
    engine: AsyncEngine, keyring: CountingKeyRing, clock: FrozenClock
) -> None:
    core = core_on(engine, keyring, clock, "slack")
    await store_cases(core)
    keyring.opened.clear()
    facts_only = await status.handle(("RPR-2026-0007",), actor=CHAIR, core=core)
    assert isinstance(facts_only, CaseDetail) and facts_only.case.target_names == ()
    assert keyring.opened == []
    full = await status.handle(("RPR-2026-0007",), actor=SECRETARIAT, core=core)
    assert isinstance(full, CaseDetail) and full.case.target_names == (VICTIM,)
    async with core.uow() as uow:
        case = await uow.cases.by_reference("RPR-2026-0007")
    assert case is not None and set(keyring.opened) == {f"case/{case.id}"}
