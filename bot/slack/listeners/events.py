"""Slack events about people, the two channels (coordination, Chairs') and the case threads:
translated into the core's facts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.services import Services
from commands.channel_safety import ChannelFacts, assess, forget
from commands.discussion import ThreadReply, keep_message

# Messages people write: a reply also sent to the channel, and one with a file attached. Every
# other subtype (bot_message, message_changed, message_deleted, channel_join, ...) is not one.
PEOPLES_SUBTYPES = frozenset({None, "thread_broadcast", "file_share"})
# Messages Slack posts when a channel changes in a way that matters to its safety.
# (Joins and leaves come as member_joined_channel and member_left_channel.)
CHANNEL_CHANGES = frozenset({"channel_convert_to_private", "channel_convert_to_public"})

log = logging.getLogger(__name__)


class SlackFacts:
    """Reads what Slack knows about a channel: its members, whether it is private or shared."""

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
        """The coordination channel now (for `/reprisal channel-check`)."""
        return await self.inspect(self._services.directory.coordination_channel, client)

    async def inspect(
        self,
        channel: str,
        client: AsyncWebClient,
        *,
        joined: str | None = None,
        left: str | None = None,
    ) -> ChannelFacts:
        """`channel` now; `joined` and `left` (from the event that asked) are counted in or out
        whatever the member list, which may lag behind the event."""
        info = (await client.conversations_info(channel=channel))["channel"]
        shared = any(info.get(flag) for flag in ("is_ext_shared", "is_shared", "is_org_shared"))
        public = not info.get("is_private")
        members = set(await self._members(channel, client)) | ({joined} if joined else set())
        members.discard(left or "")
        outsiders = sum([await self.is_outsider(member, client) for member in sorted(members)])
        return ChannelFacts(channel, shared_externally=shared, outsiders=outsiders, public=public)

    async def _members(self, channel: str, client: AsyncWebClient) -> list[str]:
        found: list[str] = []
        cursor = None
        while True:
            page = await client.conversations_members(channel=channel, cursor=cursor, limit=200)
            found.extend(str(member) for member in page["members"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return found


def register(
    app: AsyncApp, services: Services, facts: SlackFacts, wake: Callable[[], None]
) -> None:
    """People, the two channels and the case threads, as Slack's events tell of them."""
    core = services.core("slack")

    def watched(channel: object) -> bool:
        directory = services.directory
        return channel in (directory.coordination_channel, directory.chairs_channel)

    async def recheck(
        channel: str, client: Any, *, shared: bool = False, **change: str | None
    ) -> None:
        """Something changed in one of our channels: judge it again now, from Slack's facts
        (and the event's, which Slack's lists may not show yet). If Slack cannot be asked, the
        old verdict is forgotten: the next post asks again."""
        await forget(channel, core=core)
        try:
            found = await facts.inspect(channel, client, **change)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as problem:
            log.warning("channel %s could not be checked after a change: %s", channel, problem)
            joined = change.get("joined")
            outsiders = int(bool(joined) and await facts.is_outsider(str(joined), client))
            if not (outsiders or shared):
                return
            found = ChannelFacts(channel, shared_externally=shared, outsiders=outsiders)
        if shared:
            found = dataclasses.replace(found, shared_externally=True)
        await assess(found, core=core)
        wake()

    @app.event("member_joined_channel")
    async def on_member_joined(body: dict, event: dict, client: Any) -> None:
        if watched(event.get("channel")):
            joined = str(event.get("user") or "") or None
            await once(services, body, lambda: recheck(event["channel"], client, joined=joined))

    @app.event("member_left_channel")
    async def on_member_left(body: dict, event: dict, client: Any) -> None:
        if watched(event.get("channel")):
            left = str(event.get("user") or "") or None
            await once(services, body, lambda: recheck(event["channel"], client, left=left))

    @app.event("channel_shared")
    async def on_channel_shared(body: dict, event: dict, client: Any) -> None:
        if watched(event.get("channel")):
            await once(services, body, lambda: recheck(event["channel"], client, shared=True))

    @app.event("channel_unshared")
    async def on_channel_unshared(body: dict, event: dict, client: Any) -> None:
        if watched(event.get("channel")):
            await once(services, body, lambda: recheck(event["channel"], client))

    @app.event("user_change")
    async def on_user_change(body: dict, event: dict) -> None:
        await once(services, body, lambda: _user_change(event))

    async def _user_change(event: dict) -> None:
        user = event.get("user") or {}
        if user.get("deleted"):
            await services.roster.deactivate(str(user.get("id")), services.uow)
        else:
            await services.roster.reactivate(str(user.get("id")), services.uow)
        for channel in (services.directory.coordination_channel, services.directory.chairs_channel):
            await forget(channel, core=core)

    @app.event("message")
    async def on_message(body: dict, event: dict, client: Any) -> None:
        if event.get("subtype") in CHANNEL_CHANGES and watched(event.get("channel")):
            await once(services, body, lambda: recheck(event["channel"], client))
            return
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
