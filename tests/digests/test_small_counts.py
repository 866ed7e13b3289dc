"""One restricted case among shared and public ones: on the shared digests (the Chairs' channel,
the coordination channel and its agenda) it counts in the totals alone, never by State,
committee, act, urgency, action or outcome, in the model, the charts and every rendered form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli.digest_output import render_digest
from bot.rendering.charts import render_charts
from bot.rendering.renderer import Renderer
from digests.build import DigestRequest, build_digest
from digests.model import Audience, Digest
from digests.periods import month
from digests.preview import audience_note
from storage.engine import session_factory
from storage.uow import UnitOfWork
from tests.digests.dataset import ONE_RESTRICTED, RESTRICTED_TRACES, chair, fill

OCTOBER = month(2026, 10)
SHARED = [Audience.CHAIRS_CHANNEL, Audience.COORDINATION]
# What the restricted case's State reply, referral and closure would add to a breakdown.
EVENT_TRACES = ("Allegation denied by the State", "Denial", "Referral to the ASG")
EVENT_TRACES += ("State reply received",)


@pytest.fixture
async def uow(engine, keyring):
    factory = session_factory(engine)

    def work() -> UnitOfWork:
        return UnitOfWork(factory, keyring)

    await fill(work, cases=ONE_RESTRICTED)
    return work


async def a_digest(uow, audience: Audience, actor=None) -> Digest:
    async with uow() as work:
        return await build_digest(work, DigestRequest(OCTOBER, audience, actor, 5))


def rendered(digest: Digest, audience: Audience, actor, charts: Path) -> str:
    """The digest as `reprisal-bot digest` writes it in each form, charts as files beside it."""
    note = audience_note(audience, digest.committee, actor)
    renderer = Renderer()
    forms = [
        render_digest(renderer, digest, audience_note=note, form=form, charts_dir=charts)
        for form in ("markdown", "html", "slack-json")
    ]
    alts = [f"{c.title}: {c.alt}" for c in render_charts(digest)]
    return "\n".join([*forms, *alts])


def assert_no_trace(text: str) -> None:
    """Nothing of the restricted case; the committees chart's text alternative names all ten
    committees, CMW with nothing."""
    text = text.replace("CMW 0 (0)", "")
    for trace in (*RESTRICTED_TRACES, *EVENT_TRACES, "URGENT", "rotating_light"):
        assert trace not in text, trace


@pytest.mark.parametrize("audience", SHARED)
async def test_one_restricted_case_is_only_a_total_on_shared_digests(
    uow, audience: Audience, tmp_path: Path
) -> None:
    digest = await a_digest(uow, audience)
    figures = digest.figures
    assert figures.new_cases == 3 and digest.trend.this_period == 3  # totals count it
    assert figures.urgent_cases == 0  # it is the only urgent case
    assert {c.label for c in digest.by_state} <= {"Viet Nam", "Egypt"}
    assert {c.key: c.count for c in digest.by_committee}["CMW"] == 0
    assert "deportation_order" not in {c.key for c in digest.by_act}
    assert {c.key for c in digest.actions_by_type} <= {"letter_to_state"}
    assert digest.outcomes == () and digest.closed == ()
    assert "RPR-2026-0003" not in repr(digest)  # not even in outline
    # Totals add up: every case is in the breakdowns or in the line of cases counted only.
    assert sum(c.count for c in digest.by_state) + figures.counted_only == figures.new_cases
    assert figures.persons_affected == sum(c.target_count or 0 for c in digest.new_cases)
    text = rendered(digest, audience, None, tmp_path)
    assert "CMW 0 (0)" in text  # the committees chart's text alternative names all ten
    assert_no_trace(text)
    if audience is Audience.COORDINATION:
        assert figures.counted_only == 1
        assert "Of the 3 new allegation(s), 1 is restricted and counted only here" in text
        assert digest.agenda is not None
        assert "RPR-2026-0003" not in repr(digest.agenda)


async def test_the_chairs_channel_breaks_down_only_public_cases(uow, tmp_path: Path) -> None:
    digest = await a_digest(uow, Audience.CHAIRS_CHANNEL)
    # The CAT case shared with CCPR is in outline there: it is listed, not broken down.
    assert [(c.reference, c.level) for c in digest.new_cases] == [
        ("RPR-2026-0002", "outline"),
        ("RPR-2026-0004", "facts"),
    ]
    assert [(c.label, c.count) for c in digest.by_state] == [("Egypt", 1)]
    assert digest.figures.counted_only == 2 and digest.figures.persons_affected == 2
    assert digest.actions_by_type == () and digest.actions_counted_only == 3
    text = rendered(digest, Audience.CHAIRS_CHANNEL, None, tmp_path)
    assert "2 are restricted or shared only between the committees concerned, and counted" in text


async def test_a_chair_breaks_down_their_own_restricted_case_in_their_own_section(
    uow, tmp_path: Path
) -> None:
    own = chair("CMW")
    digest = await a_digest(uow, Audience.CHAIR, own)
    section = digest.own_section
    assert section is not None and section.committee == "CMW"
    assert section.figures.new_cases == section.figures.urgent_cases == 1
    assert section.figures.persons_affected == 5
    assert [c.reference for c in section.new_cases] == ["RPR-2026-0003"]
    # The figures every committee's Chair shares count it in the total only.
    assert digest.figures.urgent_cases == 0 and digest.figures.counted_only == 2
    assert "Eritrea" not in {c.label for c in digest.by_state}
    assert {c.key: c.count for c in digest.by_committee}["CMW"] == 0
    # Another committee's Chair never sees it but in the total.
    other = chair("CAT")
    theirs = await a_digest(uow, Audience.CHAIR, other)
    assert theirs.figures.new_cases == 3 and theirs.figures.urgent_cases == 0
    assert "RPR-2026-0003" not in repr(theirs)
    assert_no_trace(rendered(theirs, Audience.CHAIR, other, tmp_path))


async def test_the_slack_parts_of_shared_digests_hold_no_trace(uow) -> None:
    for audience in SHARED:
        digest = await a_digest(uow, audience)
        note = audience_note(audience, None, None)
        parts = json.loads(render_digest(Renderer(), digest, audience_note=note, form="slack-json"))
        assert_no_trace(json.dumps(parts, ensure_ascii=False))
