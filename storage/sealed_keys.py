"""Keys the bot keeps sealed by the master key in `sealed_keys` (the audit chain's, the name
index's): created on first use, unsealed on each later one."""

from __future__ import annotations

import secrets

from sqlalchemy.ext.asyncio import AsyncSession

from storage.crypto import CaseCipher, KeyRing
from storage.models import CaseKeyRow, SealedKeyRow


async def sealed_key(
    session: AsyncSession, keyring: KeyRing, name: str, *, create: bool
) -> bytes | None:
    """The 32-byte key called `name`; None if there is none and `create` is false."""
    sealed = await session.get(SealedKeyRow, name)
    if sealed is not None:
        return keyring.unwrap(sealed.master_key_id, sealed.wrapped, name)
    if not create:
        return None
    key = secrets.token_bytes(32)
    master_key_id, wrapped = keyring.wrap(key, name)
    session.add(SealedKeyRow(name=name, master_key_id=master_key_id, wrapped=wrapped))
    await session.flush()
    return key


async def case_cipher(session: AsyncSession, keyring: KeyRing, case_id: int) -> CaseCipher | None:
    """The case's cipher; None once the case is erased (its key is gone)."""
    key = await session.get(CaseKeyRow, case_id)
    if key is None:
        return None
    return CaseCipher(case_id, keyring.unwrap(key.master_key_id, key.wrapped, f"case/{case_id}"))
