"""Work that goes on after its request was answered (a report saved past the ack budget):
kept track of, so that a graceful shutdown waits for it instead of cutting it off."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any


class Background:
    def __init__(self) -> None:
        self._running: set[asyncio.Future[Any]] = set()

    def keep(self, work: asyncio.Future[Any]) -> None:
        self._running.add(work)
        work.add_done_callback(self._running.discard)

    async def drain(self, patience: float) -> None:
        """Wait up to `patience` seconds for what is still running."""
        if self._running:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    asyncio.gather(*self._running, return_exceptions=True), patience
                )
