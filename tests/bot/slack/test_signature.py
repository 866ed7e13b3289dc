"""Only Slack gets in: a bad or stale signature is refused with 401 and changes nothing."""

from __future__ import annotations

import asyncio
import time

from tests.bot.conftest import BotUnderTest
from tests.bot.slack.report_payloads import ANA, submission
from tests.fakes.signing import interactive_body, signed_headers


async def test_bad_signature_is_refused_and_nothing_is_stored(bot: BotUnderTest) -> None:
    body = interactive_body(submission(ANA, "V0SIG0001"))
    headers = signed_headers("not-the-right-secret-0123456789", body)
    response = await bot.http.post(f"{bot.url}/slack/events", data=body, headers=headers)
    assert response.status == 401
    async with bot.running.services.uow() as uow:
        assert await uow.cases.count() == 0


async def test_stale_signature_is_refused(bot: BotUnderTest) -> None:
    body = interactive_body(submission(ANA, "V0SIG0002"))
    response = await bot.post(body, timestamp=int(time.time()) - 10 * 60)
    assert response.status == 401
    async with bot.running.services.uow() as uow:
        assert await uow.cases.count() == 0


async def test_missing_signature_is_refused(bot: BotUnderTest) -> None:
    body = interactive_body(submission(ANA, "V0SIG0003"))
    response = await bot.http.post(
        f"{bot.url}/slack/events",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 401


async def test_health_endpoint_reports_the_database_scheduler_and_backlog(
    bot: BotUnderTest,
) -> None:
    response = await bot.http.get(f"{bot.url}/healthz")
    assert response.status == 200
    assert await response.json() == {
        "status": "ok",
        "database": "ok",
        "slack": "http",  # Slack posts to us; in Socket Mode: connected or disconnected
        "scheduler": "off",  # this test's bot runs no schedules (REPRISAL_BOT_SCHEDULER=off)
        "outbox_backlog": 0,
        "people_unresolved": 6,  # the example lists 8 people by e-mail; Slack knows 2 of them
    }


async def test_health_endpoint_says_when_this_instance_runs_the_schedules(
    database_url: str, slack, clock, example_directory
) -> None:
    from tests.bot.conftest import running_bot

    async with running_bot(database_url, slack, clock, example_directory, scheduler=True) as bot:
        for _ in range(100):
            answer = await (await bot.http.get(f"{bot.url}/healthz")).json()
            if answer["scheduler"] == "leader":
                break
            await asyncio.sleep(0.05)
        assert answer["scheduler"] == "leader"
        metrics = await (await bot.http.get(f"{bot.url}/metrics")).text()
        assert "reprisal_bot_scheduler_leader 1.0" in metrics


async def test_metrics_show_latency_by_command_and_the_outbox(bot: BotUnderTest) -> None:
    await bot.interact(submission(ANA, "V0METRIC1"))
    await bot.ask(ANA, "status RPR-2026-0001")
    await bot.delivered()
    response = await bot.http.get(f"{bot.url}/metrics")
    assert response.status == 200
    text = await response.text()
    assert 'reprisal_bot_command_seconds_count{command="status"} 1.0' in text
    assert 'reprisal_bot_command_seconds_count{command="report submission"} 1.0' in text
    assert 'reprisal_bot_outbox_sent_total{kind="case_card"} 1.0' in text
    assert "reprisal_bot_outbox_backlog 0.0" in text
