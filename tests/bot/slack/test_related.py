"""Related cases through Slack: suggested in a new case's thread (references and reasons only,
among the cases the reporter may see, and only those the channel may know to be related; the
others to the reporter alone), linked with the button or by hand, listed by status."""

from __future__ import annotations

import json

from tests.bot.conftest import BotUnderTest
from tests.bot.slack.report_payloads import ANA, BEATRIZ, IVAN, SAM, VICTIM, submission
from tests.fakes.signing import block_actions_payload, select_state, text_input_state


async def reported(bot: BotUnderTest, user: str, view_id: str, **overrides: object) -> None:
    status, body = await bot.interact(submission(user, view_id, **overrides))
    assert status == 200 and body["response_action"] == "update", body
    await bot.delivered()


def suggestions(bot: BotUnderTest) -> list[dict]:
    return [
        m
        for m in bot.slack.messages("C0COORD01")
        if m.get("thread_ts") and "Possibly related" in m.get("text", "")
    ]


async def test_a_case_naming_the_same_person_is_suggested_without_the_name(
    bot: BotUnderTest,
) -> None:
    await reported(bot, ANA, "V0REL1", other_committees=select_state(None))
    # Another spelling of the same name, months apart, in another committee's report.
    spelled = text_input_state(VICTIM.upper().replace(" ", "  "))
    await reported(
        bot,
        BEATRIZ,
        "V0REL2",
        lead_committee=select_state("CCPR"),
        received_on={"type": "datepicker", "selected_date": "2026-03-02"},
        target_names=spelled,
    )
    posts = suggestions(bot)
    assert len(posts) == 1
    text = json.dumps(posts[0], ensure_ascii=False)
    assert "RPR-2026-0001" in text and "a person or organisation named in both" in text
    assert VICTIM.split()[0] not in text and VICTIM.upper().split()[0] not in text
    assert "RPR-2026-0002|RPR-2026-0001" in text  # the Link button's value: references only


async def test_a_case_the_reporter_may_not_see_is_never_suggested(bot: BotUnderTest) -> None:
    restricted = select_state("restricted", type="radio_buttons")
    await reported(bot, ANA, "V0REL3", confidentiality=restricted)  # CAT only
    await reported(bot, IVAN, "V0REL4", lead_committee=select_state("CERD"))
    assert suggestions(bot) == []  # CERD's focal point may not know the CAT case exists


async def test_the_link_button_links_and_status_lists_the_other(bot: BotUnderTest) -> None:
    await reported(bot, ANA, "V0REL5")
    await reported(bot, ANA, "V0REL6")
    assert suggestions(bot)
    response_url = bot.slack.new_response_url()
    status, _ = await bot.interact(
        block_actions_payload(
            user_id=ANA,
            action_id="link_cases",
            value="RPR-2026-0002|RPR-2026-0001",
            channel_id="C0COORD01",
            response_url=response_url,
        )
    )
    assert status == 200
    answer = await bot.answer_at(response_url)
    assert "are linked" in json.dumps(answer)
    await bot.delivered()
    detail = json.dumps(await bot.ask(ANA, "status RPR-2026-0001"))
    assert "Linked cases: RPR-2026-0002" in detail
    again = await bot.ask(ANA, "link RPR-2026-0001 RPR-2026-0002")
    assert "were linked already" in json.dumps(again)
    posts = [m for m in bot.slack.messages("C0COORD01") if "Linked with" in json.dumps(m)]
    assert len(posts) == 2  # once in each case's thread


async def test_linking_by_hand_refuses_what_one_may_not_act_on(bot: BotUnderTest) -> None:
    restricted = select_state("restricted", type="radio_buttons")
    await reported(bot, ANA, "V0REL7", confidentiality=restricted)
    await reported(bot, IVAN, "V0REL8", lead_committee=select_state("CERD"))
    hidden = await bot.ask(IVAN, "link RPR-2026-0002 RPR-2026-0001")
    missing = await bot.ask(IVAN, "link RPR-2026-0002 RPR-2026-0999")
    assert hidden["text"] == "No case RPR-2026-0001 that you can see."
    assert missing["text"] == "No case RPR-2026-0999 that you can see."
    self_link = await bot.ask(ANA, "link RPR-2026-0001 RPR-2026-0001")
    assert "cannot be linked to itself" in self_link["text"]


async def test_status_lists_only_the_linked_cases_the_asker_may_see(bot: BotUnderTest) -> None:
    restricted = select_state("restricted", type="radio_buttons")
    await reported(bot, ANA, "V0REL9", confidentiality=restricted)  # CAT only
    await reported(bot, IVAN, "V0RELA", lead_committee=select_state("CERD"))  # shared
    linked = await bot.ask(SAM, "link RPR-2026-0001 RPR-2026-0002")  # the secretariat sees both
    assert "are linked" in json.dumps(linked)
    await bot.delivered()
    assert "Linked cases: RPR-2026-0002" in json.dumps(await bot.ask(ANA, "status RPR-2026-0001"))
    shared = json.dumps(await bot.ask(IVAN, "status RPR-2026-0002"))
    assert "RPR-2026-0002" in shared
    assert "Linked cases" not in shared and "RPR-2026-0001" not in shared


def private_suggestions(bot: BotUnderTest, user: str) -> list[dict]:
    return [m for m in bot.slack.messages(user) if "Possibly related" in m.get("text", "")]


async def test_a_restricted_case_is_suggested_to_the_reporter_alone(bot: BotUnderTest) -> None:
    restricted = select_state("restricted", type="radio_buttons")
    await reported(bot, ANA, "V0RELB", confidentiality=restricted)  # CAT only, same victim
    await reported(bot, ANA, "V0RELC")  # shared with every committee
    channel = json.dumps(bot.slack.messages("C0COORD01"), ensure_ascii=False)
    assert suggestions(bot) == [] and "RPR-2026-0001" not in _threads_of(bot, "RPR-2026-0002")
    assert "a person or organisation named in both" not in channel
    told = private_suggestions(bot, ANA)
    assert len(told) == 1
    text = json.dumps(told[0], ensure_ascii=False)
    assert "RPR-2026-0001" in text and "a person or organisation named in both" in text
    assert "for you alone" in text and VICTIM.split()[0] not in text
    assert "RPR-2026-0002|RPR-2026-0001" in text  # the Link button works from the DM too


async def test_a_new_restricted_case_gets_its_suggestions_privately(bot: BotUnderTest) -> None:
    await reported(bot, ANA, "V0RELD")  # shared
    restricted = select_state("restricted", type="radio_buttons")
    await reported(bot, ANA, "V0RELE", confidentiality=restricted)
    # Its thread would tell the channel the restricted case's State and that it names the
    # same person as the shared one.
    assert suggestions(bot) == []
    told = private_suggestions(bot, ANA)
    assert len(told) == 1 and "RPR-2026-0001" in json.dumps(told[0])


async def test_linking_a_restricted_case_tells_neither_thread(bot: BotUnderTest) -> None:
    restricted = select_state("restricted", type="radio_buttons")
    await reported(bot, ANA, "V0RELF", confidentiality=restricted)  # CAT only
    await reported(bot, IVAN, "V0RELG", lead_committee=select_state("CERD"))  # shared
    linked = await bot.ask(SAM, "link RPR-2026-0001 RPR-2026-0002")
    assert "are linked" in json.dumps(linked)  # the one who linked is told, privately
    await bot.delivered()
    channel = json.dumps(bot.slack.messages("C0COORD01"), ensure_ascii=False)
    assert "Linked with" not in channel and "is linked with" not in channel
    assert "RPR-2026-0001" not in _threads_of(bot, "RPR-2026-0002")


def _threads_of(bot: BotUnderTest, reference: str) -> str:
    """Everything posted in the thread of the case card naming `reference`."""
    messages = bot.slack.messages("C0COORD01")
    roots = [m["ts"] for m in messages if not m.get("thread_ts") and reference in m["text"]]
    return json.dumps([m for m in messages if m.get("thread_ts") in roots], ensure_ascii=False)
