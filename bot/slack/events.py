"""Slack events about people and the coordination channel: translated into the core's facts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.services import Services
from commands.channel_safety import ChannelFacts, assess


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
