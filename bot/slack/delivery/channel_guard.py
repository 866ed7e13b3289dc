"""Before a post of case details in a channel: its members are known to be safe now (from a
check made within a minute, with the directory as it is now), or the post is held."""

from __future__ import annotations

import contextlib

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery.port import DeliveryError, Held
from bot.services import Services
from bot.slack.listeners.events import SlackFacts
from commands.channel_safety import assess, recent


class SlackChannelGuard:
    def __init__(self, services: Services, client: AsyncWebClient) -> None:
        self._services = services
        self._client = client
        self._facts = SlackFacts(services)
        self._core = services.core("slack")

    async def ensure_safe(self, channel: str) -> None:
        """Held unless case details may be posted in `channel` now; a transient DeliveryError
        if Slack cannot be asked."""
        # A directory file changed since the last post counts before the verdict is reused.
        await self._services.roster.refresh(self._services.uow)
        checked = await recent(channel, core=self._core)
        if checked is None:
            try:
                facts = await self._facts.inspect(channel, self._client)
            except (SlackApiError, aiohttp.ClientError, TimeoutError) as problem:
                # Not known to be safe, so not posted: retried later, like a failed post.
                raise DeliveryError(
                    f"the channel could not be checked: {_why(problem)}", transient=True
                ) from None
            checked = await assess(facts, core=self._core)
        if not checked.safe:
            raise Held(f"the channel is not safe: {checked.reason}")

    async def revisit(self) -> None:
        """Check again each of our channels found unsafe; a safe one releases what it holds."""
        directory = self._services.directory
        for channel in dict.fromkeys((directory.coordination_channel, directory.chairs_channel)):
            async with self._services.uow() as uow:
                unsafe = not (await uow.channels.state(channel)).safe
            if unsafe:
                with contextlib.suppress(Held, DeliveryError):
                    await self.ensure_safe(channel)


def _why(problem: Exception) -> str:
    if isinstance(problem, SlackApiError):
        return str(problem.response.get("error") or f"http {problem.response.status_code}")
    return type(problem).__name__
