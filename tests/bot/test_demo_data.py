"""`reprisal-bot demo-data` on SQLite and PostgreSQL: demo cases are sealed like real ones,
numbered like real ones, coherent with the vocabulary and the lifecycle, and reproducible."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import signal
import sys
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select

from bot.cli.demo_data import DemoSummary, generate
from bot.services import Services, build_services
from bot.settings import load_settings
from commands import report
from commands import vocabulary as v
from commands.roles import RoleKind
from storage.crypto import KeyRing
from storage.engine import create_engine, session_factory
from storage.models import CaseActionRow, CaseRow, TargetRow
from storage.records import CaseRecord
from storage.reference import CommitteeCode
from storage.schema import upgrade
from storage.uow import UnitOfWork
from tests.bot.processes import free_port, prepared, wait_healthy
from tests.bot.test_cli import run_cli
from tests.conftest import EXAMPLE_DIRECTORY, MASTER_KEY, ROOT, FrozenClock
from tests.fakes.slack_standin import SlackStandIn

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


async def notices_of(database_url: str, kind: str) -> int:
    engine = create_engine(database_url)
    try:
        async with UnitOfWork(session_factory(engine), KeyRing.parse(MASTER_KEY)) as uow:
            return len(await uow.outbox.of_kind(kind))
    finally:
        await engine.dispose()


async def serve(env: dict[str, str], log: Path) -> tuple[asyncio.subprocess.Process, str]:
    """`reprisal-bot serve` with its log in `log`; the process and its URL once healthy."""
    port = free_port()
    with log.open("ab") as stderr:
        server = await asyncio.create_subprocess_exec(
            sys.executable,
            *("-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(port)),
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        return server, await wait_healthy(port)
    except AssertionError:
        server.kill()
        raise


async def role_once_decided(url: str) -> str:
    """The scheduler's role in /healthz once it is more than `standby` (or after 20 s)."""
    async with aiohttp.ClientSession() as http:
        for _ in range(100):
            async with http.get(f"{url}/healthz") as answer:
                role = str((await answer.json())["scheduler"])
            if role != "standby":
                return role
            await asyncio.sleep(0.2)
    return role


async def stopped(server: asyncio.subprocess.Process) -> None:
    server.send_signal(signal.SIGTERM)
    await asyncio.wait_for(server.wait(), 20)


def digests_posted(slack: SlackStandIn) -> list[str]:
    """The conversations that received a digest's first message."""
    return [
        call.params["channel"]
        for call in slack.calls_to("chat.postMessage")
        if ((call.params.get("metadata") or {}).get("event_payload") or {}).get("part") == 0
    ]


async def test_serve_runs_no_schedules_on_a_demo_database_unless_told_to(
    database_url: str, tmp_path: Path
) -> None:
    async with SlackStandIn() as slack:
        env = await prepared(
            database_url, slack, REPRISAL_BOT_SCHEDULER="on", REPRISAL_BOT_LEADER_POLL_SECONDS="1"
        )
        filled = await asyncio.to_thread(
            run_cli, "demo-data", "--cases", "60", "--months", "3", database_url=database_url
        )
        assert filled.returncode == 0, filled.stderr
        log = tmp_path / "serve.log"
        server, url = await serve(env, log)
        try:
            assert await role_once_decided(url) == "off-demo"
            await asyncio.sleep(2)  # a few leadership checks later: still nothing
        finally:
            await stopped(server)
        assert await notices_of(database_url, "digest") == 0
        assert await notices_of(database_url, "reminder") == 0
        assert digests_posted(slack) == []
        lines = log.read_text().splitlines()
        warnings = [line for line in lines if "WARNING bot.schedules.scheduler" in line]
        assert len(warnings) == 1 and "REPRISAL_BOT_SCHEDULER=demo" in warnings[0], warnings

        server, url = await serve(env | {"REPRISAL_BOT_SCHEDULER": "demo"}, log)
        try:
            assert await role_once_decided(url) == "leader"
            for _ in range(100):
                if "C0CHAIRS1" in digests_posted(slack):
                    break
                await asyncio.sleep(0.2)
        finally:
            await stopped(server)
        assert "C0CHAIRS1" in digests_posted(slack) and "C0COORD01" in digests_posted(slack)
        assert await notices_of(database_url, "reminder") > 0


async def test_digest_send_refuses_a_demo_database_without_demo(database_url: str) -> None:
    done = await asyncio.to_thread(run_cli, "db", "upgrade", database_url=database_url)
    assert done.returncode == 0, done.stderr
    done = await asyncio.to_thread(run_cli, "demo-data", "--cases", "20", database_url=database_url)
    assert done.returncode == 0, done.stderr
    refused = await asyncio.to_thread(run_cli, "digest", "--send", database_url=database_url)
    assert refused.returncode == 2 and "demo data" in refused.stderr and "--demo" in refused.stderr
    assert await notices_of(database_url, "digest") == 0
    sent = await asyncio.to_thread(run_cli, "digest", "--send", "--demo", database_url=database_url)
    assert sent.returncode == 0 and "Queued the" in sent.stdout, sent.stderr
    assert await notices_of(database_url, "digest") > 0
