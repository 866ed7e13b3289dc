"""Repositories on real SQLite and PostgreSQL: references, idempotency, people, the outbox."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt

import pytest

from storage.engine import session_factory
from storage.errors import AlreadyRecorded
from storage.records import Consents, NewCase, PersonRecord, SealedParts
from storage.uow import UnitOfWork

NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


def a_case(**changes: object) -> NewCase:
    values: dict[str, object] = {
        "state_party": "Viet Nam",
        "lead_committee": "CAT",
        "other_committees": ("CERD",),
        "received_on": dt.date(2026, 11, 20),
        "source": "email",
        "cooperation": "session_geneva",
        "timing": "after",
        "target_type": "defender",
        "target_count": 1,
        "target_names": ("A Person",),
        "organisations": ("An NGO",),
        "acts": ("threats", "travel_ban"),
        "acts_other": None,
        "summary": "Summary.",
        "urgent": False,
        "confidentiality": "shared",
        "consents": Consents(share_committees=True),
    }
    values.update(changes)
    return NewCase(**values)  # type: ignore[arg-type]


@pytest.fixture
def uow(engine, keyring) -> object:
    factory = session_factory(engine)
    return lambda: UnitOfWork(factory, keyring)


async def a_reporter(uow) -> int:
    async with uow() as work:
        ids = await work.people.sync(
            [PersonRecord(0, "slack:U1", "Ana", "U1", None, (("focal_point", "CAT"),))]
        )
        await work.commit()
    return ids["slack:U1"]


async def test_a_stored_case_comes_back_whole(uow) -> None:
    reporter = await a_reporter(uow)
    async with uow() as work:
        reference = await work.cases.next_reference(2026)
        stored = await work.cases.add(
            a_case(),
            reference=reference,
            reporter_id=reporter,
            reporter_name="Ana",
            idempotency_key="k1",
            now=NOW,
        )
        await work.commit()
    async with uow() as work:
        found = await work.cases.by_reference("rpr-2026-0001")
        assert found is not None
        opened = await work.cases.unseal(found)
    sealed = {"target_names": (), "organisations": (), "summary": "", "acts_other": None}
    assert found == dataclasses.replace(stored, facts=dataclasses.replace(stored.facts, **sealed))
    assert found.facts == a_case(**sealed)  # read from storage, the sealed parts stay sealed
    assert opened == SealedParts(("A Person",), ("An NGO",), "Summary.", None)
    assert found.created_at == NOW and found.reporter_name == "Ana"


async def test_nothing_is_kept_without_commit(uow) -> None:
    reporter = await a_reporter(uow)
    async with uow() as work:
        reference = await work.cases.next_reference(2026)
        await work.cases.add(
            a_case(),
            reference=reference,
            reporter_id=reporter,
            reporter_name="Ana",
            idempotency_key=None,
            now=NOW,
        )
    async with uow() as work:
        assert await work.cases.count() == 0
        assert await work.cases.next_reference(2026) == "RPR-2026-0001"


async def test_concurrent_reports_get_distinct_consecutive_references(uow) -> None:
    reporter = await a_reporter(uow)

    async def report(n: int) -> str:
        async with uow() as work:
            reference = await work.cases.next_reference(2026)
            await work.cases.add(
                a_case(),
                reference=reference,
                reporter_id=reporter,
                reporter_name="Ana",
                idempotency_key=f"k{n}",
                now=NOW,
            )
            await work.commit()
            return reference

    references = await asyncio.gather(*(report(n) for n in range(12)))
    assert sorted(references) == [f"RPR-2026-{n:04d}" for n in range(1, 13)]
    async with uow() as work:
        assert await work.cases.next_reference(2027) == "RPR-2027-0001"


async def test_the_same_idempotency_key_is_recorded_once(uow) -> None:
    reporter = await a_reporter(uow)
    async with uow() as work:
        await work.cases.add(
            a_case(),
            reference="RPR-2026-0001",
            reporter_id=reporter,
            reporter_name="Ana",
            idempotency_key="slack:view:V1",
            now=NOW,
        )
        await work.commit()
    async with uow() as work:
        with pytest.raises(AlreadyRecorded):
            await work.cases.add(
                a_case(),
                reference="RPR-2026-0002",
                reporter_id=reporter,
                reporter_name="Ana",
                idempotency_key="slack:view:V1",
                now=NOW,
            )
    async with uow() as work:
        assert await work.cases.count() == 1


async def test_people_follow_the_directory_and_leavers_lose_their_roles(uow) -> None:
    first = [
        PersonRecord(0, "slack:U1", "Ana", "U1", None, (("focal_point", "CAT"),)),
        PersonRecord(
            0, "email:b@example.org", "Bo", None, "b@example.org", (("secretariat", None),)
        ),
    ]
    async with uow() as work:
        ids = await work.people.sync(first)
        await work.commit()
    changed = [
        PersonRecord(0, "slack:U1", "Ana", "U1", None, (("focal_point", "CAT"), ("chair", "CAT")))
    ]
    async with uow() as work:
        again = await work.people.sync(changed)
        await work.commit()
    assert again["slack:U1"] == ids["slack:U1"]
    async with uow() as work:
        active = await work.people.active()
    assert [(p.name, sorted(p.roles, key=str)) for p in active] == [
        ("Ana", [("chair", "CAT"), ("focal_point", "CAT")])
    ]


async def test_people_synced_by_two_at_once_are_stored_once_with_their_roles(uow) -> None:
    people = [
        PersonRecord(0, "slack:U1", "Ana", "U1", None, (("focal_point", "CAT"),)),
        PersonRecord(0, "slack:U2", "Sam", "U2", None, (("secretariat", None),)),
    ]

    async def sync() -> dict[str, int]:
        async with uow() as work:
            ids = await work.people.sync(people)
            await work.commit()
        return ids

    first, second = await asyncio.gather(sync(), sync())
    assert first == second
    async with uow() as work:
        stored = sorted((p.name, p.roles) for p in await work.people.every())
    assert stored == [("Ana", (("focal_point", "CAT"),)), ("Sam", (("secretariat", None),))]


async def test_a_slack_deactivation_is_kept_until_reactivation_whatever_the_directory(uow) -> None:
    ana = PersonRecord(0, "slack:U1", "Ana", "U1", None, (("focal_point", "CAT"),))
    async with uow() as work:
        ids = await work.people.sync([ana])
        assert await work.people.deactivate("U1", at=NOW)
        assert not await work.people.deactivate("U1", at=NOW)  # known already
        await work.commit()
    async with uow() as work:
        await work.people.sync([ana])  # the directory re-read: Slack's word still stands
        await work.commit()
    async with uow() as work:
        assert await work.people.get(ids["slack:U1"]) is None
        assert await work.people.active() == []
        assert [p.name for p in await work.people.every()] == ["Ana"]
        assert await work.people.reactivate("U1")
        await work.commit()
    async with uow() as work:
        assert [p.name for p in await work.people.active()] == ["Ana"]
        assert not await work.people.reactivate("U1")


async def test_outbox_keeps_order_within_a_thread_and_leases_each_notice_once(uow) -> None:
    async with uow() as work:
        for kind in ("card", "reply"):
            await work.outbox.add(
                kind=kind, platform="slack", destination="channel", ordering_key="case:1", now=NOW
            )
        await work.outbox.add(
            kind="dm", platform="slack", destination="dm", ordering_key="dm:1", now=NOW
        )
        await work.outbox.add(
            kind="console", platform="console", destination="dm", ordering_key="dm:1", now=NOW
        )
        await work.commit()
    lease = dt.timedelta(seconds=60)
    claimed = []
    for _ in range(3):
        async with uow() as work:
            notice = await work.outbox.claim_next("slack", NOW, lease)
            await work.commit()
        claimed.append(notice.kind if notice else None)
    # "reply" waits for "card" to be sent; the leased "card" is not handed out twice.
    assert claimed == ["card", "dm", None]
    async with uow() as work:
        first = await work.outbox.claim_next("slack", NOW + lease, lease)  # lease expired
        assert first is not None and first.kind == "card" and first.attempts == 2
        await work.outbox.mark_sent(first.id, ref="1.0001", now=NOW)
        await work.commit()
    async with uow() as work:
        nxt = await work.outbox.claim_next("slack", NOW + lease, lease)
        assert nxt is not None and nxt.kind == "reply"
