"""Crash safety: a real `reprisal-bot serve` is killed (SIGKILL) at random moments while reports
come in. No confirmed report is lost, and no message is posted twice or never."""

from __future__ import annotations

import asyncio
import json
import random
import re
import signal
import time

import aiohttp
import pytest
from sqlalchemy import text

from storage.crypto import KeyRing
from storage.engine import create_engine, session_factory
from storage.uow import UnitOfWork
from tests.bot.conftest import SIGNING_SECRET
from tests.bot.processes import prepared, start
from tests.bot.slack.report_payloads import ANA, submission
from tests.conftest import MASTER_KEY
from tests.fakes.signing import interactive_body, signed_headers
from tests.fakes.slack_standin import SlackStandIn

ROUNDS, PER_ROUND = 6, 24
SAVED = re.compile(r"Saved as \*(RPR-\d{4}-\d{4})\*")


async def submit(http: aiohttp.ClientSession, url: str, view_id: str) -> str | None:
    """The reference the modal confirmed, or None (no answer, or not confirmed)."""
    body = interactive_body(submission(ANA, view_id))
    try:
        async with http.post(
            f"{url}/slack/events", data=body, headers=signed_headers(SIGNING_SECRET, body)
        ) as answer:
            text = await answer.text()
    except (aiohttp.ClientError, TimeoutError):
        return None
    found = SAVED.search(text)
    return found.group(1) if found else None


async def backlog_of(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        async with UnitOfWork(session_factory(engine), KeyRing.parse(MASTER_KEY)) as uow:
            return await uow.outbox.backlog()
    finally:
        await engine.dispose()


async def stored(database_url: str) -> dict[str, str]:
    """View id -> reference of every stored case."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            result = await connection.execute(text("SELECT idempotency_key, reference FROM cases"))
            return {key.removeprefix("slack:view:"): ref for key, ref in result.all()}
    finally:
        await engine.dispose()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
async def test_killing_the_bot_loses_no_confirmed_report_and_posts_nothing_twice(
    database_url: str,
) -> None:
    chance = random.Random(20261128)
    confirmed: dict[str, str] = {}
    killed = 0
    async with SlackStandIn() as slack:
        env = await prepared(
            database_url,
            slack,
            REPRISAL_BOT_LOG_LEVEL="WARNING",
            REPRISAL_BOT_OUTBOX_LEASE_SECONDS="2",
        )
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            for round_ in range(ROUNDS):
                t0 = time.perf_counter()
                server, url = await start(env)
                print(f"round {round_}: started in {time.perf_counter() - t0:.1f}s")
                views = [f"V0R{round_}N{n:02d}" for n in range(PER_ROUND)]
                # Some forms are submitted again after a crash, as a person would.
                views += [f"V0R{round_ - 1}N00"] if round_ else []
                sending = [asyncio.create_task(submit(http, url, v)) for v in views]
                await asyncio.sleep(chance.uniform(0.05, 0.6))
                server.send_signal(signal.SIGKILL)
                await server.wait()
                killed += 1
                for view, reference in zip(views, await asyncio.gather(*sending), strict=True):
                    if reference:
                        assert confirmed.setdefault(view, reference) == reference
            server, url = await start(env)  # the last one is left to finish its work
            t0 = time.perf_counter()
            try:
                for _ in range(240):
                    # Looked at twice a second: another process on SQLite takes its lock.
                    await asyncio.sleep(0.5)
                    if await backlog_of(database_url) == 0:
                        break
            finally:
                print(f"drained in {time.perf_counter() - t0:.1f}s")
                server.send_signal(signal.SIGTERM)
                await asyncio.wait_for(server.wait(), 20)

        rows = await stored(database_url)
        assert await backlog_of(database_url) == 0
        lost = {v: r for v, r in confirmed.items() if rows.get(v) != r}
        assert not lost, f"confirmed but not stored: {lost}"
        posts = [c for c in slack.calls_to("chat.postMessage") if not c.failed and not c.error]
        cards = [
            json.dumps(c.params)
            for c in posts
            if c.params["channel"] == "C0COORD01" and not c.params.get("thread_ts")
        ]
        dms = [c.params["text"] for c in posts if c.params["channel"].startswith("D")]
        for reference in rows.values():
            assert sum(f"New allegation {reference}" in card for card in cards) == 1, reference
            assert sum(reference in text for text in dms) == 1, reference
        lookups = len(slack.calls_to("conversations.history")) + len(
            slack.calls_to("conversations.replies")
        )
        print(
            f"\ncrash safety ({database_url.split(':')[0]}): {killed} processes killed, "
            f"{len(confirmed)} reports confirmed, {len(rows)} stored, 0 lost; "
            f"{len(posts)} messages posted, 0 duplicated, 0 missing; "
            f"{lookups} retried notices first looked for in Slack"
        )
        assert killed == ROUNDS and len(confirmed) > 0
