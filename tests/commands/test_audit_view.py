"""commands.audit_view on SQLite and PostgreSQL: the secretariat reads who read or changed a
case; everyone else is refused, and the refusal is itself on the trail."""

from __future__ import annotations

import pytest

from commands import audit_view, status
from commands.errors import CommandError, NoSuchCase, NotAllowed
from tests.commands.conftest import Office


async def test_the_secretariat_reads_who_reported_and_who_read_a_case(office: Office) -> None:
    reference = await office.report("Ana")
    await status.handle((reference,), actor=office["Hana"], core=office.core)
    trail = await audit_view.handle((reference.lower(),), actor=office["Sam"], core=office.core)
    assert trail.reference == reference
    assert [(line.who, line.action, line.decision) for line in trail.lines] == [
        ("Ana Example", "report", "allowed"),
        ("Hana Example", "read", "allowed"),
        ("Sam Secretariat", "audit", "allowed"),
    ]
    assert trail.lines[0].at == "2026-11-27 09:30:00 UTC"


async def test_a_focal_point_may_not_read_the_trail_and_the_attempt_is_recorded(
    office: Office,
) -> None:
    reference = await office.report("Ana")
    with pytest.raises(NotAllowed) as refused:
        await audit_view.handle((reference,), actor=office["Ana"], core=office.core)
    assert refused.value.message == "Only the secretariat can read a case's audit trail."
    last = (await office.trail())[-1]
    assert (last.actor_id, last.action, last.decision) == (
        office["Ana"].person_id,
        "audit",
        "denied",
    )


async def test_the_trail_of_an_unknown_case_is_no_such_case(office: Office) -> None:
    with pytest.raises(NoSuchCase):
        await audit_view.handle(("RPR-2026-0404",), actor=office["Sam"], core=office.core)


async def test_audit_without_a_reference_says_how_to_ask(office: Office) -> None:
    with pytest.raises(CommandError) as refused:
        await audit_view.handle(("Egypt",), actor=office["Sam"], core=office.core)
    assert refused.value.message == "Please give the case: `/reprisal audit RPR-2026-0001`."
