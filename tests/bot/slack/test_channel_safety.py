"""Both channels (coordination and Chairs') are checked before each post of case details and
whenever their members or their sharing change: a public channel, or a member who is no longer
in the directory, holds the posts (and alerts the secretariat) until it is safe again."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.bot.conftest import BotUnderTest, running_bot
from tests.bot.slack.report_payloads import ANA, IVAN, SAM, submission
from tests.conftest import FrozenClock
from tests.digests.dataset import fill
from tests.fakes.signing import event_body
from tests.fakes.slack_standin import SlackStandIn

FIRST_WORKING_DAY = dt.datetime(2026, 11, 2, 8, 0, 30, tzinfo=dt.UTC)  # the digest is due


async def send_event(bot: BotUnderTest, event: dict, event_id: str) -> None:
    response = await bot.post(event_body(event, event_id=event_id), content_type="application/json")
    assert response.status == 200


def posts_in(slack: SlackStandIn, channel: str) -> list[dict]:
    return [c.params for c in slack.calls_to("chat.postMessage") if c.params["channel"] == channel]


def alerts(slack: SlackStandIn) -> list[dict]:
    return [m for m in slack.messages(SAM) if "no longer safe" in m["text"]]


async def until(found: object, what: str, patience: float = 5.0) -> None:
    for _ in range(int(patience / 0.02)):
        if found():  # type: ignore[operator]
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"never: {what}")


async def until_unsafe(bot: BotUnderTest, channel: str) -> None:
    for _ in range(250):
        async with bot.running.services.uow() as uow:
            if not (await uow.channels.state(channel)).safe:
                return
        await asyncio.sleep(0.02)
    raise AssertionError(f"{channel} was not flagged")


async def test_a_public_coordination_channel_holds_case_details_until_made_private(
    bot: BotUnderTest,
) -> None:
    slack = bot.slack
    slack.set_channel("C0COORD01", is_private=False)  # anyone in the workspace may read it
    await bot.interact(submission(ANA, "V0SAFE01"))
    await until(lambda: alerts(slack), "the secretariat is alerted")
    assert "public" in json.dumps(alerts(slack))
    assert posts_in(slack, "C0COORD01") == []  # held, not sent

    slack.set_channel("C0COORD01", is_private=True)
    made_private = {
        "type": "message",
        "subtype": "channel_convert_to_private",
        "channel": "C0COORD01",
        "user": SAM,
        "text": "made this channel *private*.",
        "ts": "1700000500.000100",
    }
    await send_event(bot, made_private, "EvSAFE01")
    await bot.delivered()
    assert "RPR-2026-0001" in json.dumps(posts_in(slack, "C0COORD01")[0])


async def test_someone_removed_from_the_directory_but_still_in_the_channel_stops_the_cards(
    database_url: str,
    slack: SlackStandIn,
    clock: FrozenClock,
    example_directory: Path,
    tmp_path: Path,
) -> None:
    directory = tmp_path / "directory.toml"
    shutil.copy(example_directory, directory)
    slack.set_members("C0COORD01", [ANA, IVAN, SAM, slack.bot_user_id])
    async with running_bot(database_url, slack, clock, directory) as bot:
        await bot.interact(submission(ANA, "V0SAFE02"))
        await bot.delivered()
        assert len(posts_in(slack, "C0COORD01")) >= 1

        text = directory.read_text(encoding="utf-8")
        start = text.index('name = "Ivan Example"')
        block_start = text.rindex("[[people]]", 0, start)
        block_end = text.index("[[people]]", start)
        directory.write_text(text[:block_start] + text[block_end:], encoding="utf-8")
        os.utime(directory, ns=(1, 2))  # a new modification time, whatever the clock's grain
        before = len(posts_in(slack, "C0COORD01"))
        await bot.interact(submission(ANA, "V0SAFE03"))
        await until(lambda: alerts(slack), "the secretariat is alerted")
        assert "1 member(s)" in json.dumps(alerts(slack))
        assert len(posts_in(slack, "C0COORD01")) == before
        assert "RPR-2026-0002" not in json.dumps(posts_in(slack, "C0COORD01"))

        # Ivan is taken out of the channel: it is safe again, and the held card goes out.
        slack.set_members("C0COORD01", [ANA, SAM, slack.bot_user_id])
        left = {"type": "member_left_channel", "user": IVAN, "channel": "C0COORD01"}
        await send_event(bot, left, "EvSAFE02")
        await bot.delivered()
        assert "RPR-2026-0002" in json.dumps(posts_in(slack, "C0COORD01"))


@pytest.fixture
async def digest_bot(
    database_url: str, slack: SlackStandIn, example_directory: Path
) -> AsyncIterator[BotUnderTest]:
    clock = FrozenClock(FIRST_WORKING_DAY)
    async with running_bot(database_url, slack, clock, example_directory) as bot:
        services = bot.running.services
        await fill(services.uow, services.roster.person_ids[f"slack:{ANA}"])
        yield bot


def digest_heads(slack: SlackStandIn, channel: str) -> list[dict]:
    return [
        m
        for m in slack.messages(channel)
        if not m.get("thread_ts") and m.get("text", "").startswith("Reprisals digest")
    ]


async def test_an_outsider_in_the_chairs_channel_holds_its_digest(
    digest_bot: BotUnderTest,
) -> None:
    bot, slack = digest_bot, digest_bot.slack
    joined = {"type": "member_joined_channel", "user": "U0OUTSIDE", "channel": "C0CHAIRS1"}
    await send_event(bot, joined, "EvSAFE03")
    await until_unsafe(bot, "C0CHAIRS1")
    assert await bot.running.scheduler.queue_digest()
    bot.running.worker.wake()
    posted = lambda: digest_heads(slack, "C0COORD01")  # noqa: E731
    await until(posted, "the coordination digest is posted", patience=30)
    await until(lambda: alerts(slack), "the secretariat is alerted")
    assert "C0CHAIRS1" in json.dumps(alerts(slack))
    assert digest_heads(slack, "C0CHAIRS1") == []  # held, not sent

    left = {"type": "member_left_channel", "user": "U0OUTSIDE", "channel": "C0CHAIRS1"}
    await send_event(bot, left, "EvSAFE04")
    await bot.delivered(patience=30)
    assert len(digest_heads(slack, "C0CHAIRS1")) == 1
