"""Bolt listeners, one module per group, each with register(app, ...): ack, translate, run."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt.async_app import AsyncApp

from bot.services import Services
from bot.slack.listeners import case_actions, commands, events, home, reports
from bot.slack.listeners.events import SlackFacts


def register(app: AsyncApp, services: Services, wake: Callable[[], None]) -> None:
    """Attach every listener the manifest declares to `app`."""
    facts = SlackFacts(services)
    events.register(app, services, facts, wake)
    case_actions.register(app, services, wake)
    home.register(app, services)
    commands.register(app, services, facts, wake)
    reports.register(app, services, wake)
