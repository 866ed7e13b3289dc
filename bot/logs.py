"""Logging set-up. The platform SDKs format payloads (form values, names, reply bodies) into
their log messages, so their records never go below INFO and lose everything after their words."""

from __future__ import annotations

import logging

# Loggers of libraries that may format a request or response body into a message.
PLATFORM = ("slack_sdk", "slack_bolt", "aiohttp.client", "aiohttp.websocket", "microsoft_agents")
# The logger we hand to Bolt, its Socket Mode client and its Web API client.
SLACK_LOGGER = "slack_bolt.reprisal_bot"
STOPS = "({[<:='\"\n"
MOST = 120


class Withhold(logging.Filter):
    """Drop platform records below INFO; keep only the words before any data in the rest."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(PLATFORM):
            return True
        if record.levelno < logging.INFO:
            return False
        if getattr(record, "withheld", False):
            return True
        words = _words(record.getMessage())
        if record.exc_info and record.exc_info[0] is not None:
            # The exception's own text can quote a payload: its type is enough to triage.
            words += f" [{record.exc_info[0].__name__}]"
            record.exc_info, record.exc_text = None, None
        record.msg, record.args, record.stack_info = words, None, None
        record.withheld = True
        return True


def _words(text: str) -> str:
    cut = min((i for i in (text.find(stop) for stop in STOPS) if i >= 0), default=len(text))
    words = text[: min(cut, MOST)].rstrip(" ,;-")
    return words + " (details withheld)" if len(words) < len(text) else words


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, Withhold) for f in handler.filters):
            handler.addFilter(Withhold())
    logging.getLogger("alembic").setLevel(logging.WARNING)
    quiet_platform_loggers()


def quiet_platform_loggers() -> None:
    """Pin the platform loggers at INFO or above, whatever the root level (Bolt copies the
    root's level into its own loggers when it is built), each with the Withhold filter."""
    floor = max(logging.INFO, logging.getLogger().getEffectiveLevel())
    for name in (*PLATFORM, SLACK_LOGGER):
        logger = logging.getLogger(name)
        if logger.level < floor:
            logger.setLevel(floor)
        if not any(isinstance(f, Withhold) for f in logger.filters):
            logger.addFilter(Withhold())


def slack_logger() -> logging.Logger:
    """The logger given to Bolt and slack_sdk, so they never copy the root's DEBUG level."""
    quiet_platform_loggers()
    return logging.getLogger(SLACK_LOGGER)
