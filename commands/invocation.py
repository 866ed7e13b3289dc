"""An invocation: who asked for which verb with which words, and the ports a command may use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from commands.roles import Actor
from storage.uow import UnitOfWork


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """An aware datetime."""
        ...

    def today(self) -> dt.date:
        """Today in the directory's time zone."""
        ...


@dataclass(frozen=True, slots=True)
class Invocation:
    actor: Actor
    verb: str
    args: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Dependencies:
    """What a command runs with: a fresh unit of work per call, the clock, the platform whose
    outbox worker will deliver the notices the command queues, and two settings."""

    uow: Callable[[], UnitOfWork]
    clock: Clock
    platform: str
    reporting_year_start: int = 5  # the month the Secretary-General's reporting year starts
    reply_due_days: int = 60  # a State's time to reply to a letter, unless it says otherwise


def parse(text: str) -> tuple[str, tuple[str, ...]]:
    """`status Viet Nam` -> ("status", ("Viet", "Nam")); empty text is `help`."""
    words = text.split()
    if not words:
        return "help", ()
    return words[0].lower(), tuple(words[1:])
