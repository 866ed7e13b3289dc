"""Encryption at rest: names and summaries are sealed per case; misplaced ciphertext is named."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.crypto import CiphertextMismatch, KeyProblem, KeyRing, generate_master_key
from storage.engine import create_engine, session_factory
from storage.records import SealedParts
from storage.schema import upgrade
from storage.uow import UnitOfWork
from tests.conftest import MASTER_KEY
from tests.storage.test_repositories import NOW, a_case, a_reporter

CANARY = "Zyxwv Canary-Person"
SUMMARY = "Qwertz canary summary, arrested at the airport"


async def store(uow, **changes) -> int:
    reporter = await a_reporter(uow)
    async with uow() as work:
        reference = await work.cases.next_reference(2026)
        case = await work.cases.add(
            a_case(target_names=(CANARY,), summary=SUMMARY, **changes),
            reference=reference,
            reporter_id=reporter,
            reporter_name="Ana",
            idempotency_key=None,
            now=NOW,
        )
        await work.commit()
    return case.id


async def opened(work: UnitOfWork, case_id: int) -> SealedParts:
    """The case's sealed parts, opened as a reader at FULL would have them."""
    case = await work.cases.get(case_id)
    assert case is not None
    return await work.cases.unseal(case)


@pytest.fixture
def uow(engine, keyring):
    factory = session_factory(engine)
    return lambda: UnitOfWork(factory, keyring)


async def test_names_and_summary_are_not_in_the_database_in_clear(uow, engine) -> None:
    await store(uow)
    async with engine.connect() as connection:
        rows = (await connection.execute(text("SELECT * FROM targets"))).all()
        cases = (await connection.execute(text("SELECT * FROM cases"))).all()
    dump = repr(rows) + repr(cases)
    assert CANARY.encode() not in dump.encode() and "Qwertz" not in dump


async def test_the_sqlite_files_hold_no_name_without_the_key(tmp_path: Path, keyring) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'bot.db'}")
    await upgrade(engine)
    factory = session_factory(engine)
    await store(lambda: UnitOfWork(factory, keyring))
    await engine.dispose()
    for name, data in _files(tmp_path).items():
        assert CANARY.encode() not in data and b"Qwertz" not in data, name


def _files(folder: Path) -> dict[str, bytes]:
    return {file.name: file.read_bytes() for file in folder.iterdir()}


async def test_a_ciphertext_moved_to_another_case_fails_with_a_named_error(uow, engine) -> None:
    first = await store(uow)
    second = await store(uow)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "UPDATE cases SET summary_sealed = (SELECT summary_sealed FROM cases WHERE id = :a)"
                " WHERE id = :b"
            ),
            {"a": first, "b": second},
        )
    async with uow() as work:
        with pytest.raises(CiphertextMismatch, match=f"'summary' of case id {second}"):
            await opened(work, second)
        assert (await opened(work, first)).summary == SUMMARY


async def test_without_the_right_master_key_nothing_opens(uow, engine) -> None:
    case_id = await store(uow)
    stranger = KeyRing.parse(generate_master_key("other"))
    async with UnitOfWork(session_factory(engine), stranger) as work:
        with pytest.raises(KeyProblem, match="master key 'test'"):
            await opened(work, case_id)


async def test_rotation_reseals_every_key_while_reads_go_on(engine, keyring) -> None:
    factory = session_factory(engine)
    old_only = lambda: UnitOfWork(factory, keyring)  # noqa: E731
    ids = [await store(old_only) for _ in range(6)]
    newest = generate_master_key("new")
    new = KeyRing.parse(f"{newest},{MASTER_KEY}")
    both = lambda: UnitOfWork(factory, new)  # noqa: E731
    stop = asyncio.Event()
    reads = 0

    async def keep_reading() -> None:
        nonlocal reads
        while not stop.is_set():
            async with both() as work:
                for case_id in ids:
                    assert (await opened(work, case_id)).target_names == (CANARY,)
                    reads += 1
            await asyncio.sleep(0.01)

    reader = asyncio.create_task(keep_reading())
    total = 0
    while True:
        async with both() as work:
            done = await work.cases.rewrap_keys(batch=2)
            await work.commit()
        total += done
        await asyncio.sleep(0.01)
        if not done:
            break
    stop.set()
    await reader
    assert total == len(ids) and reads > 0
    new_only = KeyRing.parse(newest)
    async with UnitOfWork(factory, new_only) as work:
        for case_id in ids:
            assert (await opened(work, case_id)).summary == SUMMARY


def test_a_malformed_master_key_is_refused() -> None:
    with pytest.raises(KeyProblem):
        KeyRing.parse("k1:not-base64")
    with pytest.raises(KeyProblem):
        KeyRing.parse("")


async def test_erasure_destroys_the_key_and_keeps_the_anonymous_facts(uow) -> None:
    case_id = await store(uow)
    async with uow() as work:
        assert await work.cases.erase(case_id, now=NOW + dt.timedelta(days=1))
        await work.commit()
    async with uow() as work:
        case = await work.cases.get(case_id)
        assert not await work.cases.erase(case_id, now=NOW)
        assert await work.cases.unseal(case) == SealedParts()
    assert case.erased and case.facts.summary == "" and case.facts.target_names == ()
    assert case.facts.state_party == "Viet Nam" and case.facts.acts == ("threats", "travel_ban")
    assert case.facts.target_count == 1


async def test_after_erasure_the_key_bytes_are_gone_from_the_sqlite_files(
    tmp_path: Path, keyring: KeyRing
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'bot.db'}")
    await upgrade(engine)
    factory = session_factory(engine)
    case_id = await store(lambda: UnitOfWork(factory, keyring))
    async with engine.connect() as connection:
        wrapped = (
            await connection.execute(
                text("SELECT wrapped FROM case_keys WHERE case_id = :id"), {"id": case_id}
            )
        ).scalar_one()
        sealed = (
            await connection.execute(
                text("SELECT summary_sealed FROM cases WHERE id = :id"), {"id": case_id}
            )
        ).scalar_one()
    assert any(wrapped in data for data in _files(tmp_path).values())
    async with UnitOfWork(factory, keyring) as work:
        assert await work.cases.erase(case_id, now=NOW)
        await work.commit()
        await work.scrub()
    # Looked at while the bot still runs (closing the last connection would checkpoint anyway).
    for name, data in _files(tmp_path).items():
        assert wrapped not in data and sealed not in data, name
    await engine.dispose()
