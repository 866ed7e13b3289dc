"""Two `reprisal-bot serve` processes on one PostgreSQL database serve together, and no
message is sent by both."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter

import aiohttp
import pytest
from sqlalchemy import text

from storage.engine import create_engine
from tests.bot.conftest import SIGNING_SECRET
from tests.bot.processes import prepared, start
from tests.bot.slack.report_payloads import ANA, submission
from tests.signing import interactive_body, signed_headers
from tests.slack_standin import SlackStandIn

REPORTS = 30


async def test_two_instances_share_the_work_and_send_each_message_once(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several instances run on PostgreSQL (SQLite is the single-instance engine)")
    async with SlackStandIn() as slack:
        env = await prepared(database_url, slack)
        servers, urls = [], []
        for _ in range(2):
            server, url = await start(env)
            servers.append(server)
            urls.append(url)
        try:
            async with aiohttp.ClientSession() as http:

                async def submit(n: int) -> str:
                    body = interactive_body(submission(ANA, f"V0TWO{n:03d}"))
                    url = urls[n % 2]
                    async with http.post(
                        f"{url}/slack/events",
                        data=body,
                        headers=signed_headers(SIGNING_SECRET, body),
                    ) as answer:
                        return await answer.text()

                answers = await asyncio.gather(*(submit(n) for n in range(REPORTS)))
                # Saved with its reference, or (under load, past the ack budget) being saved.
                assert all("RPR-2026-" in a or "being saved" in a for a in answers), answers
                for _ in range(200):
                    await asyncio.sleep(0.1)
                    posted = [c for c in slack.calls_to("chat.postMessage") if not c.failed]
                    if len(posted) >= REPORTS * 3:
                        break
                await asyncio.sleep(1)  # anything sent twice would arrive by now
        finally:
            for server in servers:
                server.send_signal(signal.SIGTERM)
            await asyncio.gather(*(asyncio.wait_for(s.wait(), 30) for s in servers))
        posted = [c for c in slack.calls_to("chat.postMessage") if not c.failed]
        notices = Counter(c.params["metadata"]["event_payload"]["notice"] for c in posted)
        # A card, a thread alert and a DM for each report, and the suggestions of related
        # cases (every report here names the same person).
        assert len(notices) >= REPORTS * 3
        assert max(notices.values()) == 1  # none sent by both instances
        engine = create_engine(database_url)
        async with engine.connect() as connection:
            stored = (await connection.execute(text("SELECT count(*) FROM cases"))).scalar()
        await engine.dispose()
        assert stored == REPORTS
