"""build_digest on the fixed data set, on SQLite and PostgreSQL: figures, events, dues, trend,
and each case at the level its audience may read."""

from __future__ import annotations

import dataclasses

import pytest

from digests.build import DigestRequest, build_digest
from digests.model import Audience, Digest
from digests.periods import month
from storage.engine import session_factory
from storage.uow import UnitOfWork
from tests.digests.dataset import chair, fill, secretariat

OCTOBER = month(2026, 10)


@pytest.fixture
def uow(engine, keyring):
    factory = session_factory(engine)
    return lambda: UnitOfWork(factory, keyring)


@pytest.fixture
async def filled(uow):
    ids = await fill(uow)
    return uow, ids


async def a_digest(uow, audience: Audience, actor=None, period=OCTOBER) -> Digest:
    async with uow() as work:
        return await build_digest(work, DigestRequest(period, audience, actor, 5))


def references(cases) -> list[str]:
    return [c.reference for c in cases]


async def test_totals_count_every_case_and_breakdowns_leave_restricted_ones_out(filled):
    uow, _ = filled
    digest = await a_digest(uow, Audience.COORDINATION)
    # 1 October, 15 October (restricted), 20 October, 31 October; not 30 Sept nor 1 Nov.
    assert digest.figures.new_cases == 4 and digest.trend.this_period == 4
    assert digest.figures.counted_only == 1  # the restricted CEDAW case, in the total alone
    assert digest.figures.persons_affected == 2 + 1 + 3
    assert digest.figures.states_concerned == 1
    assert digest.figures.urgent_cases == 1
    assert (digest.previous_figures.new_cases, digest.previous_figures.counted_only) == (2, 1)
    by_committee = {c.key: (c.count, c.previous) for c in digest.by_committee}
    assert by_committee["CAT"] == (1, 1) and by_committee["CCPR"] == (2, 0)
    assert by_committee["CEDAW"] == (0, 0) and by_committee["CRC"] == (1, 0)
    assert [(c.label, c.count) for c in digest.by_state] == [("Viet Nam", 3)]
    assert "harassment" not in {c.key for c in digest.by_act}


async def test_the_chairs_channel_describes_no_restricted_case_and_shared_ones_in_outline(filled):
    uow, _ = filled
    digest = await a_digest(uow, Audience.CHAIRS_CHANNEL)
    levels = {c.reference: (c.level, c.state_party) for c in digest.new_cases}
    assert levels == {
        "RPR-2026-0003": ("outline", None),
        "RPR-2026-0005": ("outline", None),
        "RPR-2026-0006": ("facts", "Viet Nam"),  # public: consent to publish
    }
    assert digest.undescribed == 1  # the restricted CEDAW case: counted, not described
    assert "RPR-2026-0004" not in str(digest)


async def test_a_chair_gets_their_committee_first_and_only_what_chairs_may_see(filled):
    uow, _ = filled
    digest = await a_digest(uow, Audience.CHAIR, chair("CAT"))
    section = digest.own_section
    assert section is not None and section.committee == "CAT"
    assert references(section.new_cases) == ["RPR-2026-0003"]
    assert [a.kind for a in section.actions] == ["letter_to_state", "asg_referral"]
    assert references(section.overdue) == ["RPR-2026-0001"]
    # The CCPR-led restricted case that concerns CAT is never described to CAT's Chair.
    assert "RPR-2026-0002" not in str(digest)
    assert references(digest.new_cases) == ["RPR-2026-0003", "RPR-2026-0006"]


async def test_what_happened_lists_actions_replies_referrals_and_closures(filled):
    uow, _ = filled
    digest = await a_digest(uow, Audience.PREVIEW, secretariat())
    counts = {c.key: c.count for c in digest.actions_by_type}
    # The State's reply on the restricted case is listed, but counted by type nowhere.
    assert counts == {"letter_to_state": 1, "asg_referral": 1, "note": 1}
    assert digest.actions_counted_only == 1
    assert [(r.case.reference, r.substance) for r in digest.replies_received] == [
        ("RPR-2026-0002", "Denial")
    ]
    assert references(r.case for r in digest.referrals) == ["RPR-2026-0003"]
    assert [(c.reference, c.outcome) for c in digest.closed] == [
        ("RPR-2026-0002", "Allegation denied by the State")
    ]
    assert digest.outcomes == () and digest.closed_counted_only == 1


async def test_what_is_due_at_the_end_of_the_month(filled):
    uow, _ = filled
    digest = await a_digest(uow, Audience.PREVIEW, secretariat())
    assert references(digest.overdue) == ["RPR-2026-0001"]  # due 12 October, no reply
    assert references(digest.due_next_month) == ["RPR-2026-0003"]  # due 20 November
    assert references(digest.joint) == ["RPR-2026-0003"]  # CAT with CCPR, and the ASG


async def test_the_trend_counts_the_month_the_year_and_the_reporting_year(filled):
    uow, _ = filled
    digest = await a_digest(uow, Audience.CHAIRS_CHANNEL)
    trend = digest.trend
    assert (trend.this_period, trend.previous_period) == (4, 2)
    assert trend.year_to_date.label == "2026-01-01..2026-10-31"
    assert trend.reporting_year.label == "2026-05-01..2026-10-31"
    assert trend.year_to_date_count == trend.reporting_year_count == 6
    assert trend.twelve_months[0].key == "2025-11"
    assert [m.count for m in trend.twelve_months][-2:] == [2, 4]


async def test_the_agenda_finds_patterns_without_naming_anyone(filled):
    uow, _ = filled
    digest = await a_digest(uow, Audience.COORDINATION)
    agenda = digest.agenda
    assert agenda is not None
    kinds = {(p.kind, p.state_party, p.committees, p.references) for p in agenda.patterns}
    assert ("state_committees", "Viet Nam", ("CAT", "CCPR", "CRC"), ()) in kinds
    # "Amina Diallo" and "AMINA  diallo" are one person, found by the keyed index alone.
    assert (
        "same_target",
        "Viet Nam",
        ("CAT", "CCPR"),
        ("RPR-2026-0003", "RPR-2026-0005"),
    ) in kinds
    assert "Amina" not in str(digest)
    waiting = {c.reference: c.level for c in agenda.awaiting_decision}
    assert waiting == {"RPR-2026-0005": "facts", "RPR-2026-0006": "facts"}  # and assessed
    # The restricted CEDAW case awaits a decision too: counted, not even in outline.
    assert agenda.undescribed == 1 and agenda.awaiting_total == 3
    assert "RPR-2026-0004" not in repr(digest)


async def test_a_month_with_nothing_new_says_so(filled):
    uow, _ = filled
    digest = await a_digest(uow, Audience.CHAIRS_CHANNEL, period=month(2026, 6))
    assert digest.quiet and digest.figures.new_cases == 0


async def test_no_digest_carries_a_name_or_a_summary(filled):
    uow, _ = filled
    for audience, actor in [
        (Audience.CHAIR, chair("CAT")),
        (Audience.CHAIRS_CHANNEL, None),
        (Audience.COORDINATION, None),
        (Audience.PREVIEW, secretariat()),
    ]:
        digest = await a_digest(uow, audience, actor)
        text = repr(dataclasses.asdict(digest))
        for secret in ("Amina", "Kofi", "Rosa Secret", "Confidential summary", "private note"):
            assert secret not in text, (audience, secret)
