"""Logging set-up: the platform SDKs log message bodies at DEBUG, so they never go below INFO."""

from __future__ import annotations

import logging

# slack_sdk logs request and response bodies at DEBUG: a status answer holds names.
CHATTY = ("slack_sdk", "slack_bolt", "aiohttp.client")


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    quiet_platform_loggers()


def quiet_platform_loggers() -> None:
    for name in CHATTY:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO or logger.level == logging.NOTSET:
            logger.setLevel(logging.INFO)
