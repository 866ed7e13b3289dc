"""Periods: pure calendar logic for digests (months, the year to date, the SG reporting year)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class BadMonth(ValueError):
    """A month that is not written YYYY-MM, or does not exist."""


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """Calendar dates from `start` (included) to `end` (excluded)."""

    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        """`2026-10` for a month; `2026-01-01..2026-10-31` otherwise."""
        if self == month_of(self.start):
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()}..{self.last.isoformat()}"

    @property
    def last(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def title(self) -> str:
        """`October 2026` for a month."""
        return f"{self.start:%B %Y}" if self == month_of(self.start) else self.label

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day < self.end


def month(year: int, number: int) -> Period:
    if not 1 <= number <= 12:
        raise BadMonth(f"there is no month {number}")
    start = dt.date(year, number, 1)
    return Period(start, _next_month_start(start))


def month_of(day: dt.date) -> Period:
    return month(day.year, day.month)


def parse_month(text: str) -> Period:
    """`2026-10` -> October 2026; BadMonth with a helpful message otherwise."""
    found = _MONTH.match(text.strip())
    if not found:
        raise BadMonth(f"{text!r} is not a month: write it as YYYY-MM, e.g. 2026-10")
    year, number = int(found[1]), int(found[2])
    if not 1 <= number <= 12 or year < 2000:
        raise BadMonth(f"{text!r} is not a month: write it as YYYY-MM, e.g. 2026-10")
    return month(year, number)


def previous_month(today: dt.date) -> Period:
    """The calendar month before the one `today` is in: what a digest sent today covers."""
    return month_of(today.replace(day=1) - dt.timedelta(days=1))


def shift(period: Period, months: int) -> Period:
    """The month `months` away from a month period (negative: earlier)."""
    index = period.start.year * 12 + period.start.month - 1 + months
    return month(index // 12, index % 12 + 1)


def year_to_date(period: Period) -> Period:
    """From 1 January of the period's year to the end of the period."""
    return Period(dt.date(period.start.year, 1, 1), period.end)


def reporting_year_to_date(period: Period, start_month: int) -> Period:
    """From the start of the Secretary-General's reporting year that holds the period's first
    day (a year starting on the 1st of `start_month`) to the end of the period."""
    if not 1 <= start_month <= 12:
        raise BadMonth(f"the reporting year cannot start in month {start_month}")
    year = period.start.year if period.start.month >= start_month else period.start.year - 1
    return Period(dt.date(year, start_month, 1), period.end)


def trailing_months(period: Period, count: int = 12) -> list[Period]:
    """The `count` months ending with `period`, oldest first."""
    return [shift(period, offset) for offset in range(1 - count, 1)]


def _next_month_start(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
