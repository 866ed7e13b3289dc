"""commands.related on SQLite and PostgreSQL: `link REF REF` by those who act on both cases,
said once, told in each thread whose channel may know of the other case; and the suggestions
queued when a report looks like an earlier one."""

from __future__ import annotations

import pytest

from commands import related, status
from commands.errors import CommandError, NoSuchCase
from tests.commands.conftest import Office


async def test_linking_two_cases_tells_both_threads_and_shows_in_each_case(office: Office) -> None:
    first = await office.report("Ana")
    second = await office.report("Ana", state_party="Egypt")
    linked = await related.link((first, second.lower()), actor=office["Goran"], core=office.core)
    assert (linked.first, linked.second, linked.already) == (first, second, False)
    ids = {await office.case_id(first), await office.case_id(second)}
    told = [n for n in await office.notices() if n.kind == related.LINKED]
    assert {n.case_id for n in told} == ids and {n.destination for n in told} == {"thread"}
    shown = await status.handle((first,), actor=office["Ana"], core=office.core)
    assert shown.case.linked == (second,)


async def test_linking_the_same_cases_again_is_said_once(office: Office) -> None:
    first, second = await office.report("Ana"), await office.report("Ana")
    await related.link((first, second), actor=office["Ana"], core=office.core)
    again = await related.link((second, first), actor=office["Ana"], core=office.core)
    assert again.already
    assert len([n for n in await office.notices() if n.kind == related.LINKED]) == 2


async def test_a_thread_is_not_told_of_a_restricted_case(office: Office) -> None:
    shared = await office.report("Ana")
    restricted = await office.report("Ana", confidentiality="restricted", consents=[])
    await related.link((shared, restricted), actor=office["Ana"], core=office.core)
    assert [n for n in await office.notices() if n.kind == related.LINKED] == []


async def test_another_committee_may_not_link_a_restricted_case(office: Office) -> None:
    ccpr = await office.report("Beatriz", lead_committee="CCPR", other_committees=[])
    restricted = await office.report("Ana", confidentiality="restricted", consents=[])
    with pytest.raises(CommandError) as refused:
        await related.link((ccpr, restricted), actor=office["Beatriz"], core=office.core)
    assert restricted in refused.value.message
    ccpr_id = await office.case_id(ccpr)
    async with office.core.uow() as uow:
        assert await uow.links.linked_to(ccpr_id) == []


async def test_a_case_cannot_be_linked_to_itself_nor_to_nothing(office: Office) -> None:
    reference = await office.report("Ana")
    with pytest.raises(CommandError, match="cannot be linked to itself"):
        await related.link((reference, reference.lower()), actor=office["Ana"], core=office.core)
    with pytest.raises(CommandError, match="Please name two cases"):
        await related.link((reference,), actor=office["Ana"], core=office.core)
    with pytest.raises(NoSuchCase):
        await related.link((reference, "RPR-2026-0999"), actor=office["Ana"], core=office.core)


async def test_a_report_like_an_earlier_one_suggests_it_in_the_thread(office: Office) -> None:
    earlier = await office.report("Ana")
    later = await office.report("Ana")
    suggested = [n for n in await office.notices() if n.kind == related.RELATED]
    assert [(n.case_id, n.destination) for n in suggested] == [
        (await office.case_id(later), "thread")
    ]
    assert suggested[0].payload["related"] == [[await office.case_id(earlier), "same_target"]]
