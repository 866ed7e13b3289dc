"""Messages posted in case threads, kept with the case and sealed with its key."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.crypto import CaseCipher, KeyRing
from storage.models import CaseMessageRow
from storage.sealed_keys import case_cipher


@dataclass(frozen=True, slots=True)
class ThreadMessage:
    case_id: int
    platform: str
    ref: str
    author_id: int | None
    at: dt.datetime
    text: str  # empty once the case is erased


class MessageRepository:
    def __init__(self, session: AsyncSession, keyring: KeyRing) -> None:
        self._session = session
        self._keyring = keyring

    async def keep(
        self,
        case_id: int,
        *,
        platform: str,
        ref: str,
        author_id: int | None,
        at: dt.datetime,
        text: str,
    ) -> bool:
        """Keep a thread message once (by platform and ref); False if kept before, or if the
        case is erased (nothing of it is kept any more)."""
        cipher = await self._cipher(case_id)
        if cipher is None:
            return False
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        result = await self._session.execute(
            insert(CaseMessageRow)
            .values(
                case_id=case_id,
                platform=platform,
                ref=ref,
                author_id=author_id,
                at=at,
                text_sealed=cipher.seal(f"message/{platform}/{ref}", text),
            )
            .on_conflict_do_nothing()
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def for_case(self, case_id: int) -> list[ThreadMessage]:
        cipher = await self._cipher(case_id)
        rows = await self._session.scalars(
            select(CaseMessageRow)
            .where(CaseMessageRow.case_id == case_id)
            .order_by(CaseMessageRow.at, CaseMessageRow.id)
        )
        return [
            ThreadMessage(
                r.case_id,
                r.platform,
                r.ref,
                r.author_id,
                r.at,
                cipher.open(f"message/{r.platform}/{r.ref}", r.text_sealed)
                if cipher and r.text_sealed
                else "",
            )
            for r in rows
        ]

    async def _cipher(self, case_id: int) -> CaseCipher | None:
        return await case_cipher(self._session, self._keyring, case_id)
