"""Slack's own surfaces: people removed or deactivated lose access at once; an outsider in the
coordination channel, or sharing it with another organisation, stops case details there."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from pathlib import Path

from tests.bot.conftest import BotUnderTest, running_bot
from tests.bot.slack.report_payloads import ANA, IVAN, SAM, submission
from tests.conftest import FrozenClock
from tests.fakes.signing import event_body
from tests.fakes.slack_standin import SlackStandIn


async def send_event(bot: BotUnderTest, event: dict, event_id: str, **headers: object) -> int:
    response = await bot.post(
        event_body(event, event_id=event_id), content_type="application/json", **headers
    )
    return response.status


async def until_roster(bot: BotUnderTest, user: str, *, present: bool) -> None:
    for _ in range(100):
        if (bot.running.services.roster.person_for_slack_user(user) is not None) == present:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"{user} still {'absent' if present else 'present'}")


async def until_unsafe(bot: BotUnderTest) -> None:
    for _ in range(100):
        async with bot.running.services.uow() as uow:
            if not (await uow.channels.state("C0COORD01")).safe:
                return
        await asyncio.sleep(0.02)
    raise AssertionError("the channel was not flagged")


async def test_someone_removed_from_the_directory_file_loses_access_at_once(
    database_url: str,
    slack: SlackStandIn,
    clock: FrozenClock,
    example_directory: Path,
    tmp_path: Path,
) -> None:
    directory = tmp_path / "directory.toml"
    shutil.copy(example_directory, directory)
    async with running_bot(database_url, slack, clock, directory) as bot:
        await bot.interact(submission(ANA, "V0ACCESS1"))
        before = await bot.ask(IVAN, "status RPR-2026-0001")
        assert "Viet Nam" in json.dumps(before)
        text = directory.read_text(encoding="utf-8")
        start = text.index('name = "Ivan Example"')
        block_start = text.rindex("[[people]]", 0, start)
        block_end = text.index("[[people]]", start)
        directory.write_text(text[:block_start] + text[block_end:], encoding="utf-8")
        os.utime(directory, ns=(1, 2))  # a new modification time, whatever the clock's grain
        after = await bot.ask(IVAN, "status RPR-2026-0001")
        assert "not in its directory" in after["text"]
        directory.write_text("this is not TOML [", encoding="utf-8")
        os.utime(directory, ns=(3, 4))
        still = await bot.ask(ANA, "status RPR-2026-0001")  # a broken file keeps the last good
        assert "Viet Nam" in json.dumps(still)


async def test_a_deactivated_slack_account_loses_access_and_gets_no_mentions(
    bot: BotUnderTest,
) -> None:
    await send_event(bot, {"type": "user_change", "user": {"id": IVAN, "deleted": True}}, "Ev01")
    await until_roster(bot, IVAN, present=False)  # events are handled just after their ack
    answer = await bot.ask(IVAN, "help")
    assert "not in its directory" in answer["text"]
    await bot.interact(submission(ANA, "V0ACCESS2"))  # concerns CERD, Ivan's committee
    await bot.delivered()
    posts = json.dumps([c.params for c in bot.slack.calls_to("chat.postMessage")])
    assert f"<@{IVAN}>" not in posts
    await send_event(bot, {"type": "user_change", "user": {"id": IVAN, "deleted": False}}, "Ev02")
    await until_roster(bot, IVAN, present=True)
    assert "Viet Nam" in json.dumps(await bot.ask(IVAN, "status RPR-2026-0001"))


async def test_a_late_redelivery_of_an_event_already_handled_has_no_second_effect(
    bot: BotUnderTest,
) -> None:
    deleted = {"type": "user_change", "user": {"id": IVAN, "deleted": True}}
    await send_event(bot, deleted, "Ev10")
    await until_roster(bot, IVAN, present=False)
    for _ in range(100):  # an event is marked handled just after its effect
        async with bot.running.services.uow() as uow:
            if await uow.ledgers.event_handled("Ev10"):
                break
        await asyncio.sleep(0.02)
    await send_event(bot, {"type": "user_change", "user": {"id": IVAN, "deleted": False}}, "Ev11")
    await until_roster(bot, IVAN, present=True)
    # Slack retries the first event (it thought the 2xx came too late): it is old news.
    status = await send_event(bot, deleted, "Ev10", retry_num=1, retry_reason="http_timeout")
    assert status == 200
    await asyncio.sleep(0.3)  # events are handled just after their ack
    assert bot.running.services.roster.person_for_slack_user(IVAN) is not None
    assert "not in its directory" not in (await bot.ask(IVAN, "help"))["text"]


async def test_an_outsider_joining_holds_case_details_and_alerts_the_secretariat(
    bot: BotUnderTest,
) -> None:
    joined = {"type": "member_joined_channel", "user": "U0OUTSIDE", "channel": "C0COORD01"}
    assert await send_event(bot, joined, "Ev10") == 200
    # Slack retries the same delivery: one alert all the same.
    assert await send_event(bot, joined, "Ev10", retry_num=1, retry_reason="http_timeout") == 200
    await until_unsafe(bot)
    await bot.interact(submission(ANA, "V0ACCESS3"))
    await asyncio.sleep(0.3)
    coordination = [
        c for c in bot.slack.calls_to("chat.postMessage") if c.params["channel"] == "C0COORD01"
    ]
    assert coordination == []  # held, not sent
    alerts = [
        c for c in bot.slack.calls_to("chat.postMessage") if "no longer safe" in c.params["text"]
    ]
    # Once, to Sam (the secretariat's other member, Tess, is unknown to this Slack by e-mail).
    assert len(alerts) == 1
    opened = [c.params["users"] for c in bot.slack.calls_to("conversations.open")]
    assert opened.count(SAM) == 1

    bot.slack.set_members("C0COORD01", [ANA, IVAN, "U0OUTSIDE"])
    refused = await bot.ask(ANA, "channel-check")
    assert refused["text"] == "Only the secretariat can check the coordination channel."
    still = await bot.ask(SAM, "channel-check")
    assert "not safe" in json.dumps(still) and "1 member" in json.dumps(still)

    bot.slack.set_members("C0COORD01", [ANA, IVAN, SAM, "UBOT"])
    cleared = await bot.ask(SAM, "channel-check")
    assert "is safe" in json.dumps(cleared)
    await bot.delivered()
    coordination = [
        c for c in bot.slack.calls_to("chat.postMessage") if c.params["channel"] == "C0COORD01"
    ]
    assert len(coordination) >= 1 and "RPR-2026-0001" in json.dumps(coordination[0].params)


async def test_sharing_the_channel_with_another_organisation_stops_details(
    bot: BotUnderTest,
) -> None:
    shared = {"type": "channel_shared", "connected_team_id": "T0OTHER", "channel": "C0COORD01"}
    await send_event(bot, shared, "Ev20")
    await until_unsafe(bot)
    await bot.interact(submission(ANA, "V0ACCESS4"))
    await asyncio.sleep(0.3)
    assert not [
        c for c in bot.slack.calls_to("chat.postMessage") if c.params["channel"] == "C0COORD01"
    ]
    bot.slack.set_channel("C0COORD01", is_ext_shared=True)
    bot.slack.set_members("C0COORD01", [ANA])
    answer = await bot.ask(SAM, "channel-check")
    assert "Slack Connect" in json.dumps(answer)
