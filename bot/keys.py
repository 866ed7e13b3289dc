"""Where the master keys come from: the environment, a key file, or (for a trial) a local file."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from bot.settings import Settings, SettingsError
from storage.crypto import KeyProblem, KeyRing, generate_master_key

LOCAL_KEY_FILE = Path("reprisal-bot.key")

log = logging.getLogger("reprisal_bot.keys")


def load_keyring(settings: Settings, *, local_fallback: bool) -> tuple[KeyRing, str | None]:
    """The key ring, and a notice to show if the local key file was used or created.

    One rule for every command: REPRISAL_BOT_MASTER_KEY, else REPRISAL_BOT_MASTER_KEY_FILE,
    else the local key file in the working directory if it exists. `local_fallback` also
    creates that file when it is missing (the console, demo-data, `serve --insecure-dev`).
    """
    if settings.master_key:
        return _parse(settings.master_key, "REPRISAL_BOT_MASTER_KEY"), None
    if settings.master_key_file:
        return _read(settings.master_key_file, "REPRISAL_BOT_MASTER_KEY_FILE"), None
    created = not LOCAL_KEY_FILE.exists()
    if created and not local_fallback:
        raise SettingsError(
            "REPRISAL_BOT_MASTER_KEY is not set: create one with `reprisal-bot keys generate` "
            "(or try the bot with `serve --insecure-dev`)."
        )
    if created:
        _write_new(LOCAL_KEY_FILE)
    verb = "created" if created else "using"
    notice = (
        f"No master key configured: {verb} the local key file {LOCAL_KEY_FILE.resolve()}. "
        "Without it the names and summaries in this database cannot be read: keep it safe."
    )
    return _read(LOCAL_KEY_FILE, "the local key file"), notice


def require_configured_key(settings: Settings) -> None:
    """`serve` in earnest needs a configured master key: a trial's local file is not one."""
    if not settings.master_key and not settings.master_key_file:
        raise SettingsError(
            "REPRISAL_BOT_MASTER_KEY is not set: create one with `reprisal-bot keys generate` "
            "(or try the bot with `serve --insecure-dev`)."
        )


def _parse(text: str, source: str) -> KeyRing:
    try:
        return KeyRing.parse(text)
    except KeyProblem as problem:
        raise SettingsError(f"{source} is malformed: {problem}.") from None


def _read(path: Path, source: str) -> KeyRing:
    """The key ring in `path`; refused if anyone but its owner may read or change the file."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        text = path.read_text(encoding="utf-8")
    except OSError as problem:
        raise SettingsError(f"{source} ({path}) cannot be read: {problem.strerror}.") from None
    if os.name == "posix" and mode & 0o077:
        raise SettingsError(
            f"{source} ({path}) is open to other users (mode {mode:o}): "
            f"run `chmod 600 {path}` and start again."
        )
    return _parse(text, f"{source} ({path})")


def _write_new(path: Path) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write("# reprisal-bot master key (newest first). Keep it secret, keep a copy.\n")
        file.write(generate_master_key() + "\n")
