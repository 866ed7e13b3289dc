"""A keyed index of targets' names: the same person or organisation is found across cases
(related cases, patterns in the digest) without decrypting a name or storing one in clear."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

from sqlalchemy.ext.asyncio import AsyncSession

from storage.crypto import KeyRing
from storage.sealed_keys import sealed_key

NAME_INDEX_KEY = "name-index"


def normalise(name: str) -> str:
    """Case, accents, punctuation and spacing do not make a different name."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    kept = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(kept.split())


class NameIndex:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def of(self, name: str) -> str | None:
        """The index of `name`, or None for a name with nothing to match on."""
        text = normalise(name)
        if not text:
            return None
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()

    @classmethod
    async def load(cls, session: AsyncSession, keyring: KeyRing) -> NameIndex:
        key = await sealed_key(session, keyring, NAME_INDEX_KEY, create=True)
        assert key is not None
        return cls(key)
