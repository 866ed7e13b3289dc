"""Keys the bot keeps sealed by the master key in `sealed_keys` (the audit chain's, the name
index's): created on first use, unsealed on each later one."""

from __future__ import annotations

import secrets

from sqlalchemy.ext.asyncio import AsyncSession

from storage.crypto import KeyRing
from storage.models import SealedKeyRow


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
