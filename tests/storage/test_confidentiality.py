"""A case's effective confidentiality: the Python rule and its SQL agree on every combination
of choice and consents, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.confidentiality import PUBLIC, RESTRICTED, SHARED, effective, effective_sql
from storage.crypto import KeyRing
from storage.engine import session_factory
from storage.models import CaseRow
from storage.records import Consents, NewCase, PersonRecord
from storage.uow import UnitOfWork

NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
COMBINATIONS = list(itertools.product((RESTRICTED, SHARED), (False, True), (False, True)))


def a_case(confidentiality: str, share_committees: bool, publish: bool) -> NewCase:
    return NewCase(
        state_party="Viet Nam",
        lead_committee="CAT",
        other_committees=("CERD",),
        received_on=NOW.date(),
        source="email",
        cooperation="session_geneva",
        timing="after",
        target_type="defender",
        target_count=1,
        target_names=("A Person",),
        organisations=(),
        acts=("threats",),
        acts_other=None,
        summary="Summary.",
        urgent=False,
        confidentiality=confidentiality,
        consents=Consents(share_committees=share_committees, publish=publish),
    )


@pytest.mark.parametrize(
    ("choice", "share_committees", "publish", "expected"),
    [
        (RESTRICTED, False, False, RESTRICTED),
        (RESTRICTED, True, True, RESTRICTED),
        (SHARED, False, True, RESTRICTED),  # shared without consent to share stays restricted
        (SHARED, True, False, SHARED),
        (SHARED, True, True, PUBLIC),
    ],
)
def test_shared_needs_consent_to_share_and_public_consent_to_publish(
    choice: str, share_committees: bool, publish: bool, expected: str
) -> None:
    assert effective(choice, share_committees, publish) == expected
    assert a_case(choice, share_committees, publish).effective_confidentiality == expected


async def store_every_combination(engine: AsyncEngine, keyring: KeyRing) -> dict[str, str]:
    """One case per combination; each reference with the record's effective confidentiality."""
    async with UnitOfWork(session_factory(engine), keyring) as uow:
        person = PersonRecord(0, "slack:U1", "Ana", "U1", None, (("focal_point", "CAT"),))
        reporter = (await uow.people.sync([person]))["slack:U1"]
        for combination in COMBINATIONS:
            await uow.cases.add(
                a_case(*combination),
                reference=await uow.cases.next_reference(2026),
                reporter_id=reporter,
                reporter_name="Ana",
                idempotency_key=None,
                now=NOW,
            )
        await uow.commit()
    async with UnitOfWork(session_factory(engine), keyring) as uow:
        cases = await uow.cases.find(limit=100)
    return {c.reference: c.facts.effective_confidentiality for c in cases}


async def test_the_sql_expression_agrees_with_the_record(
    engine: AsyncEngine, keyring: KeyRing
) -> None:
    in_python = await store_every_combination(engine, keyring)
    async with session_factory(engine)() as session:
        rows = await session.execute(select(CaseRow.reference, effective_sql()))
        in_sql = {reference: level for reference, level in rows}
    assert in_sql == in_python
    assert sorted(in_python.values()) == sorted(effective(*c) for c in COMBINATIONS)
    assert set(in_python.values()) == {RESTRICTED, SHARED, PUBLIC}


async def test_the_sql_expression_filters_as_the_record_reads(
    engine: AsyncEngine, keyring: KeyRing
) -> None:
    in_python = await store_every_combination(engine, keyring)
    async with session_factory(engine)() as session:
        for level in (RESTRICTED, SHARED, PUBLIC):
            query = select(CaseRow.reference).where(effective_sql() == level)
            found = set(await session.scalars(query))
            assert found == {ref for ref, value in in_python.items() if value == level}
