"""The report form: its State search and its submission (answered within Slack's 3 s)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.rendering.incidents import words_for
from bot.rendering.renderer import escape_mrkdwn
from bot.services import Services
from bot.slack.actors import actor_for
from bot.slack.ids import SlackId
from bot.slack.replies import form_errors
from bot.slack.translate import form_values, state_query, view_idempotency_key
from commands import report
from commands.roles import Actor
from storage.reference import find_states

ACK_BUDGET = 1.5  # Slack waits 3 s, and the round trip over the internet takes part of it


def register(app: AsyncApp, services: Services, wake: Callable[[], None]) -> None:
    """The State search of the report form, and the form's submission."""
    renderer = services.renderer
    core = services.core("slack")

    @app.options(SlackId.STATE_SEARCH)
    async def on_state_search(ack: Any, payload: dict) -> None:
        states = find_states(state_query(payload), limit=100)
        await ack(options=[{"text": {"type": "plain_text", "text": s}, "value": s} for s in states])

    @app.view(SlackId.REPORT_MODAL)
    async def on_report(ack: Any, body: dict, view: dict, client: Any) -> None:
        with services.metrics.command_seconds.labels("report submission").time():
            await _submit(ack, body, view, client)

    async def _submit(ack: Any, body: dict, view: dict, client: Any) -> None:
        actor = await actor_for(services, body["user"]["id"])
        saving = asyncio.ensure_future(
            report.submit(
                form_values(view["state"]["values"]),
                actor=actor,
                core=core,
                idempotency_key=view_idempotency_key(view),
            )
        )
        services.background.keep(saving)  # a graceful shutdown waits for it
        try:
            # Answer with the reference when storing is quick (it nearly always is); past the
            # budget, ack within Slack's 3 s and let the saving finish, confirmed by DM.
            saved = await asyncio.wait_for(asyncio.shield(saving), timeout=ACK_BUDGET)
        except TimeoutError:
            await ack(
                response_action="update", view=renderer.json("slack/report_saving.view.json.j2")
            )
            await _finish_late(saving, actor, client, wake)
            return
        except Exception as problem:
            await ack(response_action="errors", errors=form_errors(problem, "summary"))
            return
        done = renderer.json("slack/report_saved.view.json.j2", result=saved)
        await ack(response_action="update", view=done)
        wake()


async def _finish_late(
    saving: asyncio.Future[Any], actor: Actor, client: Any, wake: Callable[[], None]
) -> None:
    """The report is still being stored after the ack: its DM confirms it; a failure is said."""
    try:
        await saving
        wake()
    except Exception as problem:
        words = words_for(problem, escape_mrkdwn)  # an incident is logged even if nobody is told
        if actor.slack_user:
            await client.chat_postMessage(
                channel=actor.slack_user,
                text=f"Your report could not be saved: {words} Please submit it again.",
            )
