"""The schedules (the monthly digest, the daily reminders) as APScheduler jobs, run only while
this instance leads. Every run queues what is due and was never queued (the ledgers decide),
so a run missed while the bot was down, or repeated by a second leader, changes nothing."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.schedules.leadership import Leadership, leadership_for
from bot.schedules.triggers import cron_trigger, last_due
from bot.services import Services
from commands.reminders import queue_reminders
from digests.periods import previous_month
from digests.queue import queue_digests
from storage.marks import DEMO

log = logging.getLogger(__name__)


class Scheduler:
    def __init__(
        self,
        services: Services,
        *,
        platform: str,
        wake: Callable[[], None],
        leadership: Leadership | None = None,
    ) -> None:
        self._services = services
        self._platform = platform
        self._wake = wake
        self._leadership = leadership or leadership_for(services.engine)
        self._poll = services.settings.leader_poll_seconds
        self.leading = False
        self.on_demo = False  # the database is a demo's and the schedules do not run on it

    @property
    def role(self) -> str:
        if not self._services.settings.scheduler:
            return "off"
        if self.on_demo:
            return "off-demo"
        return "leader" if self.leading else "standby"

    async def run(self, stop: asyncio.Event) -> None:
        """Try to lead every few seconds until `stop`; while leading, the jobs run."""
        jobs = self._jobs()
        jobs.start(paused=True)
        try:
            while not stop.is_set():
                await self._check_leadership(jobs)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self._poll)
        finally:
            jobs.shutdown(wait=False)
            self._set_leading(False)
            await self._leadership.release()

    async def catch_up(self) -> None:
        """Queue whatever is due now: on becoming leader, and at each scheduled time."""
        await self.queue_digest()
        await self.queue_reminders()

    async def queue_digest(self) -> list[str]:
        """The digests of the period whose scheduled time passed last, if never queued."""
        directory, clock = self._services.directory, self._services.clock
        trigger = cron_trigger(directory.schedules.digest, directory.timezone)
        fired = await asyncio.to_thread(last_due, trigger, clock.now())  # a few ms of CPU
        if fired is None:
            return []
        period = previous_month(fired.astimezone(ZoneInfo(directory.timezone)).date())
        async with self._services.uow() as uow:
            queued = await queue_digests(uow, period, platform=self._platform, now=clock.now())
            await uow.commit()
        if queued:
            log.info("queued the %s digest for %d recipients", period.label, len(queued))
            self._services.metrics.digests_queued.inc(len(queued))
            self._wake()
        return queued

    async def queue_reminders(self) -> int:
        directory, clock = self._services.directory, self._services.clock
        async with self._services.uow() as uow:
            queued = await queue_reminders(
                uow,
                today=clock.today(),
                days_before=directory.schedules.days_before,
                platform=self._platform,
                now=clock.now(),
            )
            await uow.commit()
        if queued:
            log.info("queued %d reminders of State replies due", queued)
            self._services.metrics.reminders_queued.inc(queued)
            self._wake()
        return queued

    def _jobs(self) -> AsyncIOScheduler:
        directory = self._services.directory
        zone = ZoneInfo(directory.timezone)
        # A late run still runs (misfire_grace_time=None), once (coalesce): the ledgers make
        # it harmless either way.
        jobs = AsyncIOScheduler(
            timezone=zone,
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        )
        jobs.add_job(
            self._guarded(self.queue_digest),
            cron_trigger(directory.schedules.digest, directory.timezone),
            id="digest",
        )
        jobs.add_job(
            self._guarded(self.queue_reminders),
            cron_trigger(directory.schedules.reminders, directory.timezone),
            id="reminders",
        )
        return jobs

    def _guarded(self, job: Callable[[], object]) -> Callable[[], object]:
        async def run() -> None:
            if not self.leading:
                return
            try:
                if not await self._refused_as_demo():
                    await job()  # type: ignore[misc]
            except Exception:
                log.exception("scheduled job failed; it runs again at its next time")

        return run

    async def _check_leadership(self, jobs: AsyncIOScheduler) -> None:
        try:
            leads = not await self._refused_as_demo() and await self._leadership.try_lead()
        except Exception:
            log.warning("cannot reach the database to check the scheduler lock")
            leads = False
        if leads and not self.leading:
            log.info("this instance now runs the schedules")
            self._set_leading(True)
            jobs.resume()
            try:
                await self.catch_up()
            except Exception:
                log.exception("catching up on schedules failed; retried at the next check")
                self._set_leading(False)
                jobs.pause()
        elif not leads and self.leading:
            log.warning("this instance no longer runs the schedules")
            self._set_leading(False)
            jobs.pause()

    async def _refused_as_demo(self) -> bool:
        """True if `demo-data` filled this database and REPRISAL_BOT_SCHEDULER is not `demo`:
        its cases are fictional, but the directory's people are real."""
        if self._services.settings.scheduler_on_demo:
            return False
        async with self._services.uow() as uow:
            demo = await uow.marks.get(DEMO) is not None
        if demo and not self.on_demo:
            log.warning(
                "the schedules (digests, reminders) do not run: this database holds demo data "
                "(`reprisal-bot demo-data`) and they would message the directory's real people."
                " To run them anyway, set REPRISAL_BOT_SCHEDULER=demo."
            )
            await self._leadership.release()  # another instance may run them instead
        self.on_demo = demo
        return demo

    def _set_leading(self, leading: bool) -> None:
        self.leading = leading
        self._services.metrics.scheduler_leader.set(1 if leading else 0)
