"""The bot as Slack sees it: its real aiohttp server on loopback, signed requests in, and the
Slack Web API stand-in out."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.app import RUNNING, Running, build_app
from bot.directory.load import load_directory
from bot.settings import load_settings
from storage.crypto import KeyRing
from storage.engine import create_engine
from storage.schema import upgrade
from tests.conftest import EXAMPLE_DIRECTORY, MASTER_KEY, FrozenClock
from tests.fakes.signing import interactive_body, signed_headers, slash_command_body
from tests.fakes.slack_standin import SlackStandIn

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"


@dataclass
class BotUnderTest:
    url: str
    slack: SlackStandIn
    app: web.Application
    http: aiohttp.ClientSession
    clock: FrozenClock

    @property
    def running(self) -> Running:
        return self.app[RUNNING]

    async def post(self, body: str, **header_options: Any) -> aiohttp.ClientResponse:
        headers = signed_headers(SIGNING_SECRET, body, **header_options)
        response = await self.http.post(f"{self.url}/slack/events", data=body, headers=headers)
        await response.read()
        return response

    async def command(self, user_id: str, text: str) -> tuple[int, str, str]:
        """Send `/reprisal <text>`; returns (status, response_url, trigger_id)."""
        response_url = self.slack.new_response_url()
        trigger_id = self.slack.new_trigger_id()
        body = slash_command_body(
            text=text, user_id=user_id, trigger_id=trigger_id, response_url=response_url
        )
        response = await self.post(body)
        return response.status, response_url, trigger_id

    async def ask(self, user_id: str, text: str) -> dict[str, Any]:
        """A command whose answer comes back on its response_url: that answer."""
        status, response_url, _ = await self.command(user_id, text)
        assert status == 200
        return await self.answer_at(response_url)

    async def answer_at(self, response_url: str, patience: float = 5.0) -> dict[str, Any]:
        for _ in range(int(patience / 0.02)):
            found = [r for r in self.slack.responses if r["url"] == response_url]
            if found:
                return found[-1]
            await asyncio.sleep(0.02)
        raise AssertionError(f"no answer at {response_url}")

    async def interact(self, payload: dict[str, Any], **header_options: Any) -> tuple[int, Any]:
        response = await self.post(interactive_body(payload), **header_options)
        text = await response.text()
        return response.status, (json.loads(text) if text.strip() else None)

    async def delivered(self, patience: float = 10.0) -> None:
        """Wait until the outbox has nothing left to send."""
        for _ in range(int(patience / 0.05)):
            async with self.running.services.uow() as uow:
                if await uow.outbox.backlog() == 0:
                    return
            await asyncio.sleep(0.05)
        raise AssertionError("the outbox did not drain")


@pytest.fixture
async def slack() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn() as standin:
        for person in load_directory(EXAMPLE_DIRECTORY).people:
            if person.slack_user:
                standin.add_user(person.slack_user, email=person.email, name=person.name)
        # Two of the example directory's people are known to Slack only by e-mail.
        standin.add_user("U0CHEN001", email="chen.example@example.org", name="Chen Example")
        standin.add_user("U0ROSA001", email="rosa.example@example.org", name="Rosa Example")
        yield standin


@contextlib.asynccontextmanager
async def running_bot(
    database_url: str,
    slack: SlackStandIn,
    clock: FrozenClock,
    directory: Path,
    *,
    socket_mode: bool = False,
    scheduler: bool = False,
) -> AsyncIterator[BotUnderTest]:
    """The real app on a free loopback port, its database at head, its Slack the stand-in."""
    engine = create_engine(database_url)
    await upgrade(engine)
    await engine.dispose()
    # The audit trail's checkpoints go beside a SQLite database; a PostgreSQL one's here.
    anchors = Path(tempfile.mkdtemp(prefix="reprisal-checkpoints-"))
    settings = load_settings(
        {
            "REPRISAL_BOT_AUDIT_CHECKPOINTS": str(anchors / "audit-checkpoints"),
            "REPRISAL_BOT_DATABASE_URL": database_url,
            "REPRISAL_BOT_DIRECTORY": str(directory),
            "SLACK_API_URL": slack.base_url,
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_APP_TOKEN": slack.app_token,
            "REPRISAL_BOT_MASTER_KEY": MASTER_KEY,
            # Only the tests about schedules run them (at start they catch up on digests).
            "REPRISAL_BOT_SCHEDULER": "on" if scheduler else "off",
        },
        env_file=None,
    )
    app = build_app(settings, KeyRing.parse(MASTER_KEY), clock=clock, socket_mode=socket_mode)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as http:
            yield BotUnderTest(f"http://127.0.0.1:{port}", slack, app, http, clock)
    finally:
        await runner.cleanup()
        shutil.rmtree(anchors, ignore_errors=True)


@pytest.fixture
async def bot(
    database_url: str, slack: SlackStandIn, clock: FrozenClock, example_directory: Path
) -> AsyncIterator[BotUnderTest]:
    async with running_bot(database_url, slack, clock, example_directory) as running:
        yield running
