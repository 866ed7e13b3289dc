"""The case repository: cases, their sealed parts and references. It never commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.crypto import CaseCipher, KeyRing, new_data_key
from storage.errors import AlreadyRecorded
from storage.models import (
    CaseActionRow,
    CaseActRow,
    CaseCommitteeRow,
    CaseKeyRow,
    CaseMessageRow,
    CaseRow,
    ReferenceCounterRow,
    TargetRow,
)
from storage.name_index import NameIndex
from storage.records import (
    CaseRecord,
    Consents,
    NewCase,
    SealedParts,
)


class CaseRepository:
    """Cases, with their identifying fields sealed by the case's own data key."""

    def __init__(self, session: AsyncSession, keyring: KeyRing) -> None:
        self._session = session
        self._keyring = keyring

    async def next_reference(self, year: int) -> str:
        """RPR-<year>-<4 digits>, from a per-year counter locked by the transaction."""
        insert = postgresql.insert if _dialect(self._session) == "postgresql" else sqlite.insert
        await self._session.execute(
            insert(ReferenceCounterRow).values(year=year, last=0).on_conflict_do_nothing()
        )
        number = await self._session.scalar(
            update(ReferenceCounterRow)
            .where(ReferenceCounterRow.year == year)
            .values(last=ReferenceCounterRow.last + 1)
            .returning(ReferenceCounterRow.last)
        )
        return f"RPR-{year}-{number:04d}"

    async def add(
        self,
        new: NewCase,
        *,
        reference: str,
        reporter_id: int,
        reporter_name: str,
        idempotency_key: str | None,
        now: dt.datetime,
    ) -> CaseRecord:
        """Store a new case; AlreadyRecorded if its idempotency key was (the caller rolls back)."""
        row = CaseRow(
            reference=reference,
            idempotency_key=idempotency_key,
            reporter_id=reporter_id,
            created_at=now,
            updated_at=now,
            stage="received",
            **_columns(new),
        )
        self._session.add(row)
        try:
            await self._session.flush()
        except IntegrityError as conflict:
            if idempotency_key and "idempotency_key" in str(conflict.orig):
                raise AlreadyRecorded(idempotency_key) from None
            raise
        self._session.add_all(
            CaseCommitteeRow(case_id=row.id, committee_code=c) for c in new.other_committees
        )
        self._session.add_all(CaseActRow(case_id=row.id, act=a) for a in new.acts)
        self._seal(row, new, await NameIndex.load(self._session, self._keyring))
        await self._session.flush()
        return CaseRecord(
            id=row.id,
            reference=reference,
            reporter_id=reporter_id,
            reporter_name=reporter_name,
            stage=row.stage,
            created_at=now,
            updated_at=now,
            facts=new,
        )

    def _seal(self, row: CaseRow, new: NewCase, index: NameIndex) -> None:
        """Give the case its data key, and seal its identifying fields with it."""
        data_key = new_data_key()
        master_key_id, wrapped = self._keyring.wrap(data_key, f"case/{row.id}")
        cipher = CaseCipher(row.id, data_key)
        row.summary_sealed = cipher.seal("summary", new.summary)
        row.acts_other_sealed = cipher.seal("acts_other", new.acts_other or "")
        self._session.add(CaseKeyRow(case_id=row.id, master_key_id=master_key_id, wrapped=wrapped))
        self._session.add_all(
            TargetRow(
                case_id=row.id,
                kind=kind,
                name_sealed=cipher.seal(f"target/{kind}", name),
                name_index=index.of(name),
            )
            for kind, names in (("person", new.target_names), ("organisation", new.organisations))
            for name in names
        )

    async def erase(self, case_id: int, *, now: dt.datetime) -> bool:
        """Destroy the case's data key and sealed fields; the anonymous facts stay. False if
        there was nothing left to erase."""
        row = await self._session.get(CaseRow, case_id)
        if row is None or row.erased_at is not None:
            return False
        row.key = None
        row.targets = []
        row.summary_sealed = None
        row.acts_other_sealed = None
        await self._session.execute(
            update(CaseActionRow).where(CaseActionRow.case_id == case_id).values(note_sealed=None)
        )
        await self._session.execute(
            update(CaseMessageRow).where(CaseMessageRow.case_id == case_id).values(text_sealed=None)
        )
        row.erased_at = now
        row.updated_at = now
        await self._session.flush()
        return True

    async def rewrap_keys(self, *, batch: int = 200) -> int:
        """Re-seal every data key not yet under the primary master key; how many were."""
        primary = self._keyring.primary.key_id
        rows = await self._session.scalars(
            select(CaseKeyRow).where(CaseKeyRow.master_key_id != primary).limit(batch)
        )
        count = 0
        for key in rows:
            label = f"case/{key.case_id}"
            data_key = self._keyring.unwrap(key.master_key_id, key.wrapped, label)
            key.master_key_id, key.wrapped = self._keyring.wrap(data_key, label)
            count += 1
        await self._session.flush()
        return count

    async def index_missing_names(self, *, batch: int = 500) -> int:
        """Give targets stored before the name index (schema 0001) their index; how many."""
        targets = list(
            await self._session.scalars(
                select(TargetRow).where(TargetRow.name_index.is_(None)).limit(batch)
            )
        )
        if not targets:
            return 0
        index = await NameIndex.load(self._session, self._keyring)
        keys = {
            k.case_id: k
            for k in await self._session.scalars(
                select(CaseKeyRow).where(CaseKeyRow.case_id.in_({t.case_id for t in targets}))
            )
        }
        for target in targets:
            key = keys.get(target.case_id)
            if key is None:  # its case's key is gone: nothing to index, and nothing to match
                target.name_index = ""
                continue
            label = f"case/{target.case_id}"
            cipher = CaseCipher(
                target.case_id, self._keyring.unwrap(key.master_key_id, key.wrapped, label)
            )
            name = cipher.open(f"target/{target.kind}", target.name_sealed)
            target.name_index = index.of(name) or ""
        await self._session.flush()
        return len(targets)

    async def share_with(self, case_id: int, committee: str, *, now: dt.datetime) -> bool:
        """Share the case with a committee (concerned from now on, if it was not); False if it
        was shared with it already, or leads it."""
        row = await self._session.get(CaseRow, case_id)
        if row is None or row.lead_committee == committee:
            return False
        concerned = next((c for c in row.committees if c.committee_code == committee), None)
        if concerned is not None and concerned.shared_at is not None:
            return False
        if concerned is None:
            concerned = CaseCommitteeRow(case_id=case_id, committee_code=committee)
            row.committees.append(concerned)
        concerned.shared_at = now
        row.updated_at = now
        await self._session.flush()
        return True

    async def by_idempotency_key(self, key: str) -> CaseRecord | None:
        return await self._one(select(CaseRow).where(CaseRow.idempotency_key == key))

    async def by_reference(self, reference: str) -> CaseRecord | None:
        return await self._one(select(CaseRow).where(CaseRow.reference == reference.upper()))

    async def get(self, case_id: int) -> CaseRecord | None:
        return await self._one(select(CaseRow).where(CaseRow.id == case_id))

    async def find(
        self,
        *,
        state_party: str | None = None,
        committee: str | None = None,
        open_only: bool = False,
        reporter_id: int | None = None,
        lead_committees: Sequence[str] = (),
        reply_due_before: dt.date | None = None,
        limit: int = 500,
    ) -> list[CaseRecord]:
        """Cases matching every filter given, newest first (policy is applied by the caller)."""
        query = select(CaseRow)
        if state_party is not None:
            query = query.where(CaseRow.state_party == state_party)
        if committee is not None:
            concerned = select(CaseCommitteeRow.case_id).where(
                CaseCommitteeRow.committee_code == committee
            )
            query = query.where(or_(CaseRow.lead_committee == committee, CaseRow.id.in_(concerned)))
        if open_only:
            query = query.where(CaseRow.stage != "closed")
        if reply_due_before is not None:
            query = query.where(CaseRow.reply_due_on < reply_due_before)
        if reporter_id is not None or lead_committees:
            query = query.where(
                or_(CaseRow.reporter_id == reporter_id, CaseRow.lead_committee.in_(lead_committees))
            )
        rows = await self._session.scalars(query.order_by(CaseRow.id.desc()).limit(limit))
        return [_case(row) for row in rows]

    async def count(self) -> int:
        return await self._session.scalar(select(func.count()).select_from(CaseRow)) or 0

    async def _one(self, query: Select[Any]) -> CaseRecord | None:
        row = await self._session.scalar(query)
        return _case(row) if row is not None else None

    async def unseal(self, case: CaseRecord) -> SealedParts:
        """The case's sealed parts, opened (blank once erased): only for a reader the policy
        gives the case in full. KeyProblem or CiphertextMismatch if they are damaged."""
        row = await self._session.get(CaseRow, case.id)
        if row is None or row.key is None:
            return SealedParts()
        return self._open(row)

    async def open_every(self, *, batch: int = 500) -> int:
        """Open every case's sealed parts, a batch at a time (a restore's proof that the keys
        fit); how many cases there are. Raises at the first that will not open."""
        count, last = 0, 0
        while rows := list(
            await self._session.scalars(
                select(CaseRow).where(CaseRow.id > last).order_by(CaseRow.id).limit(batch)
            )
        ):
            for row in rows:
                if row.key is not None:
                    self._open(row)
                self._session.expunge(row)
            count, last = count + len(rows), rows[-1].id
        return count

    def _open(self, row: CaseRow) -> SealedParts:
        assert row.key is not None
        data_key = self._keyring.unwrap(row.key.master_key_id, row.key.wrapped, f"case/{row.id}")
        cipher = CaseCipher(row.id, data_key)
        names: dict[str, list[str]] = {"person": [], "organisation": []}
        for target in row.targets:
            names[target.kind].append(cipher.open(f"target/{target.kind}", target.name_sealed))
        summary = cipher.open("summary", row.summary_sealed) if row.summary_sealed else ""
        other = cipher.open("acts_other", row.acts_other_sealed) if row.acts_other_sealed else ""
        return SealedParts(
            target_names=tuple(names["person"]),
            organisations=tuple(names["organisation"]),
            summary=summary,
            acts_other=other or None,
        )


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def _columns(new: NewCase) -> dict[str, object]:
    return {
        "state_party": new.state_party,
        "lead_committee": new.lead_committee,
        "received_on": new.received_on,
        "source": new.source,
        "cooperation": new.cooperation,
        "timing": new.timing,
        "target_type": new.target_type,
        "target_count": new.target_count,
        "urgent": new.urgent,
        "confidentiality": new.confidentiality,
        "consent_share_committees": new.consents.share_committees,
        "consent_share_asg": new.consents.share_asg,
        "consent_name_to_state": new.consents.name_to_state,
        "consent_publish": new.consents.publish,
    }


def _case(row: CaseRow) -> CaseRecord:
    """The record of the case's facts; its sealed parts stay sealed (blank here)."""
    facts = NewCase(
        state_party=row.state_party,
        lead_committee=row.lead_committee,
        other_committees=tuple(sorted(c.committee_code for c in row.committees)),
        received_on=row.received_on,
        source=row.source,
        cooperation=row.cooperation,
        timing=row.timing,
        target_type=row.target_type,
        target_count=row.target_count,
        target_names=(),
        organisations=(),
        acts=tuple(sorted(a.act for a in row.acts)),
        acts_other=None,
        summary="",
        urgent=row.urgent,
        confidentiality=row.confidentiality,
        consents=Consents(
            share_committees=row.consent_share_committees,
            share_asg=row.consent_share_asg,
            name_to_state=row.consent_name_to_state,
            publish=row.consent_publish,
        ),
    )
    return CaseRecord(
        id=row.id,
        reference=row.reference,
        reporter_id=row.reporter_id,
        reporter_name=row.reporter.name,
        stage=row.stage,
        created_at=row.created_at,
        updated_at=row.updated_at,
        facts=facts,
        erased=row.erased_at is not None,
        reply_due_on=row.reply_due_on,
        closed_on=row.closed_on,
        outcome=row.outcome,
        shared_with=tuple(sorted(c.committee_code for c in row.committees if c.shared_at)),
    )
