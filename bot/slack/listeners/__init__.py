"""Bolt listeners, one module per group, each with register(app, ...): ack, translate, run."""

from bot.slack.listeners.commands import register

__all__ = ["register"]
