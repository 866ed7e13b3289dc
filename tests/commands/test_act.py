"""The action forms' dates: a letter may be logged after the fact (its reply overdue at once);
only a due date before the letter, or an action in the future, is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from commands.case_forms import Mode, validate
from commands.errors import FormInvalid

TODAY = dt.date(2026, 11, 27)


def a_letter(taken_on: str, due_on: str | None) -> dict[str, str | None]:
    return {
        "kind": "letter_to_state",
        "taken_on": taken_on,
        "signed_by": "both",
        "due_on": due_on,
        "note": None,
    }


def test_a_letter_sent_70_days_ago_with_its_reply_due_10_days_ago_is_accepted() -> None:
    answers = validate(Mode.ACTION, a_letter("2026-09-18", "2026-11-17"), today=TODAY)
    assert answers.get("taken_on") == dt.date(2026, 9, 18)
    assert answers.get("due_on") == dt.date(2026, 11, 17)


def test_a_reply_due_on_the_day_of_the_letter_is_accepted() -> None:
    answers = validate(Mode.ACTION, a_letter("2026-09-18", "2026-09-18"), today=TODAY)
    assert answers.get("due_on") == dt.date(2026, 9, 18)


def test_a_reply_due_before_the_letter_was_sent_is_refused() -> None:
    with pytest.raises(FormInvalid) as refused:
        validate(Mode.ACTION, a_letter("2026-09-18", "2026-09-17"), today=TODAY)
    assert refused.value.errors == {
        "due_on": "The reply cannot be due before the letter was sent (2026-09-18)."
    }


def test_an_action_in_the_future_is_refused() -> None:
    with pytest.raises(FormInvalid) as refused:
        validate(Mode.ACTION, a_letter("2026-11-28", "2027-01-10"), today=TODAY)
    assert refused.value.errors == {"taken_on": "This date cannot be in the future."}


def test_a_due_date_ahead_is_still_accepted() -> None:
    answers = validate(Mode.ACTION, a_letter("2026-11-27", "2027-01-26"), today=TODAY)
    assert answers.get("due_on") == dt.date(2027, 1, 26)
