"""The report form's validation: the same rules for the Slack modal and the console."""

from __future__ import annotations

import datetime as dt

import pytest

from commands.errors import FormInvalid
from commands.form import FIELDS, FIELDS_BY_NAME, validate_field, validate_report
from storage.records import Consents

TODAY = dt.date(2026, 11, 27)


def answers(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "state_party": "Viet Nam",
        "lead_committee": "CAT",
        "other_committees": ["CERD", "CAT"],
        "received_on": "2026-11-20",
        "source": "email",
        "cooperation": "session_geneva",
        "timing": "after",
        "target_type": "defender",
        "target_count": "2",
        "target_names": "First Person\n\n  Second Person  ",
        "organisation": "An NGO",
        "acts": ["travel_ban", "threats"],
        "acts_other": None,
        "summary": "Summary.",
        "urgency": "urgent",
        "confidentiality": "shared",
        "consents": ["share_committees", "publish"],
    }
    values.update(changes)
    return values


def errors_of(**changes: object) -> dict[str, str]:
    with pytest.raises(FormInvalid) as raised:
        validate_report(answers(**changes), today=TODAY)  # type: ignore[arg-type]
    return raised.value.errors


def test_a_complete_report_becomes_a_case() -> None:
    case = validate_report(answers(), today=TODAY)  # type: ignore[arg-type]
    assert case.other_committees == ("CERD",)  # the lead committee is not repeated
    assert case.target_names == ("First Person", "Second Person")
    assert case.organisations == ("An NGO",)
    assert case.acts == ("threats", "travel_ban")
    assert case.urgent is True and case.target_count == 2
    assert case.consents == Consents(share_committees=True, publish=True)


def test_every_missing_required_answer_is_named_at_once() -> None:
    empty = {field.name: None for field in FIELDS}
    with pytest.raises(FormInvalid) as raised:
        validate_report(empty, today=TODAY)
    required = {field.name for field in FIELDS if field.required}
    assert set(raised.value.errors) == required
    assert all(message == "This is required." for message in raised.value.errors.values())


def test_states_are_matched_by_their_un_short_name_whatever_the_case_or_accents() -> None:
    field = FIELDS_BY_NAME["state_party"]
    assert validate_field(field, "viet nam", today=TODAY) == "Viet Nam"
    assert validate_field(field, "cote d'ivoire", today=TODAY) == "Côte d'Ivoire"
    assert errors_of(state_party="Atlantis")["state_party"].startswith("'Atlantis' is not")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2026-12-01", "cannot be in the future"),
        ("27/11/2026", "YYYY-MM-DD"),
        ("1999-01-01", "check the year"),
    ],
)
def test_bad_dates_are_refused_with_a_reason(raw: str, message: str) -> None:
    assert message in errors_of(received_on=raw)["received_on"]


@pytest.mark.parametrize("raw", ["0", "abc", "10001", "-3"])
def test_bad_numbers_of_persons_are_refused(raw: str) -> None:
    assert "received_on" not in errors_of(target_count=raw)
    assert errors_of(target_count=raw)["target_count"]


def test_a_summary_of_40000_characters_gets_a_clear_error() -> None:
    message = errors_of(summary="x" * 40_000)["summary"]
    assert message == "Please keep this under 3,000 characters (it has 40,000)."


def test_an_unknown_option_is_refused() -> None:
    assert "is not one of" in errors_of(acts=["threats", "teleportation"])["acts"]


def test_shared_without_consent_to_share_is_refused_with_the_reason() -> None:
    message = errors_of(consents=[])["confidentiality"]
    assert "consent to share with other committees" in message


def test_other_acts_must_be_described() -> None:
    assert "describe" in errors_of(acts=["other"])["acts_other"]
    case = validate_report(answers(acts=["other"], acts_other="Smear"), today=TODAY)  # type: ignore[arg-type]
    assert case.acts_other == "Smear"


def test_a_list_or_a_string_are_both_accepted() -> None:
    as_text = validate_report(answers(acts="threats", other_committees="CERD"), today=TODAY)  # type: ignore[arg-type]
    as_list = validate_report(answers(acts=["threats"], other_committees=["CERD"]), today=TODAY)  # type: ignore[arg-type]
    assert as_text == as_list
