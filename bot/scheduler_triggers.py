"""Schedules as data -> APScheduler triggers, and the last time a schedule was due."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

LOOK_BACK = dt.timedelta(days=62)  # every schedule we accept fires at least monthly


def cron_trigger(expression: str, timezone: str) -> CronTrigger:
    """A 5-field crontab (minute hour day month weekday); ValueError if it is not one.
    Fields must all match (day AND weekday), as in APScheduler, unlike classic cron."""
    if len(expression.split()) != 5:
        raise ValueError(
            f"{expression!r} is not a crontab of 5 fields (minute hour day month weekday)"
        )
    return CronTrigger.from_crontab(expression, timezone=ZoneInfo(timezone))


def last_due(trigger: CronTrigger, now: dt.datetime) -> dt.datetime | None:
    """The latest fire time at or before `now` in the last two months, or None."""
    start = now - LOOK_BACK
    fire = trigger.get_next_fire_time(None, start)
    latest = None
    while fire is not None and fire <= now:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire + dt.timedelta(seconds=1))
    return latest
