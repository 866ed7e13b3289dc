"""Two `reprisal-bot serve` processes on one PostgreSQL database start together, serve
together, and no message is sent by both."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter

import aiohttp
import pytest
from sqlalchemy import text

from bot.directory.load import load_directory
from bot.services import Services, build_services
from bot.settings import load_settings
from storage.crypto import KeyRing
from storage.engine import create_engine
from storage.schema import upgrade
from tests.bot.conftest import SIGNING_SECRET
from tests.bot.processes import prepared, start
from tests.bot.slack.report_payloads import ANA, submission
from tests.conftest import EXAMPLE_DIRECTORY, MASTER_KEY, _postgres_database
from tests.fakes.signing import interactive_body, signed_headers
from tests.fakes.slack_standin import SlackStandIn

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


ROUNDS = 10


async def test_two_instances_started_together_on_a_fresh_database_both_come_up(
    database_url: str,
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several instances run on PostgreSQL (SQLite is the single-instance engine)")
    for _ in range(ROUNDS):
        async with _postgres_database() as fresh:
            engine = create_engine(fresh)
            await upgrade(engine)
            await engine.dispose()
            settings = load_settings(
                {
                    "REPRISAL_BOT_DATABASE_URL": fresh,
                    "REPRISAL_BOT_DIRECTORY": str(EXAMPLE_DIRECTORY),
                    "REPRISAL_BOT_MASTER_KEY": MASTER_KEY,
                },
                env_file=None,
            )
            keyring = KeyRing.parse(MASTER_KEY)
            both = await asyncio.gather(
                *(build_services(settings, keyring) for _ in range(2)), return_exceptions=True
            )
            for services in both:
                if isinstance(services, Services):
                    await services.close()
            assert all(isinstance(s, Services) for s in both), both
            engine = create_engine(fresh)
            async with engine.connect() as connection:
                people = (await connection.execute(text("SELECT count(*) FROM people"))).scalar()
                roles = (
                    await connection.execute(
                        text(
                            "SELECT count(*) FROM (SELECT DISTINCT person_id, kind, committee_code"
                            " FROM person_roles) d"
                        )
                    )
                ).scalar()
                count = text("SELECT count(*) FROM person_roles")
                rows = (await connection.execute(count)).scalar()
            await engine.dispose()
            assert people == len(load_directory(EXAMPLE_DIRECTORY).people)
            assert rows == roles  # no role stored twice
