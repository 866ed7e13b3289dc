"""The schedules on a frozen clock, on SQLite and PostgreSQL: digests once per month and
recipient, reminders once per due date and kind, across restarts, and caught up after
downtime. The jobs are driven directly: APScheduler only decides *when* they run."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from bot.directory.load import load_directory
from bot.schedules.leadership import AdvisoryLockLeadership
from bot.schedules.scheduler import Scheduler
from bot.services import Services, build_services
from bot.settings import load_settings
from commands.roles import RoleKind
from storage.actions import FollowUp, NewAction
from storage.engine import create_engine
from storage.schema import upgrade
from tests.conftest import EXAMPLE_DIRECTORY, FrozenClock
from tests.digests.dataset import Spec, new_case

ZURICH_9AM_2_NOV = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)  # Monday: first working day


@asynccontextmanager
async def services_on(database_url: str, keyring, clock) -> AsyncIterator[Services]:
    settings = load_settings(
        {
            "REPRISAL_BOT_DATABASE_URL": database_url,
            "REPRISAL_BOT_DIRECTORY": str(EXAMPLE_DIRECTORY),
        },
        env_file=None,
    )
    services = await build_services(settings, keyring, clock=clock)
    try:
        yield services
    finally:
        await services.close()


@pytest.fixture
async def database(database_url: str) -> str:
    engine = create_engine(database_url)
    await upgrade(engine)
    await engine.dispose()
    return database_url


def a_scheduler(services: Services) -> Scheduler:
    scheduler = Scheduler(services, platform="slack", wake=lambda: None)
    scheduler.leading = True
    return scheduler


async def queued(services: Services, kind: str) -> list[dict]:
    async with services.uow() as uow:
        notices = await uow.outbox.of_kind(kind)
    return [dict(n.payload, recipient=n.recipient_id, destination=n.destination) for n in notices]


def chairs() -> int:
    return len(load_directory(EXAMPLE_DIRECTORY).holders(RoleKind.CHAIR))


async def test_the_digest_is_queued_once_per_month_and_recipient_across_restarts(
    database: str, keyring
) -> None:
    clock = FrozenClock(ZURICH_9AM_2_NOV - dt.timedelta(minutes=1))
    async with services_on(database, keyring, clock) as services:
        # 08:59 in Geneva: October's is not due yet; September's (due 1 October) never went
        # out on this new database, so it goes now.
        assert len(await a_scheduler(services).queue_digest()) == chairs() + 2
        clock.advance(minutes=1)
        first = await a_scheduler(services).queue_digest()
        assert len(first) == chairs() + 2
        assert await a_scheduler(services).queue_digest() == []
    clock.advance(days=1)  # a restart on Tuesday, 3 November: the cron fires again, in vain
    async with services_on(database, keyring, clock) as services:
        assert await a_scheduler(services).queue_digest() == []
        digests = await queued(services, "digest")
    digests = [d for d in digests if d["period"] == "2026-10"]
    assert len(digests) == chairs() + 2
    assert sorted(d["audience"] for d in digests if d["destination"] == "channel") == [
        "chairs_channel",
        "coordination",
    ]


async def test_a_digest_missed_while_down_goes_out_when_the_bot_is_back(
    database: str, keyring
) -> None:
    clock = FrozenClock(dt.datetime(2026, 12, 20, 15, 0, tzinfo=dt.UTC))  # down since November
    async with services_on(database, keyring, clock) as services:
        queued_now = await a_scheduler(services).queue_digest()
        digests = await queued(services, "digest")
    assert len(queued_now) == chairs() + 2
    assert {d["period"] for d in digests} == {"2026-11"}  # December's first working day: 1st


@pytest.mark.parametrize(
    ("now", "period"),
    [
        # 1 March 2026 is a Sunday: Monday the 2nd, 09:00 in Geneva (CET, UTC+1).
        (dt.datetime(2026, 3, 2, 7, 59, tzinfo=dt.UTC), "2026-01"),
        (dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC), "2026-02"),
        # After the change to summer time, 09:00 in Geneva is 07:00 UTC.
        (dt.datetime(2026, 4, 1, 6, 59, tzinfo=dt.UTC), "2026-02"),
        (dt.datetime(2026, 4, 1, 7, 0, tzinfo=dt.UTC), "2026-03"),
        # 1 November 2026 is a Sunday; back on winter time.
        (dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC), "2026-10"),
    ],
)
async def test_the_schedule_follows_geneva_time_across_daylight_saving(
    database: str, keyring, now: dt.datetime, period: str
) -> None:
    async with services_on(database, keyring, FrozenClock(now)) as services:
        await a_scheduler(services).queue_digest()
        assert {d["period"] for d in await queued(services, "digest")} == {period}


async def a_case_due(services: Services, due: dt.date) -> int:
    async with services.uow() as uow:
        reporter = services.roster.person_ids[next(iter(services.roster.person_ids))]
        case = await uow.cases.add(
            new_case(Spec(dt.date(2026, 10, 1), "CAT", "Viet Nam")),
            reference=await uow.cases.next_reference(2026),
            reporter_id=reporter,
            reporter_name="x",
            idempotency_key=None,
            now=services.clock.now(),
        )
        letter = NewAction("letter_to_state", dt.date(2026, 10, 2), reporter, ("CAT",), due_on=due)
        await uow.actions.add(case.id, letter, now=services.clock.now())
        await uow.actions.follow_up(
            case.id, FollowUp("awaiting_reply", due), now=services.clock.now()
        )
        await uow.commit()
        return case.id


async def test_reminders_go_once_before_the_due_date_and_once_when_overdue_across_a_restart(
    database: str, keyring
) -> None:
    clock = FrozenClock(dt.datetime(2026, 11, 10, 7, 0, tzinfo=dt.UTC))
    async with services_on(database, keyring, clock) as services:
        case = await a_case_due(services, dt.date(2026, 11, 20))
        assert await a_scheduler(services).queue_reminders() == 0  # 10 days before: too early
        clock.advance(days=3)  # 7 days before
        assert await a_scheduler(services).queue_reminders() == 1
        assert await a_scheduler(services).queue_reminders() == 0
    async with services_on(database, keyring, clock) as services:  # restarted the same day
        assert await a_scheduler(services).queue_reminders() == 0
        clock.advance(days=7)  # the due date itself: not yet overdue
        assert await a_scheduler(services).queue_reminders() == 0
    clock.advance(days=3)  # the bot was down on the 21st and the 22nd: caught up on the 23rd
    async with services_on(database, keyring, clock) as services:
        assert await a_scheduler(services).queue_reminders() == 1
        assert await a_scheduler(services).queue_reminders() == 0
        reminders = await queued(services, "reminder")
    assert [(r["reminder"], r["due_on"]) for r in reminders] == [
        ("due_soon", "2026-11-20"),
        ("overdue", "2026-11-20"),
    ]
    assert case


async def test_a_new_due_date_gets_its_own_reminders(database: str, keyring) -> None:
    clock = FrozenClock(dt.datetime(2026, 11, 25, 7, 0, tzinfo=dt.UTC))
    async with services_on(database, keyring, clock) as services:
        case = await a_case_due(services, dt.date(2026, 11, 20))
        assert await a_scheduler(services).queue_reminders() == 1  # overdue
        async with services.uow() as uow:  # a reminder to the State sets a new due date
            await uow.actions.follow_up(
                case, FollowUp("awaiting_reply", dt.date(2026, 12, 1)), now=clock.now()
            )
            await uow.commit()
        assert await a_scheduler(services).queue_reminders() == 1  # due soon, the new date


async def test_only_one_instance_leads_on_postgresql_and_another_takes_over(
    database_url: str,
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("advisory locks are PostgreSQL's; SQLite serves one instance")
    engine = create_engine(database_url)
    first, second = AdvisoryLockLeadership(engine), AdvisoryLockLeadership(engine)
    try:
        assert await first.try_lead()
        assert await first.try_lead()  # still
        assert not await second.try_lead()
        await first.release()
        assert await second.try_lead()
    finally:
        await first.release()
        await second.release()
        await engine.dispose()
