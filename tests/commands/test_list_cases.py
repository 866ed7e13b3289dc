"""commands.list_cases on SQLite and PostgreSQL: open, mine and overdue, each only as far as the
reader may see."""

from __future__ import annotations

import datetime as dt

import pytest

from commands import list_cases
from commands.errors import CommandError
from storage.actions import FollowUp
from tests.commands.conftest import Office


async def await_reply(office: Office, reference: str, due: dt.date) -> None:
    case_id = await office.case_id(reference)
    async with office.core.uow() as uow:
        await uow.actions.follow_up(
            case_id, FollowUp("awaiting_reply", due), now=office.core.clock.now()
        )
        await uow.commit()


async def test_list_open_leaves_out_a_restricted_case_of_another_committee(office: Office) -> None:
    shared = await office.report("Ana")
    await office.report("Ana", confidentiality="restricted", consents=[])
    listed = await list_cases.handle(("open",), actor=office["Beatriz"], core=office.core)
    assert [c.reference for c in listed.cases] == [shared]
    everything = await list_cases.handle(("OPEN",), actor=office["Goran"], core=office.core)
    assert len(everything.cases) == 2


async def test_list_mine_holds_the_cases_my_committee_leads(office: Office) -> None:
    cat = await office.report("Ana")
    await office.report("Beatriz", lead_committee="CCPR", other_committees=[])
    listed = await list_cases.handle(("mine",), actor=office["Goran"], core=office.core)
    assert [c.reference for c in listed.cases] == [cat]


async def test_list_overdue_holds_only_replies_due_before_today(office: Office) -> None:
    late = await office.report("Ana")
    on_time = await office.report("Ana")
    await await_reply(office, late, dt.date(2026, 11, 26))
    await await_reply(office, on_time, dt.date(2026, 11, 27))
    listed = await list_cases.handle(("overdue",), actor=office["Ana"], core=office.core)
    assert [c.reference for c in listed.cases] == [late] and listed.cases[0].overdue


async def test_an_empty_list_says_so_and_each_case_listed_is_audited(office: Office) -> None:
    listed = await list_cases.handle(("overdue",), actor=office["Ana"], core=office.core)
    assert listed.cases == () and listed.empty == "No State reply is overdue on a case you can see."
    await office.report("Ana")
    await list_cases.handle(("open",), actor=office["Hana"], core=office.core)
    reads = [e for e in await office.trail() if e.action == "read"]
    assert [(e.actor_id, e.decision) for e in reads] == [(office["Hana"].person_id, "allowed")]


async def test_an_unknown_list_names_the_three_there_are(office: Office) -> None:
    with pytest.raises(CommandError) as refused:
        await list_cases.handle(("closed",), actor=office["Ana"], core=office.core)
    assert "`/reprisal list open`, `/reprisal list mine` or `/reprisal list overdue`" in (
        refused.value.message
    )
