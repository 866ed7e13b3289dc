"""A report modal's submitted state, shaped as Slack sends it."""

from __future__ import annotations

from typing import Any

from tests.fakes.signing import (
    datepicker_state,
    multi_select_state,
    select_state,
    text_input_state,
    view_submission_payload,
)

ANA = "U0CATFP01"  # CAT focal point
GORAN = "U0CATAL01"  # CAT alternate
HANA = "U0CATCH01"  # CAT Chair
IVAN = "U0CERDFP1"  # CERD focal point
BEATRIZ = "U0CCPRFP1"  # CCPR focal point
LARS = "U0SPTFP01"  # SPT focal point
QUINN = "U0ASG0001"  # ASG office
SAM = "U0SECR001"  # secretariat
STRANGER = "U0NOBODY1"  # not in the directory

VICTIM = "Nguyen Canary-Victim"
SUMMARY = "Threatened after Geneva <!channel> see <https://evil.example|here> & more"


def report_state(**overrides: Any) -> dict[str, dict[str, Any]]:
    """A complete, valid report as the modal's `state.values`; override per field."""
    answers: dict[str, Any] = {
        "state_party": select_state("Viet Nam", type="external_select"),
        "lead_committee": select_state("CAT"),
        "other_committees": multi_select_state([("CERD", "CERD"), ("CCPR", "CCPR")]),
        "received_on": datepicker_state("2026-11-20"),
        "source": select_state("session"),
        "cooperation": select_state("session_geneva"),
        "timing": select_state("after"),
        "target_type": select_state("defender"),
        "target_count": {"type": "number_input", "value": "1"},
        "target_names": text_input_state(VICTIM),
        "organisation": text_input_state("Canary Rights Org"),
        "acts": multi_select_state([("threats", "Threats"), ("travel_ban", "Travel ban")]),
        "acts_other": text_input_state(None),
        "summary": text_input_state(SUMMARY),
        "urgency": select_state("normal", type="radio_buttons"),
        "confidentiality": select_state("shared", type="radio_buttons"),
        "consents": {
            "type": "checkboxes",
            "selected_options": [
                {"text": {"type": "plain_text", "text": "x"}, "value": "share_committees"}
            ],
        },
    }
    answers.update(overrides)
    return {name: {name: state} for name, state in answers.items()}


def consents(*codes: str) -> dict[str, Any]:
    return {
        "type": "checkboxes",
        "selected_options": [
            {"text": {"type": "plain_text", "text": c}, "value": c} for c in codes
        ],
    }


def submission(user_id: str, view_id: str, **overrides: Any) -> dict[str, Any]:
    return view_submission_payload(
        user_id=user_id,
        view_id=view_id,
        callback_id="report",
        state_values=report_state(**overrides),
    )
