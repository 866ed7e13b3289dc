"""Helpers for tests that run the real `reprisal-bot serve` as a process."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import tempfile
from pathlib import Path

import aiohttp

from storage.engine import create_engine
from storage.schema import upgrade
from tests.bot.conftest import SIGNING_SECRET
from tests.conftest import EXAMPLE_DIRECTORY, MASTER_KEY, ROOT
from tests.fakes.slack_standin import SlackStandIn


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def prepared(database_url: str, slack: SlackStandIn, **extra: str) -> dict[str, str]:
    """The schema at head, and the environment a server process runs with against `slack`."""
    engine = create_engine(database_url)
    await upgrade(engine)
    await engine.dispose()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REPRISAL"))}
    anchors = Path(tempfile.mkdtemp(prefix="reprisal-checkpoints-"))
    env.update(
        REPRISAL_BOT_AUDIT_CHECKPOINTS=str(anchors / "audit-checkpoints"),
        REPRISAL_BOT_DATABASE_URL=database_url,
        REPRISAL_BOT_MASTER_KEY=MASTER_KEY,
        REPRISAL_BOT_DIRECTORY=str(EXAMPLE_DIRECTORY),
        SLACK_API_URL=slack.base_url,
        SLACK_BOT_TOKEN=slack.bot_token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        # Schedules run on the machine's clock: only the tests about them turn them on.
        REPRISAL_BOT_SCHEDULER="off",
    )
    env.update(extra)
    return env


async def start(env: dict[str, str]) -> tuple[asyncio.subprocess.Process, str]:
    """`reprisal-bot serve` on a free port; the process and its URL once it is healthy."""
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
    try:
        return server, await wait_healthy(port)
    except AssertionError:
        server.kill()
        raise


async def wait_healthy(port: int, patience: float = 30.0) -> str:
    """The server's URL once GET /healthz answers 200."""
    url = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as http:
        for _ in range(int(patience / 0.05)):
            try:
                async with http.get(f"{url}/healthz") as answer:
                    if answer.status == 200:
                        return url
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise AssertionError("the bot did not start")
