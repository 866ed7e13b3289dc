"""Erasure and the audit trail through Slack: secretariat only, confirmed, and recorded."""

from __future__ import annotations

import json

from tests.bot.conftest import BotUnderTest
from tests.bot.slack.report_payloads import ANA, IVAN, SAM, STRANGER, VICTIM, submission
from tests.fakes.signing import block_actions_payload


async def a_case(bot: BotUnderTest) -> None:
    _, body = await bot.interact(submission(ANA, "V0ERASE01"))
    assert body["response_action"] == "update"
    await bot.delivered()


async def test_secretariat_erases_a_case_after_confirming(bot: BotUnderTest) -> None:
    await a_case(bot)
    ask = await bot.ask(SAM, "erase RPR-2026-0001")
    button = next(
        element
        for block in ask["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    )
    assert button["value"] == "RPR-2026-0001" and "confirm" in button
    assert VICTIM not in json.dumps(ask)
    # Nothing is erased until the button is pressed.
    still = json.dumps(await bot.ask(SAM, "status RPR-2026-0001"), ensure_ascii=False)
    assert VICTIM in still

    response_url = bot.slack.new_response_url()
    click = block_actions_payload(
        user_id=SAM,
        action_id="erase_case",
        block_id="erase",
        value="RPR-2026-0001",
        response_url=response_url,
    )
    status, _ = await bot.interact(click)
    assert status == 200
    answer = await bot.answer_at(response_url)
    assert "is erased" in json.dumps(answer)

    after = json.dumps(await bot.ask(SAM, "status RPR-2026-0001"), ensure_ascii=False)
    assert VICTIM not in after and "Viet Nam" in after and "Threatened" not in after


async def test_only_the_secretariat_may_erase_or_read_the_trail(bot: BotUnderTest) -> None:
    await a_case(bot)
    for user in (ANA, IVAN):
        answer = await bot.ask(user, "erase RPR-2026-0001 confirm")
        assert answer["text"] == "Only the secretariat can erase a case."
        trail = await bot.ask(user, "audit RPR-2026-0001")
        assert trail["text"] == "Only the secretariat can read a case's audit trail."
    still = json.dumps(await bot.ask(SAM, "status RPR-2026-0001"), ensure_ascii=False)
    assert VICTIM in still


async def test_the_trail_records_reads_denials_and_messages(bot: BotUnderTest) -> None:
    await a_case(bot)
    await bot.ask(IVAN, "status RPR-2026-0001")  # shared: allowed
    await bot.ask(STRANGER, "status RPR-2026-0001")  # outside the directory: denied
    trail = json.dumps(await bot.ask(SAM, "audit RPR-2026-0001"), ensure_ascii=False)
    assert "Ana Example · report · allowed" in trail
    assert "Ivan Example · read · allowed · status" in trail
    assert "notify · allowed · case_card" in trail
    assert VICTIM not in trail
    async with bot.running.services.uow() as uow:
        verdict = await uow.audit.verify()
        entries = await uow.audit.for_case(1)
    assert verdict.intact
    denied = [e for e in entries if e.decision == "denied"]
    assert not denied  # the stranger's attempt names no case: it is recorded without one
    async with bot.running.services.uow() as uow:
        everything = await uow.audit.verify()
    assert everything.entries > len(entries)


async def test_a_denied_read_is_recorded_against_the_case(bot: BotUnderTest) -> None:
    from tests.fakes.signing import select_state

    restricted = select_state("restricted", type="radio_buttons")
    await bot.interact(submission(ANA, "V0ERASE02", confidentiality=restricted))
    answer = await bot.ask(IVAN, "status RPR-2026-0001")
    assert answer["text"] == "No case RPR-2026-0001 that you can see."
    trail = json.dumps(await bot.ask(SAM, "audit RPR-2026-0001"), ensure_ascii=False)
    assert "Ivan Example · read · denied · status" in trail
