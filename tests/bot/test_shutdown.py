"""SIGTERM: the bot stops taking requests, finishes those in flight, and sends what it can."""

from __future__ import annotations

import asyncio
import os
import signal
import sys

import aiohttp

from storage.engine import create_engine
from storage.schema import upgrade
from tests.bot.conftest import SIGNING_SECRET
from tests.bot.crash import free_port, wait_healthy
from tests.bot.slack.report_payloads import ANA, submission
from tests.conftest import EXAMPLE_DIRECTORY, MASTER_KEY, ROOT
from tests.signing import interactive_body, signed_headers
from tests.slack_standin import SlackStandIn


async def test_sigterm_finishes_requests_in_flight_and_flushes_the_outbox(
    database_url: str,
) -> None:
    engine = create_engine(database_url)
    await upgrade(engine)
    await engine.dispose()
    async with SlackStandIn() as slack:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REPRISAL"))}
        env.update(
            REPRISAL_BOT_DATABASE_URL=database_url,
            REPRISAL_BOT_MASTER_KEY=MASTER_KEY,
            REPRISAL_BOT_DIRECTORY=str(EXAMPLE_DIRECTORY),
            SLACK_API_URL=slack.base_url,
            SLACK_BOT_TOKEN=slack.bot_token,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
        )
        port = free_port()
        server = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        url = await wait_healthy(port)
        async with aiohttp.ClientSession() as http:

            async def submit(n: int) -> int:
                body = interactive_body(submission(ANA, f"V0TERM{n:03d}"))
                async with http.post(
                    f"{url}/slack/events", data=body, headers=signed_headers(SIGNING_SECRET, body)
                ) as answer:
                    await answer.read()
                    return answer.status

            in_flight = [asyncio.create_task(submit(n)) for n in range(20)]
            await asyncio.sleep(0.05)
            server.send_signal(signal.SIGTERM)
            statuses = await asyncio.gather(*in_flight, return_exceptions=True)
            code = await asyncio.wait_for(server.wait(), 30)
        answered = [s for s in statuses if s == 200]
        assert code == 0
        assert answered, statuses
        # Every request that got in was answered; what it stored was sent before the exit.
        cards = [
            c
            for c in slack.calls_to("chat.postMessage")
            if c.params["channel"] == "C0COORD01" and not c.failed and not c.params.get("thread_ts")
        ]
        assert len(cards) == len(answered)
