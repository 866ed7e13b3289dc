"""Every template, for the same fixed results, on every platform: compared with golden files so
a reviewer sees each output, and checked against Slack's limits and our confidentiality rules.

Set UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.delivery.case_plans import ActionView, Progress
from bot.rendering.renderer import Renderer
from commands import help as help_command
from commands.case_forms import FIELDS as CASE_FIELDS
from commands.case_forms import TITLES, Mode
from commands.form import FIELDS
from commands.history import HistoryLine
from commands.policy import Visibility
from commands.results import (
    ActionRecorded,
    AuditLine,
    AuditTrail,
    CaseDetail,
    CaseForm,
    CaseList,
    ChannelChecked,
    EraseConfirmation,
    Erased,
    HelpResult,
    HomeResult,
    Linked,
    ReportForm,
    ReportSaved,
)
from commands.views import DiscussionLine, view_case
from storage.records import CaseRecord, Consents, NewCase
from tests.fakes.slack_standin_limits import check_message, check_view

GOLDEN = Path(__file__).parent / "golden"
VICTIM = "Canary Victim"
HOSTILE = "Held <!channel> see <https://evil.example|click> & *bold*"
AT = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


def a_case(confidentiality: str = "shared", *, urgent: bool = False) -> CaseRecord:
    facts = NewCase(
        state_party="Viet Nam",
        lead_committee="CAT",
        other_committees=("CCPR", "CERD"),
        received_on=dt.date(2026, 11, 20),
        source="session",
        cooperation="session_geneva",
        timing="after",
        target_type="defender",
        target_count=2,
        target_names=(VICTIM, "Second Person"),
        organisations=("Org <b>",),
        acts=("threats", "travel_ban", "other"),
        acts_other=HOSTILE,
        summary=HOSTILE,
        urgent=urgent,
        confidentiality=confidentiality,
        consents=Consents(share_committees=confidentiality == "shared", share_asg=urgent),
    )
    return CaseRecord(1, "RPR-2026-0001", 7, "Ana Example", "received", AT, AT, facts)


SHARED, RESTRICTED, URGENT = a_case(), a_case("restricted"), a_case(urgent=True)
FULL = view_case(SHARED, Visibility.FULL)
FACTS = view_case(SHARED, Visibility.FACTS)
OUTLINE = view_case(RESTRICTED, Visibility.OUTLINE)
PUBLISHED = replace(SHARED.facts.consents, publish=True)
PUBLIC = view_case(
    replace(SHARED, facts=replace(SHARED.facts, consents=PUBLISHED)), Visibility.FACTS
)
# A case thread of 12 messages at FULL: hostile text, and a message from someone outside the
# directory (kept, never shown).
DISCUSSED = replace(
    FULL,
    discussion=tuple(
        DiscussionLine(f"2026-11-27 10:{i:02d} UTC", None, "")
        if i == 3
        else DiscussionLine(f"2026-11-27 10:{i:02d} UTC", "Ana Example", f"{HOSTILE} ({i})\nok")
        for i in range(12)
    ),
)
RECORDED = ActionRecorded(
    "RPR-2026-0001",
    "Letter of allegation to the State party",
    "Awaiting State reply",
    dt.date(2027, 1, 26),
)

RESULTS: dict[str, tuple[str, dict[str, Any]]] = {
    "help": ("help", {"result": HelpResult(help_command.COMMANDS)}),
    "help_unknown": ("help", {"result": HelpResult(help_command.COMMANDS, "No `frob`.")}),
    "case_detail_full": ("case_detail", {"result": CaseDetail(FULL)}),
    "case_detail_facts": ("case_detail", {"result": CaseDetail(FACTS)}),
    "case_detail_outline": ("case_detail", {"result": CaseDetail(OUTLINE)}),
    "case_detail_history": (
        "case_detail",
        {
            "result": CaseDetail(
                replace(
                    FACTS,
                    stage="Awaiting State reply",
                    due_on=dt.date(2027, 1, 26),
                    overdue=False,
                    history=(
                        HistoryLine(
                            dt.date(2026, 11, 20), "2026-11-27 09:00 UTC", "Received", "Received"
                        ),
                        HistoryLine(
                            dt.date(2026, 11, 27),
                            "2026-11-27 09:30 UTC",
                            "Letter of allegation to the State party",
                            "Awaiting State reply",
                        ),
                    ),
                )
            )
        },
    ),
    "case_detail_discussion": ("case_detail", {"result": CaseDetail(DISCUSSED)}),
    "case_list": ("case_list", {"result": CaseList("Open cases", (FACTS, OUTLINE), "None.")}),
    "case_list_empty": ("case_list", {"result": CaseList("Open cases", (), "No open cases.")}),
    "case_list_truncated": (
        "case_list",
        {"result": CaseList("Open cases", (FACTS,) * 50, "None.", truncated=True)},
    ),
    "report_saved": ("report_saved", {"result": ReportSaved("RPR-2026-0001", FULL)}),
    "report_saved_again": (
        "report_saved",
        {"result": ReportSaved("RPR-2026-0001", FULL, duplicate=True)},
    ),
    "erase_confirmation": ("erase_confirmation", {"result": EraseConfirmation("RPR-2026-0001")}),
    "erased": ("erased", {"result": Erased("RPR-2026-0001")}),
    "audit_trail": (
        "audit_trail",
        {
            "result": AuditTrail(
                "RPR-2026-0001",
                (
                    AuditLine(
                        "2026-11-27 09:00:00 UTC", "Ana Example", "report", "allowed", "status"
                    ),
                    AuditLine(
                        "2026-11-27 09:01:00 UTC", "Ivan Example", "read", "denied", "status"
                    ),
                ),
            )
        },
    ),
    "channel_checked": ("channel_checked", {"result": ChannelChecked("C0COORD01", False, "x")}),
    "action_done": ("action_done", {"result": RECORDED}),
    "linked": ("linked", {"result": Linked("RPR-2026-0001", "RPR-2026-0002")}),
    "home": (
        "home",
        {
            "result": HomeResult(
                "Ana Example", True, True, ("CAT",), (FACTS, OUTLINE), (), (), (FACTS,), False
            )
        },
    ),
    "linked_already": ("linked", {"result": Linked("RPR-2026-0001", "RPR-2026-0002", True)}),
    "action_done_again": (
        "action_done",
        {"result": ActionRecorded("RPR-2026-0001", "x", "Received", None, duplicate=True)},
    ),
}
# Notices: what the outbox worker renders, at the level it applies.
NOTICES: dict[str, tuple[str, dict[str, Any]]] = {
    "case_card_shared": ("case_card", {"case": FACTS}),
    "case_card_public": ("case_card", {"case": PUBLIC}),
    "case_card_restricted": ("case_card", {"case": OUTLINE}),
    "committees_alerted": (
        "committees_alerted",
        {
            "reference": "RPR-2026-0001",
            "committees": ["CCPR", "CERD"],
            "mentions": ["<@U0CCPRFP1>", "<@U0CERDFP1>"],
        },
    ),
    "committees_alerted_nobody": (
        "committees_alerted",
        {
            "reference": "RPR-2026-0001",
            "committees": ["CED"],
            "mentions": [],
        },
    ),
    "urgent_case": ("urgent_case", {"case": view_case(URGENT, Visibility.FACTS)}),
    "report_saved_dm": ("report_saved", {"result": ReportSaved("RPR-2026-0001", FACTS)}),
    "channel_unsafe": ("channel_unsafe", {"channel": "C0COORD01", "reason": "1 outsider"}),
    "action_recorded": (
        "action_recorded",
        {
            "reference": "RPR-2026-0001",
            "action": ActionView(
                "Letter of allegation to the State party",
                dt.date(2026, 11, 27),
                ("CAT", "CCPR"),
                ("Signed by the focal point and the chair",),
                dt.date(2027, 1, 26),
            ),
            "stage": "Awaiting State reply",
            "shared_with": None,
            "mentions": [],
        },
    ),
    "action_recorded_shared": (
        "action_recorded",
        {
            "reference": "RPR-2026-0001",
            "action": ActionView("Shared with CERD", dt.date(2026, 11, 27), ("CERD",), (), None),
            "stage": "Received",
            "shared_with": "CERD (Committee on the Elimination of Racial Discrimination)",
            "mentions": ["<@U0CERDFP1>"],
        },
    ),
    "case_card_with_progress": (
        "case_card",
        {
            "case": FACTS,
            "progress": Progress(
                "Meeting with the permanent mission", dt.date(2026, 11, 27), dt.date(2027, 1, 26), 1
            ),
        },
    ),
    "related_cases": (
        "related_cases",
        {
            "reference": "RPR-2026-0003",
            "related": [
                {
                    "reference": "RPR-2026-0001",
                    "why": "same State, and a person or organisation named in both",
                },
                {
                    "reference": "RPR-2026-0002",
                    "why": "same State and lead committee, within 90 days",
                },
            ],
        },
    ),
    "related_cases_privately": (
        "related_cases",
        {
            "reference": "RPR-2026-0003",
            "related": [
                {
                    "reference": "RPR-2026-0001",
                    "why": "same State, and a person or organisation named in both",
                },
            ],
            "privately": True,
        },
    ),
    "cases_linked": ("cases_linked", {"reference": "RPR-2026-0001", "other": "RPR-2026-0002"}),
    "reminder_due_soon": (
        "reminder",
        {
            "case": FACTS,
            "due_on": dt.date(2026, 12, 1),
            "overdue": False,
            "mentions": ["<@U0CATFP01>", "<@U0CATAL01>"],
        },
    ),
    "reminder_overdue_nobody": (
        "reminder",
        {"case": OUTLINE, "due_on": dt.date(2026, 11, 20), "overdue": True, "mentions": []},
    ),
}


class Clock:
    def now(self) -> dt.datetime:
        return AT

    def today(self) -> dt.date:
        return AT.date()


renderer = Renderer()


def golden(name: str, rendered: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1" or not path.exists():
        path.write_text(rendered, encoding="utf-8")
        if os.environ.get("UPDATE_GOLDEN") != "1":
            pytest.fail(f"golden file {name} written: review it, then run again")
    assert rendered == path.read_text(encoding="utf-8"), f"{name} changed (UPDATE_GOLDEN=1)"


@pytest.mark.parametrize("name", sorted({**RESULTS, **NOTICES}))
def test_slack_message_matches_its_golden_file_and_slacks_limits(name: str) -> None:
    template, context = {**RESULTS, **NOTICES}[name]
    message = renderer.json(f"slack/{template}.message.json.j2", **context)
    golden(
        f"{name}.slack.json",
        json.dumps(message, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
    )
    assert message["text"] and len(message["blocks"]) <= 50
    assert check_message(message["text"], message["blocks"]) is None
    raw = json.dumps(message, ensure_ascii=False)
    assert "<!channel>" not in raw and "<https://evil.example" not in raw


@pytest.mark.parametrize("name", sorted({**RESULTS, **NOTICES}))
def test_text_matches_its_golden_file(name: str) -> None:
    template, context = {**RESULTS, **NOTICES}[name]
    golden(f"{name}.md", renderer.text(f"text/{template}.md.j2", **context))


@pytest.mark.parametrize("name", sorted(NOTICES))
def test_nothing_left_in_slack_holds_a_name_or_the_summary(name: str) -> None:
    template, context = NOTICES[name]
    raw = json.dumps(
        renderer.json(f"slack/{template}.message.json.j2", **context), ensure_ascii=False
    )
    assert VICTIM not in raw and "evil.example" not in raw


@pytest.mark.parametrize("name", sorted(NOTICES))
def test_notification_text_carries_references_only(name: str) -> None:
    template, context = NOTICES[name]
    text = renderer.json(f"slack/{template}.message.json.j2", **context)["text"]
    assert VICTIM not in text and "Held" not in text and "Viet Nam" not in text


@pytest.mark.parametrize(
    "view", ["report_modal", "report_saved", "report_saving", "case_action", "action_recorded"]
)
def test_modals_match_their_golden_files_and_slacks_limits(view: str) -> None:
    context: dict[str, Any] = {
        "report_modal": {
            "form": ReportForm(
                FIELDS,
                {
                    "lead_committee": "CAT",
                    "received_on": "2026-11-27",
                    "target_count": "1",
                    "urgency": "normal",
                    "confidentiality": "restricted",
                },
            )
        },
        "report_saved": {"result": ReportSaved("RPR-2026-0001", FULL)},
        "report_saving": {},
        "case_action": {
            "form": CaseForm(
                "action",
                "RPR-2026-0001",
                TITLES[Mode.ACTION],
                CASE_FIELDS[Mode.ACTION],
                {"taken_on": dt.date(2026, 11, 27), "committees": ("CAT", "CCPR")},
            )
        },
        "action_recorded": {"result": RECORDED},
    }[view]
    rendered = renderer.json(f"slack/{view}.view.json.j2", **context)
    golden(
        f"{view}.view.json",
        json.dumps(rendered, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
    )
    assert check_view(rendered, "modal") == []
    ids = [b["block_id"] for b in rendered["blocks"] if "block_id" in b]
    assert len(ids) == len(set(ids))


def test_a_long_summary_full_of_escapes_still_fits_a_text_object() -> None:
    long = view_case(a_case(), Visibility.FULL)
    from dataclasses import replace

    long = replace(long, summary="<&>" * 1000)  # 3,000 characters that escape to 13,000
    message = renderer.json("slack/case_detail.message.json.j2", result=CaseDetail(long))
    assert check_message(message["text"], message["blocks"]) is None


def test_the_home_tab_matches_its_golden_file_and_slacks_limits() -> None:
    due = replace(FACTS, due_on=dt.date(2026, 11, 30), overdue=True)
    result = HomeResult(
        "Ana Example",
        in_directory=True,
        may_report=True,
        committees=("CAT",),
        mine=(FACTS, OUTLINE),
        overdue=(due,),
        due_soon=(),
        shared=(FACTS,),
        more=True,
    )
    rendered = renderer.json("slack/home.view.json.j2", result=result)
    golden(
        "home.view.json", json.dumps(rendered, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    )
    assert check_view(rendered, "home") == []
    raw = json.dumps(rendered, ensure_ascii=False)
    assert VICTIM not in raw and "evil.example" not in raw
