"""What every rendering must keep, whatever its wording: on top of the golden files.

`test_golden.py` pins each template's output for one fixed data set (hostile user text included).
This module reuses that data set and states the behaviour the snapshots only show: Slack's limits,
escaping of user text, nothing confidential at channel level or in a notification's fallback text,
clipping after escaping, the report form as `/reprisal report` really opens it, and a golden file
for every template there is."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from commands import policy
from commands.dispatch import COMMANDS, dispatch
from commands.form import FIELDS, NAMES_MAX, SHORT_MAX, SUMMARY_MAX
from commands.invocation import Dependencies, Invocation
from commands.report import open_form
from commands.results import CaseDetail, HelpResult, ReportSaved
from commands.roles import Actor, Role, RoleKind
from commands.views import CaseView, view_case
from storage.records import CaseRecord
from storage.reference import CommitteeCode
from tests.fakes.slack_standin_limits import check_message, check_view
from tests.templates.test_golden import (
    GOLDEN,
    HOSTILE,
    NOTICES,
    RESTRICTED,
    RESULTS,
    SHARED,
    URGENT,
    VICTIM,
    golden,
    renderer,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
ALL = {**RESULTS, **NOTICES}
REFERENCE = "RPR-2026-0001"

# The hostile pieces of HOSTILE, raw and as they must reach Slack.
RAW_HOSTILE = ("<!channel>", "<https://evil.example|click>")
ESCAPED_HOSTILE = ("&lt;!channel&gt;", "&lt;https://evil.example|click&gt;", "&amp; *bold*")
# Everything a person typed about the victim: never in a channel, never in a fallback text.
FREE_TEXT = (
    VICTIM,
    "Second Person",
    "Org <b>",
    "Org &lt;b&gt;",
    "Held",
    "evil.example",
    "channel>",
    "*bold*",
)
FP_CAT = Actor(7, "Ana Example", frozenset({Role(RoleKind.FOCAL_POINT, CommitteeCode.CAT)}))
SECRETARIAT = Actor(9, "Sam Secretariat", frozenset({Role(RoleKind.SECRETARIAT)}))
ASG = Actor(11, "Olga Office", frozenset({Role(RoleKind.ASG_OFFICE)}))


class Clock:
    """The simplest clock open_form needs."""

    def now(self) -> dt.datetime:
        return dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)

    def today(self) -> dt.date:
        return dt.date(2026, 11, 27)


def _no_database() -> Any:
    raise AssertionError("rendering needs no database")


CORE = Dependencies(uow=_no_database, clock=Clock(), platform="slack")


def slack(name: str) -> dict[str, Any]:
    template, context = ALL[name]
    return renderer.json(f"slack/{template}.message.json.j2", **context)


def text_objects(node: Any, ptr: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every Block Kit text object, with its JSON pointer."""
    if isinstance(node, dict):
        if node.get("type") in ("plain_text", "mrkdwn") and "text" in node:
            yield ptr, node
        for key, value in node.items():
            yield from text_objects(value, f"{ptr}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from text_objects(value, f"{ptr}/{i}")


def assert_fits_slack_message(message: dict[str, Any]) -> None:
    assert set(message) == {"text", "blocks"}
    assert isinstance(message["text"], str) and message["text"].strip(), "empty fallback text"
    assert 1 <= len(message["blocks"]) <= 50
    for ptr, obj in text_objects(message["blocks"], "/blocks"):
        assert obj["text"], f"empty text object at {ptr}"
        assert len(obj["text"]) <= 3000, f"{ptr} has {len(obj['text'])} characters"
    assert check_message(message["text"], message["blocks"]) is None


def assert_no_raw_hostile_text(rendered: Any) -> None:
    raw = json.dumps(rendered, ensure_ascii=False)
    for piece in RAW_HOSTILE:
        assert piece not in raw, f"{piece!r} reaches Slack unescaped"
    # No other control sequence either (<!here>, <url|label>): the only `<` left are the
    # bot's own user mentions and channel links.
    assert "<" not in re.sub(r"<[@#][A-Z0-9]+>", "", raw), raw


# -- every template has a golden file, and every golden file a template ----------------------


def _templates(platform: str, suffix: str) -> set[str]:
    return {
        p.name.removesuffix(suffix)
        for p in (TEMPLATES / platform).glob(f"*{suffix}")
        if not p.name.startswith("_")
    }


def test_every_message_and_text_template_is_rendered_for_a_golden_file() -> None:
    # The digest has golden files of its own, built from a data set (tests/digests).
    used = {template for template, _ in ALL.values()} | {"digest"}
    assert _templates("slack", ".message.json.j2") <= used
    assert _templates("text", ".md.j2") <= used


def test_every_view_template_has_a_golden_file() -> None:
    views = _templates("slack", ".view.json.j2")
    assert views
    for view in views:
        assert (GOLDEN / f"{view}.view.json").exists(), view


def test_no_golden_file_is_left_over_from_a_result_no_longer_rendered() -> None:
    expected = {f"{name}.slack.json" for name in ALL} | {f"{name}.md" for name in ALL}
    expected |= {f"{view}.view.json" for view in _templates("slack", ".view.json.j2")}
    assert {p.name for p in GOLDEN.iterdir()} == expected


# -- the data set is what the bot really renders -------------------------------------------


def test_notices_in_the_golden_files_are_at_the_level_the_policy_gives() -> None:
    channel = policy.channel_visibility
    assert NOTICES["case_card_shared"][1]["case"] == view_case(SHARED, channel(SHARED))
    assert NOTICES["case_card_restricted"][1]["case"] == view_case(RESTRICTED, channel(RESTRICTED))
    asg_level = policy.level_for(ASG, URGENT, policy.Surface.DM)
    assert NOTICES["urgent_case"][1]["case"] == view_case(URGENT, asg_level)
    dm_level = policy.level_for(FP_CAT, SHARED, policy.Surface.DM)
    assert NOTICES["report_saved_dm"][1]["result"].case == view_case(SHARED, dm_level)
    assert policy.committees_to_alert(SHARED) == ("CCPR", "CERD")
    assert policy.committees_to_alert(RESTRICTED) == ()


# -- Slack: limits and escaping --------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ALL))
def test_every_slack_message_is_json_within_slacks_limits(name: str) -> None:
    template, context = ALL[name]
    source = renderer._env.get_template(f"slack/{template}.message.json.j2").render(**context)
    message = json.loads(source)  # strict JSON, as the renderer parses it
    assert_fits_slack_message(message)


@pytest.mark.parametrize("name", sorted(ALL))
def test_no_slack_message_carries_user_text_unescaped(name: str) -> None:
    assert_no_raw_hostile_text(slack(name))


@pytest.mark.parametrize("name", ["case_detail_full", "report_saved", "report_saved_again"])
def test_user_text_shown_in_full_arrives_escaped(name: str) -> None:
    raw = json.dumps(slack(name), ensure_ascii=False)
    for piece in ESCAPED_HOSTILE:
        assert piece in raw, f"{piece!r} missing from {name}"
    assert "Org &lt;b&gt;" in raw
    assert "Org <b>" not in raw and "&amp;lt;" not in raw  # escaped exactly once


async def test_an_unknown_hostile_command_is_echoed_escaped_in_help() -> None:
    result = await dispatch(Invocation(FP_CAT, "<!channel>", ()), CORE, COMMANDS)
    assert isinstance(result, HelpResult) and result.notice
    message = renderer.json("slack/help.message.json.j2", result=result)
    assert_fits_slack_message(message)
    assert_no_raw_hostile_text(message)
    assert "`&lt;!channel&gt;`" in message["blocks"][0]["text"]["text"]
    assert "<!channel>" in renderer.text("text/help.md.j2", result=result)  # console: verbatim


@pytest.mark.parametrize("name", ["case_detail_full", "report_saved"])
def test_the_console_shows_user_text_as_typed(name: str) -> None:
    template, context = ALL[name]
    text = renderer.text(f"text/{template}.md.j2", **context)
    assert HOSTILE in text and VICTIM in text
    assert "&lt;" not in text and "&amp;" not in text


# -- confidentiality -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case", [SHARED, RESTRICTED, URGENT], ids=["shared", "restricted", "urgent"]
)
def test_a_case_card_at_channel_level_holds_no_name_and_no_summary(case: CaseRecord) -> None:
    view = view_case(case, policy.channel_visibility(case))
    assert view.summary is None and not view.target_names and not view.organisations
    slack_raw = json.dumps(
        renderer.json("slack/case_card.message.json.j2", case=view), ensure_ascii=False
    )
    console = renderer.text("text/case_card.md.j2", case=view)
    for rendered in (slack_raw, console):
        for secret in FREE_TEXT:
            assert secret not in rendered, f"{secret!r} at channel level"
        assert case.reference in rendered


def test_a_restricted_case_card_says_only_that_the_case_exists() -> None:
    message = slack("case_card_restricted")
    raw = json.dumps(message, ensure_ascii=False)
    for fact in ("Viet Nam", "CCPR", "Threats", "Ana Example", "Human rights defender"):
        assert fact not in raw, fact
    assert "Viet Nam" not in renderer.text(
        "text/case_card.md.j2", case=view_case(RESTRICTED, policy.Visibility.OUTLINE)
    )


def test_committees_alerted_posts_mentions_and_references_only() -> None:
    raw = json.dumps(slack("committees_alerted"), ensure_ascii=False)
    assert "<@U0CCPRFP1> <@U0CERDFP1>" in raw and REFERENCE in raw
    nobody = slack("committees_alerted_nobody")
    assert "<@" not in json.dumps(nobody) and "no one was mentioned" in json.dumps(nobody)


def _fallback_contexts() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every notice, also given the full view: its fallback text must not depend on the level."""
    full, facts = policy.Visibility.FULL, policy.Visibility.FACTS
    full_shared, full_urgent = view_case(SHARED, full), view_case(URGENT, full)
    for case in (SHARED, RESTRICTED, URGENT):
        level = policy.channel_visibility(case)
        yield (
            f"case_card-{case.facts.confidentiality}",
            "case_card",
            {"case": view_case(case, level)},
        )
    yield "case_card-full", "case_card", {"case": full_shared}
    yield "urgent_case-facts", "urgent_case", {"case": view_case(URGENT, facts)}
    yield "urgent_case-full", "urgent_case", {"case": full_urgent}
    dm = view_case(SHARED, facts)
    yield "report_saved-dm", "report_saved", {"result": ReportSaved(REFERENCE, dm)}
    yield "report_saved-full", "report_saved", {"result": ReportSaved(REFERENCE, full_shared)}
    yield (
        "report_saved-again",
        "report_saved",
        {"result": ReportSaved(REFERENCE, full_shared, True)},
    )
    for name in ("committees_alerted", "committees_alerted_nobody"):
        yield name, *NOTICES[name]


FALLBACKS = list(_fallback_contexts())


@pytest.mark.parametrize(
    ("template", "context"), [f[1:] for f in FALLBACKS], ids=[f[0] for f in FALLBACKS]
)
def test_a_notifications_fallback_text_carries_references_only(
    template: str, context: dict[str, Any]
) -> None:
    text = renderer.json(f"slack/{template}.message.json.j2", **context)["text"]
    assert REFERENCE in text
    for secret in (*FREE_TEXT, "Viet Nam", "Ana Example", "Threats", "Human rights defender"):
        assert secret not in text, f"{secret!r} in the notification text {text!r}"
    # What is left once the reference and committee codes are taken out is the bot's own words.
    words = re.sub(rf"{REFERENCE}|\b({'|'.join(CommitteeCode)})\b", "", text)
    assert re.fullmatch(r"[A-Za-z ,:()\-]*", words), text


# -- clipping happens after escaping ---------------------------------------------------------


def _hostile_to_the_limit(view: CaseView) -> CaseView:
    """Every free-text field at its form maximum, made of characters that escaping multiplies."""
    summary = ("<!channel> & <https://evil.example|click> " * 80)[: SUMMARY_MAX - 5]
    assert len(summary) >= 2990
    return replace(
        view,
        summary=summary,
        acts_other="&" * 500,
        target_names=("<" * 99,) * (NAMES_MAX // 100),
        organisations=(">" * SHORT_MAX,),
    )


@pytest.mark.parametrize("template", ["case_detail", "report_saved", "urgent_case", "case_card"])
def test_a_summary_at_the_limit_full_of_escapes_still_fits_each_text_object(template: str) -> None:
    view = _hostile_to_the_limit(view_case(SHARED, policy.Visibility.FULL))
    context: dict[str, Any] = {
        "case_detail": {"result": CaseDetail(view)},
        "report_saved": {"result": ReportSaved(REFERENCE, view)},
        "urgent_case": {"case": view},
        "case_card": {"case": view},
    }[template]
    message = renderer.json(f"slack/{template}.message.json.j2", **context)
    assert_fits_slack_message(message)
    assert_no_raw_hostile_text(message)
    texts = [obj["text"] for _, obj in text_objects(message["blocks"])]
    summary = next(t for t in texts if t.startswith("*Summary*\n"))
    # Escaped first, then clipped: the clipped text starts escaped and ends with the ellipsis.
    assert summary.startswith("*Summary*\n&lt;!channel&gt; &amp; &lt;https://evil.example")
    assert summary.endswith("…") and len(summary) <= 3000


async def test_an_unknown_command_of_any_length_still_gets_a_valid_help_reply() -> None:
    result = await dispatch(Invocation(FP_CAT, "<" * 760, ()), CORE, COMMANDS)
    message = renderer.json("slack/help.message.json.j2", result=result)
    assert_fits_slack_message(message)


# -- the report form, as /reprisal report opens it -------------------------------------------


async def _modal(actor: Actor) -> dict[str, Any]:
    form = await open_form(actor=actor, core=CORE)
    return renderer.json("slack/report_modal.view.json.j2", form=form)


def assert_valid_modal(view: dict[str, Any]) -> None:
    assert view["type"] == "modal"
    assert len(view["blocks"]) <= 100
    for key in ("title", "submit", "close"):
        assert view[key]["type"] == "plain_text" and 0 < len(view[key]["text"]) <= 24, key
    ids = [b["block_id"] for b in view["blocks"] if "block_id" in b]
    assert len(ids) == len(set(ids)), "duplicate block_id"
    for ptr, obj in text_objects(view["blocks"], "/blocks"):
        assert 0 < len(obj["text"]) <= 3000, ptr
    assert check_view(view, "modal") == []


async def test_the_report_form_a_cat_focal_point_opens_is_the_golden_modal() -> None:
    view = await _modal(FP_CAT)
    # The same file as the modal test of test_golden.py: the form as /reprisal report opens it.
    golden(
        "report_modal.view.json",
        json.dumps(view, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
    )
    assert_valid_modal(view)
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert list(inputs) == [f.name for f in FIELDS]  # the form reads answers by block_id
    for field in FIELDS:
        assert inputs[field.name]["element"]["action_id"] == field.name
        assert inputs[field.name]["optional"] is not field.required
    assert inputs["lead_committee"]["element"]["initial_option"]["value"] == "CAT"
    assert inputs["received_on"]["element"]["initial_date"] == "2026-11-27"
    assert inputs["confidentiality"]["element"]["initial_option"]["value"] == "restricted"
    summary = inputs["summary"]["element"]
    assert summary["multiline"] is True and summary["max_length"] == SUMMARY_MAX


async def test_the_report_form_of_the_secretariat_has_no_lead_committee_preset() -> None:
    view = await _modal(SECRETARIAT)
    assert_valid_modal(view)
    lead = next(b for b in view["blocks"] if b.get("block_id") == "lead_committee")
    assert "initial_option" not in lead["element"]
