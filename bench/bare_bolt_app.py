"""A bare Bolt app that only acks: the floor the bot's ack latency is compared with.

Run: python -m bench.bare_bolt_app PORT SIGNING_SECRET SLACK_API_URL
"""

from __future__ import annotations

import sys
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.web.async_client import AsyncWebClient


def build(signing_secret: str, api_url: str) -> web.Application:
    async def authorize(**_: object) -> AuthorizeResult:
        return AuthorizeResult(enterprise_id=None, team_id=None, bot_token="xoxb-test")

    bolt = AsyncApp(
        signing_secret=signing_secret,
        authorize=authorize,
        client=AsyncWebClient(base_url=api_url),
        process_before_response=False,
    )

    @bolt.command("/reprisal")
    async def command(ack: Any) -> None:
        await ack()

    @bolt.view("report")
    async def view(ack: Any) -> None:
        await ack()

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post("/slack/events", events)
    app.router.add_get("/healthz", healthz)
    return app


if __name__ == "__main__":
    port, secret, api_url = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    web.run_app(build(secret, api_url), host="127.0.0.1", port=port, print=None, access_log=None)
