"""commands.erase on SQLite and PostgreSQL: only the secretariat erases, only after confirming;
the names and summary are gone for good, and nothing more is sent about the case."""

from __future__ import annotations

import pytest

from commands import erase, status
from commands.errors import CommandError, NoSuchCase, NotAllowed
from tests.commands.conftest import Office


async def test_asking_to_erase_only_asks_for_confirmation(office: Office) -> None:
    reference = await office.report("Ana")
    asked = await erase.handle((reference, "confirm"), actor=office["Sam"], core=office.core)
    assert asked.reference == reference
    shown = await status.handle((reference,), actor=office["Ana"], core=office.core)
    assert shown.case.target_names == ("First Person", "Second Person")
    assert ("erase-request", "allowed") in [(e.action, e.decision) for e in await office.trail()]


async def test_a_confirmed_erasure_destroys_the_names_and_cancels_pending_notices(
    office: Office,
) -> None:
    reference = await office.report("Ana")
    erased = await erase.confirm(reference.lower(), actor=office["Sam"], core=office.core)
    assert erased.reference == reference
    shown = await status.handle((reference,), actor=office["Ana"], core=office.core)
    assert shown.case.target_names == () and not shown.case.summary
    case_id = await office.case_id(reference)
    withdrawn = {(n.status, n.last_error) for n in await office.notices() if n.case_id == case_id}
    assert withdrawn == {("failed", "case erased")}
    last = [(e.actor_id, e.action, e.case_id) for e in await office.trail()][-2]
    assert last == (office["Sam"].person_id, "erase", case_id)


async def test_a_case_is_erased_once(office: Office) -> None:
    reference = await office.report("Ana")
    await erase.confirm(reference, actor=office["Sam"], core=office.core)
    with pytest.raises(CommandError) as again:
        await erase.confirm(reference, actor=office["Tess"], core=office.core)
    assert again.value.message == f"{reference} was already erased."


async def test_a_focal_point_gets_the_same_refusal_whether_the_case_exists_or_not(
    office: Office,
) -> None:
    reference = await office.report("Ana")
    for asked in (reference, "RPR-2026-0999"):
        with pytest.raises(NotAllowed) as refused:
            await erase.confirm(asked, actor=office["Ana"], core=office.core)
        assert refused.value.message == "Only the secretariat can erase a case."
    shown = await status.handle((reference,), actor=office["Ana"], core=office.core)
    assert shown.case.target_names == ("First Person", "Second Person")
    denied = [e.action for e in await office.trail() if e.decision == "denied"]
    assert denied == ["erase", "erase"]


async def test_the_secretariat_is_told_when_there_is_no_such_case(office: Office) -> None:
    with pytest.raises(NoSuchCase):
        await erase.handle(("RPR-2026-0999",), actor=office["Sam"], core=office.core)


async def test_erase_without_a_reference_says_how_to_ask(office: Office) -> None:
    with pytest.raises(CommandError) as refused:
        await erase.handle((), actor=office["Sam"], core=office.core)
    assert refused.value.message == "Please give the case: `/reprisal erase RPR-2026-0001`."
