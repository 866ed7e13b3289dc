"""How long finding a schedule's last due time takes: the old walk over every fire time of the
62-day look-back against the bisection in bot/schedules/triggers.py. CPU only, no database.

    python -m bench.last_due [--repeat 3]

`now` is fixed in September, so the look-back holds no change of summer time: the old walk
never ends when the look-back holds the autumn one for an hourly or more frequent schedule.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.schedules.settings import DEFAULT_DIGEST_SCHEDULE, DEFAULT_REMINDER_SCHEDULE
from bot.schedules.triggers import LOOK_BACK, cron_trigger, last_due

ZONE = "Europe/Zurich"
NOW = dt.datetime(2026, 9, 15, 10, 30, 12, tzinfo=dt.UTC)
SCHEDULES = ("* * * * *", "*/5 * * * *", DEFAULT_DIGEST_SCHEDULE, DEFAULT_REMINDER_SCHEDULE)


def walked_last_due(trigger: CronTrigger, now: dt.datetime) -> dt.datetime | None:
    """The old code, as it was."""
    fire = trigger.get_next_fire_time(None, now - LOOK_BACK)
    latest = None
    while fire is not None and fire <= now:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire + dt.timedelta(seconds=1))
    return latest


def best_of(repeat: int, run: Callable[[], object]) -> tuple[float, object]:
    """The fastest of `repeat` runs in milliseconds, and what the run returned."""
    timings, answer = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        answer = run()
        timings.append((time.perf_counter() - started) * 1000)
    return min(timings), answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    print(f"last due time at {NOW.isoformat()} ({ZONE}), best of {repeat}")
    print(f"{'schedule':<22}{'old walk (ms)':>15}{'bisection (ms)':>16}  same answer")
    for expression in SCHEDULES:
        old = CronTrigger.from_crontab(expression, timezone=ZoneInfo(ZONE))
        new = cron_trigger(expression, ZONE)
        walked, before = best_of(repeat, lambda old=old: walked_last_due(old, NOW))
        bisected, after = best_of(repeat, lambda new=new: last_due(new, NOW))
        # The old trigger read weekday numbers from Monday; these schedules use none.
        print(f"{expression:<22}{walked:>15.1f}{bisected:>16.2f}  {before == after}")


if __name__ == "__main__":
    main()
