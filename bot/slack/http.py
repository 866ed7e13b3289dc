"""Slack over HTTP: the aiohttp handler that passes each request to Bolt."""

from __future__ import annotations

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp


async def dispatch(bolt: AsyncApp, request: web.Request) -> web.Response:
    """Bolt checks the signature (401 if bad or stale) and runs the listener."""
    bolt_request = await to_bolt_request(request)
    bolt_response = await bolt.async_dispatch(bolt_request)
    return await to_aiohttp_response(bolt_response)
