"""A bare Bolt app that only acks: the floor the bot's ack latency is compared with.

It is served the same way as the bot (Bolt AsyncApp on aiohttp, `POST /slack/events`), checks
the same signatures, and needs no `auth.test` (its `authorize` gives the token), but its
`/reprisal` command and `report` form listeners do nothing but `await ack()`.

    BENCH_SIGNING_SECRET=... python -m bench.bare_bolt_app --port PORT --slack-api-url URL

The signing secret comes from the environment so that it does not show in the process list.
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Sequence
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.web.async_client import AsyncWebClient

SECRET_VARIABLE = "BENCH_SIGNING_SECRET"


def build(signing_secret: str, api_url: str, bot_token: str) -> web.Application:
    async def authorize(**_: object) -> AuthorizeResult:
        return AuthorizeResult(enterprise_id=None, team_id=None, bot_token=bot_token)

    bolt = AsyncApp(
        signing_secret=signing_secret,
        authorize=authorize,
        client=AsyncWebClient(base_url=api_url),
        process_before_response=False,
        raise_error_for_unhandled_request=False,
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A Bolt app whose listeners only ack.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--slack-api-url", required=True)
    parser.add_argument("--bot-token", default="xoxb-test")
    options = parser.parse_args(argv)
    secret = os.environ.get(SECRET_VARIABLE)
    if not secret:
        parser.error(f"set {SECRET_VARIABLE}")
    logging.basicConfig(level=logging.WARNING)
    app = build(secret, options.slack_api_url, options.bot_token)
    web.run_app(app, host=options.host, port=options.port, print=None, access_log=None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
