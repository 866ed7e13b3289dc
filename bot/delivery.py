"""The outbox worker: claims queued notices, renders them at send time, and sends them."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.services import Services
from commands import policy
from commands.roles import Actor, Role, RoleKind
from commands.trail import record
from commands.views import CaseView, view_case
from storage.records import CaseRecord, NoticeRecord, PersonRecord, ThreadRecord
from storage.reference import CommitteeCode
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

LEASE = dt.timedelta(seconds=60)
MAX_ATTEMPTS = 12
MAX_BACKOFF = 300.0


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message to render: the template's name and its context (views only, policy applied)."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


class DeliveryError(Exception):
    """Sending failed; `transient` failures are retried (after `retry_after` seconds if given)."""

    def __init__(self, reason: str, *, transient: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason, self.transient, self.retry_after = reason, transient, retry_after


class Deliverer(Protocol):
    platform: str

    async def to_channel(self, channel: str, message: Outgoing) -> str: ...

    async def to_thread(self, thread: ThreadRecord, message: Outgoing) -> str: ...

    async def to_person(self, person: PersonRecord, message: Outgoing) -> str: ...

    def mention(self, person: PersonRecord) -> str: ...


class Dropped(Exception):
    """The notice no longer applies (consent withdrawn, case gone): nothing is sent."""


class OutboxWorker:
    def __init__(self, services: Services, deliverer: Deliverer) -> None:
        self._services = services
        self._deliverer = deliverer
        self._wake = asyncio.Event()

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
        while (notice := await self._claim()) is not None:
            sent += await self._deliver(notice)
        return sent

    async def _claim(self) -> NoticeRecord | None:
        async with self._services.uow() as uow:
            notice = await uow.outbox.claim_next(
                self._deliverer.platform, self._services.clock.now(), LEASE
            )
            await uow.commit()
        return notice

    async def _deliver(self, notice: NoticeRecord) -> int:
        now = self._services.clock.now()
        ref: str | None = None
        error: str | None = None
        retry_at: dt.datetime | None = None
        try:
            ref = await self._send(notice)
        except Dropped as why:
            error = f"dropped: {why}"
        except DeliveryError as problem:
            log.warning("notice %s (%s) not delivered: %s", notice.id, notice.kind, problem.reason)
            error = problem.reason
            if problem.transient and notice.attempts < MAX_ATTEMPTS:
                delay = problem.retry_after or min(2.0**notice.attempts, MAX_BACKOFF)
                retry_at = now + dt.timedelta(seconds=delay)
        except Exception:
            # A bug of ours (a template, a query): logged once, retried later, never a tight loop.
            log.exception("notice %s (%s) failed inside the bot", notice.id, notice.kind)
            error = "internal error"
            if notice.attempts < MAX_ATTEMPTS:
                retry_at = now + dt.timedelta(seconds=min(2.0**notice.attempts, MAX_BACKOFF))
        async with self._services.uow() as uow:
            if error is None:
                await uow.outbox.mark_sent(notice.id, ref=ref, now=now)
            elif retry_at is not None:
                await uow.outbox.retry_later(notice.id, error=error, at=retry_at)
            else:
                await uow.outbox.give_up(notice.id, error=error, now=now)
            if retry_at is None:
                await self._audit(uow, notice, sent=error is None, why=error)
            await uow.commit()
        return 1 if error is None else 0

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

    async def _send(self, notice: NoticeRecord) -> str:
        async with self._services.uow() as uow:
            case = await uow.cases.get(notice.case_id) if notice.case_id else None
            if case is None:
                raise Dropped("case not found")
            match notice.destination:
                case "channel":
                    return await self._to_channel(uow, case)
                case "thread":
                    return await self._to_thread(uow, case, notice)
                case "dm":
                    return await self._to_person(uow, case, notice)
        raise Dropped(f"unknown destination {notice.destination}")

    async def _to_channel(self, uow: UnitOfWork, case: CaseRecord) -> str:
        channel = self._services.directory.coordination_channel
        view = view_case(case, policy.channel_visibility(case))
        ref = await self._deliverer.to_channel(channel, Outgoing("case_card", {"case": view}))
        await uow.threads.set(ThreadRecord(case.id, self._deliverer.platform, channel, ref))
        await uow.commit()
        return ref

    async def _to_thread(self, uow: UnitOfWork, case: CaseRecord, notice: NoticeRecord) -> str:
        thread = await uow.threads.get(case.id, self._deliverer.platform)
        if thread is None:
            raise DeliveryError("the case card is not posted yet", transient=True)
        committees = policy.committees_to_alert(case)
        if not committees:
            raise Dropped("the case is no longer shared with other committees")
        people = [p for p in await uow.people.active() if _holds_fp_role(p, committees)]
        message = Outgoing(
            "committees_alerted",
            {
                "reference": case.reference,
                "committees": list(committees),
                "mentions": [self._deliverer.mention(p) for p in people],
            },
        )
        return await self._deliverer.to_thread(thread, message)

    async def _to_person(self, uow: UnitOfWork, case: CaseRecord, notice: NoticeRecord) -> str:
        person = await uow.people.get(notice.recipient_id) if notice.recipient_id else None
        if person is None:
            raise Dropped("recipient no longer in the directory")
        if notice.kind == "urgent_case" and not policy.asg_alert_allowed(case):
            raise Dropped("consent to share with the ASG office withdrawn")
        view = _dm_view(case, _actor(person))
        if view is None:
            raise Dropped("recipient may no longer see the case")
        context: dict[str, Any] = {"case": view}
        if notice.kind == "report_saved":
            context = {"result": _Saved(case.reference, view)}
        return await self._deliverer.to_person(person, Outgoing(notice.kind, context))


@dataclass(frozen=True, slots=True)
class _Saved:
    reference: str
    case: CaseView
    duplicate: bool = False


def _dm_view(case: CaseRecord, actor: Actor) -> CaseView | None:
    level = policy.level_for(actor, case, policy.Surface.DM)
    return view_case(case, level) if level > policy.Visibility.NONE else None


SURFACE_OF = {
    "channel": policy.Surface.CASE_CARD,
    "thread": policy.Surface.THREAD,
    "dm": policy.Surface.DM,
}


def _actor(person: PersonRecord) -> Actor:
    roles = frozenset(
        Role(RoleKind(kind), CommitteeCode(code) if code else None) for kind, code in person.roles
    )
    return Actor(person_id=person.id, name=person.name, roles=roles, slack_user=person.slack_user)


def _holds_fp_role(person: PersonRecord, committees: tuple[str, ...]) -> bool:
    return any(
        kind in (RoleKind.FOCAL_POINT, RoleKind.ALTERNATE) and code in committees
        for kind, code in person.roles
    )
