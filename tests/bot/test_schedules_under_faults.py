"""Schedules under faults, with real `reprisal-bot serve` processes: killed (SIGKILL) again and
again while the month's digests go out, and a leader killed while another instance waits. Each
digest part, chart and reminder reaches Slack exactly once."""

from __future__ import annotations

import asyncio
import json
import random
import signal
from collections import Counter

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.directory.load import load_directory
from commands.roles import RoleKind
from storage.crypto import KeyRing
from storage.engine import create_engine, session_factory
from storage.records import ThreadRecord
from storage.uow import UnitOfWork
from tests.bot.processes import prepared, start
from tests.bot.test_crash_safety import backlog_of
from tests.conftest import EXAMPLE_DIRECTORY, MASTER_KEY
from tests.digests.dataset import fill
from tests.fakes.slack_standin import SlackStandIn

ROUNDS = 5
# Chairs known to Slack by id get a DM; the others' e-mails are unknown to this stand-in.
CHAIRS = sum(1 for p in load_directory(EXAMPLE_DIRECTORY).holders(RoleKind.CHAIR) if p.slack_user)


async def filled(database_url: str, slack: SlackStandIn) -> None:
    """The fixed data set, its cards already in Slack (so reminders have threads to go to)."""
    engine = create_engine(database_url)
    factory = session_factory(engine)

    def uow() -> UnitOfWork:
        return UnitOfWork(factory, KeyRing.parse(MASTER_KEY))

    try:
        ids = await fill(uow)
        client = AsyncWebClient(token=slack.bot_token, base_url=slack.base_url)
        async with uow() as work:
            for case_id in ids.values():
                card = await client.chat_postMessage(channel="C0COORD01", text="card")
                await work.threads.set(ThreadRecord(case_id, "slack", "C0COORD01", card["ts"]))
            await work.commit()
    finally:
        await engine.dispose()


async def role_of(http: aiohttp.ClientSession, url: str) -> str | None:
    try:
        async with http.get(f"{url}/healthz") as answer:
            return (await answer.json())["scheduler"]
    except (aiohttp.ClientError, TimeoutError):
        return None


async def drained(database_url: str, patience: float = 90) -> None:
    for _ in range(int(patience / 0.5)):
        await asyncio.sleep(0.5)
        if await backlog_of(database_url) == 0:
            return
    raise AssertionError("the outbox did not drain")


def count_outcomes(slack: SlackStandIn) -> dict[str, Counter]:
    """Per digest part, chart and reminder: how many times it reached Slack."""
    posted = [c for c in slack.calls_to("chat.postMessage") if not c.failed and not c.error]
    parts: Counter = Counter()
    reminders: Counter = Counter()
    for call in posted:
        payload = (call.params.get("metadata") or {}).get("event_payload") or {}
        text = call.params.get("text", "")
        if "part" in payload or text.startswith("Reprisals digest"):
            parts[(call.params["channel"], payload.get("notice"), payload.get("part", 0))] += 1
        elif "State reply" in text:
            reminders[(call.params.get("thread_ts"), text)] += 1
    charts: Counter = Counter()
    for call in slack.calls_to("files.completeUploadExternal"):
        if not call.failed and not call.error:
            for item in (
                json.loads(call.params["files"])
                if isinstance(call.params["files"], str)
                else call.params["files"]
            ):
                charts[(call.params.get("channel_id"), item["id"])] += 1
    return {"parts": parts, "reminders": reminders, "charts": charts}


def digest_heads(slack: SlackStandIn) -> Counter:
    """Conversation -> how many digests' first messages it holds."""
    heads: Counter = Counter()
    for call in slack.calls_to("chat.postMessage"):
        payload = (call.params.get("metadata") or {}).get("event_payload") or {}
        if not call.failed and not call.error and payload.get("part") == 0:
            heads[call.params["channel"]] += 1
    return heads


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
async def test_killing_the_bot_while_digests_go_out_sends_each_once(database_url: str) -> None:
    chance = random.Random(20261201)
    async with SlackStandIn() as slack:
        env = await prepared(
            database_url,
            slack,
            REPRISAL_BOT_SCHEDULER="on",
            REPRISAL_BOT_LOG_LEVEL="WARNING",
            REPRISAL_BOT_OUTBOX_LEASE_SECONDS="2",
        )
        await filled(database_url, slack)
        killed = 0
        for _ in range(ROUNDS):
            server, _url = await start(env)
            await asyncio.sleep(chance.uniform(0.1, 1.5))
            server.send_signal(signal.SIGKILL)
            await server.wait()
            killed += 1
        server, _url = await start(env)
        try:
            await drained(database_url)
            await asyncio.sleep(1)
        finally:
            server.send_signal(signal.SIGTERM)
            await asyncio.wait_for(server.wait(), 20)
        outcomes = count_outcomes(slack)
        heads = digest_heads(slack)
        # Every Chair with a Slack account by DM, and both channels: one digest each.
        assert len(heads) == CHAIRS + 2 and set(heads.values()) == {1}, heads
        assert "C0CHAIRS1" in heads and "C0COORD01" in heads
        assert max(outcomes["parts"].values()) == 1
        assert outcomes["charts"] and max(outcomes["charts"].values()) == 1
        uploads = Counter(
            (f["channel"], f["name"]) for channel in heads for f in slack.uploaded_files(channel)
        )
        assert len(uploads) == 3 * len(heads) and max(uploads.values()) == 1
        assert sorted(Counter(outcomes["reminders"].values())) == [1]
        print(
            f"\ndigest crash safety ({database_url.split(':')[0]}): {killed} processes killed "
            f"during delivery; {len(heads)} digests ({sum(outcomes['parts'].values())} messages,"
            f" {len(uploads)} charts) and {len(outcomes['reminders'])} reminders delivered; "
            "0 duplicated, 0 missing"
        )


async def test_when_the_leader_dies_another_instance_takes_over_and_nothing_goes_twice(
    database_url: str,
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several instances run on PostgreSQL (SQLite is the single-instance engine)")
    async with SlackStandIn() as slack:
        env = await prepared(
            database_url,
            slack,
            REPRISAL_BOT_SCHEDULER="on",
            REPRISAL_BOT_LEADER_POLL_SECONDS="2",
            REPRISAL_BOT_OUTBOX_LEASE_SECONDS="2",
            REPRISAL_BOT_LOG_LEVEL="WARNING",
        )
        await filled(database_url, slack)
        first, first_url = await start(env)
        second, second_url = await start(env)
        servers = [first, second]
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
                roles = {await role_of(http, first_url), await role_of(http, second_url)}
                assert roles == {"leader", "standby"}, roles
                leader, survivor_url = (
                    (first, second_url)
                    if await role_of(http, first_url) == "leader"
                    else (second, first_url)
                )
                leader.send_signal(signal.SIGKILL)  # while it is sending what it queued
                await leader.wait()
                waited = 0.0
                while await role_of(http, survivor_url) != "leader":
                    await asyncio.sleep(0.5)
                    waited += 0.5
                    assert waited < 60, "no instance took over within a minute"
            await drained(database_url)
            await asyncio.sleep(1)
        finally:
            for server in servers:
                if server.returncode is None:
                    server.send_signal(signal.SIGTERM)
            await asyncio.gather(
                *(asyncio.wait_for(s.wait(), 20) for s in servers if s.returncode is None)
            )
        heads = digest_heads(slack)
        outcomes = count_outcomes(slack)
        assert "C0CHAIRS1" in heads and "C0COORD01" in heads
        assert len(heads) == CHAIRS + 2 and set(heads.values()) == {1}, heads
        assert max(outcomes["parts"].values()) == 1
        assert len(outcomes["reminders"]) == 2 and set(outcomes["reminders"].values()) == {1}
        print(
            f"\nleader failover: taken over in {waited:.1f} s; {len(heads)} digests and "
            f"{len(outcomes['reminders'])} reminders sent once each"
        )
