"""`reprisal-bot demo-data` on SQLite and PostgreSQL: demo cases are sealed like real ones,
numbered like real ones, coherent with the vocabulary and the lifecycle, and reproducible."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.demo_data import DemoSummary, generate
from bot.services import Services, build_services
from bot.settings import load_settings
from commands import report
from commands import vocabulary as v
from commands.roles import RoleKind
from storage.crypto import KeyRing
from storage.engine import create_engine
from storage.models import CaseActionRow, CaseRow, TargetRow
from storage.records import CaseRecord
from storage.reference import CommitteeCode
from storage.schema import upgrade
from tests.conftest import EXAMPLE_DIRECTORY, FrozenClock

CASES = 200


@asynccontextmanager
async def services_on(url: str, keyring: KeyRing, clock: FrozenClock) -> AsyncIterator[Services]:
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()
    settings = load_settings(
        {"REPRISAL_BOT_DATABASE_URL": url, "REPRISAL_BOT_DIRECTORY": str(EXAMPLE_DIRECTORY)},
        env_file=None,
    )
    services = await build_services(settings, keyring, clock=clock)
    try:
        yield services
    finally:
        await services.close()


@pytest.fixture
async def services(database_url: str, keyring: KeyRing, clock: FrozenClock):
    async with services_on(database_url, keyring, clock) as built:
        yield built


async def demo(
    services: Services, cases: int = CASES, seed: int = 1, months: int = 36
) -> DemoSummary:
    return await generate(
        services, cases, seed=seed, months=months, progress=False, write=lambda _: None
    )


async def every_case(services: Services) -> list[CaseRecord]:
    async with services.uow() as uow:
        return sorted(await uow.cases.find(limit=10_000), key=lambda c: c.id)


async def test_every_demo_case_opens_with_its_own_key(services: Services) -> None:
    summary = await demo(services)
    async with services.sessions() as session:
        ids = list(await session.scalars(select(CaseRow.id).order_by(CaseRow.id)))
    async with services.uow() as uow:
        cases = [case for case_id in ids if (case := await uow.cases.get(case_id))]
        parts = [await uow.cases.unseal(case) for case in cases]
    assert summary.cases == len(cases) == CASES
    assert sum(len(p.target_names) + len(p.organisations) for p in parts) == summary.targets
    for case, opened in zip(cases, parts, strict=True):
        assert opened.summary.endswith("Fictional demo data.")
        named = (*opened.target_names, *opened.organisations)
        assert not named or opened.summary.startswith(named[0])
        assert ("other" in case.facts.acts) == (opened.acts_other is not None)
    assert any(p.target_names for p in parts)
    assert any(p.organisations for p in parts)


async def test_references_are_unique_and_real_reports_continue_after_them(
    services: Services, clock: FrozenClock
) -> None:
    await demo(services)
    references = [c.reference for c in await every_case(services)]
    assert len(set(references)) == CASES
    assert all(re.fullmatch(r"RPR-\d{4}-\d{4}", r) for r in references)
    this_year = [int(r[-4:]) for r in references if r.startswith(f"RPR-{clock.today().year}-")]
    assert sorted(this_year) == list(range(1, len(this_year) + 1))

    core, actor = services.core("console"), a_focal_point(services)
    saved = await report.submit(
        a_report(clock.today()), actor=actor, core=core, idempotency_key=None
    )
    assert saved.reference == f"RPR-{clock.today().year}-{len(this_year) + 1:04d}"

    await demo(services, 50, seed=2)  # more demo cases later: numbered after the real one
    after = [c.reference for c in await every_case(services)]
    assert len(set(after)) == CASES + 51
    newest = [int(r[-4:]) for r in after[CASES + 1 :] if r.startswith(f"RPR-{clock.today().year}")]
    assert newest and min(newest) == len(this_year) + 2


async def test_codes_stages_and_dates_follow_the_vocabulary_and_the_lifecycle(
    services: Services, clock: FrozenClock
) -> None:
    summary = await demo(services)
    cases = {c.id: c for c in await every_case(services)}
    today, due_days = clock.today(), services.directory.reply_due_days
    async with services.sessions() as session:
        rows = {r.id: r for r in await session.scalars(select(CaseRow))}
        actions = list(await session.scalars(select(CaseActionRow)))
    assert len(actions) == summary.actions
    assert sum(r.stage == "closed" for r in rows.values()) == summary.closed > 0
    assert sum(r.reply_due_on is not None for r in rows.values()) == summary.with_due_dates > 0
    codes = set(CommitteeCode)
    for case in cases.values():
        facts, row = case.facts, rows[case.id]
        assert set(facts.acts) <= set(v.ACTS) and 1 <= len(facts.acts) <= 3
        assert {facts.lead_committee, *facts.other_committees} <= codes
        assert facts.source in v.SOURCES and facts.cooperation in v.COOPERATION
        assert facts.timing in v.TIMING and facts.target_type in v.TARGET_TYPES
        assert 1 <= facts.target_count <= 5
        assert row.stage in v.STAGES
        assert row.created_at <= row.updated_at <= clock.now()
        assert facts.received_on <= today
        assert today - facts.received_on <= dt.timedelta(days=36 * 31)
        if facts.confidentiality == "shared":
            assert facts.consents.share_committees
        assert (row.stage == "closed") == (row.closed_on is not None) == (row.outcome is not None)
        assert row.outcome is None or row.outcome in v.OUTCOMES
        assert (row.stage == "awaiting_reply") == (row.reply_due_on is not None)
    stages = {r.stage for r in rows.values()}
    assert {"awaiting_reply", "reply_received", "closed"} <= stages
    dues = [r.reply_due_on for r in rows.values() if r.reply_due_on is not None]
    assert min(dues) < today < max(dues)  # some overdue, some still to come
    for action in actions:
        case, row = cases[action.case_id], rows[action.case_id]
        assert action.kind in v.ACTIONS
        assert case.facts.received_on < action.taken_on <= today
        assert row.created_at <= action.created_at <= clock.now()
        assert row.closed_on is None or action.taken_on <= row.closed_on
        assert set(action.committees) <= codes and case.facts.lead_committee in action.committees
        assert (action.due_on is not None) == (action.kind in v.ASKS_STATE)
        detail = action.detail
        if action.kind == "letter_to_state":
            assert detail["signed_by"] in v.SIGNED_BY
            assert action.due_on == action.taken_on + dt.timedelta(days=due_days)
        if action.kind == "state_reply":
            assert detail["substance"] in v.REPLY_SUBSTANCE
        if action.kind == "mission_meeting":
            assert detail["place"] in v.MEETING_PLACES


async def test_a_single_busy_month_has_nothing_dated_after_now(
    services: Services, clock: FrozenClock
) -> None:
    await demo(services, months=1)
    async with services.sessions() as session:
        cases = list(await session.scalars(select(CaseRow)))
        actions = list(await session.scalars(select(CaseActionRow)))
    assert any(a.taken_on == clock.today() for a in actions)
    assert all(a.created_at <= clock.now() for a in actions)
    assert all(c.created_at <= c.updated_at <= clock.now() for c in cases)
    assert {"received", "under_assessment"} & {c.stage for c in cases}


async def test_the_reporter_is_a_focal_point_or_alternate_of_the_lead_committee(
    services: Services,
) -> None:
    await demo(services)
    ids = services.roster.person_ids
    for case in await every_case(services):
        code = CommitteeCode(case.facts.lead_committee)
        holders = services.directory.holders(RoleKind.FOCAL_POINT, code)
        holders += services.directory.holders(RoleKind.ALTERNATE, code)
        assert case.reporter_id in {ids[p.key] for p in holders}


async def test_some_targets_are_named_again_in_other_cases_of_the_same_state(
    services: Services,
) -> None:
    await demo(services)
    async with services.sessions() as session:
        rows = await session.execute(
            select(TargetRow.name_index, TargetRow.case_id, CaseRow.state_party).join(
                CaseRow, CaseRow.id == TargetRow.case_id
            )
        )
        seen: dict[str, set[tuple[int, str]]] = defaultdict(set)
        for index, case_id, state in rows:
            seen[index].add((case_id, state))
    repeated = [found for found in seen.values() if len(found) > 1]
    assert repeated
    assert all(len({state for _, state in found}) == 1 for found in repeated)
    assert any(2 <= len(found) <= 3 for found in repeated)


async def test_the_same_seed_gives_the_same_facts(
    tmp_path: Path, keyring: KeyRing, clock: FrozenClock
) -> None:
    found = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        async with services_on(f"sqlite:///{tmp_path / name}.db", keyring, clock) as services:
            await demo(services, 120, seed=seed)
            cases = await every_case(services)
            async with services.uow() as uow:
                actions = [await uow.actions.for_case(c.id) for c in cases]
            found.append((cases, actions))
    assert found[0] == found[1]
    assert [c.facts for c in found[0][0]] != [c.facts for c in found[2][0]]


async def test_the_progress_bar_is_on_stderr_and_only_when_asked_for(
    services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    lines: list[str] = []
    summary = await generate(services, 30, progress=False, write=lines.append)
    assert capsys.readouterr().err == ""
    assert lines == [str(summary)] and lines[0].startswith("30 demo cases")

    await generate(services, 30, seed=2, write=lines.append)
    assert "30/30" in capsys.readouterr().err


def a_focal_point(services: Services):
    person = services.directory.holders(RoleKind.FOCAL_POINT, CommitteeCode.CAT)[0]
    return services.actor(person)


def a_report(today: dt.date) -> dict[str, str | list[str]]:
    return {
        "state_party": "Viet Nam",
        "lead_committee": "CAT",
        "received_on": today.isoformat(),
        "source": "email",
        "cooperation": "session_geneva",
        "timing": "after",
        "target_type": "defender",
        "target_count": "1",
        "acts": ["threats"],
        "summary": "A real report, after the demo ones.",
        "urgency": "normal",
        "confidentiality": "restricted",
    }
