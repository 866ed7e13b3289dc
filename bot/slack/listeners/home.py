"""The Home tab: published when opened; its buttons open the report form or a case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.rendering.incidents import incident_message
from bot.rendering.template_table import TEMPLATE_OF
from bot.services import Services
from commands import home
from commands.errors import CommandError
from commands.invocation import Core, Invocation
from commands.results import CaseDetail, HomeResult, ReportForm
from commands.roles import Actor
from digests.run import run

HOME_REPORT = "home_report"
HOME_OPEN_CASE = "home_open_case"
MODAL_BLOCKS = 100  # Slack's limit for a modal
TITLE = "Reprisals"


def register_home(
    app: AsyncApp, services: Services, actor_of: Callable[[Services, str], Any]
) -> None:
    renderer = services.renderer
    core = services.core("slack")

    def modal(title: str, message: dict[str, Any]) -> dict[str, Any]:
        """A result's message blocks, shown in a modal only the asker sees."""
        return {
            "type": "modal",
            "title": {"type": "plain_text", "text": title[:24]},
            "close": {"type": "plain_text", "text": "Close"},
            "blocks": message["blocks"][:MODAL_BLOCKS],
        }

    def answer(result: object) -> dict[str, Any]:
        if isinstance(result, str):
            return modal(TITLE, {"blocks": [_words(result)]})
        title = result.case.reference if isinstance(result, CaseDetail) else TITLE
        template = f"slack/{TEMPLATE_OF[type(result)]}.message.json.j2"
        return modal(title, renderer.json(template, result=result))

    @app.event("app_home_opened")
    async def on_home_opened(event: dict, client: Any) -> None:
        if event.get("tab", "home") != "home":  # the Messages tab: nothing to publish
            return
        user = str(event["user"])
        try:
            actor: Actor = await actor_of(services, user)
            result: HomeResult | str = await home.handle(actor=actor, core=core)
        except Exception:
            result = incident_message()
        if isinstance(result, str):
            view: dict[str, Any] = {"type": "home", "blocks": [_words(result)]}
        else:
            view = renderer.json("slack/home.view.json.j2", result=result)
        await client.views_publish(user_id=user, view=view)

    @app.action(HOME_REPORT)
    async def on_report(ack: Any, body: dict, client: Any) -> None:
        await ack()
        actor: Actor = await actor_of(services, body["user"]["id"])
        result = await _run(Invocation(actor, "report", ()), core)
        if isinstance(result, ReportForm):
            view = renderer.json("slack/report_modal.view.json.j2", form=result)
        else:
            view = answer(result)
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action(HOME_OPEN_CASE)
    async def on_open(ack: Any, body: dict, action: dict, client: Any) -> None:
        await ack()
        actor: Actor = await actor_of(services, body["user"]["id"])
        result = await _run(Invocation(actor, "status", (str(action.get("value") or ""),)), core)
        await client.views_open(trigger_id=body["trigger_id"], view=answer(result))


async def _run(invocation: Invocation, core: Core) -> object:
    """The result, or the words of a refusal or an incident."""
    try:
        return await run(invocation, core)
    except CommandError as problem:
        return problem.message
    except Exception:
        return incident_message()


def _words(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "plain_text", "text": text[:2990]}}
