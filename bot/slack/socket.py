"""Slack over Socket Mode: the same Bolt app, reached through an outbound WebSocket."""

from __future__ import annotations

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bot.logs import slack_logger
from bot.settings import Settings


async def connect_socket_mode(bolt: AsyncApp, settings: Settings) -> AsyncSocketModeHandler:
    """Open the Socket Mode connection (apps.connections.open with the app-level token)."""
    handler = AsyncSocketModeHandler(
        bolt, app_token=settings.slack_app_token, logger=slack_logger()
    )
    await handler.connect_async()
    return handler
