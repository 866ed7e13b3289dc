"""`reprisal-bot demo-data`: realistic, fictional cases and actions across the ten committees,
sealed like real reports and written in bulk, to demo the monthly digest and to benchmark it."""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from tqdm import tqdm

from bot.cli.demo_plan import Draft, Names, Odds, Planner
from bot.services import Services
from commands.roles import RoleKind
from storage.crypto import CaseCipher, KeyRing, new_data_key
from storage.engine import writer_lock
from storage.models import (
    Base,
    CaseActionRow,
    CaseActRow,
    CaseCommitteeRow,
    CaseKeyRow,
    CaseRow,
    ReferenceCounterRow,
    TargetRow,
    TimelineRow,
)
from storage.name_index import NameIndex
from storage.records import NewCase
from storage.reference import CommitteeCode, states

BATCH = 1000  # cases per transaction


@dataclass(frozen=True, slots=True)
class DemoSummary:
    cases: int
    actions: int
    targets: int
    closed: int
    with_due_dates: int
    seconds: float

    def __str__(self) -> str:
        return (
            f"{self.cases:,} demo cases, {self.actions:,} actions and {self.targets:,} targets "
            f"({self.closed:,} closed, {self.with_due_dates:,} awaiting a reply with a due date) "
            f"in {self.seconds:.1f} s"
        )


async def generate(
    services: Services,
    cases: int,
    *,
    seed: int = 1,
    months: int = 36,
    progress: bool = True,
    write: Callable[[str], None] = print,
) -> DemoSummary:
    """Add `cases` fictional cases received over the last `months` months, with their actions;
    the same seed, clock and directory give the same facts."""
    if cases < 0 or months < 1:
        raise ValueError("the number of cases cannot be negative, nor of months less than one")
    started = time.perf_counter()
    planner = _planner(services, seed)
    dates = planner.received_dates(cases, months)
    totals = [0, 0, 0, 0]  # actions, targets, closed, with due dates
    bar = tqdm(total=cases, unit="case", desc="demo data", file=sys.stderr, disable=not progress)
    with bar:
        for at in range(0, cases, BATCH):
            drafts = [planner.draft(day) for day in dates[at : at + BATCH]]
            async with _writing(services) as session:
                index = await NameIndex.load(session, services.keyring)
                await _store(await session.connection(), drafts, services.keyring, index)
            totals[0] += sum(len(d.actions) for d in drafts)
            totals[1] += sum(len(d.facts.target_names) + len(d.facts.organisations) for d in drafts)
            totals[2] += sum(d.stage == "closed" for d in drafts)
            totals[3] += sum(d.reply_due_on is not None for d in drafts)
            bar.update(len(drafts))
    actions, targets, closed, due = totals
    summary = DemoSummary(cases, actions, targets, closed, due, time.perf_counter() - started)
    write(str(summary))
    return summary


def _planner(services: Services, seed: int) -> Planner:
    """Reporters per lead committee: its focal points and alternates, or else anyone."""
    rng = random.Random(seed)
    ids = services.roster.person_ids
    anyone = sorted(ids.values())
    if not anyone:
        raise ValueError("the directory has nobody to report the demo cases")
    directory, reporters = services.directory, {}
    for code in CommitteeCode:
        holders = directory.holders(RoleKind.FOCAL_POINT, code)
        holders += directory.holders(RoleKind.ALTERNATE, code)
        reporters[str(code)] = [ids[p.key] for p in holders if p.key in ids] or anyone
    asg = [ids[p.key] for p in directory.holders(RoleKind.ASG_OFFICE) if p.key in ids]
    order = list(states())
    rng.shuffle(order)  # a long tail: a few States have most of the cases
    skew = Odds({state: 1 / (rank + 1) ** 0.8 for rank, state in enumerate(order)})
    today = services.clock.today()
    names = Names(random.Random(rng.random()))
    due_days = services.directory.reply_due_days
    asg_id = asg[0] if asg else None
    return Planner(rng, today, services.clock.now(), due_days, reporters, asg_id, names, skew)


@asynccontextmanager
async def _writing(services: Services) -> AsyncIterator[AsyncSession]:
    """One transaction, taking turns with the bot's other writers on SQLite."""
    async with AsyncExitStack() as stack:
        lock = writer_lock(services.engine)
        if lock is not None:
            await stack.enter_async_context(lock)
        session = await stack.enter_async_context(services.sessions())
        await stack.enter_async_context(session.begin())
        yield session


async def _store(
    connection: AsyncConnection, drafts: Sequence[Draft], keyring: KeyRing, index: NameIndex
) -> None:
    """Insert the drafts, sealed with a data key each, in one executemany per table."""
    ids = await _reserve_ids(connection, len(drafts))
    references = await _reserve_references(connection, [d.facts.received_on.year for d in drafts])
    rows: dict[Any, list[dict[str, Any]]] = {table: [] for table in _TABLES}
    for case_id, reference, draft in zip(ids, references, drafts, strict=True):
        _rows(rows, case_id, reference, draft, keyring, index)
    for table in _TABLES:
        if rows[table]:
            await connection.execute(insert(table), rows[table])


_ROWS = (CaseRow, CaseKeyRow, CaseCommitteeRow, CaseActRow, TargetRow, CaseActionRow, TimelineRow)
_TABLES = tuple(Base.metadata.tables[row.__tablename__] for row in _ROWS)  # foreign keys' order


_NEXT_IDS = text(
    "SELECT nextval(pg_get_serial_sequence('cases', 'id')) FROM generate_series(1, :n)"
)


async def _reserve_ids(connection: AsyncConnection, count: int) -> list[int]:
    """Case ids, known before inserting because each one is bound into its ciphertexts."""
    if connection.dialect.name == "postgresql":
        drawn = await connection.scalars(_NEXT_IDS, {"n": count})
        return sorted(drawn)
    # SQLite: the transaction holds the write lock (BEGIN IMMEDIATE), so max + 1 is ours.
    first = (await connection.scalar(select(func.max(CaseRow.id))) or 0) + 1
    return list(range(first, first + count))


async def _reserve_references(connection: AsyncConnection, years: Sequence[int]) -> list[str]:
    """RPR-<year>-<n> from the per-year counters, which move on so later reports follow."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    counter = Base.metadata.tables[ReferenceCounterRow.__tablename__]
    first: dict[int, int] = {}
    for year in sorted(set(years)):
        wanted = years.count(year)
        await connection.execute(
            dialect.insert(counter).values(year=year, last=0).on_conflict_do_nothing()
        )
        last = await connection.scalar(
            update(counter)
            .where(counter.c.year == year)
            .values(last=counter.c.last + wanted)
            .returning(counter.c.last)
        )
        first[year] = int(last or 0) - wanted + 1
    references = []
    for year in years:
        references.append(f"RPR-{year}-{first[year]:04d}")
        first[year] += 1
    return references


def _rows(
    rows: dict[Any, list[dict[str, Any]]],
    case_id: int,
    reference: str,
    draft: Draft,
    keyring: KeyRing,
    index: NameIndex,
) -> None:
    """Append the case's rows to `rows`, its identifying fields sealed as CaseRepository does."""
    new, data_key = draft.facts, new_data_key()
    master_key_id, wrapped = keyring.wrap(data_key, f"case/{case_id}")
    cipher = CaseCipher(case_id, data_key)
    rows[CaseRow.__table__].append(
        _case_columns(new)
        | dict(id=case_id, reference=reference, idempotency_key=None, reporter_id=draft.reporter_id)
        | dict(stage=draft.stage, reply_due_on=draft.reply_due_on, closed_on=draft.closed_on)
        | dict(outcome=draft.outcome, created_at=draft.created_at, updated_at=draft.updated_at)
        | dict(erased_at=None, summary_sealed=cipher.seal("summary", new.summary))
        | dict(acts_other_sealed=cipher.seal("acts_other", new.acts_other or ""))
    )
    rows[CaseKeyRow.__table__].append(
        dict(case_id=case_id, master_key_id=master_key_id, wrapped=wrapped)
    )
    rows[CaseCommitteeRow.__table__] += [
        dict(case_id=case_id, committee_code=code) for code in new.other_committees
    ]
    rows[CaseActRow.__table__] += [dict(case_id=case_id, act=act) for act in new.acts]
    rows[TargetRow.__table__] += [
        dict(
            case_id=case_id,
            kind=kind,
            name_sealed=cipher.seal(f"target/{kind}", name),
            name_index=index.of(name),
        )
        for kind, names in (("person", new.target_names), ("organisation", new.organisations))
        for name in names
    ]
    rows[CaseActionRow.__table__] += [
        dict(case_id=case_id, kind=a.kind, taken_on=a.taken_on, actor_id=a.actor_id)
        | dict(committees=list(a.committees), detail=dict(a.detail or {}), due_on=a.due_on)
        | dict(note_sealed=None, created_at=_logged(a.taken_on, draft))
        for a in draft.actions
    ]
    rows[TimelineRow.__table__].append(
        dict(case_id=case_id, at=draft.created_at, actor_id=draft.reporter_id)
        | dict(kind="reported", detail={})
    )


def _case_columns(new: NewCase) -> dict[str, Any]:
    return dict(
        state_party=new.state_party,
        lead_committee=new.lead_committee,
        received_on=new.received_on,
        source=new.source,
        cooperation=new.cooperation,
        timing=new.timing,
        target_type=new.target_type,
        target_count=new.target_count,
        urgent=new.urgent,
        confidentiality=new.confidentiality,
        consent_share_committees=new.consents.share_committees,
        consent_share_asg=new.consents.share_asg,
        consent_name_to_state=new.consents.name_to_state,
        consent_publish=new.consents.publish,
    )


def _logged(day: dt.date, draft: Draft) -> dt.datetime:
    """When an action was logged: noon of its day, after the case was and not after its last
    change (which is never after now)."""
    noon = dt.datetime.combine(day, dt.time(12), dt.UTC)
    return min(max(draft.created_at, noon), draft.updated_at)
