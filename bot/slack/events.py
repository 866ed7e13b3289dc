"""Slack events about people, the coordination channel and the case threads: translated into
the core's facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.services import Services
from commands.channel_safety import ChannelFacts, assess
from commands.discussion import ThreadReply, keep_message

# Messages people write: a reply also sent to the channel, and one with a file attached. Every
# other subtype (bot_message, message_changed, message_deleted, channel_join, ...) is not one.
PEOPLES_SUBTYPES = frozenset({None, "thread_broadcast", "file_share"})


class SlackFacts:
    """Reads what Slack knows about the coordination channel (for `/reprisal channel-check`)."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._bot_user: str | None = None

    async def bot_user(self, client: AsyncWebClient) -> str:
        if self._bot_user is None:
            self._bot_user = str((await client.auth_test())["user_id"])
        return self._bot_user

    async def is_outsider(self, user_id: str, client: AsyncWebClient) -> bool:
        if user_id == await self.bot_user(client):
            return False
        return await self._services.actor_for_slack_user(user_id) is None

    async def channel(self, client: AsyncWebClient) -> ChannelFacts:
        channel = self._services.directory.coordination_channel
        info = await client.conversations_info(channel=channel)
        shared = bool(info["channel"].get("is_ext_shared"))
        outsiders = 0
        cursor = None
        while True:
            page = await client.conversations_members(channel=channel, cursor=cursor, limit=200)
            for member in page["members"]:
                outsiders += await self.is_outsider(member, client)
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return ChannelFacts(channel, shared_externally=shared, outsiders=outsiders)


def register_events(
    app: AsyncApp, services: Services, facts: SlackFacts, wake: Callable[[], None]
) -> None:
    core = services.core("slack")

    @app.event("member_joined_channel")
    async def on_member_joined(body: dict, event: dict, client: Any) -> None:
        await once(services, body, lambda: _member_joined(event, client))

    async def _member_joined(event: dict, client: Any) -> None:
        channel = event.get("channel")
        if channel != services.directory.coordination_channel:
            return
        if await facts.is_outsider(str(event.get("user")), client):
            await assess(ChannelFacts(channel, shared_externally=False, outsiders=1), core=core)
            wake()

    @app.event("channel_shared")
    async def on_channel_shared(body: dict, event: dict) -> None:
        await once(services, body, lambda: _channel_shared(event))

    async def _channel_shared(event: dict) -> None:
        channel = event.get("channel")
        if channel == services.directory.coordination_channel:
            await assess(ChannelFacts(channel, shared_externally=True, outsiders=0), core=core)
            wake()

    @app.event("user_change")
    async def on_user_change(body: dict, event: dict) -> None:
        await once(services, body, lambda: _user_change(event))

    async def _user_change(event: dict) -> None:
        user = event.get("user") or {}
        if user.get("deleted"):
            await services.roster.deactivate(str(user.get("id")), services.uow)
        else:
            await services.roster.reactivate(str(user.get("id")), services.uow)

    @app.event("message")
    async def on_message(body: dict, event: dict) -> None:
        reply = thread_reply(event, services.directory.coordination_channel)
        if reply is not None:
            await once(services, body, lambda: _thread_reply(reply))

    async def _thread_reply(reply: ThreadReply) -> None:
        author = await services.actor_for_slack_user(reply.author_ref)
        await keep_message(reply, author=author, core=core)


def thread_reply(event: dict, coordination_channel: str) -> ThreadReply | None:
    """A person's reply in a thread of the coordination channel; None for any other message
    (top-level, elsewhere, the bot's or another app's, an edit or a deletion)."""
    ts, thread_ts, user = event.get("ts"), event.get("thread_ts"), event.get("user")
    if event.get("channel") != coordination_channel or not thread_ts or thread_ts == ts:
        return None
    if event.get("bot_id") or event.get("subtype") not in PEOPLES_SUBTYPES or not user or not ts:
        return None
    return ThreadReply(
        channel=coordination_channel,
        root_ref=str(thread_ts),
        ref=str(ts),
        at=_time_of(str(ts)),
        text=str(event.get("text") or ""),
        author_ref=str(user),
    )


def _time_of(ts: str) -> dt.datetime:
    """Slack's message ts (`1700000000.000100`: seconds and microseconds) as a UTC time."""
    seconds, _, micro = ts.partition(".")
    return dt.datetime.fromtimestamp(int(seconds), dt.UTC).replace(
        microsecond=int(micro[:6].ljust(6, "0"))
    )


async def once(services: Services, body: dict, handle: Callable[[], Awaitable[None]]) -> None:
    """Slack redelivers an event it thinks we missed (up to 3 times): a redelivery of one
    already handled has no second effect. It is marked handled only once handled, so a
    redelivery after a failure is handled."""
    event_id = str(body.get("event_id") or "")
    if event_id:
        async with services.uow() as uow:
            if await uow.ledgers.event_handled(event_id):
                return
    await handle()
    if event_id:
        async with services.uow() as uow:
            await uow.ledgers.claim_event(event_id, now=services.clock.now())
            await uow.commit()
