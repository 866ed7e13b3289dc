"""The report form's validation: the same rules for the Slack modal and the console."""

from __future__ import annotations

import datetime as dt

import pytest

from commands.errors import FormInvalid
from commands.form import FIELDS, FIELDS_BY_NAME, Raw, validate_field, validate_report
from storage.records import Consents, NewCase

TODAY = dt.date(2026, 11, 27)


def answers(**changes: Raw) -> dict[str, Raw]:
    """A complete, valid set of answers as the Slack modal sends them (lists for multi-selects)."""
    values: dict[str, Raw] = {
        "state_party": "Viet Nam",
        "lead_committee": "CAT",
        "other_committees": ["CERD", "CAT", "CCPR"],
        "received_on": "2026-11-20",
        "source": "email",
        "cooperation": "session_geneva",
        "timing": "after",
        "target_type": "defender",
        "target_count": "2",
        "target_names": "First Person\n\n  Second Person  \n",
        "organisation": "An NGO",
        "acts": ["travel_ban", "threats"],
        "acts_other": None,
        "summary": "Stopped at the airport on return from the session.",
        "urgency": "urgent",
        "confidentiality": "shared",
        "consents": ["share_committees", "publish"],
    }
    values.update(changes)
    return values


def errors_of(**changes: Raw) -> dict[str, str]:
    with pytest.raises(FormInvalid) as raised:
        validate_report(answers(**changes), today=TODAY)
    return raised.value.errors


def field_error(name: str, raw: Raw) -> str:
    with pytest.raises(ValueError) as raised:
        validate_field(FIELDS_BY_NAME[name], raw, today=TODAY)
    return str(raised.value)


# A complete report


def test_a_complete_report_becomes_the_expected_case() -> None:
    case = validate_report(answers(), today=TODAY)
    assert case == NewCase(
        state_party="Viet Nam",
        lead_committee="CAT",
        other_committees=("CCPR", "CERD"),  # the lead committee is not repeated
        received_on=dt.date(2026, 11, 20),
        source="email",
        cooperation="session_geneva",
        timing="after",
        target_type="defender",
        target_count=2,
        target_names=("First Person", "Second Person"),  # one per line, blanks dropped
        organisations=("An NGO",),
        acts=("threats", "travel_ban"),
        acts_other=None,
        summary="Stopped at the airport on return from the session.",
        urgent=True,
        confidentiality="shared",
        consents=Consents(
            share_committees=True, share_asg=False, name_to_state=False, publish=True
        ),
    )


def test_a_normal_restricted_report_without_optional_answers_is_accepted() -> None:
    case = validate_report(
        answers(
            urgency="normal",
            confidentiality="restricted",
            consents=None,
            other_committees=None,
            target_names=None,
            organisation="",
        ),
        today=TODAY,
    )
    assert case.urgent is False
    assert case.confidentiality == "restricted"
    assert case.consents == Consents()
    assert case.other_committees == ()
    assert case.target_names == ()
    assert case.organisations == ()


def test_every_consent_given_is_recorded() -> None:
    everything = ["share_committees", "share_asg", "name_to_state", "publish"]
    case = validate_report(answers(consents=everything), today=TODAY)
    assert case.consents == Consents(
        share_committees=True, share_asg=True, name_to_state=True, publish=True
    )


def test_option_codes_are_accepted_whatever_their_case() -> None:
    case = validate_report(answers(lead_committee="cat", other_committees=["cerd"]), today=TODAY)
    assert case.lead_committee == "CAT"
    assert case.other_committees == ("CERD",)


# Missing answers


def test_every_missing_required_answer_is_named_at_once() -> None:
    empty: dict[str, Raw] = {field.name: None for field in FIELDS}
    with pytest.raises(FormInvalid) as raised:
        validate_report(empty, today=TODAY)
    required = {field.name for field in FIELDS if field.required}
    assert set(raised.value.errors) == required
    assert all(message == "This is required." for message in raised.value.errors.values())
    for name in required:  # the one-line message names them all too
        assert name in raised.value.message


def test_blank_or_whitespace_answers_count_as_missing() -> None:
    errors = errors_of(state_party="   ", acts=[], summary=" \n ")
    assert errors == {
        "state_party": "This is required.",
        "acts": "This is required.",
        "summary": "This is required.",
    }


def test_the_required_fields_are_those_a_focal_point_must_answer() -> None:
    optional = {field.name for field in FIELDS if not field.required}
    assert optional == {
        "other_committees",
        "target_names",
        "organisation",
        "acts_other",
        "consents",
    }


# The State party


def test_an_unknown_state_is_refused_with_its_name_in_the_message() -> None:
    message = errors_of(state_party="Atlantis")["state_party"]
    assert "Atlantis" in message
    assert "not a UN Member or observer State" in message


@pytest.mark.parametrize(
    ("typed", "state"),
    [
        ("viet nam", "Viet Nam"),
        ("VIET NAM", "Viet Nam"),
        ("  Viet Nam  ", "Viet Nam"),
        ("cote d'ivoire", "Côte d'Ivoire"),
        ("Cote d\u2019Ivoire", "Côte d'Ivoire"),  # a phone's typographic apostrophe
    ],
)
def test_a_state_is_matched_by_its_un_short_name_whatever_the_case_or_accents(
    typed: str, state: str
) -> None:
    assert validate_field(FIELDS_BY_NAME["state_party"], typed, today=TODAY) == state
    assert validate_report(answers(state_party=typed), today=TODAY).state_party == state


def test_a_partial_state_name_is_not_guessed() -> None:
    assert "is not a UN Member" in field_error("state_party", "Viet")


# The date received


def test_today_is_an_acceptable_date_received() -> None:
    assert validate_field(FIELDS_BY_NAME["received_on"], "2026-11-27", today=TODAY) == TODAY


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2026-11-28", "cannot be in the future"),
        ("2027-01-01", "cannot be in the future"),
        ("27/11/2026", "YYYY-MM-DD"),
        ("2026-13-01", "YYYY-MM-DD"),
        ("2026-02-30", "YYYY-MM-DD"),
        ("last Tuesday", "YYYY-MM-DD"),
        ("1999-01-01", "check the year"),
    ],
)
def test_a_future_or_malformed_date_is_refused_with_a_reason(raw: str, message: str) -> None:
    assert message in errors_of(received_on=raw)["received_on"]


# The number of persons targeted


@pytest.mark.parametrize("raw", ["0", "-3", "abc", "2.5", "10001", "1000000"])
def test_a_number_of_persons_outside_one_to_ten_thousand_is_refused(raw: str) -> None:
    errors = errors_of(target_count=raw)
    assert set(errors) == {"target_count"}  # nothing else is blamed
    assert "number" in errors["target_count"]


@pytest.mark.parametrize(("raw", "count"), [("1", 1), (" 7 ", 7), ("10000", 10_000)])
def test_a_number_of_persons_from_one_to_ten_thousand_is_accepted(raw: str, count: int) -> None:
    assert validate_report(answers(target_count=raw), today=TODAY).target_count == count


# Lengths


def test_a_summary_of_40000_characters_is_refused_giving_the_limit_and_its_length() -> None:
    message = errors_of(summary="x" * 40_000)["summary"]
    assert "3,000" in message and "40,000" in message
    assert message == "Please keep this to 3,000 characters at most (it has 40,000)."


def test_a_summary_of_exactly_3000_characters_is_accepted() -> None:
    case = validate_report(answers(summary="x" * 3_000), today=TODAY)
    assert len(case.summary) == 3_000


def test_a_summary_one_character_over_the_limit_is_refused() -> None:
    assert "it has 3,001" in errors_of(summary="x" * 3_001)["summary"]


def test_an_overlong_organisation_name_is_refused_with_its_limit() -> None:
    assert "300" in errors_of(organisation="o" * 301)["organisation"]


# Options


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("acts", ["threats", "teleportation"]),
        ("lead_committee", "UNESCO"),
        ("other_committees", ["XYZ"]),
        ("source", "carrier pigeon"),
        ("urgency", "very"),
        ("confidentiality", "secret"),
        ("consents", ["share_with_press"]),
    ],
)
def test_an_unknown_option_code_is_refused_naming_it(name: str, raw: Raw) -> None:
    message = errors_of(**{name: raw})[name]
    assert "is not one of" in message
    unknown = raw[-1] if isinstance(raw, list) else raw
    assert repr(unknown) in message


def test_two_answers_to_a_single_choice_question_are_refused() -> None:
    assert errors_of(urgency=["normal", "urgent"])["urgency"] == "Choose only one."


def test_an_option_chosen_twice_is_kept_once() -> None:
    case = validate_report(answers(acts=["threats", "threats", "THREATS"]), today=TODAY)
    assert case.acts == ("threats",)


# Cross-field checks


def test_shared_case_without_consent_to_share_is_refused_with_a_reason() -> None:
    message = errors_of(consents=["share_asg", "publish"])["confidentiality"]
    assert "consent to share with other committees" in message
    assert "Restricted" in message


def test_restricted_case_needs_no_consent() -> None:
    case = validate_report(answers(confidentiality="restricted", consents=None), today=TODAY)
    assert case.confidentiality == "restricted"


def test_other_acts_without_a_description_ask_to_describe_them() -> None:
    assert "describe" in errors_of(acts=["threats", "other"])["acts_other"]


def test_other_acts_with_a_description_are_kept() -> None:
    case = validate_report(answers(acts=["other"], acts_other="Smear leaflets"), today=TODAY)
    assert case.acts == ("other",)
    assert case.acts_other == "Smear leaflets"


def test_every_problem_is_reported_at_once_including_cross_checks() -> None:
    errors = errors_of(
        state_party="Atlantis", target_count="0", acts=["other"], consents=None, summary=""
    )
    assert set(errors) == {
        "state_party",
        "target_count",
        "acts_other",
        "confidentiality",
        "summary",
    }


# Slack lists and console strings


def test_a_list_or_a_string_give_the_same_case() -> None:
    as_text = validate_report(
        answers(acts="threats", other_committees="CERD", consents="share_committees"),
        today=TODAY,
    )
    as_list = validate_report(
        answers(acts=["threats"], other_committees=["CERD"], consents=["share_committees"]),
        today=TODAY,
    )
    assert as_text == as_list


def test_a_single_answer_in_a_list_is_accepted_for_a_single_choice_question() -> None:
    as_list = validate_report(
        answers(state_party=["Viet Nam"], urgency=["urgent"], target_count=["2"]),
        today=TODAY,
    )
    assert as_list == validate_report(answers(), today=TODAY)


def test_blank_items_in_a_multi_select_are_ignored() -> None:
    case = validate_report(answers(acts=["", "threats", "  "]), today=TODAY)
    assert case.acts == ("threats",)
