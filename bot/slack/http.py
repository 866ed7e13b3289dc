"""Slack over HTTP: the aiohttp handler that passes each request to Bolt."""

from __future__ import annotations

import logging

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier

from bot.slack.translate import malformed

log = logging.getLogger(__name__)


async def dispatch(bolt: AsyncApp, request: web.Request, signing_secret: str) -> web.Response:
    """Bolt checks the signature (401 if bad or stale) and runs the listener; a signed request
    Bolt or the listeners could not use gets 400, and nothing is done with it."""
    try:
        bolt_request = await to_bolt_request(request)
        problem = malformed(bolt_request.body)
    except (ValueError, TypeError, AttributeError, KeyError):
        # Bolt parses the body (and reads fields of it) as it builds the request.
        problem = "the body cannot be parsed"
    if problem is None:
        return await to_aiohttp_response(await bolt.async_dispatch(bolt_request))
    # Only a signed request learns that it was malformed.
    body = await request.text()
    if not SignatureVerifier(signing_secret).is_valid_request(body, dict(request.headers)):
        return web.Response(status=401)
    log.warning("refused a signed Slack request: %s", problem)
    return web.Response(status=400, text="The request could not be understood.")
