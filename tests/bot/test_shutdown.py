"""SIGTERM: the bot stops taking requests, finishes those in flight, and sends what it can."""

from __future__ import annotations

import asyncio
import signal

import aiohttp
from sqlalchemy import text

from storage.engine import create_engine
from tests.bot.conftest import SIGNING_SECRET
from tests.bot.processes import prepared, start
from tests.bot.slack.report_payloads import ANA, submission
from tests.fakes.signing import interactive_body, signed_headers
from tests.fakes.slack_standin import SlackStandIn


async def first_case_stored(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        for _ in range(1000):
            async with engine.connect() as connection:
                if (await connection.execute(text("SELECT count(*) FROM cases"))).scalar():
                    return
            await asyncio.sleep(0.01)
    finally:
        await engine.dispose()
    raise AssertionError("no report was stored")


async def test_sigterm_finishes_requests_in_flight_and_flushes_the_outbox(
    database_url: str,
) -> None:
    async with SlackStandIn() as slack:
        server, url = await start(await prepared(database_url, slack))
        async with aiohttp.ClientSession() as http:

            async def submit(n: int) -> int:
                body = interactive_body(submission(ANA, f"V0TERM{n:03d}"))
                async with http.post(
                    f"{url}/slack/events", data=body, headers=signed_headers(SIGNING_SECRET, body)
                ) as answer:
                    await answer.read()
                    return answer.status

            in_flight = [asyncio.create_task(submit(n)) for n in range(20)]
            await first_case_stored(database_url)  # requests are being served now
            server.send_signal(signal.SIGTERM)
            statuses = await asyncio.gather(*in_flight, return_exceptions=True)
            code = await asyncio.wait_for(server.wait(), 30)
        answered = [s for s in statuses if s == 200]
        assert code == 0
        assert answered, statuses
        # Every request that got in was answered; what it stored was sent before the exit, or
        # (past the flush's bound, on a slow machine) waits in the outbox for the next start.
        cards = [
            c
            for c in slack.calls_to("chat.postMessage")
            if c.params["channel"] == "C0COORD01" and not c.failed and not c.params.get("thread_ts")
        ]
        engine = create_engine(database_url)
        async with engine.connect() as connection:
            waiting = (
                await connection.execute(
                    text(
                        "SELECT count(*) FROM outbox "
                        "WHERE kind = 'case_card' AND status = 'pending'"
                    )
                )
            ).scalar()
        await engine.dispose()
        assert len(cards) + waiting == len(answered) and len(cards) > 0
