"""`serve --socket`: the same commands reach the bot over a Socket Mode connection."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl

from tests.bot.conftest import running_bot
from tests.bot.slack.report_payloads import ANA, IVAN, submission
from tests.conftest import FrozenClock
from tests.fakes.signing import slash_command_body
from tests.fakes.slack_standin import SlackStandIn


async def test_commands_and_reports_work_over_socket_mode(
    database_url: str, slack: SlackStandIn, clock: FrozenClock, example_directory: Path
) -> None:
    async with running_bot(database_url, slack, clock, example_directory, socket_mode=True) as bot:
        await slack.socket.connected()
        assert slack.calls_to("apps.connections.open")[0].token == slack.app_token

        report = await slack.socket.send("interactive", submission(ANA, "V0SOCK001"))
        ack = await slack.socket.ack_of(report)
        assert ack["payload"]["response_action"] == "update"
        assert "RPR-2026-0001" in json.dumps(ack["payload"]["view"])

        response_url = slack.new_response_url()
        command = dict(
            parse_qsl(
                slash_command_body(
                    text="status RPR-2026-0001",
                    user_id=IVAN,
                    trigger_id=slack.new_trigger_id(),
                    response_url=response_url,
                )
            )
        )
        envelope = await slack.socket.send("slash_commands", command)
        await slack.socket.ack_of(envelope)  # within Slack's 3 seconds
        answer = await bot.answer_at(response_url)
        assert answer["response_type"] == "ephemeral" and "Viet Nam" in json.dumps(answer)
        await bot.delivered()
        assert slack.messages("C0COORD01")  # the case card went out as over HTTP
