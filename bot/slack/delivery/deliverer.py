"""Sends rendered notices with the Slack Web API; maps Slack's failures to retry or give up."""

from __future__ import annotations

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery.port import DeliveryError, Outgoing, Target
from bot.rendering.renderer import Renderer, escape_mrkdwn
from bot.slack.delivery.digests import send_digest
from storage.records import PersonRecord, ThreadRecord

TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "service_unavailable", "internal_error", "fatal_error", "request_timeout"}
)


class SlackDeliverer:
    platform = "slack"

    def __init__(self, client: AsyncWebClient, renderer: Renderer) -> None:
        self._client = client
        self._renderer = renderer

    async def to_channel(self, channel: str, message: Outgoing) -> str:
        return await self._post(channel, message, thread_ts=None)

    async def to_thread(self, thread: ThreadRecord, message: Outgoing) -> str:
        return await self._post(thread.channel, message, thread_ts=thread.root_ref)

    async def to_person(self, person: PersonRecord, message: Outgoing) -> str:
        return await self._post(await self._dm(person), message, thread_ts=None)

    async def update_card(self, thread: ThreadRecord, message: Outgoing) -> str:
        body = self._renderer.json(f"slack/{message.template}.message.json.j2", **message.context)
        await self._call(
            "chat_update",
            channel=thread.channel,
            ts=thread.root_ref,
            text=body["text"],
            blocks=body["blocks"],
        )
        return thread.root_ref

    async def send_digest(self, target: Target, message: Outgoing, *, resume: bool) -> str:
        if isinstance(target, ThreadRecord):
            raise DeliveryError("a digest is not posted in a case thread", transient=False)
        channel = target if isinstance(target, str) else await self._dm(target)
        return await send_digest(self._call, self._renderer, channel, message, resume=resume)

    async def already_sent(self, notice_id: int, target: Target) -> str | None:
        """The ts of this notice's message if an earlier attempt posted it (the process may
        have died between Slack's answer and our record of it); found by its metadata."""
        if isinstance(target, ThreadRecord):
            found = await self._call(
                "conversations_replies",
                channel=target.channel,
                ts=target.root_ref,
                include_all_metadata=True,
                limit=200,
            )
        else:
            channel = target if isinstance(target, str) else await self._dm(target)
            found = await self._call(
                "conversations_history", channel=channel, include_all_metadata=True, limit=200
            )
        for message in found.get("messages", []):
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if payload.get("notice") == notice_id:
                return str(message["ts"])
        return None

    async def _dm(self, person: PersonRecord) -> str:
        if not person.slack_user:
            raise DeliveryError(f"{person.key} has no Slack user yet", transient=False)
        opened = await self._call("conversations_open", users=person.slack_user)
        return str(opened["channel"]["id"])

    def mention(self, person: PersonRecord) -> str:
        return f"<@{person.slack_user}>" if person.slack_user else escape_mrkdwn(person.name)

    async def _post(self, channel: str, message: Outgoing, *, thread_ts: str | None) -> str:
        body = self._renderer.json(f"slack/{message.template}.message.json.j2", **message.context)
        response = await self._call(
            "chat_postMessage",
            channel=channel,
            thread_ts=thread_ts,
            text=body["text"],
            blocks=body["blocks"],
            # The notice's id only (no content): how a retry finds a message already posted.
            metadata={"event_type": "reprisal_notice", "event_payload": {"notice": message.notice}},
            # Never let Slack expand a link someone typed, nor notify on names.
            unfurl_links=False,
            unfurl_media=False,
        )
        return str(response["ts"])

    async def _call(self, method: str, **arguments: object) -> dict:
        try:
            response = await getattr(self._client, method)(**arguments)
        except SlackApiError as failure:
            status = failure.response.status_code
            error = str(failure.response.get("error") or f"http {status}")
            retry_after = failure.response.headers.get("Retry-After")
            transient = status == 429 or status >= 500 or error in TRANSIENT_ERRORS
            raise DeliveryError(
                f"{method}: {error}",
                transient=transient,
                retry_after=float(retry_after) if retry_after else None,
            ) from None
        except (aiohttp.ClientError, TimeoutError) as failure:
            raise DeliveryError(f"{method}: {type(failure).__name__}", transient=True) from None
        return dict(response.data) if isinstance(response.data, dict) else {}
