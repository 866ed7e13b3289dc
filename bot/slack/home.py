"""The Home tab: published when opened; its buttons open the report form or a case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.errors import incident_message
from bot.services import Services
from commands import home
from commands.errors import CommandError
from commands.invocation import Invocation
from commands.results import CaseDetail, ReportForm
from commands.roles import Actor
from digests.run import run

HOME_REPORT = "home_report"
HOME_OPEN_CASE = "home_open_case"


def register_home(
    app: AsyncApp, services: Services, actor_of: Callable[[Services, str], Any]
) -> None:
    renderer = services.renderer
    core = services.core("slack")

    @app.event("app_home_opened")
    async def on_home_opened(event: dict, client: Any) -> None:
        if event.get("tab", "home") != "home":
            return
        actor: Actor = await actor_of(services, str(event["user"]))
        result = await home.handle(actor=actor, core=core)
        view = renderer.json("slack/home.view.json.j2", result=result)
        await client.views_publish(user_id=event["user"], view=view)

    @app.action(HOME_REPORT)
    async def on_report(ack: Any, body: dict, client: Any) -> None:
        await ack()
        actor: Actor = await actor_of(services, body["user"]["id"])
        result = await _run(Invocation(actor, "report", ()), core)
        if isinstance(result, ReportForm):
            view = renderer.json("slack/report_modal.view.json.j2", form=result)
        else:
            view = _notice(str(result))
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action(HOME_OPEN_CASE)
    async def on_open(ack: Any, body: dict, action: dict, client: Any) -> None:
        await ack()
        actor: Actor = await actor_of(services, body["user"]["id"])
        result = await _run(Invocation(actor, "status", (str(action.get("value")),)), core)
        if isinstance(result, CaseDetail):
            message = renderer.json("slack/case_detail.message.json.j2", result=result)
            view = {
                "type": "modal",
                "title": {"type": "plain_text", "text": result.case.reference},
                "close": {"type": "plain_text", "text": "Close"},
                "blocks": message["blocks"][:100],
            }
        else:
            view = _notice(str(result))
        await client.views_open(trigger_id=body["trigger_id"], view=view)


async def _run(invocation: Invocation, core: Any) -> object:
    """The result, or the words of a refusal or an incident."""
    try:
        return await run(invocation, core)
    except CommandError as problem:
        return problem.message
    except Exception:
        return incident_message()


def _notice(text: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Reprisals"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [{"type": "section", "text": {"type": "plain_text", "text": text[:2990]}}],
    }
