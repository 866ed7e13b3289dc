"""The words shared by the outbox worker and the deliverers of each platform."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from storage.records import PersonRecord, ThreadRecord


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message to render: the template's name and its context (views only, policy applied)."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    notice: int = 0  # the outbox row it comes from


class DeliveryError(Exception):
    """Sending failed; `transient` failures are retried (after `retry_after` seconds if given)."""

    def __init__(self, reason: str, *, transient: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason, self.transient, self.retry_after = reason, transient, retry_after


class Held(Exception):
    """The notice must wait (its channel is not safe now); it is neither sent nor given up."""


class Dropped(Exception):
    """The notice no longer applies (consent withdrawn, case gone): nothing is sent."""


Target = str | ThreadRecord | PersonRecord  # a channel id, a case thread, or a person


class Deliverer(Protocol):
    platform: str

    async def to_channel(self, channel: str, message: Outgoing) -> str: ...

    async def to_thread(self, thread: ThreadRecord, message: Outgoing) -> str: ...

    async def to_person(self, person: PersonRecord, message: Outgoing) -> str: ...

    async def update_card(self, thread: ThreadRecord, message: Outgoing) -> str:
        """Replace the case card at the root of `thread` with `message`."""
        ...

    def mention(self, person: PersonRecord) -> str: ...

    async def already_sent(self, notice_id: int, target: Target) -> str | None: ...

    async def send_digest(self, target: Target, message: Outgoing, *, resume: bool) -> str:
        """Every part of a digest (and its charts), once: with `resume`, parts an earlier
        attempt sent are found and not sent again."""
        ...
