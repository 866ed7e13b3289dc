"""Behaviour of the digests' calendar: months, shifts, year to date, the SG reporting year."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from digests.periods import (
    BadMonth,
    Period,
    month,
    month_of,
    parse_month,
    previous_month,
    reporting_year_to_date,
    shift,
    trailing_months,
    year_to_date,
)

D = dt.date


# --- month and month_of -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "number", "last_day"),
    [
        (2026, 1, 31),
        (2026, 2, 28),
        (2026, 4, 30),
        (2026, 10, 31),
        (2026, 12, 31),
        (2028, 2, 29),
        (2100, 2, 28),
        (2000, 2, 29),
    ],
)
def test_a_month_runs_from_its_first_day_to_the_first_day_of_the_next(year, number, last_day):
    period = month(year, number)
    assert period.start == D(year, number, 1)
    assert period.last == D(year, number, last_day)
    assert period.end == period.last + dt.timedelta(days=1)
    assert period.end.day == 1


def test_december_ends_on_the_first_of_january_of_the_next_year():
    assert month(2026, 12) == Period(D(2026, 12, 1), D(2027, 1, 1))


@pytest.mark.parametrize("number", [0, 13, -1, 100])
def test_month_refuses_a_month_number_outside_1_to_12(number):
    with pytest.raises(BadMonth, match=f"there is no month {number}"):
        month(2026, number)


def test_bad_month_is_a_value_error():
    assert issubclass(BadMonth, ValueError)


@pytest.mark.parametrize(
    "day",
    [D(2026, 10, 1), D(2026, 10, 15), D(2026, 10, 31)],
)
def test_month_of_any_day_in_october_is_october(day):
    assert month_of(day) == month(2026, 10)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2028, 2, 29), month(2028, 2)),
        (D(2026, 2, 28), month(2026, 2)),
        (D(2026, 3, 1), month(2026, 3)),
        (D(2026, 12, 31), month(2026, 12)),
        (D(2027, 1, 1), month(2027, 1)),
    ],
)
def test_month_of_a_boundary_day(day, expected):
    assert month_of(day) == expected


def test_the_29th_of_february_2028_is_in_february_2028():
    assert D(2028, 2, 29) in month(2028, 2)


@pytest.mark.parametrize("year", [2026, 2100])
def test_there_is_no_29th_of_february_in_a_common_year(year):
    assert month(year, 2).last == D(year, 2, 28)
    assert month(year, 2).end == D(year, 3, 1)


def test_periods_are_ordered_by_start():
    assert month(2025, 12) < month(2026, 1) < month(2026, 2)


def test_periods_are_hashable_values():
    assert {month(2026, 10), parse_month("2026-10")} == {month(2026, 10)}


# --- parse_month ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2026-10", " 2026-10 ", "\t2026-10\n"])
def test_parse_month_reads_yyyy_mm_ignoring_surrounding_space(text):
    assert parse_month(text) == month(2026, 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-01", month(2026, 1)), ("2026-12", month(2026, 12)), ("2028-02", month(2028, 2))],
)
def test_parse_month_reads_the_first_and_last_months(text, expected):
    assert parse_month(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2026-13",
        "2026-1",
        "10-2026",
        "",
        "   ",
        "2026-00",
        "abcd-ef",
        "2026/10",
        "202610",
        "2026-10-01",
        "26-10",
        "1999-12",
    ],
)
def test_parse_month_refuses_anything_else_showing_the_expected_format(text):
    with pytest.raises(BadMonth) as refused:
        parse_month(text)
    message = str(refused.value)
    assert "YYYY-MM" in message
    assert "2026-10" in message
    assert repr(text) in message


# --- label and title --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "label", "title"),
    [
        (month(2026, 10), "2026-10", "October 2026"),
        (month(2026, 1), "2026-01", "January 2026"),
        (month(2028, 2), "2028-02", "February 2028"),
        (month(2026, 12), "2026-12", "December 2026"),
    ],
)
def test_a_month_is_labelled_yyyy_mm_and_titled_with_its_name(period, label, title):
    assert period.label == label
    assert period.title == title


@pytest.mark.parametrize(
    ("period", "label"),
    [
        (Period(D(2026, 1, 1), D(2026, 11, 1)), "2026-01-01..2026-10-31"),
        (Period(D(2025, 9, 1), D(2026, 11, 1)), "2025-09-01..2026-10-31"),
        (Period(D(2026, 10, 2), D(2026, 11, 1)), "2026-10-02..2026-10-31"),
        (Period(D(2026, 10, 1), D(2026, 10, 31)), "2026-10-01..2026-10-30"),
        (Period(D(2026, 10, 5), D(2026, 10, 6)), "2026-10-05..2026-10-05"),
    ],
)
def test_any_other_period_is_labelled_and_titled_with_its_first_and_last_days(period, label):
    assert period.label == label
    assert period.title == label


def test_the_last_day_is_the_day_before_the_end():
    assert Period(D(2026, 1, 1), D(2026, 3, 1)).last == D(2026, 2, 28)


# --- containment ------------------------------------------------------------------------------


def test_a_period_holds_its_start_day():
    assert D(2026, 10, 1) in month(2026, 10)


def test_a_period_holds_its_last_day():
    assert D(2026, 10, 31) in month(2026, 10)


def test_a_period_does_not_hold_its_end_day():
    assert D(2026, 11, 1) not in month(2026, 10)


def test_a_period_does_not_hold_the_day_before_its_start():
    assert D(2026, 9, 30) not in month(2026, 10)


@pytest.mark.parametrize("thing", ["2026-10-05", None, 20261005, month(2026, 10)])
def test_a_period_holds_nothing_that_is_not_a_date(thing):
    assert thing not in month(2026, 10)


# --- previous_month ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 11, 1), month(2026, 10)),
        (D(2026, 11, 2), month(2026, 10)),
        (D(2026, 11, 30), month(2026, 10)),
        (D(2026, 12, 31), month(2026, 11)),
    ],
)
def test_previous_month_is_the_calendar_month_before_today(today, expected):
    assert previous_month(today) == expected


def test_previous_month_of_the_31st_of_march_is_february():
    assert previous_month(D(2026, 3, 31)) == month(2026, 2)


def test_previous_month_of_the_31st_of_march_in_a_leap_year_is_february_with_29_days():
    assert previous_month(D(2028, 3, 31)) == Period(D(2028, 2, 1), D(2028, 3, 1))


def test_previous_month_of_the_1st_of_march_is_february():
    assert previous_month(D(2100, 3, 1)) == month(2100, 2)


@pytest.mark.parametrize("day", [1, 15, 31])
def test_previous_month_in_january_is_december_of_the_previous_year(day):
    assert previous_month(D(2027, 1, day)) == month(2026, 12)


# --- shift ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        (0, month(2026, 10)),
        (1, month(2026, 11)),
        (2, month(2026, 12)),
        (3, month(2027, 1)),
        (15, month(2028, 1)),
        (-1, month(2026, 9)),
        (-9, month(2026, 1)),
        (-10, month(2025, 12)),
        (-12, month(2025, 10)),
        (-22, month(2024, 12)),
        (-24, month(2024, 10)),
    ],
)
def test_shift_moves_a_month_forward_and_back_across_years(months, expected):
    assert shift(month(2026, 10), months) == expected


def test_shift_back_one_from_january_is_december_of_the_previous_year():
    assert shift(month(2027, 1), -1) == month(2026, 12)


def test_shift_forward_one_from_december_is_january_of_the_next_year():
    assert shift(month(2026, 12), 1) == month(2027, 1)


def test_shift_forward_then_back_returns_to_the_same_month():
    for months in range(-30, 31):
        assert shift(shift(month(2026, 10), months), -months) == month(2026, 10)


def test_shift_from_a_month_gives_a_whole_month():
    shifted = shift(month(2028, 1), 1)
    assert shifted == Period(D(2028, 2, 1), D(2028, 3, 1))


# --- year_to_date -----------------------------------------------------------------------------


def test_year_to_date_runs_from_the_1st_of_january_to_the_end_of_the_period():
    ytd = year_to_date(month(2026, 10))
    assert ytd == Period(D(2026, 1, 1), D(2026, 11, 1))
    assert ytd.label == "2026-01-01..2026-10-31"


def test_year_to_date_of_january_is_january():
    assert year_to_date(month(2026, 1)) == month(2026, 1)
    assert year_to_date(month(2026, 1)).label == "2026-01"


def test_year_to_date_of_december_is_the_whole_year():
    assert year_to_date(month(2026, 12)) == Period(D(2026, 1, 1), D(2027, 1, 1))


# --- reporting_year_to_date -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "start_month", "expected_start"),
    [
        # the reporting year starts before the period's month: this calendar year
        (month(2026, 10), 6, D(2026, 6, 1)),
        (month(2026, 10), 9, D(2026, 9, 1)),
        # it starts after the period's month: the previous calendar year
        (month(2026, 10), 11, D(2025, 11, 1)),
        (month(2026, 3), 6, D(2025, 6, 1)),
        # it starts in the period's month: that month only
        (month(2026, 10), 10, D(2026, 10, 1)),
        (month(2026, 6), 6, D(2026, 6, 1)),
        # start month 1: the calendar year to date
        (month(2026, 1), 1, D(2026, 1, 1)),
        (month(2026, 10), 1, D(2026, 1, 1)),
        (month(2026, 12), 1, D(2026, 1, 1)),
        # start month 12: since last December, or this December only
        (month(2026, 10), 12, D(2025, 12, 1)),
        (month(2027, 1), 12, D(2026, 12, 1)),
        (month(2026, 12), 12, D(2026, 12, 1)),
    ],
)
def test_reporting_year_to_date_starts_on_the_latest_1st_of_the_start_month(
    period, start_month, expected_start
):
    assert reporting_year_to_date(period, start_month) == Period(expected_start, period.end)


def test_reporting_year_starting_in_the_periods_month_is_just_that_month():
    assert reporting_year_to_date(month(2026, 10), 10) == month(2026, 10)


def test_reporting_year_starting_in_january_is_the_year_to_date():
    for number in range(1, 13):
        period = month(2026, number)
        assert reporting_year_to_date(period, 1) == year_to_date(period)


def test_reporting_year_to_date_never_spans_more_than_twelve_months():
    for number in range(1, 13):
        for start_month in range(1, 13):
            period = month(2026, number)
            sg = reporting_year_to_date(period, start_month)
            assert sg.start.day == 1
            assert sg.start.month == start_month
            assert shift(period, -11).start <= sg.start <= period.start
            assert sg.end == period.end


def test_reporting_year_to_date_holds_the_periods_days():
    sg = reporting_year_to_date(month(2026, 3), 9)
    assert D(2025, 9, 1) in sg
    assert D(2026, 3, 31) in sg
    assert D(2025, 8, 31) not in sg
    assert D(2026, 4, 1) not in sg


@pytest.mark.parametrize("start_month", [0, 13, -1])
def test_reporting_year_refuses_a_start_month_outside_1_to_12(start_month):
    with pytest.raises(BadMonth, match=f"cannot start in month {start_month}"):
        reporting_year_to_date(month(2026, 10), start_month)


# --- trailing_months --------------------------------------------------------------------------


def test_trailing_months_are_twelve_consecutive_months_oldest_first_ending_with_the_period():
    months = trailing_months(month(2026, 10))
    assert [m.label for m in months] == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
        "2026-10",
    ]


@pytest.mark.parametrize(
    "period", [month(2026, 1), month(2026, 10), month(2026, 12), month(2028, 2)]
)
def test_trailing_months_leave_no_gap_and_no_overlap(period):
    months = trailing_months(period)
    assert len(months) == 12
    assert months[-1] == period
    assert all(earlier.end == later.start for earlier, later in itertools.pairwise(months))
    assert all(m == month_of(m.start) for m in months)


def test_trailing_months_of_december_are_the_calendar_year():
    months = trailing_months(month(2026, 12))
    assert months[0] == month(2026, 1)
    assert Period(months[0].start, months[-1].end) == year_to_date(month(2026, 12))


@pytest.mark.parametrize("count", [1, 3, 24])
def test_trailing_months_takes_a_count(count):
    months = trailing_months(month(2026, 10), count)
    assert len(months) == count
    assert months[0] == shift(month(2026, 10), 1 - count)
    assert months[-1] == month(2026, 10)


def test_trailing_months_of_none_is_empty():
    assert trailing_months(month(2026, 10), 0) == []
