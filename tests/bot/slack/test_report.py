"""`/reprisal report` end to end: the modal, validation, storage, and what goes where in Slack."""

from __future__ import annotations

import json

from tests.bot.conftest import BotUnderTest
from tests.bot.slack.report_payloads import (
    ANA,
    IVAN,
    QUINN,
    SUMMARY,
    VICTIM,
    consents,
    submission,
)
from tests.fakes.signing import select_state, text_input_state


def everything_sent(bot: BotUnderTest) -> str:
    return json.dumps([call.params for call in bot.slack.calls], ensure_ascii=False)


async def case_count(bot: BotUnderTest) -> int:
    async with bot.running.services.uow() as uow:
        return await uow.cases.count()


async def test_report_command_opens_the_modal_with_the_reporters_committee_as_lead(
    bot: BotUnderTest,
) -> None:
    status, _, trigger_id = await bot.command(ANA, "report")
    assert status == 200
    for _ in range(100):
        if bot.slack.calls_to("views.open"):
            break
        await __import__("asyncio").sleep(0.02)
    (call,) = bot.slack.calls_to("views.open")
    assert call.error is None, call.error  # the stand-in accepted the view as Slack would
    assert call.params["trigger_id"] == trigger_id
    view = call.params["view"]
    blocks = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert blocks["lead_committee"]["element"]["initial_option"]["value"] == "CAT"
    assert blocks["state_party"]["element"]["type"] == "external_select"
    assert {"acts", "summary", "confidentiality", "consents", "target_names"} <= set(blocks)


async def test_state_party_is_searchable_among_un_short_names(bot: BotUnderTest) -> None:
    from tests.fakes.signing import block_suggestion_payload

    payload = block_suggestion_payload(
        user_id=ANA, action_id="state_party", block_id="state_party", value="kor"
    )
    status, body = await bot.interact(payload)
    assert status == 200
    names = [option["value"] for option in body["options"]]
    assert names == ["Democratic People's Republic of Korea", "Republic of Korea"]


async def test_invalid_report_is_shown_inline_and_nothing_is_stored(bot: BotUnderTest) -> None:
    payload = submission(
        ANA,
        "V0BAD0001",
        state_party=select_state(None, type="external_select"),
        summary=text_input_state(None),
        confidentiality=select_state("shared", type="radio_buttons"),
        consents=consents(),
    )
    status, body = await bot.interact(payload)
    assert status == 200
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"state_party", "summary", "confidentiality"}
    assert "consent" in body["errors"]["confidentiality"]
    assert await case_count(bot) == 0
    await bot.delivered()
    assert bot.slack.calls_to("chat.postMessage") == []


async def test_valid_report_is_saved_confirmed_and_shared_without_names(bot: BotUnderTest) -> None:
    status, body = await bot.interact(submission(ANA, "V0GOOD001"))
    assert status == 200
    assert body["response_action"] == "update"
    confirmation = json.dumps(body["view"])
    assert "RPR-2026-0001" in confirmation
    await bot.delivered()

    card, thread, dm = bot.slack.calls_to("chat.postMessage")
    assert card.params["channel"] == "C0COORD01"
    assert "RPR-2026-0001" in json.dumps(card.params["blocks"])
    assert "Viet Nam" in json.dumps(card.params["blocks"])  # shared: the facts are there
    card_ts = bot.slack.messages("C0COORD01")[0]["ts"]
    assert thread.params["thread_ts"] == card_ts
    mentions = json.dumps(thread.params["blocks"])
    # CERD's and CCPR's focal points and alternates; Chen is known to Slack by e-mail only.
    assert "<@U0CERDFP1>" in mentions and "<@U0CCPRFP1>" in mentions
    assert "<@U0CHEN001>" in mentions
    assert "<@U0CATFP01>" not in mentions
    assert dm.params["channel"].startswith("D")
    assert "RPR-2026-0001" in dm.params["text"]
    for call in (card, thread, dm):
        assert call.error is None, call.error
        assert call.params["unfurl_links"] is False and call.params["unfurl_media"] is False
    assert VICTIM not in everything_sent(bot)
    assert "Threatened after Geneva" not in everything_sent(bot)


async def test_restricted_case_card_shows_only_an_outline_and_alerts_no_one(
    bot: BotUnderTest,
) -> None:
    payload = submission(
        ANA, "V0RESTR01", confidentiality=select_state("restricted", type="radio_buttons")
    )
    _, body = await bot.interact(payload)
    assert body["response_action"] == "update"
    await bot.delivered()
    posts = bot.slack.calls_to("chat.postMessage")
    card = posts[0]
    blocks = json.dumps(card.params["blocks"])
    assert "RPR-2026-0001" in blocks and "CAT" in blocks
    assert "Viet Nam" not in blocks and "Travel ban" not in blocks
    assert not [p for p in posts if p.params.get("thread_ts")]


async def test_urgent_case_goes_to_the_asg_office_only_with_consent(bot: BotUnderTest) -> None:
    urgent = select_state("urgent", type="radio_buttons")
    await bot.interact(submission(ANA, "V0URG0001", urgency=urgent))
    await bot.delivered()
    opened = [c.params["users"] for c in bot.slack.calls_to("conversations.open")]
    assert QUINN not in opened

    with_consent = consents("share_committees", "share_asg")
    await bot.interact(submission(ANA, "V0URG0002", urgency=urgent, consents=with_consent))
    await bot.delivered()
    opened = [c.params["users"] for c in bot.slack.calls_to("conversations.open")]
    assert QUINN in opened and "U0ROSA001" in opened  # Rosa: resolved from her e-mail
    assert VICTIM not in everything_sent(bot)


async def test_double_submission_and_slack_retry_create_one_case(bot: BotUnderTest) -> None:
    first = await bot.interact(submission(ANA, "V0TWICE01"))
    again = await bot.interact(submission(ANA, "V0TWICE01"), retry_num=1, retry_reason="timeout")
    assert first[1]["response_action"] == again[1]["response_action"] == "update"
    assert "RPR-2026-0001" in json.dumps(again[1]["view"])
    assert await case_count(bot) == 1
    await bot.delivered()
    cards = [c for c in bot.slack.calls_to("chat.postMessage") if not c.params.get("thread_ts")]
    assert len([c for c in cards if c.params["channel"] == "C0COORD01"]) == 1


async def test_references_follow_each_other_within_the_year(bot: BotUnderTest) -> None:
    for number in range(3):
        await bot.interact(submission(ANA, f"V0SEQ000{number}"))
    answer = await bot.ask(ANA, "list mine")
    text = json.dumps(answer)
    assert all(f"RPR-2026-000{n}" in text for n in (1, 2, 3))


async def test_user_text_is_escaped_and_never_a_broadcast(bot: BotUnderTest) -> None:
    await bot.interact(submission(ANA, "V0ESC0001"))
    answer = await bot.ask(ANA, "status RPR-2026-0001")
    text = json.dumps(answer)
    assert "&lt;!channel&gt;" in text and "&lt;https://evil.example|here&gt;" in text
    assert "<!channel>" not in text and "<https://evil.example" not in text
    assert SUMMARY.split("<")[0] in text


async def test_report_is_confirmed_while_slack_is_down_and_sent_when_it_is_back(
    bot: BotUnderTest,
) -> None:
    bot.slack.set_down(True)
    status, body = await bot.interact(
        submission(IVAN, "V0DOWN001", lead_committee=select_state("CERD"))
    )
    assert status == 200 and body["response_action"] == "update"
    assert await case_count(bot) == 1
    for _ in range(50):
        if bot.slack.calls_to("chat.postMessage"):
            break
        await __import__("asyncio").sleep(0.02)
    assert all(call.failed for call in bot.slack.calls_to("chat.postMessage"))
    bot.slack.set_down(False)
    bot.clock.advance(minutes=10)  # past the retry back-off
    bot.running.worker.wake()
    await bot.delivered()
    delivered = [c for c in bot.slack.calls_to("chat.postMessage") if not c.failed]
    assert any(c.params["channel"] == "C0COORD01" for c in delivered)


async def test_a_40000_character_summary_gets_a_clear_error_in_the_modal(bot: BotUnderTest) -> None:
    status, body = await bot.interact(
        submission(ANA, "V0LONG001", summary=text_input_state("x" * 40_000))
    )
    assert status == 200 and body["response_action"] == "errors"
    assert body["errors"] == {
        "summary": "Please keep this to 3,000 characters at most (it has 40,000)."
    }
    assert await case_count(bot) == 0
