"""Errors at the edge: CommandError is shown as it is; anything else gets an incident id."""

from __future__ import annotations

import logging
import secrets

log = logging.getLogger("reprisal_bot.incidents")


def incident_message() -> str:
    """Log the exception in flight under a new incident id, and the words to show the person."""
    incident = secrets.token_hex(4)
    log.exception("incident %s", incident)
    return (
        f"Sorry, something went wrong on our side (incident {incident}). Please try again; if it "
        "happens again, give the secretariat this incident id."
    )
