"""Errors at the edge: CommandError is shown as it is; anything else gets an incident id."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from commands.errors import CommandError

log = logging.getLogger("reprisal_bot.incidents")


def words_for(problem: Exception, escape: Callable[[str], str] = str) -> str:
    """What the person is told: a CommandError's message, escaped for where it is shown; for
    anything else an incident id (the trace is logged under it, never shown)."""
    if isinstance(problem, CommandError):
        return escape(problem.message)
    return incident_message()


def incident_message() -> str:
    """Log the exception in flight under a new incident id, and the words to show the person."""
    incident = secrets.token_hex(4)
    log.exception("incident %s", incident)
    return (
        f"Sorry, something went wrong on our side (incident {incident}). Please try again; if it "
        "happens again, give the secretariat this incident id."
    )
