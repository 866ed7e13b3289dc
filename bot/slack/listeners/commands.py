"""Bolt listeners: ack, translate, run, render. No SQL and no business decision here."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.rendering.incidents import incident_message
from bot.rendering.renderer import escape_mrkdwn, slack_errors
from bot.rendering.template_table import template_for
from bot.services import Services
from bot.slack.delivery.digest_messages import digest_messages
from bot.slack.ids import SlackId
from bot.slack.listeners.case_actions import register_case_actions
from bot.slack.listeners.events import SlackFacts, register_events
from bot.slack.listeners.home import register_home
from bot.slack.translate import command_text, form_values, state_query, view_idempotency_key
from commands import erase, report
from commands.channel_safety import check as check_channel
from commands.errors import CommandError, FormInvalid
from commands.invocation import Invocation, parse
from commands.policy import may_use_bot
from commands.results import CaseForm, ReportForm
from commands.roles import Actor
from digests.preview import DigestPreview
from digests.run import run
from storage.reference import find_states

log = logging.getLogger(__name__)

Respond = Callable[..., Awaitable[Any]]


def register(app: AsyncApp, services: Services, wake: Callable[[], None]) -> None:
    """Attach every listener the manifest declares to `app`."""
    renderer = services.renderer
    core = services.core("slack")

    def message(result: object) -> dict[str, Any]:
        return renderer.json(f"slack/{template_for(result)}.message.json.j2", result=result)

    def preview_messages(result: DigestPreview) -> list[dict[str, Any]]:
        context = {"digest": result.digest, "audience_note": result.audience_note}
        blocks = renderer.json("slack/digest.blocks.json.j2", **context)
        return digest_messages(blocks, f"Digest preview: {result.digest.period.title}")

    facts = SlackFacts(services)
    register_events(app, services, facts, wake)
    register_case_actions(app, services, wake, _actor)
    register_home(app, services, _actor)

    @app.command(SlackId.COMMAND)
    async def on_command(ack: Any, command: dict, respond: Respond, client: Any) -> None:
        # Slack gives up after 3 s without a 2xx: acknowledge first, then work.
        await ack()
        verb = parse(command_text(command))[0]
        known = verb if verb in KNOWN_VERBS else "other"
        with services.metrics.command_seconds.labels(known).time():
            await _answer(command, respond, client)

    async def _answer(command: dict, respond: Respond, client: Any) -> None:
        try:
            actor = await _actor(services, command["user_id"])
            verb, args = parse(command_text(command))
            if verb == "channel-check" and may_use_bot(actor):
                checked = await check_channel(await facts.channel(client), actor=actor, core=core)
                wake()
                await respond(response_type="ephemeral", **message(checked))
                return
            result = await run(Invocation(actor, verb, args), core)
            if isinstance(result, ReportForm):
                view = renderer.json("slack/report_modal.view.json.j2", form=result)
                await client.views_open(trigger_id=command["trigger_id"], view=view)
                return
            if isinstance(result, CaseForm):
                view = renderer.json("slack/case_action.view.json.j2", form=result)
                await client.views_open(trigger_id=command["trigger_id"], view=view)
                return
            if isinstance(result, DigestPreview):
                for part in preview_messages(result):
                    await respond(response_type="ephemeral", **part)
                return
            await respond(response_type="ephemeral", **message(result))
        except CommandError as problem:
            await respond(response_type="ephemeral", text=escape_mrkdwn(problem.message))
        except Exception:
            await respond(response_type="ephemeral", text=incident_message())

    @app.action(SlackId.ERASE_BUTTON)
    async def on_erase(ack: Any, body: dict, action: dict, respond: Respond) -> None:
        await ack()
        try:
            actor = await _actor(services, body["user"]["id"])
            # Only this button erases: `/reprisal erase REF ...` always shows it first.
            result = await erase.confirm(str(action["value"]), actor=actor, core=core)
            await respond(replace_original=True, response_type="ephemeral", **message(result))
        except CommandError as problem:
            await respond(response_type="ephemeral", text=escape_mrkdwn(problem.message))
        except Exception:
            await respond(response_type="ephemeral", text=incident_message())

    @app.options(SlackId.STATE_SEARCH)
    async def on_state_search(ack: Any, payload: dict) -> None:
        states = find_states(state_query(payload), limit=100)
        await ack(options=[{"text": {"type": "plain_text", "text": s}, "value": s} for s in states])

    @app.view(SlackId.REPORT_MODAL)
    async def on_report(ack: Any, body: dict, view: dict, client: Any) -> None:
        with services.metrics.command_seconds.labels("report submission").time():
            await _submit(ack, body, view, client)

    async def _submit(ack: Any, body: dict, view: dict, client: Any) -> None:
        actor = await _actor(services, body["user"]["id"])
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
        except FormInvalid as invalid:
            await ack(response_action="errors", errors=slack_errors(invalid.errors))
            return
        except CommandError as problem:
            await ack(response_action="errors", errors=slack_errors({"summary": problem.message}))
            return
        except Exception:
            await ack(response_action="errors", errors={"summary": incident_message()})
            return
        done = renderer.json("slack/report_saved.view.json.j2", result=saved)
        await ack(response_action="update", view=done)
        wake()


ACK_BUDGET = 1.5  # Slack waits 3 s, and the round trip over the internet takes part of it
KNOWN_VERBS = frozenset(
    {
        "report",
        "status",
        "list",
        "help",
        "erase",
        "audit",
        "channel-check",
        "digest",
        "action",
        "share",
        "link",
        "home",
    }
)


async def _finish_late(
    saving: asyncio.Future[Any], actor: Actor, client: Any, wake: Callable[[], None]
) -> None:
    """The report is still being stored after the ack: its DM confirms it; a failure is said."""
    try:
        await saving
        wake()
    except Exception as problem:
        words = (
            escape_mrkdwn(problem.message)
            if isinstance(problem, CommandError)
            else incident_message()
        )
        if actor.slack_user:
            await client.chat_postMessage(
                channel=actor.slack_user,
                text=f"Your report could not be saved: {words} Please submit it again.",
            )


async def _actor(services: Services, user_id: str) -> Actor:
    """The directory's person; someone else acts with no role, and the core refuses them."""
    return await services.actor_for_slack_user(user_id) or NOBODY


NOBODY = Actor(person_id=0, name="", roles=frozenset())
