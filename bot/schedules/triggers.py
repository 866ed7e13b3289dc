"""Schedules as data -> APScheduler triggers, with crontab's weekdays (0 or 7 = Sunday), the
last time a schedule was due, and the next times it fires."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

LOOK_BACK = dt.timedelta(days=62)  # every schedule we accept fires at least monthly
_MICROSECOND, _SECOND = dt.timedelta(microseconds=1), dt.timedelta(seconds=1)

# Crontab numbers weekdays from Sunday (0 and 7); APScheduler 3 from Monday (0), and names
# are the only spelling both read the same way.
_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_FULL_NAMES = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
_ITEM = re.compile(r"(?P<range>\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:/(?P<step>\d+))?$")


def cron_trigger(expression: str, timezone: str) -> CronTrigger:
    """A 5-field crontab (minute hour day month weekday); ValueError if it is not one.
    Weekdays mean what they mean in crontab (0 or 7 = Sunday, 1 = Monday, names too).
    Fields must all match (day AND weekday), as in APScheduler, unlike classic cron."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(
            f"{expression!r} is not a crontab of 5 fields (minute hour day month weekday)"
        )
    minute, hour, day, month, weekday = fields
    return CrontabTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=weekdays(weekday),
        timezone=ZoneInfo(timezone),
    )


class CrontabTrigger(CronTrigger):
    """A CronTrigger that counts from an instant, not a wall-clock time."""

    def get_next_fire_time(
        self, previous_fire_time: dt.datetime | None, now: dt.datetime
    ) -> dt.datetime | None:
        # APScheduler 3 counts in wall-clock time and forgets which pass of the hour repeated
        # when summer time ends it is in: from the second pass it answers the first pass
        # again, and a walk from fire time to fire time never ends. Count from an instant,
        # and take the second pass when the answer comes before it.
        start = now.astimezone(dt.UTC)
        if previous_fire_time is not None:
            start = min(start, previous_fire_time.astimezone(dt.UTC) + _MICROSECOND)
        if start.microsecond:
            start = start.replace(microsecond=0) + dt.timedelta(seconds=1)
        fire = super().get_next_fire_time(None, start)
        if fire is not None and fire < start:
            fire = fire.replace(fold=1)
        return fire


def weekdays(field: str) -> str:
    """A crontab weekday field as APScheduler's day_of_week: `*`, or the days by name."""
    days: set[int] = set()
    for item in field.lower().split(","):
        days |= _days(item)
    if len(days) == 7:
        return "*"
    return ",".join(_NAMES[day] for day in sorted(days, key=lambda d: (d + 6) % 7))


def _days(item: str) -> set[int]:
    """The days (0 = Sunday .. 6) of one list item: `*`, `n`, `a-b`, with `/step`."""
    match = _ITEM.match(item)
    if match is None:
        raise ValueError(f"weekday {item!r} is not a day (0-7 or sun-sat), a range or a step")
    bounds, step = match["range"], int(match["step"] or 1)
    if step < 1:
        raise ValueError(f"weekday {item!r}: the step must be at least 1")
    if bounds == "*":
        first, last = 0, 7
    elif "-" in bounds:
        start, end = bounds.split("-")
        first, last = _day(start), _day(end, last=True)
    else:
        first = _day(bounds)
        last = 7 if match["step"] else first
    if first > last:
        raise ValueError(
            f"weekday range {bounds!r} runs backwards; a range goes from Sunday (0) to "
            "Saturday (6) or Sunday (7), e.g. 5-7 for Friday to Sunday"
        )
    return {day % 7 for day in range(first, last + 1, step)}


def _day(text: str, *, last: bool = False) -> int:
    """0-7 or a name; `sun` ending a range is 7, so `fri-sun` runs Friday to Sunday."""
    if text.isdigit() and int(text) <= 7:
        return int(text)
    for day, name in enumerate(_FULL_NAMES):
        if text in (name, name[:3]):
            return 7 if last and day == 0 else day
    raise ValueError(f"weekday {text!r} is not a day (0-7 or sun-sat)")


def last_due(trigger: CronTrigger, now: dt.datetime) -> dt.datetime | None:
    """The latest fire time at or before `now` in the last two months, or None.
    Bisection over whole seconds: `next fire at or after t` is at or before `now` exactly
    when t is at or before that latest fire time, so a few dozen questions find it."""
    start = now.astimezone(dt.UTC) - LOOK_BACK
    if not _fires_by(trigger, start, now):
        return None
    low, high = 0, int(LOOK_BACK.total_seconds()) + 1  # _fires_by: true at low, false at high
    while high - low > 1:
        middle = (low + high) // 2
        if _fires_by(trigger, start + dt.timedelta(seconds=middle), now):
            low = middle
        else:
            high = middle
    return trigger.get_next_fire_time(None, start + dt.timedelta(seconds=low))


def _fires_by(trigger: CronTrigger, at: dt.datetime, now: dt.datetime) -> bool:
    fire = trigger.get_next_fire_time(None, at)
    return fire is not None and fire <= now


def next_fire_times(trigger: CronTrigger, now: dt.datetime, count: int = 3) -> list[dt.datetime]:
    """The next `count` fire times after `now` (fewer if the schedule stops firing)."""
    times: list[dt.datetime] = []
    fire = trigger.get_next_fire_time(None, now)
    while fire is not None and len(times) < count:
        times.append(fire)
        fire = trigger.get_next_fire_time(fire, fire.astimezone(dt.UTC) + _SECOND)
    return times
