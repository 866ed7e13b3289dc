"""The outbox worker: claims queued notices, plans them at send time, sends them, records it."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from dataclasses import replace
from typing import Protocol

from bot.delivery.digest_plans import Channels
from bot.delivery.plans import Plan, plan_for
from bot.delivery.port import Deliverer, DeliveryError, Dropped, Held
from bot.services import Services
from commands import policy
from commands.trail import record
from digests.queue import DIGEST
from storage.records import NoticeRecord, ThreadRecord
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
MAX_BACKOFF = 300.0
HOLD = dt.timedelta(seconds=60)
SURFACE_OF = {
    "channel": policy.Surface.CASE_CARD,
    "card": policy.Surface.CASE_CARD,
    "thread": policy.Surface.THREAD,
    "dm": policy.Surface.DM,
}


class ChannelGuard(Protocol):
    """The platform's word on whether a channel may hold case details now."""

    async def ensure_safe(self, channel: str) -> None:
        """Raise Held unless case details may be posted in `channel` now (DeliveryError if
        that cannot be known now)."""
        ...

    async def revisit(self) -> None:
        """Check again the channels found unsafe, releasing what they hold if safe now."""
        ...


class OutboxWorker:
    def __init__(
        self, services: Services, deliverer: Deliverer, guard: ChannelGuard | None = None
    ) -> None:
        self._services = services
        self._deliverer = deliverer
        self._guard = guard
        self._wake = asyncio.Event()
        # How long a claimed notice is ours: past it (the process died?), another pass or
        # instance takes it over. Longer than any one send, with its time-outs.
        self._lease = dt.timedelta(seconds=services.settings.outbox_lease_seconds)

    def wake(self) -> None:
        self._wake.set()

    async def run(self, stop: asyncio.Event, *, poll: float = 1.0) -> None:
        """Deliver until `stop` is set; woken at once by `wake()`, else every `poll` seconds."""
        while not stop.is_set():
            # Cleared before the pass, so a wake that comes during it is not lost.
            self._wake.clear()
            try:
                await self.deliver_due()
            except Exception:
                log.exception("outbox pass failed; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=poll)

    async def deliver_due(self) -> int:
        """Send every notice that is due now; the number sent."""
        sent = 0
        while True:
            async with self._services.uow() as uow:
                notice = await uow.outbox.claim_next(
                    self._deliverer.platform, self._services.clock.now(), self._lease
                )
                await uow.commit()
                if notice is None:
                    return sent
                try:
                    plan: Plan | Exception = await self._plan(uow, notice)
                except Exception as problem:  # judged in _deliver, like a failed send
                    plan = problem
            # The transaction is closed: Slack's slowness never holds the database.
            sent += await self._deliver(notice, plan)

    async def _deliver(self, notice: NoticeRecord, planned: Plan | Exception) -> int:
        plan: Plan | None = None
        ref: str | None = None
        error: str | None = None
        retry_at: dt.datetime | None = None
        try:
            if isinstance(planned, Exception):
                raise planned
            plan = planned
            await self._ensure_safe(plan)
            ref = await self._send(notice, plan)
        except Held as why:
            await self._hold(notice, str(why))
            await self._revisit()
            return 0
        except Dropped as why:
            error = f"dropped: {why}"
        except DeliveryError as problem:
            log.warning("notice %s (%s) not delivered: %s", notice.id, notice.kind, problem.reason)
            error = problem.reason
            if problem.transient and notice.attempts < MAX_ATTEMPTS:
                retry_at = self._later(notice, problem.retry_after)
        except Exception:
            # A bug of ours (a template, a query): logged once, retried later, never a tight loop.
            log.exception("notice %s (%s) failed inside the bot", notice.id, notice.kind)
            error = "internal error"
            if notice.attempts < MAX_ATTEMPTS:
                retry_at = self._later(notice, None)
        await self._record(notice, plan, ref=ref, error=error, retry_at=retry_at)
        self._count(notice.kind, error, retry_at, str(notice.payload.get("audience", "")))
        return 1 if error is None else 0

    def _count(
        self,
        kind: str,
        error: str | None,
        retry_at: dt.datetime | None,
        audience: str | None = None,
    ) -> None:
        metrics = self._services.metrics
        if error is None:
            metrics.outbox_sent.labels(kind).inc()
            if kind == DIGEST:
                metrics.digests_sent.labels(audience or "").inc()
        else:
            outcome = (
                "retry" if retry_at else "dropped" if error.startswith("dropped") else "gave up"
            )
            metrics.outbox_failures.labels(kind, outcome).inc()

    async def _plan(self, uow: UnitOfWork, notice: NoticeRecord) -> Plan:
        directory = self._services.directory
        return await plan_for(
            uow,
            notice,
            channels=Channels(directory.coordination_channel, directory.chairs_channel),
            reporting_year_start=directory.schedules.reporting_year_starts,
            platform=self._deliverer.platform,
            mention=self._deliverer.mention,
        )

    async def _ensure_safe(self, plan: Plan) -> None:
        """A post in a channel or thread goes only where the members are known to be safe."""
        place = plan.thread or plan.card
        channel = plan.channel or (place.channel if place else None)
        if channel and self._guard is not None:
            await self._guard.ensure_safe(channel)

    async def _revisit(self) -> None:
        if self._guard is None:
            return
        try:
            await self._guard.revisit()
        except Exception:  # a failed check leaves the messages held, to be tried again
            log.exception("the held channels could not be checked again")

    async def _send(self, notice: NoticeRecord, plan: Plan) -> str:
        message = replace(plan.message, notice=notice.id)
        if plan.card is not None:  # an update in place: doing it twice changes nothing
            return await self._deliverer.update_card(plan.card, message)
        target = plan.channel or plan.thread or plan.person
        assert target is not None
        if notice.attempts > 1 and message.template != DIGEST:
            # An earlier attempt may have posted before the process died.
            found = await self._deliverer.already_sent(notice.id, target)
            if found is not None:
                return found
        if message.template == DIGEST:
            return await self._deliverer.send_digest(target, message, resume=notice.attempts > 1)
        if plan.channel is not None:
            return await self._deliverer.to_channel(plan.channel, message)
        if plan.thread is not None:
            return await self._deliverer.to_thread(plan.thread, message)
        assert plan.person is not None
        return await self._deliverer.to_person(plan.person, message)

    async def _record(
        self,
        notice: NoticeRecord,
        plan: Plan | None,
        *,
        ref: str | None,
        error: str | None,
        retry_at: dt.datetime | None,
    ) -> None:
        now = self._services.clock.now()
        async with self._services.uow() as uow:
            if error is None:
                await uow.outbox.mark_sent(notice.id, ref=ref, now=now)
                if plan is not None and plan.starts_thread_of and plan.channel and ref:
                    thread = ThreadRecord(
                        plan.starts_thread_of, self._deliverer.platform, plan.channel, ref
                    )
                    await uow.threads.set(thread)
            elif retry_at is not None:
                await uow.outbox.retry_later(notice.id, error=error, at=retry_at)
            else:
                await uow.outbox.give_up(notice.id, error=error, now=now)
            if retry_at is None:
                await self._audit(uow, notice, sent=error is None, why=error)
            await uow.commit()

    async def _hold(self, notice: NoticeRecord, reason: str) -> None:
        until = self._services.clock.now() + HOLD
        async with self._services.uow() as uow:
            await uow.outbox.hold(notice.id, reason=reason, until=until)
            await uow.commit()

    def _later(self, notice: NoticeRecord, retry_after: float | None) -> dt.datetime:
        delay = retry_after or min(2.0**notice.attempts, MAX_BACKOFF)
        return self._services.clock.now() + dt.timedelta(seconds=delay)

    async def _audit(
        self, uow: UnitOfWork, notice: NoticeRecord, *, sent: bool, why: str | None
    ) -> None:
        detail: dict[str, object] = {"notice": notice.id, "kind": notice.kind}
        if notice.recipient_id:
            detail["recipient"] = notice.recipient_id
        if why:
            detail["outcome"] = why
        await record(
            uow,
            actor=None,
            action="notify",
            case_id=notice.case_id,
            allowed=sent,
            surface=SURFACE_OF.get(notice.destination, notice.destination),
            clock=self._services.clock,
            detail=detail,
        )
