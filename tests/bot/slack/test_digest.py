"""The monthly digest through the real app and the Slack stand-in: a DM per Chair with their
committee first, one post in the Chairs' channel, the agenda in the coordination channel, the
charts uploaded in each one's thread; once, even when an attempt is cut short; and on demand."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.directory.load import load_directory
from commands.roles import RoleKind
from tests.bot.conftest import BotUnderTest, running_bot
from tests.bot.slack.report_payloads import ANA, HANA, SAM
from tests.conftest import EXAMPLE_DIRECTORY, FrozenClock
from tests.digests.dataset import ONE_RESTRICTED, RESTRICTED_TRACES, fill
from tests.fakes.slack_standin import SlackStandIn

FIRST_WORKING_DAY = dt.datetime(2026, 11, 2, 8, 0, 30, tzinfo=dt.UTC)  # 09:00:30 in Geneva
SECRETS = ("Amina", "Kofi", "Rosa Secret", "Confidential summary", "private note")


@pytest.fixture
async def digest_bot(
    database_url: str, slack: SlackStandIn, example_directory: Path
) -> AsyncIterator[BotUnderTest]:
    clock = FrozenClock(FIRST_WORKING_DAY)
    async with running_bot(database_url, slack, clock, example_directory) as bot:
        services = bot.running.services
        reporter = services.roster.person_ids[f"slack:{ANA}"]
        await fill(services.uow, reporter)
        yield bot


@pytest.fixture
async def one_restricted_bot(
    database_url: str, slack: SlackStandIn, example_directory: Path
) -> AsyncIterator[BotUnderTest]:
    """October 2026 with one restricted case (CMW, Eritrea, urgent) among shared and public."""
    clock = FrozenClock(FIRST_WORKING_DAY)
    async with running_bot(database_url, slack, clock, example_directory) as bot:
        services = bot.running.services
        reporter = services.roster.person_ids[f"slack:{ANA}"]
        await fill(services.uow, reporter, cases=ONE_RESTRICTED)
        yield bot


def posted_in(slack: SlackStandIn, conversation: str) -> str:
    """Every message (threads too) and every chart's title and text alternative there."""
    charts = [(f["title"], f["alt_txt"]) for f in slack.uploaded_files(conversation)]
    assert len(charts) == 3, conversation
    return json.dumps([slack.messages(conversation), charts], ensure_ascii=False)


def chairs_with_slack() -> list[str]:
    return [
        p.slack_user
        for p in load_directory(EXAMPLE_DIRECTORY).holders(RoleKind.CHAIR)
        if p.slack_user
    ]


def heads(slack: SlackStandIn, channel: str) -> list[dict]:
    """The digest's first messages in a conversation (parts after it go in its thread)."""
    return [
        m
        for m in slack.messages(channel)
        if not m.get("thread_ts") and m.get("text", "").startswith("Reprisals digest")
    ]


async def sent_digest(bot: BotUnderTest) -> None:
    queued = await bot.running.scheduler.queue_digest()
    assert queued
    bot.running.worker.wake()
    await bot.delivered(patience=30)


async def test_every_chair_gets_one_dm_with_their_committee_first_and_the_charts(
    digest_bot: BotUnderTest,
) -> None:
    slack = digest_bot.slack
    await sent_digest(digest_bot)
    for user in chairs_with_slack():
        dm = slack._dm_for(user)
        assert len(heads(slack, dm)) == 1, user
    hana = slack._dm_for(HANA)
    first = heads(slack, hana)[0]
    text = json.dumps(first["blocks"])
    assert text.index("Your committee: CAT") < text.index("Headline figures")
    assert "RPR-2026-0003" in text
    files = slack.uploaded_files(hana)
    assert (
        sorted(f["title"] for f in files)
        == sorted(
            [
                "Cases per committee, October 2026",
                "Acts by type, October 2026",
                "Twelve-month trend",
            ]
        )
        or len(files) == 3
    )
    assert all(f["thread_ts"] == first["ts"] for f in files)
    assert all(f["content"].startswith(b"\x89PNG") for f in files)


async def test_one_post_in_each_channel_and_no_name_anywhere(digest_bot: BotUnderTest) -> None:
    slack = digest_bot.slack
    await sent_digest(digest_bot)
    assert len(heads(slack, "C0CHAIRS1")) == 1
    coordination = heads(slack, "C0COORD01")
    assert len(coordination) == 1
    replies = [
        m for m in slack.messages("C0COORD01") if m.get("thread_ts") == coordination[0]["ts"]
    ]
    agenda = json.dumps([coordination[0], *replies])
    assert "Coordination meeting agenda" in agenda and "Patterns" in agenda
    everything = json.dumps([c.params for c in slack.calls], ensure_ascii=False, default=str)
    for secret in SECRETS:
        assert secret not in everything, secret


async def test_the_digest_goes_out_once_whatever_is_retried(digest_bot: BotUnderTest) -> None:
    slack = digest_bot.slack
    # Slack fails the first chart upload: the whole notice is retried, and the retry finds
    # the messages already posted instead of posting them again.
    slack.fail_next("files.completeUploadExternal", "internal_error", status=500)
    assert await digest_bot.running.scheduler.queue_digest()
    digest_bot.running.worker.wake()
    for _ in range(200):  # until the failed notice waits for its retry
        if slack.calls_to("files.completeUploadExternal")[1:]:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(1)
    digest_bot.clock.advance(minutes=10)  # its back-off has passed
    digest_bot.running.worker.wake()
    await digest_bot.delivered(patience=30)
    assert await digest_bot.running.scheduler.queue_digest() == []  # the ledger: never twice
    for user in chairs_with_slack():
        dm = slack._dm_for(user)
        assert len(heads(slack, dm)) == 1, user
        assert len(slack.uploaded_files(dm)) == 3, user
    assert len(heads(slack, "C0CHAIRS1")) == 1


async def test_a_chair_previews_the_digest_and_a_focal_point_may_not(
    digest_bot: BotUnderTest,
) -> None:
    preview = await digest_bot.ask(HANA, "digest preview 2026-10")
    assert preview["response_type"] == "ephemeral"
    text = json.dumps(preview, ensure_ascii=False)
    assert "Your committee: CAT" in text and "RPR-2026-0003" in text
    for secret in SECRETS:
        assert secret not in text
    refused = await digest_bot.ask(ANA, "digest preview")
    assert "Digests are for the Chairs and the secretariat" in refused["text"]
    bad = await digest_bot.ask(SAM, "digest preview 2026-13")
    assert "YYYY-MM" in bad["text"]
    future = await digest_bot.ask(SAM, "digest preview 2027-01")
    assert "has not started yet" in future["text"]


async def test_digests_queued_before_a_restart_go_out_once_after_it(
    database_url: str, slack: SlackStandIn, example_directory: Path, keyring
) -> None:
    from storage.engine import create_engine
    from storage.schema import upgrade
    from tests.bot.test_scheduler import services_on

    engine = create_engine(database_url)
    await upgrade(engine)
    await engine.dispose()
    clock = FrozenClock(FIRST_WORKING_DAY)
    async with services_on(database_url, keyring, clock) as services:  # queued, then stopped
        queued = await services_scheduler(services).queue_digest()
    assert len(queued) == len(load_directory(EXAMPLE_DIRECTORY).holders(RoleKind.CHAIR)) + 2
    async with running_bot(database_url, slack, clock, example_directory) as bot:
        bot.running.worker.wake()
        await bot.delivered(patience=30)
        assert await bot.running.scheduler.queue_digest() == []
    for user in chairs_with_slack():
        assert len(heads(slack, slack._dm_for(user))) == 1, user
    assert len(heads(slack, "C0CHAIRS1")) == len(heads(slack, "C0COORD01")) == 1


def services_scheduler(services):
    from bot.schedules.scheduler import Scheduler

    return Scheduler(services, platform="slack", wake=lambda: None)


async def test_one_restricted_case_shows_in_no_channel_but_in_a_total(
    one_restricted_bot: BotUnderTest,
) -> None:
    slack = one_restricted_bot.slack
    await sent_digest(one_restricted_bot)
    for channel, why in [("C0CHAIRS1", "2 are restricted or shared"), ("C0COORD01", "1 is")]:
        text = posted_in(slack, channel)
        assert f"Of the 3 new allegation(s), {why}" in text, channel
        # The committees chart's text alternative names all ten committees: CMW with 0.
        assert "CMW 0 (0)" in text
        for trace in (*RESTRICTED_TRACES, "rotating_light", "Allegation denied by the State"):
            assert trace not in text.replace("CMW 0 (0)", ""), (channel, trace)
    # Another committee's Chair reads it in no figure either; CMW's Chair, in their section.
    assert "Eritrea" not in posted_in(slack, slack._dm_for(HANA))
    own = posted_in(slack, slack._dm_for("U0CMWFP01"))
    assert "Your committee: CMW" in own and "Eritrea" in own and "Yonas" not in own
