"""commands.report on SQLite and PostgreSQL: who may report, what the form starts with, and
what one report stores, audits and queues for delivery, together."""

from __future__ import annotations

import pytest

from commands import report
from commands.errors import FormInvalid, NotAllowed, NotInDirectory
from commands.roles import Actor
from tests.commands.conftest import Office
from tests.commands.test_form import answers


async def test_the_form_opens_with_the_reporters_committee_and_today(office: Office) -> None:
    form = await report.open_form(actor=office["Goran"], core=office.core)
    assert form.defaults["lead_committee"] == "CAT"
    assert form.defaults["received_on"] == "2026-11-27"
    assert form.defaults["confidentiality"] == "restricted"


async def test_a_report_is_saved_with_its_card_alert_and_receipt_queued(office: Office) -> None:
    saved = await report.submit(
        answers(), actor=office["Ana"], core=office.core, idempotency_key="view-1"
    )
    assert saved.reference == "RPR-2026-0001" and not saved.duplicate
    assert saved.case.state_party == "Viet Nam" and saved.case.lead_committee == "CAT"
    queued = {(n.kind, n.destination, n.recipient_id) for n in await office.notices()}
    ana, quinn, rosa = office["Ana"], office["Quinn"], office["Rosa"]
    assert queued == {
        ("case_card", "channel", None),
        ("committees_alerted", "thread", None),
        ("report_saved", "dm", ana.person_id),
    }, "an urgent case goes to the ASG office only with the person's consent"
    assert quinn.person_id not in {n.recipient_id for n in await office.notices()}
    assert rosa.person_id not in {n.recipient_id for n in await office.notices()}
    entries = [(e.actor_id, e.action, e.decision) for e in await office.trail()]
    assert (ana.person_id, "report", "allowed") in entries


async def test_an_urgent_case_with_consent_is_sent_to_everyone_in_the_asg_office(
    office: Office,
) -> None:
    await office.report("Ana", consents=["share_committees", "share_asg"])
    urgent = {n.recipient_id for n in await office.notices() if n.kind == "urgent_case"}
    assert urgent == {office["Quinn"].person_id, office["Rosa"].person_id}


async def test_the_same_form_submitted_twice_is_stored_once(office: Office) -> None:
    first = await report.submit(
        answers(), actor=office["Ana"], core=office.core, idempotency_key="view-1"
    )
    again = await report.submit(
        answers(), actor=office["Ana"], core=office.core, idempotency_key="view-1"
    )
    assert again.reference == first.reference and again.duplicate
    async with office.core.uow() as uow:
        assert [c.reference for c in await uow.cases.find()] == [first.reference]
    assert [n.kind for n in await office.notices()].count("case_card") == 1


async def test_a_chair_may_not_report_and_is_told_who_can(office: Office) -> None:
    with pytest.raises(NotAllowed) as refused:
        await report.submit(answers(), actor=office["Hana"], core=office.core, idempotency_key=None)
    assert "Only focal points, alternates and the secretariat" in refused.value.message
    async with office.core.uow() as uow:
        assert await uow.cases.find() == []
    assert await office.notices() == []
    entries = [(e.actor_id, e.action, e.decision) for e in await office.trail()]
    assert entries == [(office["Hana"].person_id, "report", "denied")]


async def test_someone_not_in_the_directory_may_not_open_the_form(office: Office) -> None:
    stranger = Actor(person_id=999, name="Stranger", roles=frozenset())
    with pytest.raises(NotInDirectory):
        await report.open_form(actor=stranger, core=office.core)
    assert [(e.action, e.decision) for e in await office.trail()] == [("report", "denied")]


async def test_an_invalid_report_names_each_wrong_answer_and_stores_nothing(
    office: Office,
) -> None:
    wrong = answers(state_party="", received_on="2027-01-01")
    with pytest.raises(FormInvalid) as refused:
        await report.submit(wrong, actor=office["Ana"], core=office.core, idempotency_key=None)
    assert set(refused.value.errors) == {"state_party", "received_on"}
    async with office.core.uow() as uow:
        assert await uow.cases.find() == []
    assert await office.notices() == []


async def test_the_secretariat_may_report_for_any_committee(office: Office) -> None:
    saved = await report.submit(
        answers(lead_committee="CRC"), actor=office["Sam"], core=office.core, idempotency_key=None
    )
    assert saved.case.lead_committee == "CRC"
