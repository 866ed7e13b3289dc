"""The Bolt AsyncApp, built explicitly from Settings (Bolt must not read SLACK_* itself)."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.logs import slack_logger
from bot.services import Services
from bot.settings import Settings
from bot.slack import listeners


def web_client(
    settings: Settings, *, retries: bool, token: bool = True, rate_limit_retries: int = 1
) -> AsyncWebClient:
    """A Web API client for the configured base URL; with `retries` for interactive calls and
    look-ups (a rate-limited call waits Slack's Retry-After, `rate_limit_retries` times at most).
    Bolt's client carries no token: `authorize` gives it one per request."""
    handlers = (
        [
            AsyncConnectionErrorRetryHandler(max_retry_count=1),
            AsyncRateLimitErrorRetryHandler(max_retry_count=rate_limit_retries),
            AsyncServerErrorRetryHandler(max_retry_count=1),
        ]
        if retries
        else []
    )
    return AsyncWebClient(
        token=settings.slack_bot_token if token else None,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=handlers,
        logger=slack_logger(),
    )


def build_bolt(services: Services, wake: Callable[[], None]) -> AsyncApp:
    settings = services.settings

    async def authorize(**_: object) -> AuthorizeResult:
        # One workspace, one bot token. Without this Bolt calls auth.test on the first request,
        # and a report could not be confirmed while Slack's Web API is down.
        return AuthorizeResult(enterprise_id=None, team_id=None, bot_token=settings.slack_bot_token)

    app = AsyncApp(
        authorize=authorize,
        # Signatures are always checked. Socket Mode (where Bolt skips the check for what
        # arrives over the socket) may run without a secret: then no HTTP request can pass.
        signing_secret=settings.slack_signing_secret or secrets.token_hex(32),
        client=web_client(settings, retries=True, token=False),
        process_before_response=False,
        request_verification_enabled=True,
        raise_error_for_unhandled_request=False,
        logger=slack_logger(),
    )
    listeners.register(app, services, wake)
    return app
