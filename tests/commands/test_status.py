"""commands.status on SQLite and PostgreSQL: one case, a State's or a committee's cases, each as
far as the reader may see it; what may not be seen answers like what does not exist."""

from __future__ import annotations

import pytest

from commands import status
from commands.errors import CommandError, NoSuchCase
from tests.commands.conftest import Office


async def test_status_shows_the_reporting_focal_point_the_victims_names(office: Office) -> None:
    reference = await office.report("Ana")
    shown = await status.handle((reference,), actor=office["Ana"], core=office.core)
    assert shown.case.target_names == ("First Person", "Second Person")
    assert shown.case.summary == "Stopped at the airport on return from the session."


async def test_status_hides_the_victims_names_from_a_chair(office: Office) -> None:
    reference = await office.report("Ana")
    shown = await status.handle((reference.lower(),), actor=office["Hana"], core=office.core)
    assert shown.case.reference == reference and shown.case.state_party == "Viet Nam"
    assert shown.case.target_names == () and shown.case.summary is None


async def test_a_restricted_case_answers_another_committee_as_if_it_did_not_exist(
    office: Office,
) -> None:
    reference = await office.report("Ana", confidentiality="restricted", consents=[])
    with pytest.raises(NoSuchCase) as hidden:
        await status.handle((reference,), actor=office["Beatriz"], core=office.core)
    with pytest.raises(NoSuchCase) as missing:
        await status.handle(("RPR-2026-0999",), actor=office["Beatriz"], core=office.core)
    assert hidden.value.message == f"No case {reference} that you can see."
    assert missing.value.message == "No case RPR-2026-0999 that you can see."
    reads = [
        (e.actor_id, e.case_id, e.decision) for e in await office.trail() if e.action == "read"
    ]
    beatriz = office["Beatriz"].person_id
    assert (beatriz, await office.case_id(reference), "denied") in reads


async def test_status_of_a_state_lists_only_the_cases_the_reader_may_see(office: Office) -> None:
    shared = await office.report("Ana")
    await office.report("Ana", confidentiality="restricted", consents=[])
    await office.report("Ana", state_party="Egypt")
    listed = await status.handle(("viet", "nam"), actor=office["Beatriz"], core=office.core)
    assert listed.title == "Cases concerning Viet Nam"
    assert [c.reference for c in listed.cases] == [shared]


async def test_status_of_a_committee_lists_its_cases(office: Office) -> None:
    cat = await office.report("Ana")
    await office.report("Beatriz", lead_committee="CCPR", other_committees=[])
    listed = await status.handle(("cat",), actor=office["Sam"], core=office.core)
    assert cat in [c.reference for c in listed.cases]
    assert all("CAT" in (c.lead_committee, *c.committees) for c in listed.cases)


async def test_status_without_words_says_how_to_ask(office: Office) -> None:
    with pytest.raises(CommandError) as refused:
        await status.handle((), actor=office["Ana"], core=office.core)
    assert "/reprisal status RPR-2026-0001" in refused.value.message


async def test_status_of_an_unknown_name_says_what_it_knows(office: Office) -> None:
    with pytest.raises(CommandError) as refused:
        await status.handle(("Atlantis",), actor=office["Ana"], core=office.core)
    assert "I know no State, committee or case called 'Atlantis'" in refused.value.message
