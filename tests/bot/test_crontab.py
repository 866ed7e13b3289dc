"""Schedules mean what crontab means (0 or 7 = Sunday), `directory check` shows their next
times, and the last due time is found without walking every fire time."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger

from bot.directory.load import DirectoryError, parse_directory
from bot.schedules.settings import DEFAULT_DIGEST_SCHEDULE, DEFAULT_REMINDER_SCHEDULE
from bot.schedules.triggers import LOOK_BACK, cron_trigger, last_due, next_fire_times
from tests.bot.test_cli import run_cli
from tests.conftest import EXAMPLE_DIRECTORY

ZURICH = "Europe/Zurich"
SUNDAY_BEFORE_SUMMER_TIME = dt.datetime(2026, 3, 22, 12, 0, tzinfo=dt.UTC)  # 29 March: CEST


def weekdays_fired(expression: str, since: dt.datetime = SUNDAY_BEFORE_SUMMER_TIME) -> list[str]:
    """The weekday names of the fire times in the fortnight after `since`, in order."""
    trigger = cron_trigger(expression, ZURICH)
    fired = next_fire_times(trigger, since, 30)
    return [t.strftime("%a") for t in fired if t < since + dt.timedelta(days=14)]


def test_one_to_five_fires_monday_to_friday() -> None:
    assert weekdays_fired("0 9 * * 1-5") == ["Mon", "Tue", "Wed", "Thu", "Fri"] * 2


@pytest.mark.parametrize("sunday", ["0", "7", "sun", "sunday"])
def test_zero_and_seven_are_sunday(sunday: str) -> None:
    assert weekdays_fired(f"0 9 * * {sunday}") == ["Sun", "Sun"]


def test_a_range_to_seven_ends_on_sunday() -> None:
    assert weekdays_fired("0 9 * * 5-7") == ["Fri", "Sat", "Sun"] * 2
    assert weekdays_fired("0 9 * * fri-sun") == ["Fri", "Sat", "Sun"] * 2


def test_lists_and_steps_count_from_sunday() -> None:
    assert weekdays_fired("0 9 * * 0,6") == ["Sat", "Sun"] * 2
    assert weekdays_fired("0 9 * * */2") == ["Tue", "Thu", "Sat", "Sun"] * 2
    assert weekdays_fired("0 9 * * 1-5/2") == ["Mon", "Wed", "Fri"] * 2


def test_names_mean_what_they_meant() -> None:
    ours = cron_trigger("0 9 1-3 * mon-fri", ZURICH)
    theirs = CronTrigger.from_crontab("0 9 1-3 * mon-fri", timezone=ZoneInfo(ZURICH))
    since = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert next_fire_times(ours, since, 40) == next_fire_times(theirs, since, 40)


@pytest.mark.parametrize(
    ("since", "offsets"),
    [
        (SUNDAY_BEFORE_SUMMER_TIME, {"+0100": 5, "+0200": 5}),  # CET, then CEST from 29 March
        (dt.datetime(2026, 10, 18, 12, 0, tzinfo=dt.UTC), {"+0200": 5, "+0100": 5}),
    ],
)
def test_weekdays_keep_nine_in_geneva_across_daylight_saving(
    since: dt.datetime, offsets: dict[str, int]
) -> None:
    fired = next_fire_times(cron_trigger("0 9 * * 1-5", ZURICH), since, 10)
    assert {t.strftime("%H:%M") for t in fired} == {"09:00"}
    assert [t.strftime("%a") for t in fired] == ["Mon", "Tue", "Wed", "Thu", "Fri"] * 2
    seen: dict[str, int] = {}
    for t in fired:
        seen[t.strftime("%z")] = seen.get(t.strftime("%z"), 0) + 1
    assert seen == offsets and list(seen) == list(offsets)


@pytest.mark.parametrize(
    ("weekday", "words"),
    [("8", "weekday '8' is not a day"), ("sat-mon", "runs backwards"), ("*/0", "step")],
)
def test_a_bad_weekday_is_named_in_the_directory_problems(weekday: str, words: str) -> None:
    with pytest.raises(DirectoryError) as raised:
        parse_directory(
            {
                "slack": {"coordination_channel": "C0COORD01", "chairs_channel": "C0CHAIRS1"},
                "reminders": {"schedule": f"0 9 * * {weekday}"},
                "people": [{"name": "Ana", "email": "ana@example.org", "roles": ["secretariat"]}],
            }
        )
    assert f"reminders: schedule '0 9 * * {weekday}' is not a valid crontab" in str(raised.value)
    assert words in str(raised.value)


def test_directory_check_prints_the_next_three_times_with_weekdays(tmp_path: Path) -> None:
    directory = tmp_path / "directory.toml"
    text = EXAMPLE_DIRECTORY.read_text(encoding="utf-8")
    schedules = '[digest]\nschedule = "0 9 * * 0"\n\n[reminders]\nschedule = "30 8 * * 1-5"\n\n'
    directory.write_text(
        text.replace("\n[[people]]", "\n" + schedules + "[[people]]", 1), encoding="utf-8"
    )
    done = run_cli(
        "directory", "check", str(directory), database_url=f"sqlite:///{tmp_path / 'x.db'}"
    )
    assert done.returncode == 0, done.stderr
    lines = {line.split('"')[0].strip(): line for line in done.stdout.splitlines()}
    digest, reminders = lines["Schedule digest"], lines["Schedule reminders"]
    assert "(Europe/Zurich) next runs:" in digest
    runs = [run.split() for run in digest.split("next runs: ")[1].split("; ")]
    assert len(runs) == 3 and {run[0] for run in runs} == {"Sun"}
    assert {run[2] for run in runs} == {"09:00"}
    runs = [run.split() for run in reminders.split("next runs: ")[1].split("; ")]
    assert len(runs) == 3 and {run[0] for run in runs} <= {"Mon", "Tue", "Wed", "Thu", "Fri"}


def walked_last_due(
    trigger: CronTrigger, now: dt.datetime, back: dt.timedelta = LOOK_BACK
) -> dt.datetime | None:
    """The old answer: every fire time of the look-back, one after the other (counted in UTC,
    where the old walk counted in Geneva's wall-clock time and never left the autumn hour)."""
    fire = trigger.get_next_fire_time(None, now - back)
    latest = None
    while fire is not None and fire <= now:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire.astimezone(dt.UTC) + dt.timedelta(seconds=1))
    return latest


DAY = dt.timedelta(days=1)
SCHEDULES = [  # and how far back the walk must go to meet a fire time surely (it is slow)
    (DEFAULT_DIGEST_SCHEDULE, LOOK_BACK),
    (DEFAULT_REMINDER_SCHEDULE, LOOK_BACK),
    ("* * * * *", DAY / 24),
    ("*/5 * * * *", DAY / 4),
    ("17 */3 * * 1-5", 4 * DAY),
    ("0 9 * * 0", LOOK_BACK),
    ("0 9 15 * *", LOOK_BACK),
    ("0 9 31 * *", LOOK_BACK),  # not every month
    ("30 2 * * *", LOOK_BACK),  # once a year this time does not exist in Geneva, once twice
    ("0 9 1 1 *", LOOK_BACK),  # yearly: often not within the look-back
]
SUMMER_TIME_CHANGES = [
    dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 25, 1, 0, tzinfo=dt.UTC),
    dt.datetime(2027, 3, 28, 1, 0, tzinfo=dt.UTC),
]


def instants(chance: random.Random, trigger: CronTrigger) -> list[dt.datetime]:
    """Instants over three years, many near the changes of summer time, some on fire times."""
    first = dt.datetime(2025, 1, 1, tzinfo=dt.UTC).timestamp()
    found = []
    for _ in range(40):
        if chance.random() < 0.4:
            near = chance.choice(SUMMER_TIME_CHANGES).timestamp() + chance.uniform(-7200, 7200)
        else:
            near = chance.uniform(first, first + 3 * 365 * 86400)
        now = dt.datetime.fromtimestamp(near, dt.UTC)
        if chance.random() < 0.3:  # exactly on a fire time, or just before or after one
            fire = trigger.get_next_fire_time(None, now)
            assert fire is not None
            now = fire.astimezone(dt.UTC) + dt.timedelta(seconds=chance.choice([-1, 0, 0, 1]))
        found.append(now)
    return found


@pytest.mark.parametrize(("expression", "back"), SCHEDULES)
def test_last_due_agrees_with_walking_every_fire_time(expression: str, back: dt.timedelta) -> None:
    trigger = cron_trigger(expression, ZURICH)
    for now in instants(random.Random(f"last_due {expression}"), trigger):
        assert last_due(trigger, now) == walked_last_due(trigger, now, back), now


@pytest.mark.parametrize("expression", ["* * * * *", "*/15 * * * *", "13 * * * *", "0 2 * * *"])
def test_the_hour_repeated_in_autumn_is_walked_through_once_each_pass(expression: str) -> None:
    before = dt.datetime(2026, 10, 24, 23, 0, tzinfo=dt.UTC)  # 01:00 CEST
    fired = next_fire_times(cron_trigger(expression, ZURICH), before, 400)
    fired = [t for t in fired if t < before + dt.timedelta(hours=4)]
    instants_ = [t.timestamp() for t in fired]
    assert instants_ == sorted(set(instants_))  # strictly later each time: the walk ends
    every_minute = {"* * * * *": 240, "*/15 * * * *": 16, "13 * * * *": 4, "0 2 * * *": 2}
    assert len(fired) == every_minute[expression]


def test_last_due_of_an_every_minute_schedule_is_the_last_minute() -> None:
    now = dt.datetime(2026, 10, 25, 1, 30, 30, 5, tzinfo=dt.UTC)  # 02:30:30 CET, second pass
    due = last_due(cron_trigger("* * * * *", ZURICH), now)
    assert due is not None and due.astimezone(dt.UTC) == now.replace(second=0, microsecond=0)
