"""`/reprisal ...` and the erase button: ack, translate, dispatch, reply."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.services import Services
from bot.slack.actors import actor_for
from bot.slack.ids import SlackId
from bot.slack.listeners.events import SlackFacts
from bot.slack.replies import Respond, answering, reply_for, send
from bot.slack.translate import command_text
from bot.verbs import VERBS, Answer
from commands import erase
from commands.channel_safety import check as check_channel
from commands.dispatch import Handler, dispatch
from commands.invocation import Dependencies, Invocation, parse
from commands.roles import Actor

CHANNEL_CHECK = "channel-check"  # needs Slack's facts about the channel, so Slack adds it
KNOWN_VERBS = frozenset({*VERBS, CHANNEL_CHECK})  # the rest are counted as "other"


def register(
    app: AsyncApp, services: Services, facts: SlackFacts, wake: Callable[[], None]
) -> None:
    """The slash command and the erase button it shows."""
    renderer = services.renderer
    core = services.core("slack")

    def verbs(client: AsyncWebClient) -> Mapping[str, Handler[Answer]]:
        async def channel_check(
            args: tuple[str, ...], *, actor: Actor, core: Dependencies
        ) -> Answer:
            checked = await check_channel(await facts.channel(client), actor=actor, core=core)
            wake()
            return checked

        return {**VERBS, CHANNEL_CHECK: channel_check}

    @app.command(SlackId.COMMAND)
    async def on_command(ack: Any, command: dict, respond: Respond, client: Any) -> None:
        # Slack gives up after 3 s without a 2xx: acknowledge first, then work.
        await ack()
        verb, args = parse(command_text(command))
        known = verb if verb in KNOWN_VERBS else "other"
        with services.metrics.command_seconds.labels(known).time():
            async with answering(respond):
                actor = await actor_for(services, command["user_id"])
                result = await dispatch(Invocation(actor, verb, args), core, verbs(client))
                await send(reply_for(result, renderer), respond, client, command["trigger_id"])

    @app.action(SlackId.ERASE_BUTTON)
    async def on_erase(ack: Any, body: dict, action: dict, respond: Respond, client: Any) -> None:
        await ack()
        async with answering(respond):
            actor = await actor_for(services, body["user"]["id"])
            # Only this button erases: `/reprisal erase REF ...` always shows it first.
            result = await erase.confirm(str(action["value"]), actor=actor, core=core)
            reply = reply_for(result, renderer)
            await send(reply, respond, client, body.get("trigger_id", ""), replace_original=True)
