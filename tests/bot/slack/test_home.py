"""The Home tab through Slack: each person's committee's open cases, what is due and what is
shared with them, never a name; its buttons open the report form and a case."""

from __future__ import annotations

import asyncio
import json

from storage.actions import FollowUp
from tests.bot.conftest import BotUnderTest
from tests.bot.slack.report_payloads import (
    ANA,
    BEATRIZ,
    HANA,
    IVAN,
    STRANGER,
    VICTIM,
    submission,
)
from tests.fakes.signing import block_actions_payload, event_body, select_state


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


async def opened_by(bot: BotUnderTest, user: str, action_id: str, value: str) -> str:
    """The modal a Home button opened for `user`, as JSON text."""
    trigger = bot.slack.new_trigger_id()
    status, _ = await bot.interact(
        block_actions_payload(user_id=user, action_id=action_id, value=value, trigger_id=trigger)
    )
    assert status == 200
    for _ in range(100):
        opened = [
            c for c in bot.slack.calls_to("views.open") if c.params.get("trigger_id") == trigger
        ]
        if opened:
            assert not opened[-1].error, opened
            return json.dumps(opened[-1].params["view"], ensure_ascii=False)
        await asyncio.sleep(0.02)
    raise AssertionError(f"no modal opened for {action_id}")


async def test_open_shows_what_status_would_show_never_a_python_repr(bot: BotUnderTest) -> None:
    await reported(bot, ANA, "V0HOME5")
    listed = await opened_by(bot, ANA, "home_open_case", "CAT")  # not a reference: a list
    assert "RPR-2026-0001" in listed and "CaseList(" not in listed and "CaseView(" not in listed
    unknown = await opened_by(bot, ANA, "home_open_case", "RPR-2026-0999")
    assert "RPR-2026-0999" in unknown and "CaseDetail(" not in unknown


def sections(view: str) -> dict[str, str]:
    """Each header of a Home view, with the JSON text of the blocks under it."""
    found: dict[str, str] = {}
    title = ""
    for block in json.loads(view)["blocks"]:
        if block["type"] == "header":
            title = block["text"]["text"]
            found[title] = ""
        elif title:
            found[title] += json.dumps(block, ensure_ascii=False)
    return found


async def test_a_case_led_by_another_committee_shows_as_shared_with_its_committees(
    bot: BotUnderTest,
) -> None:
    await reported(bot, ANA, "V0HOME6")  # CAT, shared, concerns CERD and CCPR
    ivan = sections(await home_of(bot, IVAN, "EvH7"))
    assert "RPR-2026-0001" in ivan["Shared with you by other committees"]
    assert "RPR-2026-0001" not in sections(await home_of(bot, ANA, "EvH8")).get(
        "Shared with you by other committees", ""
    )  # CAT leads it: it is Ana's own, not shared with her


async def test_a_chair_sees_their_committees_cases_and_may_not_report_from_home(
    bot: BotUnderTest,
) -> None:
    await reported(bot, ANA, "V0HOME7")
    hana = await home_of(bot, HANA, "EvH9")
    assert "RPR-2026-0001" in hana and "Report an allegation" not in hana
    assert VICTIM not in hana
    refused = await opened_by(bot, HANA, "home_report", "report")
    assert '"callback_id": "report"' not in refused
    assert "Only focal points, alternates and the secretariat can log a report" in refused


async def test_home_buttons_give_nothing_to_whoever_may_not_see_the_case(
    bot: BotUnderTest,
) -> None:
    restricted = select_state("restricted", type="radio_buttons")
    await reported(
        bot, ANA, "V0HOME8", confidentiality=restricted, other_committees=select_state(None)
    )
    missing = await opened_by(bot, IVAN, "home_open_case", "RPR-2026-0999")
    hidden = await opened_by(bot, IVAN, "home_open_case", "RPR-2026-0001")
    # Another committee cannot tell a restricted case from one that does not exist.
    assert hidden == missing.replace("RPR-2026-0999", "RPR-2026-0001")
    stranger = await opened_by(bot, STRANGER, "home_open_case", "RPR-2026-0001")
    assert "not in its directory" in stranger
    for view in (hidden, stranger):
        assert VICTIM not in view and "Viet Nam" not in view and "Threatened" not in view


async def test_opening_the_messages_tab_publishes_nothing(bot: BotUnderTest) -> None:
    body = event_body({"type": "app_home_opened", "user": ANA, "tab": "messages"}, event_id="EvM1")
    response = await bot.post(body, content_type="application/json")
    assert response.status == 200
    await home_of(bot, ANA, "EvM2")  # the Home tab after it: the only view published
    assert len(bot.slack.calls_to("views.publish")) == 1
