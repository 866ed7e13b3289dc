"""The Home tab through Slack: each person's committee's open cases, what is due and what is
shared with them, never a name; its buttons open the report form and a case."""

from __future__ import annotations

import asyncio
import json

from storage.actions import FollowUp
from tests.bot.conftest import BotUnderTest
from tests.bot.slack.report_payloads import ANA, BEATRIZ, IVAN, STRANGER, VICTIM, submission
from tests.signing import block_actions_payload, event_body, select_state


async def reported(bot: BotUnderTest, user: str, view_id: str, **overrides: object) -> None:
    status, body = await bot.interact(submission(user, view_id, **overrides))
    assert status == 200 and body["response_action"] == "update", body
    await bot.delivered()


async def home_of(bot: BotUnderTest, user: str, event_id: str) -> str:
    before = len(bot.slack.calls_to("views.publish"))
    body = event_body({"type": "app_home_opened", "user": user, "tab": "home"}, event_id=event_id)
    response = await bot.post(body, content_type="application/json")
    assert response.status == 200
    for _ in range(100):
        calls = bot.slack.calls_to("views.publish")
        if len(calls) > before:
            assert calls[-1].params["user_id"] == user and not calls[-1].error
            return json.dumps(calls[-1].params["view"], ensure_ascii=False)
        await asyncio.sleep(0.02)
    raise AssertionError("no Home tab published")


async def test_each_person_sees_their_cases_and_what_is_shared_never_a_name(
    bot: BotUnderTest,
) -> None:
    restricted = select_state("restricted", type="radio_buttons")
    await reported(bot, ANA, "V0HOME1")  # CAT, shared, concerns CERD and CCPR
    await reported(
        bot, ANA, "V0HOME2", confidentiality=restricted, other_committees=select_state(None)
    )
    ana = await home_of(bot, ANA, "EvH1")
    assert "RPR-2026-0001" in ana and "RPR-2026-0002" in ana and "Report an allegation" in ana
    ivan = await home_of(bot, IVAN, "EvH2")  # CERD: the shared case concerns CERD
    assert "RPR-2026-0001" in ivan and "RPR-2026-0002" not in ivan
    beatriz = await home_of(bot, BEATRIZ, "EvH3")
    assert "RPR-2026-0002" not in beatriz
    for view in (ana, ivan, beatriz):
        assert VICTIM not in view and "Threatened" not in view
    stranger = await home_of(bot, STRANGER, "EvH4")
    assert "not in its directory" in stranger and "RPR-" not in stranger


async def test_replies_due_and_overdue_show_on_home(bot: BotUnderTest) -> None:
    await reported(bot, ANA, "V0HOME3")
    async with bot.running.services.uow() as uow:  # a letter's reply is due today
        case = await uow.cases.by_reference("RPR-2026-0001")
        assert case is not None
        due = bot.clock.today()
        await uow.actions.follow_up(case.id, FollowUp("awaiting_reply", due), now=bot.clock.now())
        await uow.commit()
    soon = await home_of(bot, ANA, "EvH5")
    assert "Due in the next 7 days" in soon and "reply due" in soon
    bot.clock.advance(days=2)
    late = await home_of(bot, ANA, "EvH6")
    assert "(overdue)" in late


async def test_home_buttons_open_the_report_form_and_a_case(bot: BotUnderTest) -> None:
    await reported(bot, ANA, "V0HOME4")
    for action_id, value, expected in (
        ("home_report", "report", '"callback_id": "report"'),
        ("home_open_case", "RPR-2026-0001", "RPR-2026-0001"),
    ):
        trigger = bot.slack.new_trigger_id()
        status, _ = await bot.interact(
            block_actions_payload(user_id=ANA, action_id=action_id, value=value, trigger_id=trigger)
        )
        assert status == 200
        for _ in range(100):
            opened = [
                c for c in bot.slack.calls_to("views.open") if c.params.get("trigger_id") == trigger
            ]
            if opened:
                break
            await asyncio.sleep(0.02)
        assert opened and not opened[-1].error, opened
        assert expected in json.dumps(opened[-1].params["view"], ensure_ascii=False)
    # On demand, in a modal only the asker sees: the case in full for its focal point.
    assert VICTIM in json.dumps(opened[-1].params["view"], ensure_ascii=False)
