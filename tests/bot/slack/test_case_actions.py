"""Joint action through Slack: the case card's buttons open forms, actions are recorded once,
posted in the thread (never the note) and shown on the card updated in place; the lifecycle
refuses what it does not allow; sharing needs the person's consent; overdue replies are listed
and reminded in the thread."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

from tests.bot.conftest import BotUnderTest
from tests.bot.slack.report_payloads import (
    ANA,
    BEATRIZ,
    HANA,
    IVAN,
    LARS,
    SAM,
    consents,
    submission,
)
from tests.fakes.signing import (
    block_actions_payload,
    datepicker_state,
    multi_select_state,
    select_state,
    text_input_state,
    view_submission_payload,
)

REF = "RPR-2026-0001"
NOTE = "Spoke with Kofi Secretname, his brother"


async def reported(bot: BotUnderTest, **overrides: Any) -> None:
    status, body = await bot.interact(submission(ANA, "V0ACT01", **overrides))
    assert status == 200 and body["response_action"] == "update", body
    await bot.delivered()


async def press(bot: BotUnderTest, user: str, button: str) -> dict[str, Any]:
    """Press a button of the case card; the modal it opened (or the ephemeral refusal)."""
    response_url = bot.slack.new_response_url()
    trigger = bot.slack.new_trigger_id()
    opened = len(bot.slack.calls_to("views.open"))
    status, _ = await bot.interact(
        block_actions_payload(
            user_id=user,
            action_id=button,
            block_id="case_actions",
            value=REF,
            trigger_id=trigger,
            channel_id="C0COORD01",
            response_url=response_url,
        )
    )
    assert status == 200
    for _ in range(100):
        calls = bot.slack.calls_to("views.open")
        if len(calls) > opened:
            return calls[-1].params["view"]
        if any(r["url"] == response_url for r in bot.slack.responses):
            return await bot.answer_at(response_url)
        await asyncio.sleep(0.02)
    raise AssertionError("the button did nothing")


async def submit(
    bot: BotUnderTest, user: str, modal: dict[str, Any], values: dict[str, Any], view_id: str
) -> tuple[int, Any]:
    view = json.loads(modal) if isinstance(modal, str) else modal
    return await bot.interact(
        view_submission_payload(
            user_id=user,
            view_id=view_id,
            callback_id="case_action",
            private_metadata=view["private_metadata"],
            state_values={name: {name: state} for name, state in values.items()},
        )
    )


def letter(due: str | None = None) -> dict[str, Any]:
    return {
        "kind": select_state("letter_to_state"),
        "taken_on": datepicker_state("2026-11-26"),
        "committees": multi_select_state([("CAT", "CAT"), ("CERD", "CERD")]),
        "signed_by": select_state("both", type="radio_buttons"),
        "place": select_state(None),
        "due_on": datepicker_state(due),
        "note": text_input_state(NOTE),
    }


def thread_posts(bot: BotUnderTest) -> list[dict[str, Any]]:
    return [m for m in bot.slack.messages("C0COORD01") if m.get("thread_ts")]


async def test_log_action_records_a_letter_once_posts_it_and_updates_the_card(
    bot: BotUnderTest,
) -> None:
    await reported(bot)
    modal = await press(bot, ANA, "case_action")
    assert modal["callback_id"] == "case_action"
    status, body = await submit(bot, ANA, modal, letter(), "V0FORM1")
    assert status == 200 and body["response_action"] == "update", body
    assert "Awaiting State reply" in json.dumps(body["view"])
    _, again = await submit(bot, ANA, modal, letter(), "V0FORM1")  # double click
    assert "nothing new was recorded" in json.dumps(again["view"])
    await bot.delivered()

    posts = [p for p in thread_posts(bot) if "Letter of allegation" in p["text"]]
    assert len(posts) == 1
    assert "2027-01-25" in json.dumps(posts[0])  # 60 days, the directory's default
    updates = bot.slack.calls_to("chat.update")
    card = json.dumps(updates[-1].params)
    assert (
        "Awaiting State reply" in card and "Letter of allegation" in card and "2027-01-25" in card
    )
    everything = json.dumps([c.params for c in bot.slack.calls], ensure_ascii=False, default=str)
    assert "Secretname" not in everything  # the note stays in the database, sealed
    detail = json.dumps(await bot.ask(ANA, f"status {REF}"), ensure_ascii=False)
    assert "State reply due: 2027-01-25" in detail


async def test_the_state_replied_and_the_lifecycle_refuses_what_it_does_not_allow(
    bot: BotUnderTest,
) -> None:
    await reported(bot)
    stage = await press(bot, ANA, "case_stage")
    _, refused = await submit(
        bot,
        ANA,
        stage,
        {"stage": select_state("awaiting_reply"), "note": text_input_state("why")},
        "V0FORM2",
    )
    assert refused["response_action"] == "errors"
    assert "record the letter" in json.dumps(refused["errors"])
    reply = await press(bot, ANA, "case_reply")
    _, done = await submit(
        bot,
        ANA,
        reply,
        {
            "taken_on": datepicker_state("2026-11-26"),
            "substance": select_state("investigation"),
            "committees": multi_select_state([]),
            "note": text_input_state(None),
        },
        "V0FORM3",
    )
    assert "Reply received" in json.dumps(done["view"])
    close = await press(bot, ANA, "case_close")
    _, missing = await submit(
        bot,
        ANA,
        close,
        {"outcome": select_state("positive"), "note": text_input_state(None)},
        "V0FORM4",
    )
    assert missing["response_action"] == "errors" and "note" in missing["errors"]
    _, closed = await submit(
        bot,
        ANA,
        close,
        {"outcome": select_state("positive"), "note": text_input_state("Released.")},
        "V0FORM5",
    )
    assert "Closed: Positive outcome" in json.dumps(closed["view"])
    after = await press(bot, ANA, "case_action")
    _, late = await submit(bot, ANA, after, letter(), "V0FORM6")
    assert "is closed" in json.dumps(late["errors"])
    history = json.dumps(await bot.ask(ANA, f"status {REF}"), ensure_ascii=False)
    # Each stage with its date, in order.
    steps = ["Received", "State reply received → Reply received", "Positive outcome → Closed"]
    positions = [history.index(step) for step in steps]
    assert positions == sorted(positions) and "2026-11-26" in history


async def test_sharing_needs_consent_and_brings_the_committee_in(bot: BotUnderTest) -> None:
    restricted = select_state("restricted", type="radio_buttons")
    await reported(bot, confidentiality=restricted, consents=consents())
    refusal = await bot.ask(ANA, f"share {REF} CCPR")
    assert "consent to share with other committees" in refusal["text"]
    assert "No case" in (await bot.ask(BEATRIZ, f"status {REF}"))["text"]

    await bot.interact(
        submission(
            ANA, "V0ACT02", confidentiality=restricted, consents=consents("share_committees")
        )
    )
    await bot.delivered()
    shared = await bot.ask(ANA, "share RPR-2026-0002 CCPR")
    assert "Shared with CCPR" in json.dumps(shared)
    await bot.delivered()
    mention = [p for p in thread_posts(bot) if "now shared with CCPR" in json.dumps(p)]
    assert mention and f"<@{BEATRIZ}>" in json.dumps(mention[0])
    seen = json.dumps(await bot.ask(BEATRIZ, "status RPR-2026-0002"), ensure_ascii=False)
    assert "Viet Nam" in seen  # CCPR's focal point sees the case, and may act on it
    assert "No case" in (await bot.ask(IVAN, "status RPR-2026-0002"))["text"]  # CERD still not
    asg = await bot.ask(ANA, "share RPR-2026-0002 asg")
    assert "consent to share with the ASG office" in asg["text"]
    onward = await bot.ask(BEATRIZ, "share RPR-2026-0002 CERD")  # CCPR acts for itself only
    assert (
        onward["text"]
        == "Only the lead committee (CAT) or the secretariat may share RPR-2026-0002."
    )


async def test_who_may_not_act_is_told_politely(bot: BotUnderTest) -> None:
    await reported(bot, confidentiality=select_state("restricted", type="radio_buttons"))
    chair = await press(bot, HANA, "case_action")  # CAT's Chair reads the case, acts not
    assert "recorded by its focal points" in chair["text"]
    other = await press(bot, IVAN, "case_action")  # CERD may not see a restricted CAT case
    assert other["text"] == f"No case {REF} that you can see."


async def test_overdue_replies_are_listed_and_reminded_once_in_the_thread(
    bot: BotUnderTest,
) -> None:
    await reported(bot)
    modal = await press(bot, ANA, "case_action")
    await submit(bot, ANA, modal, letter(due="2026-12-01"), "V0FORM7")
    await bot.delivered()
    assert "No State reply is overdue" in json.dumps(await bot.ask(ANA, "list overdue"))
    bot.clock.advance(days=5)  # 2 December
    overdue = json.dumps(await bot.ask(ANA, "list overdue"))
    assert REF in overdue
    scheduler = bot.running.scheduler
    assert await scheduler.queue_reminders() == 1
    assert await scheduler.queue_reminders() == 0
    bot.running.worker.wake()
    await bot.delivered()
    reminders = [p for p in thread_posts(bot) if "Overdue" in p["text"]]
    assert len(reminders) == 1 and f"<@{ANA}>" in json.dumps(reminders[0])
    assert dt.date(2026, 12, 1).isoformat() in reminders[0]["text"]


CLOSE = {"outcome": select_state("positive"), "note": text_input_state("Released.")}


async def test_a_committee_not_concerned_may_not_close_share_or_link_a_shared_case(
    bot: BotUnderTest,
) -> None:
    await reported(bot)  # shared, led by CAT, concerning CERD and CCPR
    await bot.interact(submission(ANA, "V0ACT03"))
    await bot.delivered()
    told = (
        f"You may read {REF}, but actions on it are recorded by its focal points"
        " (CAT, CCPR, CERD) and the secretariat."
    )
    assert (await press(bot, LARS, "case_close"))["text"] == told  # SPT is not concerned
    assert (await bot.ask(LARS, f"share {REF} SPT"))["text"] == told
    assert (await bot.ask(LARS, f"link {REF} RPR-2026-0002"))["text"] == told
    # A close form opened by the lead committee, submitted as someone else, is refused too.
    modal = await press(bot, ANA, "case_close")
    _, forged = await submit(bot, LARS, modal, CLOSE, "V0FORM8")
    assert forged["response_action"] == "errors" and told in json.dumps(forged["errors"])
    # CERD records its own actions, but closing, sharing and linking are CAT's.
    assert (await press(bot, IVAN, "case_action"))["callback_id"] == "case_action"
    lead_only = f"Only the lead committee (CAT) or the secretariat may close {REF}."
    assert (await press(bot, IVAN, "case_close"))["text"] == lead_only
    assert "may share" in (await bot.ask(IVAN, f"share {REF} SPT"))["text"]
    assert "may link" in (await bot.ask(IVAN, f"link {REF} RPR-2026-0002"))["text"]
    await bot.delivered()
    detail = json.dumps(await bot.ask(ANA, f"status {REF}"), ensure_ascii=False)
    assert "Closed" not in detail and "SPT" not in detail and "Linked cases" not in detail
    assert not [p for p in thread_posts(bot) if "Closed" in p["text"] or "Linked" in p["text"]]
    done = await bot.ask(SAM, f"link {REF} RPR-2026-0002")  # the secretariat may
    assert "are linked" in json.dumps(done)


async def test_a_closed_case_takes_notes_only_and_the_lead_committee_reopens_it(
    bot: BotUnderTest,
) -> None:
    await reported(bot)
    _, closed = await submit(bot, ANA, await press(bot, ANA, "case_close"), CLOSE, "V0FORM9")
    assert "Closed: Positive outcome" in json.dumps(closed["view"])
    refused = await bot.ask(ANA, f"share {REF} SPT")
    assert refused["text"].startswith(f"{REF} is closed: only notes can be added.")
    assert "is closed" in (await press(bot, ANA, "case_reply"))["text"]
    note = {
        "kind": select_state("note"),
        "taken_on": datepicker_state("2026-11-27"),
        "committees": multi_select_state([]),
        "signed_by": select_state(None, type="radio_buttons"),
        "place": select_state(None),
        "due_on": datepicker_state(None),
        "note": text_input_state("He called to thank the committee."),
    }
    _, noted = await submit(bot, ANA, await press(bot, ANA, "case_action"), note, "V0FORMA")
    assert noted["response_action"] == "update", noted
    _, letter_late = await submit(bot, ANA, await press(bot, ANA, "case_action"), letter(), "V0FB")
    assert "is closed" in json.dumps(letter_late["errors"])
    detail = json.dumps(await bot.ask(ANA, f"status {REF}"), ensure_ascii=False)
    assert "Outcome: Positive outcome" in detail  # a note keeps the outcome
    reopen = {"stage": select_state("follow_up"), "note": text_input_state("New threats.")}
    assert "may reopen" in (await press(bot, IVAN, "case_stage"))["text"]
    _, reopened = await submit(bot, ANA, await press(bot, ANA, "case_stage"), reopen, "V0FC")
    assert "Reopened at Follow-up" in json.dumps(reopened["view"]), reopened
    detail = json.dumps(await bot.ask(ANA, f"status {REF}"), ensure_ascii=False)
    assert "Outcome" not in detail and "Stage: Follow-up" in detail
    shared = await bot.ask(ANA, f"share {REF} SPT")
    assert "Shared with SPT" in json.dumps(shared)


async def test_a_letter_logged_after_the_fact_is_overdue_at_once(bot: BotUnderTest) -> None:
    await reported(bot, received_on=datepicker_state("2026-09-10"))
    late = {**letter(due="2026-11-17"), "taken_on": datepicker_state("2026-09-18")}  # 70 days ago
    _, before = await submit(
        bot,
        ANA,
        await press(bot, ANA, "case_action"),
        {**late, "due_on": datepicker_state("2026-09-01")},
        "V0FD",
    )
    assert before["errors"] == {
        "due_on": "The reply cannot be due before the letter was sent (2026-09-18)."
    }
    ahead = {**late, "taken_on": datepicker_state("2026-11-28")}
    _, future = await submit(bot, ANA, await press(bot, ANA, "case_action"), ahead, "V0FE")
    assert future["errors"] == {"taken_on": "This date cannot be in the future."}
    _, logged = await submit(bot, ANA, await press(bot, ANA, "case_action"), late, "V0FF")
    assert logged["response_action"] == "update", logged
    assert "Awaiting State reply" in json.dumps(logged["view"])
    detail = json.dumps(await bot.ask(ANA, f"status {REF}"), ensure_ascii=False)
    assert "State reply due: 2026-11-17 *(overdue)*" in detail
    assert REF in json.dumps(await bot.ask(ANA, "list overdue"))
