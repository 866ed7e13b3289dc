"""Anchoring the audit trail outside the database: a signed checkpoint line written by `serve`
every few minutes and at shutdown, and by every CLI command when it closes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from storage.checkpoints import save_checkpoint

if TYPE_CHECKING:
    from bot.services import Services

CHECKPOINT_SECONDS = 300.0

log = logging.getLogger(__name__)


async def anchor(services: Services) -> None:
    """Write the trail's head to the checkpoint file; a failure is logged, never raised."""
    path = services.settings.checkpoint_path
    try:
        await save_checkpoint(services.uow(), services.keyring, path, now=services.clock.now())
    except Exception as problem:
        # The message names the file or the database, never an entry's content.
        log.warning("could not write an audit checkpoint to %s: %s", path, problem)


async def anchor_periodically(services: Services, stop: asyncio.Event) -> None:
    """Until `stop` is set: a checkpoint every CHECKPOINT_SECONDS (the last one at close)."""
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), CHECKPOINT_SECONDS)
        if not stop.is_set():
            await anchor(services)
