"""The Home tab: published when opened; its buttons open the report form or a case."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.rendering.incidents import words_for
from bot.services import Services
from bot.slack.actors import actor_for
from bot.slack.replies import reply_for
from bot.verbs import VERBS, Answer
from commands import home
from commands.dispatch import dispatch
from commands.invocation import Invocation
from commands.results import CaseDetail

HOME_REPORT = "home_report"
HOME_OPEN_CASE = "home_open_case"
MODAL_BLOCKS = 100  # Slack's limit for a modal
TITLE = "Reprisals"


def register(app: AsyncApp, services: Services) -> None:
    """The Home tab and its two buttons."""
    renderer = services.renderer
    core = services.core("slack")

    def modal_for(result: Answer) -> dict[str, Any]:
        """The result in a modal only the asker sees: Home has no conversation to answer in."""
        reply = reply_for(result, renderer)
        if reply.modal is not None:
            return reply.modal
        title = result.case.reference if isinstance(result, CaseDetail) else TITLE
        return _modal(title, reply.messages[0]["blocks"])

    async def shown(user: str, verb: str, *args: str) -> dict[str, Any]:
        """The modal answering `verb`: its result, or the words for its failure."""
        try:
            actor = await actor_for(services, user)
            return modal_for(await dispatch(Invocation(actor, verb, args), core, VERBS))
        except Exception as problem:
            return _modal(TITLE, [_words(words_for(problem))])

    @app.event("app_home_opened")
    async def on_home_opened(event: dict, client: Any) -> None:
        if event.get("tab", "home") != "home":  # the Messages tab: nothing to publish
            return
        user = str(event["user"])
        try:
            actor = await actor_for(services, user)
            result = await home.handle(actor=actor, core=core)
            view = renderer.json("slack/home.view.json.j2", result=result)
        except Exception as problem:
            view = {"type": "home", "blocks": [_words(words_for(problem))]}
        await client.views_publish(user_id=user, view=view)

    @app.action(HOME_REPORT)
    async def on_report(ack: Any, body: dict, client: Any) -> None:
        await ack()
        view = await shown(body["user"]["id"], "report")
        await client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action(HOME_OPEN_CASE)
    async def on_open(ack: Any, body: dict, action: dict, client: Any) -> None:
        await ack()
        view = await shown(body["user"]["id"], "status", str(action.get("value") or ""))
        await client.views_open(trigger_id=body["trigger_id"], view=view)


def _modal(title: str, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title[:24]},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": blocks[:MODAL_BLOCKS],
    }


def _words(text: str) -> dict[str, Any]:
    """Words as plain text: nothing in them is read as markup."""
    return {"type": "section", "text": {"type": "plain_text", "text": text[:2990]}}
