"""Helpers for tests that run the real `reprisal-bot serve` as a process."""

from __future__ import annotations

import asyncio
import socket

import aiohttp


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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
