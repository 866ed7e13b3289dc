"""Field encryption at rest: a data key per case (AES-256-GCM), wrapped by a master key.

Every ciphertext is bound to its case and field as associated data, so a value copied to
another row (or another field) fails to decrypt with a named error instead of being shown.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage.errors import StorageError

NONCE_BYTES = 12


class KeyProblem(StorageError):
    """A master key is missing, malformed, or not the one a data key was wrapped with."""


class CiphertextMismatch(StorageError):
    """A ciphertext does not belong where it was found (moved, altered, or its key is gone)."""

    def __init__(self, case_id: int, field: str) -> None:
        super().__init__(
            f"field {field!r} of case id {case_id} does not decrypt with that case's key: "
            "it was moved from another row or altered"
        )
        self.case_id, self.field = case_id, field


@dataclass(frozen=True, slots=True)
class MasterKey:
    key_id: str
    secret: bytes = b""

    def __repr__(self) -> str:
        return f"MasterKey({self.key_id!r})"


class KeyRing:
    """The master keys: the first wraps new data keys; the others still unwrap old ones."""

    def __init__(self, keys: list[MasterKey]) -> None:
        if not keys:
            raise KeyProblem("no master key")
        self.primary = keys[0]
        self._by_id = {k.key_id: k for k in keys}

    @classmethod
    def parse(cls, text: str) -> KeyRing:
        """`id:base64[,id:base64...]`, newest first (what `reprisal-bot keys generate` prints)."""
        keys = []
        lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
        for item in (part.strip() for part in ",".join(lines).split(",")):
            if not item:
                continue
            key_id, sep, encoded = item.partition(":")
            try:
                secret = base64.urlsafe_b64decode(encoded.strip())
            except (binascii.Error, ValueError):
                secret = b""
            if not sep or len(secret) != 32 or not key_id.strip():
                raise KeyProblem("a master key must look like <id>:<32 bytes in base64>")
            keys.append(MasterKey(key_id.strip(), secret))
        return cls(keys)

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    def wrap(self, data_key: bytes, label: str) -> tuple[str, bytes]:
        """Seal a data key under the primary master key, bound to `label` (e.g. "case/12")."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.primary.secret).encrypt(nonce, data_key, _wrap_aad(label))
        return self.primary.key_id, nonce + sealed

    def unwrap(self, key_id: str, wrapped: bytes, label: str) -> bytes:
        master = self._master(key_id, f"the key of {label} was sealed with")
        try:
            return AESGCM(master.secret).decrypt(
                wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _wrap_aad(label)
            )
        except InvalidTag:
            raise KeyProblem(f"the key of {label} does not belong there or was altered") from None

    def derive(self, label: str, key_id: str) -> bytes:
        """A 32-byte key for `label` derived (HKDF-SHA256) from master key `key_id`: kept
        nowhere, made again from the master key whenever it is needed."""
        master = self._master(key_id, f"the {label} key derives from")
        info = f"reprisal-bot/derived/{label}".encode()
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(
            master.secret
        )

    def _master(self, key_id: str, what: str) -> MasterKey:
        master = self._by_id.get(key_id)
        if master is None:
            raise KeyProblem(
                f"{what} master key {key_id!r}, which is not configured (REPRISAL_BOT_MASTER_KEY)"
            )
        return master


def generate_master_key(key_id: str | None = None) -> str:
    """A new master key in the form KeyRing.parse reads."""
    key_id = key_id or f"k{secrets.token_hex(4)}"
    return f"{key_id}:{base64.urlsafe_b64encode(AESGCM.generate_key(256)).decode()}"


def new_data_key() -> bytes:
    return AESGCM.generate_key(256)


@dataclass(frozen=True, slots=True)
class CaseCipher:
    """Encrypts and decrypts one case's fields with its data key."""

    case_id: int
    data_key: bytes

    def seal(self, field: str, plaintext: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        aead = AESGCM(self.data_key)
        return nonce + aead.encrypt(nonce, plaintext.encode("utf-8"), self._aad(field))

    def open(self, field: str, sealed: bytes) -> str:
        try:
            plain = AESGCM(self.data_key).decrypt(
                sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], self._aad(field)
            )
        except InvalidTag:
            raise CiphertextMismatch(self.case_id, field) from None
        return plain.decode("utf-8")

    def _aad(self, field: str) -> bytes:
        return f"reprisal-bot/case/{self.case_id}/{field}".encode()


def _wrap_aad(label: str) -> bytes:
    return f"reprisal-bot/key/{label}".encode()
