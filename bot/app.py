"""build_app(settings): the aiohttp application serving Slack, health, and the outbox worker."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import partial

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bot.delivery.worker import OutboxWorker
from bot.logs import quiet_platform_loggers
from bot.schedules.checkpoints import anchor_periodically
from bot.schedules.scheduler import Scheduler
from bot.services import Services, build_services
from bot.settings import Settings
from bot.slack.bolt import build_bolt, web_client
from bot.slack.delivery.channel_guard import SlackChannelGuard
from bot.slack.delivery.deliverer import SlackDeliverer
from bot.slack.http import dispatch
from bot.slack.people import lookups, resolve_people
from bot.slack.socket import connect_socket_mode
from commands.invocation import Clock
from storage.crypto import KeyRing


@dataclass(slots=True)
class Running:
    services: Services
    worker: OutboxWorker
    bolt: AsyncApp
    scheduler: Scheduler
    socket: AsyncSocketModeHandler | None = None

    async def slack_connection(self) -> str:
        """`http` when Slack posts to us; in Socket Mode, whether the socket is up."""
        if self.socket is None:
            return "http"
        return "connected" if await self.socket.client.is_connected() else "disconnected"


RUNNING = web.AppKey("running", Running)


def build_app(
    settings: Settings,
    keyring: KeyRing,
    *,
    clock: Clock | None = None,
    socket_mode: bool = False,
) -> web.Application:
    """Services are built at start-up (nothing at import); with `socket_mode`, Slack's events
    come over a Socket Mode connection instead of `POST /slack/events`."""
    app = web.Application()

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        quiet_platform_loggers()
        client = web_client(settings, retries=False)
        services = await build_services(
            settings,
            keyring,
            clock=clock,
            resolve=partial(resolve_people, client=lookups(settings)),
        )
        try:
            worker = OutboxWorker(
                services,
                SlackDeliverer(web_client(settings, retries=False), services.renderer),
                guard=SlackChannelGuard(services, client),
            )
            bolt = build_bolt(services, worker.wake)
            scheduler = Scheduler(services, platform=SlackDeliverer.platform, wake=worker.wake)
            running = app[RUNNING] = Running(services, worker, bolt, scheduler)
            socket = await connect_socket_mode(bolt, settings) if socket_mode else None
            running.socket = socket
            stop, stop_schedules = asyncio.Event(), asyncio.Event()
            delivering = asyncio.create_task(worker.run(stop))
            anchoring = asyncio.create_task(anchor_periodically(services, stop))
            scheduling = asyncio.create_task(
                scheduler.run(stop_schedules) if settings.scheduler else stop_schedules.wait()
            )
            try:
                yield
            finally:
                # aiohttp has stopped taking requests and finished those in flight (SIGTERM);
                # reports still being saved after their ack are finished too.
                stop_schedules.set()
                await scheduling
                if socket is not None:
                    await socket.close_async()
                await services.background.drain(FLUSH_SECONDS * 2)
                stop.set()
                worker.wake()
                await delivering
                await anchoring
                await flush(worker)
        finally:
            await services.close()

    app.cleanup_ctx.append(lifecycle)
    if not socket_mode:
        # In Socket Mode Slack reaches us over the socket only: no door is left open here.
        app.router.add_post("/slack/events", slack_events)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    return app


FLUSH_SECONDS = 5.0


async def flush(worker: OutboxWorker) -> None:
    """Send what is due before exiting, within a bound; the rest waits in the outbox."""
    try:
        await asyncio.wait_for(worker.deliver_due(), FLUSH_SECONDS)
    except TimeoutError:
        logging.getLogger(__name__).warning("stopping with messages still queued in the outbox")


async def slack_events(request: web.Request) -> web.Response:
    """POST /slack/events: every Slack command, action and form submission."""
    running = request.app[RUNNING]
    secret = running.services.settings.slack_signing_secret or ""
    return await dispatch(running.bolt, request, secret)


async def metrics(request: web.Request) -> web.Response:
    """GET /metrics: Prometheus text format (latency by command, outbox backlog and failures)."""
    running = request.app[RUNNING]
    async with running.services.uow() as uow:
        running.services.metrics.outbox_backlog.set(await uow.outbox.backlog())
    return web.Response(
        body=running.services.metrics.exposition(),
        headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"},
    )


async def healthz(request: web.Request) -> web.Response:
    """GET /healthz: the database answers, whether this instance runs the schedules, and how
    many messages wait to be sent."""
    running = request.app[RUNNING]
    scheduler = running.scheduler.role
    try:
        async with running.services.uow() as uow:
            backlog = await uow.outbox.backlog()
    except Exception:
        down = {"status": "unavailable", "database": "error", "scheduler": scheduler}
        return web.json_response(down, status=503)
    slack = await running.slack_connection()
    body = {
        "status": "ok" if slack != "disconnected" else "degraded",
        "database": "ok",
        "slack": slack,
        "scheduler": scheduler,
        "outbox_backlog": backlog,
        "people_unresolved": running.services.roster.unresolved,
    }
    return web.json_response(body, status=200 if slack != "disconnected" else 503)
