"""People: the directory mirrored into storage, and Slack's deactivations, seen by every
instance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from storage.models import PersonRow, RoleRow
from storage.records import PersonRecord

# Instances started together mirror the same directory: on PostgreSQL they take turns.
SYNC_LOCK_KEY = 0x7265_7072_0001


class PeopleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def sync(self, people: Iterable[PersonRecord]) -> dict[str, int]:
        """Make the table match the directory: upsert by key, deactivate the absent. Key -> id.
        Safe to run from several instances at once; Slack deactivations are left as they are."""
        wanted = {person.key: person for person in people}
        if _dialect(self._session) == "postgresql":
            await self._session.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": SYNC_LOCK_KEY}
            )
        ids = await self._upsert(list(wanted.values()))
        await self._session.execute(
            update(PersonRow)
            .where(PersonRow.key.not_in(ids) if ids else PersonRow.id.is_not(None))
            .values(active=False)
            .execution_options(synchronize_session=False)
        )
        await self._set_roles({ids[key]: set(p.roles) for key, p in wanted.items()})
        rows = await self._session.execute(select(PersonRow.key, PersonRow.id))
        return {key: person_id for key, person_id in rows}

    async def _upsert(self, people: list[PersonRecord]) -> dict[str, int]:
        if not people:
            return {}
        statement = _insert(self._session)(PersonRow).values(
            [
                {"key": p.key, "name": p.name, "slack_user": p.slack_user, "email": p.email}
                | {"active": True}
                for p in people
            ]
        )
        statement = statement.on_conflict_do_update(
            index_elements=[PersonRow.key],
            set_={
                "name": statement.excluded.name,
                "slack_user": statement.excluded.slack_user,
                "email": statement.excluded.email,
                "active": True,
            },
        ).returning(PersonRow.key, PersonRow.id)
        rows = await self._session.execute(statement)
        return {key: person_id for key, person_id in rows}

    async def _set_roles(self, wanted: dict[int, set[tuple[str, str | None]]]) -> None:
        """Keep the rows of roles still held, drop the others (all of a leaver's, and any
        stored twice), add the new ones."""
        held = await self._session.execute(
            select(RoleRow.id, RoleRow.person_id, RoleRow.kind, RoleRow.committee_code)
        )
        stale: list[int] = []
        kept: set[tuple[int, str, str | None]] = set()
        for role_id, person_id, kind, committee in held:
            role = (person_id, kind, committee)
            if (kind, committee) in wanted.get(person_id, ()) and role not in kept:
                kept.add(role)
            else:
                stale.append(role_id)
        if stale:
            await self._session.execute(
                delete(RoleRow).where(RoleRow.id.in_(stale)),
                execution_options={"synchronize_session": False},
            )
        new = [
            {"person_id": person_id, "kind": kind, "committee_code": committee}
            for person_id, roles in wanted.items()
            for kind, committee in sorted(roles, key=str)
            if (person_id, kind, committee) not in kept
        ]
        if new:
            insert = _insert(self._session)
            await self._session.execute(insert(RoleRow).values(new).on_conflict_do_nothing())

    async def deactivate(self, slack_user: str, *, at: dt.datetime) -> bool:
        """Slack says this account is deactivated; False if that was known (or it is no one's)."""
        done = await self._session.execute(
            update(PersonRow)
            .where(PersonRow.slack_user == slack_user, PersonRow.slack_deactivated_at.is_(None))
            .values(slack_deactivated_at=at)
            .returning(PersonRow.id)
            .execution_options(synchronize_session=False)
        )
        return done.first() is not None

    async def reactivate(self, slack_user: str) -> bool:
        """Slack says this account is active again; False if it was not deactivated."""
        done = await self._session.execute(
            update(PersonRow)
            .where(PersonRow.slack_user == slack_user, PersonRow.slack_deactivated_at.is_not(None))
            .values(slack_deactivated_at=None)
            .returning(PersonRow.id)
            .execution_options(synchronize_session=False)
        )
        return done.first() is not None

    async def get(self, person_id: int) -> PersonRecord | None:
        """The person, if they are in the directory and not deactivated in Slack."""
        row = await self._session.get(PersonRow, person_id)
        return _person(row) if row is not None and _serving(row) else None

    async def every(self) -> list[PersonRecord]:
        """Everyone ever in the directory, including those who have left it."""
        return [_person(row) for row in await self._session.scalars(select(PersonRow))]

    async def active(self) -> list[PersonRecord]:
        """Everyone in the directory and not deactivated in Slack."""
        rows = await self._session.scalars(
            select(PersonRow).where(
                PersonRow.active.is_(True), PersonRow.slack_deactivated_at.is_(None)
            )
        )
        return [_person(row) for row in rows]


async def may_act(engine: AsyncEngine, person_id: int) -> bool:
    """Whether this person is in the directory and not deactivated in Slack, as stored now.
    Read outside any unit of work: it waits for no writer, even on SQLite."""
    async with engine.connect() as connection:
        reading = await connection.execution_options(isolation_level="AUTOCOMMIT")
        row = (
            await reading.execute(
                select(PersonRow.active, PersonRow.slack_deactivated_at).where(
                    PersonRow.id == person_id
                )
            )
        ).one_or_none()
    return row is not None and bool(row.active) and row.slack_deactivated_at is None


def _serving(row: PersonRow) -> bool:
    return row.active and row.slack_deactivated_at is None


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def _insert(session: AsyncSession) -> Callable[..., Any]:
    """The dialect's INSERT, which has ON CONFLICT."""
    return postgresql.insert if _dialect(session) == "postgresql" else sqlite.insert


def _person(row: PersonRow) -> PersonRecord:
    return PersonRecord(
        id=row.id,
        key=row.key,
        name=row.name,
        slack_user=row.slack_user,
        email=row.email,
        roles=tuple((r.kind, r.committee_code) for r in row.roles),
    )
