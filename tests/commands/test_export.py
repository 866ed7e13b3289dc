"""commands.export on SQLite and PostgreSQL: the secretariat's file for the annual reports holds
the facts of each case, never a name or a summary; each case exported is on its own trail."""

from __future__ import annotations

import pytest

from commands import export
from commands.errors import NotAllowed
from tests.commands.conftest import Office


async def test_the_export_holds_the_facts_of_every_case_and_no_names(office: Office) -> None:
    first = await office.report("Ana")
    second = await office.report("Beatriz", lead_committee="CCPR", other_committees=[])
    rows = await export.cases(actor=office["Sam"], core=office.core)
    assert [row["reference"] for row in rows] == [first, second]
    assert all(tuple(row) == export.COLUMNS for row in rows)
    assert rows[0]["state_party"] == "Viet Nam" and rows[0]["acts"] == "Threats; Travel ban"
    text = repr(rows)
    assert "First Person" not in text and "An NGO" not in text and "airport" not in text


async def test_each_case_exported_and_the_export_itself_are_audited(office: Office) -> None:
    reference = await office.report("Ana")
    await export.cases(actor=office["Tess"], core=office.core)
    exported = [(e.case_id, e.detail) for e in await office.trail() if e.action == "export"]
    assert exported == [(await office.case_id(reference), {}), (None, {"cases": 1})]


async def test_a_focal_point_may_not_export_and_the_attempt_is_recorded(office: Office) -> None:
    await office.report("Ana")
    with pytest.raises(NotAllowed) as refused:
        await export.cases(actor=office["Ana"], core=office.core)
    assert refused.value.message == "Only the secretariat can export cases."
    last = (await office.trail())[-1]
    assert (last.actor_id, last.action, last.decision) == (
        office["Ana"].person_id,
        "export",
        "denied",
    )
