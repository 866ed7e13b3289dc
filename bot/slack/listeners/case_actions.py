"""The case card's buttons and the forms they open: ack, translate, dispatch, reply."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.services import Services
from bot.slack.actors import actor_for
from bot.slack.replies import Respond, answering, form_errors, reply_for, send
from bot.slack.translate import form_values
from bot.verbs import VERBS
from commands import act
from commands.dispatch import dispatch
from commands.invocation import Invocation

CASE_BUTTON = re.compile(r"^case_(action|reply|refer|share|stage|close)$")
CASE_FORM = "case_action"
LINK_BUTTON = "link_cases"
FIRST_FIELD = "note"  # where an error that belongs to no field is shown
APART = {"replace_original": False}  # an answer beside the card, which stays as it is


def register(app: AsyncApp, services: Services, wake: Callable[[], None]) -> None:
    """The case card's buttons, the link suggestion's button, and the case action form."""
    renderer = services.renderer
    core = services.core("slack")

    @app.action(CASE_BUTTON)
    async def on_case_button(
        ack: Any, body: dict, action: dict, respond: Respond, client: Any
    ) -> None:
        await ack()
        mode = str(action["action_id"]).removeprefix("case_")
        async with answering(respond, **APART):
            actor = await actor_for(services, body["user"]["id"])
            invocation = Invocation(actor, "action", (str(action["value"]), mode))
            result = await dispatch(invocation, core, VERBS)
            await send(reply_for(result, renderer), respond, client, body["trigger_id"], **APART)

    @app.action(LINK_BUTTON)
    async def on_link_button(
        ack: Any, body: dict, action: dict, respond: Respond, client: Any
    ) -> None:
        await ack()
        first, _, second = str(action.get("value") or "").partition("|")
        async with answering(respond, **APART):
            actor = await actor_for(services, body["user"]["id"])
            result = await dispatch(Invocation(actor, "link", (first, second)), core, VERBS)
            reply = reply_for(result, renderer)
            await send(reply, respond, client, body.get("trigger_id", ""), **APART)
            wake()

    @app.view(CASE_FORM)
    async def on_case_form(ack: Any, body: dict, view: dict) -> None:
        meta = json.loads(view.get("private_metadata") or "{}")
        try:
            actor = await actor_for(services, body["user"]["id"])
            recorded = await act.submit(
                str(meta.get("mode")),
                str(meta.get("reference")),
                form_values(view["state"]["values"]),
                actor=actor,
                core=core,
                # A double click sends the same view (and hash) again: one action.
                idempotency_key=f"slack:view:{view['id']}:{view.get('hash', '')}",
            )
        except Exception as problem:
            await ack(response_action="errors", errors=form_errors(problem, _shown_at(view)))
            return
        done = renderer.json("slack/action_recorded.view.json.j2", result=recorded)
        await ack(response_action="update", view=done)
        wake()


def _shown_at(view: dict) -> str:
    """The block to show an error at: the note if the form has one, else its first input."""
    blocks = [b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"]
    return FIRST_FIELD if FIRST_FIELD in blocks else (blocks[0] if blocks else FIRST_FIELD)
