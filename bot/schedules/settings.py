"""The directory's [digest] and [reminders] tables: when digests and reminders go out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.schedules.triggers import cron_trigger, next_fire_times

# The first working day of each month at 09:00: days 1 to 3 that are weekdays; the digest
# ledger keeps only the first of them for each month.
DEFAULT_DIGEST_SCHEDULE = "0 9 1-3 * mon-fri"
DEFAULT_REPORTING_YEAR_START = 5  # the Secretary-General's reports run from 1 May
DEFAULT_REMINDER_SCHEDULE = "0 8 * * *"
DEFAULT_DAYS_BEFORE = 7
DIGEST_KEYS = ("schedule", "reporting_year_starts")
REMINDER_KEYS = ("schedule", "days_before")


@dataclass(frozen=True, slots=True)
class Schedules:
    digest: str = DEFAULT_DIGEST_SCHEDULE
    reporting_year_starts: int = DEFAULT_REPORTING_YEAR_START
    reminders: str = DEFAULT_REMINDER_SCHEDULE
    days_before: int = DEFAULT_DAYS_BEFORE


def parse_schedules(
    digest: object, reminders: object, timezone: str, problems: list[str]
) -> Schedules:
    """Validated schedules; each problem found is added to `problems`."""
    d = _table(digest, "digest", DIGEST_KEYS, problems)
    r = _table(reminders, "reminders", REMINDER_KEYS, problems)
    return Schedules(
        digest=_crontab(d.get("schedule", DEFAULT_DIGEST_SCHEDULE), "digest", timezone, problems),
        reporting_year_starts=_whole(
            d.get("reporting_year_starts", DEFAULT_REPORTING_YEAR_START),
            "digest: reporting_year_starts",
            1,
            12,
            "a month number from 1 (January) to 12",
            problems,
        ),
        reminders=_crontab(
            r.get("schedule", DEFAULT_REMINDER_SCHEDULE), "reminders", timezone, problems
        ),
        days_before=_whole(
            r.get("days_before", DEFAULT_DAYS_BEFORE),
            "reminders: days_before",
            1,
            60,
            "a whole number of days from 1 to 60",
            problems,
        ),
    )


def describe_schedules(schedules: Schedules, timezone: str, now: dt.datetime) -> list[str]:
    """One line per schedule: its crontab and its next three times, with weekdays, in `timezone`."""
    lines = []
    for name, expression in (("digest", schedules.digest), ("reminders", schedules.reminders)):
        times = next_fire_times(cron_trigger(expression, timezone), now, 3)
        shown = "; ".join(t.strftime("%a %Y-%m-%d %H:%M %Z") for t in times) or "never"
        lines.append(f'Schedule {name} "{expression}" ({timezone}) next runs: {shown}')
    return lines


def _table(
    value: object, name: str, keys: tuple[str, ...], problems: list[str]
) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        problems.append(f"{name}: must be a table ([{name}])")
        return {}
    for key in value:
        if key not in keys:
            problems.append(f"{name}: unknown key {key!r} (known here: {', '.join(keys)})")
    return value


def _crontab(value: object, name: str, timezone: str, problems: list[str]) -> str:
    default = DEFAULT_DIGEST_SCHEDULE if name == "digest" else DEFAULT_REMINDER_SCHEDULE
    if not isinstance(value, str):
        problems.append(f'{name}: schedule must be a crontab in quotes, for example "{default}"')
        return default
    try:
        cron_trigger(value, timezone)
    except ValueError as problem:
        reason = str(problem)
        if not reason.startswith(repr(value)):
            reason = f"{value!r} is not a valid crontab ({reason[:1].lower()}{reason[1:]})"
        problems.append(f'{name}: schedule {reason}; for example "{default}"')
        return default
    return value


def _whole(
    value: object, name: str, low: int, high: int, expected: str, problems: list[str]
) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    problems.append(f"{name}: must be {expected}, not {value!r}")
    return low
