"""How Slack answers a person: a result as a modal or as messages only they see, and a failure
in words (a CommandError as it is, escaped for mrkdwn; anything else an incident id)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.rendering.incidents import words_for
from bot.rendering.renderer import Renderer, escape_mrkdwn, slack_errors
from bot.rendering.template_table import template_for
from bot.slack.delivery.digest_messages import digest_messages
from bot.verbs import Answer
from commands.errors import FormInvalid
from commands.results import CaseForm, ReportForm
from digests.preview import DigestPreview

Respond = Callable[..., Awaitable[Any]]

FORM_VIEWS: dict[type, str] = {ReportForm: "report_modal", CaseForm: "case_action"}


@dataclass(frozen=True, slots=True)
class Reply:
    """A modal to open (a form), or messages only the asker sees, in order."""

    modal: dict[str, Any] | None = None
    messages: tuple[dict[str, Any], ...] = ()


def reply_for(result: Answer, renderer: Renderer) -> Reply:
    """A form opens as a modal, a digest preview takes the messages it needs, any other result
    is one message."""
    form_view = FORM_VIEWS.get(type(result))
    if form_view is not None:
        return Reply(modal=renderer.json(f"slack/{form_view}.view.json.j2", form=result))
    if isinstance(result, DigestPreview):
        context = {"digest": result.digest, "audience_note": result.audience_note}
        blocks = renderer.json("slack/digest.blocks.json.j2", **context)
        title = f"Digest preview: {result.digest.period.title}"
        return Reply(messages=tuple(digest_messages(blocks, title)))
    message = renderer.json(f"slack/{template_for(result)}.message.json.j2", result=result)
    return Reply(messages=(message,))


async def send(
    reply: Reply, respond: Respond, client: AsyncWebClient, trigger_id: str, **shape: Any
) -> None:
    """Open the reply's modal, or answer with its messages (ephemeral, with `shape`)."""
    if reply.modal is not None:
        await client.views_open(trigger_id=trigger_id, view=reply.modal)
    for message in reply.messages:
        await respond(response_type="ephemeral", **shape, **message)


@asynccontextmanager
async def answering(respond: Respond, **shape: Any) -> AsyncIterator[None]:
    """Run the block; if it fails, tell the asker (ephemeral, with `shape`) and go on."""
    try:
        yield
    except Exception as problem:
        await respond(response_type="ephemeral", text=words_for(problem, escape_mrkdwn), **shape)


def form_errors(problem: Exception, field: str) -> dict[str, str]:
    """A failed submission's `errors` for the modal: each invalid field's own message, or the
    words for the failure at `field`."""
    if isinstance(problem, FormInvalid):
        return slack_errors(problem.errors)
    return {field: words_for(problem, escape_mrkdwn)}
