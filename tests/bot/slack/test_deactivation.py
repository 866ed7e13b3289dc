"""A Slack deactivation (`user_change` with deleted=true) heard by one instance holds on every
instance sharing the database, and a reactivation heard by one gives access back on all."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tests.bot.conftest import BotUnderTest, running_bot
from tests.bot.slack.report_payloads import ANA, IVAN, submission
from tests.conftest import FrozenClock
from tests.fakes.signing import event_body
from tests.fakes.slack_standin import SlackStandIn

REFUSED = "not in its directory"


async def user_change(bot: BotUnderTest, *, deleted: bool, event_id: str) -> None:
    """Slack tells `bot` that Ivan's account changed; returns once it is handled."""
    event = {"type": "user_change", "user": {"id": IVAN, "deleted": deleted}}
    response = await bot.post(event_body(event, event_id=event_id), content_type="application/json")
    assert response.status == 200
    services = bot.running.services
    ivan = services.roster.member(IVAN)
    assert ivan is not None
    for _ in range(250):  # events are handled just after their ack
        if await services.roster.may_act(ivan, services.engine) != deleted:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the event was not handled")


async def test_a_deactivation_heard_by_one_instance_holds_on_the_other(
    database_url: str, slack: SlackStandIn, clock: FrozenClock, example_directory: Path
) -> None:
    async with (
        running_bot(database_url, slack, clock, example_directory) as heard,
        running_bot(database_url, slack, clock, example_directory) as other,
    ):
        await heard.interact(submission(ANA, "V0DEACT01"))  # concerns CERD, Ivan's committee
        assert "Viet Nam" in json.dumps(await other.ask(IVAN, "status RPR-2026-0001"))
        await user_change(heard, deleted=True, event_id="EvDeact1")
        assert REFUSED in (await other.ask(IVAN, "status RPR-2026-0001"))["text"]
        slack.reset()
        await other.interact(submission(ANA, "V0DEACT02"))
        await other.delivered()
        posts = json.dumps([c.params for c in slack.calls_to("chat.postMessage")])
        assert f"<@{IVAN}>" not in posts and "RPR-2026-0002" in posts
        await user_change(heard, deleted=False, event_id="EvDeact2")
        assert "Viet Nam" in json.dumps(await other.ask(IVAN, "status RPR-2026-0001"))


async def test_a_deactivation_outlives_a_restart(
    database_url: str, slack: SlackStandIn, clock: FrozenClock, example_directory: Path
) -> None:
    async with running_bot(database_url, slack, clock, example_directory) as bot:
        await user_change(bot, deleted=True, event_id="EvDeact3")
    async with running_bot(database_url, slack, clock, example_directory) as bot:
        assert REFUSED in (await bot.ask(IVAN, "help"))["text"]
        await user_change(bot, deleted=False, event_id="EvDeact4")
        assert REFUSED not in (await bot.ask(IVAN, "help"))["text"]
