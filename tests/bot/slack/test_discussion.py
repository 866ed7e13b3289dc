"""Discussion kept: replies in a case's thread go into the case's record, sealed, once; only
readers who see the case in full see them again, and an erased case keeps none of them."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from storage.messages import ThreadMessage
from storage.models import TimelineRow
from tests.bot.conftest import BotUnderTest
from tests.bot.slack.report_payloads import ANA, GORAN, HANA, SAM, STRANGER, VICTIM, submission
from tests.bot.slack.test_access_and_channel import send_event
from tests.fakes.signing import block_actions_payload

COORDINATION = "C0COORD01"
REFERENCE = "RPR-2026-0001"
SAID = "Aubergine canary-reply: the mission called <!channel> back & said no"
AT = dt.datetime(2026, 11, 27, 9, 31, tzinfo=dt.UTC)


def ts(n: int) -> str:
    """A message ts as Slack writes it, `n` seconds after AT."""
    return f"{int(AT.timestamp()) + n}.{n:06d}"


def reply(user: str, text: str, root: str, n: int, **fields: Any) -> dict[str, Any]:
    """A `message` event as message.channels delivers a reply in a thread."""
    event = {
        "type": "message",
        "channel": COORDINATION,
        "channel_type": "channel",
        "user": user,
        "text": text,
        "ts": ts(n),
        "thread_ts": root,
        "event_ts": ts(n),
        "team": "T0TEST",
        "client_msg_id": f"00000000-0000-0000-0000-{n:012d}",
    }
    event.update(fields)
    return event


async def a_case_thread(bot: BotUnderTest) -> tuple[int, str]:
    """A shared case reported by Ana, its card posted: (case id, the card's ts)."""
    status, body = await bot.interact(submission(ANA, "V0TALK1"))
    assert status == 200 and body["response_action"] == "update", body
    await bot.delivered()
    async with bot.running.services.uow() as uow:
        case = await uow.cases.by_reference(REFERENCE)
        assert case is not None
        thread = await uow.threads.get(case.id, "slack")
    assert thread is not None and thread.channel == COORDINATION
    return case.id, thread.root_ref


async def kept(bot: BotUnderTest, case_id: int, count: int) -> list[ThreadMessage]:
    """The case's kept messages, once there are `count` (events are handled after their ack)."""
    for _ in range(250):
        async with bot.running.services.uow() as uow:
            messages = await uow.messages.for_case(case_id)
        if len(messages) >= count:
            return messages
        await asyncio.sleep(0.02)
    raise AssertionError(f"{count} message(s) not kept")


async def timeline(bot: BotUnderTest, case_id: int) -> list[TimelineRow]:
    async with bot.running.services.sessions() as session:
        rows = await session.scalars(
            select(TimelineRow).where(TimelineRow.case_id == case_id, TimelineRow.kind == "message")
        )
        return list(rows)


async def test_a_reply_in_a_case_thread_is_kept_sealed_with_its_author_and_time(
    bot: BotUnderTest, database_url: str
) -> None:
    case_id, root = await a_case_thread(bot)
    assert await send_event(bot, reply(GORAN, SAID, root, 1), "EvTalk1") == 200

    (message,) = await kept(bot, case_id, 1)
    goran = await bot.running.services.actor_for_slack_user(GORAN)
    assert goran is not None
    assert (message.text, message.author_id, message.ref) == (SAID, goran.person_id, ts(1))
    assert message.at == AT + dt.timedelta(seconds=1, microseconds=1)
    (row,) = await timeline(bot, case_id)
    assert row.detail == {"ref": ts(1)} and row.actor_id == goran.person_id
    async with bot.running.services.uow() as uow:
        trail = [e for e in await uow.audit.for_case(case_id) if e.action == "message"]
    assert [(e.actor_id, e.surface, e.detail) for e in trail] == [
        (goran.person_id, "thread", {"ref": ts(1)})
    ]
    assert "canary" not in json.dumps([row.detail, trail[0].detail])

    if database_url.startswith("sqlite"):
        folder = Path(database_url.split(":///", 1)[1]).parent
        await bot.running.services.close()
        for file in sorted(folder.iterdir()):
            assert b"canary-reply" not in file.read_bytes(), file.name


async def test_a_redelivered_event_keeps_the_reply_once(bot: BotUnderTest) -> None:
    case_id, root = await a_case_thread(bot)
    event = reply(GORAN, SAID, root, 2)
    await send_event(bot, event, "EvTalk2")
    await kept(bot, case_id, 1)
    # Slack thought the 2xx came too late, and delivers it again.
    assert await send_event(bot, event, "EvTalk2", retry_num=1, retry_reason="http_timeout") == 200
    await send_event(bot, event, "EvTalk3")  # the same message under another event id
    await asyncio.sleep(0.3)
    assert len(await kept(bot, case_id, 1)) == 1
    assert len(await timeline(bot, case_id)) == 1
    async with bot.running.services.uow() as uow:
        trail = [e for e in await uow.audit.for_case(case_id) if e.action == "message"]
    assert len(trail) == 1


async def test_only_peoples_replies_in_case_threads_are_kept(bot: BotUnderTest) -> None:
    case_id, root = await a_case_thread(bot)
    top_level = reply(GORAN, "top level", root, 3)
    del top_level["thread_ts"]
    ignored = [
        top_level,
        reply(GORAN, "the card itself", root, 0, ts=root),
        reply(GORAN, "unknown thread", ts(99), 4),
        reply(GORAN, "another channel", root, 5, channel="C0OTHER01"),
        reply("UBOT", "the bot's own post", root, 6, bot_id="B0TEST"),
        reply(GORAN, "an app's post", root, 7, subtype="bot_message", bot_id="B0OTHER"),
        reply(GORAN, "someone joined", root, 8, subtype="channel_join"),
        {
            "type": "message",
            "subtype": "message_changed",
            "channel": COORDINATION,
            "hidden": True,
            "ts": ts(9),
            "message": reply(GORAN, "an edit", root, 1),
            "previous_message": reply(GORAN, SAID, root, 1),
        },
    ]
    for n, event in enumerate(ignored):
        assert await send_event(bot, event, f"EvIgnored{n}") == 200
    await asyncio.sleep(0.3)
    await send_event(bot, reply(GORAN, SAID, root, 10, subtype="thread_broadcast"), "EvKept")
    (message,) = await kept(bot, case_id, 1)
    assert message.text == SAID and message.ref == ts(10)
    await asyncio.sleep(0.2)
    assert len(await kept(bot, case_id, 1)) == 1


async def test_the_discussion_is_shown_in_full_only_and_never_an_outsiders_words(
    bot: BotUnderTest,
) -> None:
    case_id, root = await a_case_thread(bot)
    await send_event(bot, reply(GORAN, SAID, root, 1), "EvShow1")
    await send_event(bot, reply(STRANGER, "Outsider canary words", root, 2), "EvShow2")
    messages = await kept(bot, case_id, 2)
    assert [m.author_id is None for m in messages] == [False, True]  # kept, without an author

    full = json.dumps(await bot.ask(SAM, f"status {REFERENCE}"), ensure_ascii=False)
    assert VICTIM in full and "Discussion in the case thread" in full
    assert "*Goran Example* · 2026-11-27 09:31 UTC" in full
    assert "the mission called &lt;!channel&gt; back &amp; said no" in full
    assert "<!channel>" not in full
    assert "Someone not in the directory" in full and "Outsider canary" not in full

    chair = json.dumps(await bot.ask(HANA, f"status {REFERENCE}"), ensure_ascii=False)
    assert "Viet Nam" in chair  # the Chair sees the facts...
    for secret in ("Discussion", "Goran Example", "mission called", "not in the directory"):
        assert secret not in chair  # ...and nothing of the thread


async def test_a_long_reply_full_of_escapes_still_fits_slacks_limits(bot: BotUnderTest) -> None:
    case_id, root = await a_case_thread(bot)
    await send_event(bot, reply(GORAN, "<!here> & " * 4000, root, 1), "EvLong")
    await kept(bot, case_id, 1)
    answer = await bot.ask(SAM, f"status {REFERENCE}")
    texts = [b["text"]["text"] for b in answer["blocks"] if b["type"] == "section" and "text" in b]
    said = next(t for t in texts if t.startswith("*Goran Example*"))
    assert len(said) <= 3000 and said.endswith("…") and "<!here>" not in said


async def test_an_erased_case_keeps_no_text_of_its_thread(
    bot: BotUnderTest, database_url: str
) -> None:
    case_id, root = await a_case_thread(bot)
    await send_event(bot, reply(GORAN, SAID, root, 1), "EvErase1")
    await kept(bot, case_id, 1)

    response_url = bot.slack.new_response_url()
    erase = block_actions_payload(
        user_id=SAM,
        action_id="erase_case",
        block_id="erase",
        value=REFERENCE,
        response_url=response_url,
    )
    assert (await bot.interact(erase))[0] == 200
    assert "is erased" in json.dumps(await bot.answer_at(response_url))
    await send_event(bot, reply(GORAN, "Said after the erasure, canary-reply", root, 2), "EvErase2")
    await asyncio.sleep(0.3)

    async with bot.running.services.uow() as uow:
        messages = await uow.messages.for_case(case_id)
    assert [(m.ref, m.text) for m in messages] == [(ts(1), "")]  # that it was said, not what
    after = json.dumps(await bot.ask(SAM, f"status {REFERENCE}"), ensure_ascii=False)
    assert "Discussion" not in after and "mission called" not in after

    if database_url.startswith("sqlite"):
        folder = Path(database_url.split(":///", 1)[1]).parent
        await bot.running.services.close()
        for file in sorted(folder.iterdir()):
            assert b"canary-reply" not in file.read_bytes(), file.name
