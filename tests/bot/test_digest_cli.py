"""`reprisal-bot demo-data` and `reprisal-bot digest` as an operator runs them (real processes)."""

from __future__ import annotations

import asyncio

import pytest

from tests.bot.test_cli import run_cli


def cli(*args: str, database_url: str):
    return asyncio.to_thread(run_cli, *args, database_url=database_url)


@pytest.fixture
async def demo(database_url: str) -> str:
    assert (await cli("db", "upgrade", database_url=database_url)).returncode == 0
    filled = await cli("demo-data", "--cases", "150", "--months", "3", database_url=database_url)
    assert filled.returncode == 0, filled.stderr
    assert "150 demo cases" in filled.stdout
    return database_url


async def test_demo_data_refuses_a_database_that_holds_cases(demo: str) -> None:
    again = await cli("demo-data", "--cases", "10", database_url=demo)
    assert again.returncode == 2 and "already holds 150 cases" in again.stdout
    added = await cli("demo-data", "--cases", "10", "--add", database_url=demo)
    assert added.returncode == 0 and "10 demo cases" in added.stdout


async def test_the_digest_in_each_format(demo: str) -> None:
    markdown = await cli("digest", "--format", "markdown", database_url=demo)
    assert markdown.returncode == 0, markdown.stderr
    assert markdown.stdout.startswith("# Reprisals digest: ")
    assert (
        "![Cases per committee" in markdown.stdout and "data:image/png;base64," in markdown.stdout
    )
    html = await cli("digest", "--format", "html", "--for", "coordination", database_url=demo)
    assert "<!DOCTYPE html>" in html.stdout and "Coordination meeting agenda" in html.stdout
    slack = await cli(
        "digest", "--format", "slack-json", "--for", "Dara Example", database_url=demo
    )
    assert slack.returncode == 0, slack.stderr
    assert '"Your committee: CCPR"' in slack.stdout
    assert "Fictional demo data" not in markdown.stdout + html.stdout + slack.stdout  # summaries


async def test_send_queues_a_month_once_and_bad_input_gets_one_clear_line(demo: str) -> None:
    first = await cli("digest", "--month", "2026-10", "--send", "--demo", database_url=demo)
    assert first.returncode == 0 and "Queued the October 2026 digest" in first.stdout
    second = await cli("digest", "--month", "2026-10", "--send", "--demo", database_url=demo)
    assert "all queued before: nothing new to send" in second.stdout
    bad = await cli("digest", "--month", "2026-13", database_url=demo)
    assert bad.returncode == 2 and "YYYY-MM" in bad.stderr and "Traceback" not in bad.stderr
    stranger = await cli("digest", "--for", "Ana Example", database_url=demo)
    assert stranger.returncode == 2 and "is not a Chair" in stranger.stderr
