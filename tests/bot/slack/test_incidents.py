"""A failure nobody can fix from Slack is answered with an incident id, the same way from every
listener: the trace is logged under that id, and never shown."""

from __future__ import annotations

import json
import logging
import re

import pytest
from sqlalchemy import text

from tests.bot.conftest import BotUnderTest
from tests.bot.slack.report_payloads import ANA, submission
from tests.bot.slack.test_home import opened_by

INCIDENT = re.compile(r"incident ([0-9a-f]{8})")


async def break_storage(bot: BotUnderTest) -> None:
    """The cases table goes missing, as after a botched restore."""
    async with bot.running.services.engine.begin() as connection:
        await connection.execute(text("ALTER TABLE cases RENAME TO cases_away"))


def logged_incidents(caplog: pytest.LogCaptureFixture) -> dict[str, bool]:
    """Each incident id logged, and whether its trace was logged with it."""
    return {
        match.group(1): record.exc_info is not None
        for record in caplog.records
        if (match := INCIDENT.search(record.getMessage()))
    }


def shown_incident(shown: str) -> str:
    assert "Traceback" not in shown and "cases_away" not in shown and "sqlalchemy" not in shown
    match = INCIDENT.search(shown)
    assert match, shown
    return match.group(1)


async def test_a_slash_command_a_button_and_a_form_each_answer_with_a_logged_incident_id(
    bot: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="reprisal_bot.incidents")
    await break_storage(bot)
    command = shown_incident((await bot.ask(ANA, "status RPR-2026-0001"))["text"])
    button = shown_incident(await opened_by(bot, ANA, "home_open_case", "RPR-2026-0001"))
    status, body = await bot.interact(submission(ANA, "V0INCIDENT"))
    assert status == 200 and body["response_action"] == "errors"
    form = shown_incident(json.dumps(body["errors"]["summary"]))
    logged = logged_incidents(caplog)
    assert len({command, button, form}) == 3
    assert all(logged.get(incident) for incident in (command, button, form)), logged
