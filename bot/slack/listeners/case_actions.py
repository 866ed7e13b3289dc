"""The case card's buttons and the forms they open: ack, translate, run, render."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.rendering.incidents import incident_message
from bot.rendering.renderer import escape_mrkdwn, slack_errors
from bot.rendering.template_table import template_for
from bot.services import Services
from bot.slack.translate import form_values
from commands import act
from commands.errors import CommandError, FormInvalid
from commands.invocation import Invocation
from commands.results import CaseForm
from commands.roles import Actor
from digests.run import run

CASE_BUTTON = re.compile(r"^case_(action|reply|refer|share|stage|close)$")
CASE_FORM = "case_action"
LINK_BUTTON = "link_cases"
FIRST_FIELD = "note"  # where an error that belongs to no field is shown


def register_case_actions(
    app: AsyncApp,
    services: Services,
    wake: Callable[[], None],
    actor_of: Callable[[Services, str], Any],
) -> None:
    renderer = services.renderer
    core = services.core("slack")

    @app.action(CASE_BUTTON)
    async def on_case_button(ack: Any, body: dict, action: dict, respond: Any, client: Any) -> None:
        await ack()
        mode = str(action["action_id"]).removeprefix("case_")
        try:
            actor: Actor = await actor_of(services, body["user"]["id"])
            result = await run(Invocation(actor, "action", (str(action["value"]), mode)), core)
            assert isinstance(result, CaseForm)
            view = renderer.json("slack/case_action.view.json.j2", form=result)
            await client.views_open(trigger_id=body["trigger_id"], view=view)
        except CommandError as problem:
            await respond(
                response_type="ephemeral",
                replace_original=False,
                text=escape_mrkdwn(problem.message),
            )
        except Exception:
            await respond(
                response_type="ephemeral", replace_original=False, text=incident_message()
            )

    @app.action(LINK_BUTTON)
    async def on_link_button(ack: Any, body: dict, action: dict, respond: Any) -> None:
        await ack()
        first, _, second = str(action.get("value") or "").partition("|")
        try:
            actor: Actor = await actor_of(services, body["user"]["id"])
            result = await run(Invocation(actor, "link", (first, second)), core)
            body_ = renderer.json(f"slack/{template_for(result)}.message.json.j2", result=result)
            await respond(response_type="ephemeral", replace_original=False, **body_)
            wake()
        except CommandError as problem:
            await respond(
                response_type="ephemeral",
                replace_original=False,
                text=escape_mrkdwn(problem.message),
            )
        except Exception:
            await respond(
                response_type="ephemeral", replace_original=False, text=incident_message()
            )

    @app.view(CASE_FORM)
    async def on_case_form(ack: Any, body: dict, view: dict) -> None:
        meta = json.loads(view.get("private_metadata") or "{}")
        try:
            actor: Actor = await actor_of(services, body["user"]["id"])
            recorded = await act.submit(
                str(meta.get("mode")),
                str(meta.get("reference")),
                form_values(view["state"]["values"]),
                actor=actor,
                core=core,
                # A double click sends the same view (and hash) again: one action.
                idempotency_key=f"slack:view:{view['id']}:{view.get('hash', '')}",
            )
        except FormInvalid as invalid:
            await ack(response_action="errors", errors=slack_errors(invalid.errors))
            return
        except CommandError as problem:
            errors = slack_errors({_shown_at(view): problem.message})
            await ack(response_action="errors", errors=errors)
            return
        except Exception:
            await ack(response_action="errors", errors={_shown_at(view): incident_message()})
            return
        done = renderer.json("slack/action_recorded.view.json.j2", result=recorded)
        await ack(response_action="update", view=done)
        wake()


def _shown_at(view: dict) -> str:
    """The block to show an error at: the note if the form has one, else its first input."""
    blocks = [b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"]
    return FIRST_FIELD if FIRST_FIELD in blocks else (blocks[0] if blocks else FIRST_FIELD)
