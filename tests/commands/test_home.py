"""commands.home on SQLite and PostgreSQL: what each reader's Home holds, when a reply counts as
overdue or due soon, never more than the facts, and an audit entry per case shown."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from commands import home
from commands.invocation import Dependencies
from commands.roles import Actor, Role
from commands.views import CaseView
from storage.actions import FollowUp
from storage.crypto import KeyRing
from storage.engine import session_factory
from storage.models import AuditRow
from storage.records import Consents, PersonRecord
from storage.uow import UnitOfWork
from tests.conftest import FrozenClock
from tests.digests.dataset import Spec, new_case

TODAY = dt.date(2026, 11, 27)  # the frozen clock's day in Geneva
RECEIVED = dt.date(2026, 11, 1)


def person(*roles: str, person_id: int = 7) -> Actor:
    return Actor(person_id=person_id, name="Reader", roles=frozenset(Role.parse(r) for r in roles))


@pytest.fixture
def core(engine: AsyncEngine, keyring: KeyRing, clock: FrozenClock) -> Dependencies:
    factory = session_factory(engine)
    return Dependencies(uow=lambda: UnitOfWork(factory, keyring), clock=clock, platform="slack")


async def store(core: Dependencies, spec: Spec, due: dt.date | None = None) -> str:
    """Store a case reported by a CAT focal point (reply due on `due`, if given); its reference."""
    async with core.uow() as uow:
        reporter = PersonRecord(0, "slack:UFP", "Focal Example", "UFP", None)
        reporter_id = (await uow.people.sync([reporter]))["slack:UFP"]
        reference = await uow.cases.next_reference(spec.received_on.year)
        case = await uow.cases.add(
            new_case(spec),
            reference=reference,
            reporter_id=reporter_id,
            reporter_name="Focal Example",
            idempotency_key=None,
            now=core.clock.now(),
        )
        if due is not None:
            await uow.actions.follow_up(
                case.id, FollowUp("awaiting_reply", due), now=core.clock.now()
            )
        await uow.commit()
    return reference


def restricted(spec: Spec) -> Spec:
    return dataclasses.replace(spec, confidentiality="restricted", consents=Consents())


def refs(cases: Iterable[CaseView]) -> list[str]:
    return [c.reference for c in cases]


async def test_replies_are_due_soon_from_today_to_seven_days_on_and_overdue_before(
    core: Dependencies,
) -> None:
    received = dt.date(2026, 9, 1)
    late = await store(core, Spec(received, "CAT", "Egypt"), TODAY - dt.timedelta(days=1))
    today = await store(core, Spec(received, "CAT", "Egypt"), TODAY)
    last = await store(core, Spec(received, "CAT", "Egypt"), TODAY + dt.timedelta(days=7))
    later = await store(core, Spec(received, "CAT", "Egypt"), TODAY + dt.timedelta(days=8))
    result = await home.handle(actor=person("focal_point:CAT"), core=core)
    assert refs(result.overdue) == [late] and result.overdue[0].overdue
    assert sorted(refs(result.due_soon)) == sorted([today, last])
    assert later not in refs(result.overdue) + refs(result.due_soon)
    assert sorted(refs(result.mine)) == sorted([late, today, last, later])


async def test_a_focal_point_sees_shared_cases_of_others_but_not_their_restricted_ones(
    core: Dependencies,
) -> None:
    concerning = await store(core, Spec(RECEIVED, "CAT", "Egypt", ("CERD",)))
    other = await store(core, Spec(RECEIVED, "CCPR", "Egypt"))
    hidden = await store(core, restricted(Spec(RECEIVED, "CAT", "Egypt", ("CERD",))))
    result = await home.handle(actor=person("focal_point:CERD"), core=core)
    assert result.in_directory and result.committees == ("CERD",) and result.may_report
    assert refs(result.mine) == [concerning]
    assert sorted(refs(result.shared)) == sorted([concerning, other])
    shown = refs(result.mine) + refs(result.shared) + refs(result.overdue)
    assert hidden not in shown


async def test_home_never_holds_names_or_the_summary_even_for_the_secretariat(
    core: Dependencies,
) -> None:
    await store(core, Spec(RECEIVED, "CAT", "Egypt", names=("Secret Name",)))
    result = await home.handle(actor=person("secretariat"), core=core)
    assert len(result.mine) == 1 and result.shared == () and result.committees == ()
    case = result.mine[0]
    assert case.level == "facts" and case.summary is None and case.target_names == ()
    assert "Secret Name" not in repr(result) and result.may_report


async def test_a_chair_may_not_report_and_sees_only_their_committees_cases(
    core: Dependencies,
) -> None:
    own = await store(core, restricted(Spec(RECEIVED, "CAT", "Egypt")))
    await store(core, restricted(Spec(RECEIVED, "CCPR", "Egypt", ("CAT",))))
    result = await home.handle(actor=person("chair:CAT"), core=core)
    assert not result.may_report and refs(result.mine) == [own] and result.shared == ()


async def test_each_render_is_audited_with_the_cases_shown_and_a_stranger_gets_no_data(
    core: Dependencies, engine: AsyncEngine
) -> None:
    await store(core, Spec(RECEIVED, "CAT", "Egypt"))
    stranger = await home.handle(actor=Actor(0, "", frozenset()), core=core)
    assert not stranger.in_directory and stranger.mine == stranger.shared == ()
    await home.handle(actor=person("focal_point:CAT"), core=core)
    async with session_factory(engine)() as session:
        rows = (await session.scalars(select(AuditRow))).all()
    assert [(r.action, r.actor_id, r.case_id, r.surface) for r in rows] == [
        ("home", 7, 1, "app_home"),  # the case shown
        ("home", 7, None, "app_home"),  # the render
    ]


async def test_each_list_is_capped_and_says_there_is_more(core: Dependencies) -> None:
    for _ in range(home.SHOWN + 1):
        await store(core, Spec(RECEIVED, "CAT", "Egypt"))
    result = await home.handle(actor=person("focal_point:CAT"), core=core)
    assert len(result.mine) == home.SHOWN and result.more


async def test_a_list_cut_short_by_a_capped_read_still_says_there_is_more(
    core: Dependencies,
) -> None:
    older = await store(core, Spec(dt.date(2026, 10, 1), "CCPR", "Egypt"))
    async with core.uow() as uow:  # the latest open cases are all CAT's own
        reporter = PersonRecord(0, "slack:UFP", "Focal Example", "UFP", None)
        reporter_id = (await uow.people.sync([reporter]))["slack:UFP"]
        for _ in range(home.ALL_READ):
            await uow.cases.add(
                new_case(Spec(RECEIVED, "CAT", "Egypt")),
                reference=await uow.cases.next_reference(2026),
                reporter_id=reporter_id,
                reporter_name="Focal Example",
                idempotency_key=None,
                now=core.clock.now(),
            )
        await uow.commit()
    result = await home.handle(actor=person("focal_point:CAT"), core=core)
    assert older not in refs(result.shared) and result.more
