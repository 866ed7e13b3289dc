"""When storing a report takes longer than Slack waits, the ack still comes in time, and the
report is saved and confirmed by direct message."""

from __future__ import annotations

import asyncio
import json
import time

from sqlalchemy import text

from storage.engine import writer_lock
from tests.bot.conftest import BotUnderTest
from tests.bot.slack.report_payloads import ANA, submission


async def hold_the_database(bot: BotUnderTest, seconds: float) -> None:
    engine = bot.running.services.engine
    lock = writer_lock(engine)
    if lock is not None:  # SQLite: writers take turns on this lock
        async with lock:
            await asyncio.sleep(seconds)
        return
    async with engine.begin() as connection:  # PostgreSQL: block inserts into cases
        await connection.execute(text("LOCK TABLE cases IN EXCLUSIVE MODE"))
        await asyncio.sleep(seconds)


async def test_a_slow_database_still_gets_an_ack_in_time_and_a_confirmation(
    bot: BotUnderTest,
) -> None:
    holding = asyncio.create_task(hold_the_database(bot, 3.0))
    await asyncio.sleep(0.1)
    start = time.perf_counter()
    status, body = await bot.interact(submission(ANA, "V0SLOW001"))
    elapsed = time.perf_counter() - start
    assert status == 200 and elapsed < 3.0
    assert body["response_action"] == "update"
    assert "being saved" in json.dumps(body["view"])
    await holding
    for _ in range(200):  # the save goes on after the ack
        async with bot.running.services.uow() as uow:
            if await uow.cases.count():
                break
        await asyncio.sleep(0.02)
    await bot.delivered()
    dms = [c for c in bot.slack.calls_to("chat.postMessage") if c.params["channel"].startswith("D")]
    assert any("RPR-2026-0001" in c.params["text"] for c in dms)
    async with bot.running.services.uow() as uow:
        assert await uow.cases.count() == 1
