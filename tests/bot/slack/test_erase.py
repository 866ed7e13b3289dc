"""Erasure through signed Slack requests: whatever is typed after the reference, the command only
shows the confirmation button; the button alone erases."""

from __future__ import annotations

import json

import pytest

from tests.bot.conftest import BotUnderTest
from tests.bot.slack.report_payloads import ANA, SAM, VICTIM, submission
from tests.fakes.signing import block_actions_payload


async def a_case(bot: BotUnderTest) -> None:
    _, body = await bot.interact(submission(ANA, "V0ERASE11"))
    assert body["response_action"] == "update"
    await bot.delivered()


def erase_button(answer: dict) -> dict:
    [button] = [
        element
        for block in answer.get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == "erase_case"
    ]
    return button


@pytest.mark.parametrize(
    "typed",
    ["erase RPR-2026-0001 confirm", "erase rpr-2026-0001 CONFIRM now", "erase RPR-2026-0001 yes"],
)
async def test_erase_typed_with_confirm_erases_nothing_and_shows_the_button(
    bot: BotUnderTest, typed: str
) -> None:
    await a_case(bot)
    answer = await bot.ask(SAM, typed)
    button = erase_button(answer)
    assert button["value"] == "RPR-2026-0001" and "confirm" in button
    still = json.dumps(await bot.ask(SAM, "status RPR-2026-0001"), ensure_ascii=False)
    assert VICTIM in still
    async with bot.running.services.uow() as uow:
        actions = [e.action for e in await uow.audit.for_case(1)]
    assert "erase-request" in actions and "erase" not in actions


async def test_only_the_button_erases(bot: BotUnderTest) -> None:
    await a_case(bot)
    erase_button(await bot.ask(SAM, "erase RPR-2026-0001 confirm"))
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
    assert "is erased" in json.dumps(await bot.answer_at(response_url))
    after = json.dumps(await bot.ask(SAM, "status RPR-2026-0001"), ensure_ascii=False)
    assert VICTIM not in after


async def test_the_button_pressed_by_someone_else_erases_nothing(bot: BotUnderTest) -> None:
    await a_case(bot)
    response_url = bot.slack.new_response_url()
    click = block_actions_payload(
        user_id=ANA,
        action_id="erase_case",
        block_id="erase",
        value="RPR-2026-0001",
        response_url=response_url,
    )
    await bot.interact(click)
    answer = await bot.answer_at(response_url)
    assert answer["text"] == "Only the secretariat can erase a case."
    still = json.dumps(await bot.ask(SAM, "status RPR-2026-0001"), ensure_ascii=False)
    assert VICTIM in still
