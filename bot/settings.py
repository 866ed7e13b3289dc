"""The only reader of the environment (and of `.env`): one frozen Settings."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from dotenv import dotenv_values

from storage.checkpoints import default_checkpoint_path
from storage.engine import DEFAULT_URL, UnsupportedDatabase, normalise_url

SLACK_API_URL = "https://slack.com/api/"


class SettingsError(Exception):
    """One line naming the setting and what is wrong with it; never its value if secret."""


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = field(default=DEFAULT_URL, repr=False)  # may hold a password
    directory_path: Path = Path("directory.toml")
    slack_api_url: str = SLACK_API_URL
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    master_key: str | None = field(default=None, repr=False)
    master_key_file: Path | None = None
    outbox_lease_seconds: float = 30.0
    leader_poll_seconds: float = 15.0
    scheduler: bool = True  # off: this instance never runs the schedules (it still serves)
    scheduler_on_demo: bool = False  # demo: it runs them even on a demo database
    log_level: str = "INFO"
    audit_checkpoints: Path | None = None  # None: beside the SQLite database (see below)

    @property
    def checkpoint_path(self) -> Path:
        """The audit trail's checkpoint file (REPRISAL_BOT_AUDIT_CHECKPOINTS)."""
        return self.audit_checkpoints or default_checkpoint_path(self.database_url)

    def require_http(self) -> None:
        """Stop unless everything serving Slack over HTTP needs is set."""
        _require("SLACK_BOT_TOKEN", self.slack_bot_token)
        _require("SLACK_SIGNING_SECRET", self.slack_signing_secret)

    def require_socket(self) -> None:
        _require("SLACK_BOT_TOKEN", self.slack_bot_token)
        _require("SLACK_APP_TOKEN", self.slack_app_token)


def load_settings(
    environ: Mapping[str, str] | None = None, *, env_file: Path | None = Path(".env")
) -> Settings:
    """Settings from `.env` overlaid by the environment; SettingsError on a malformed value."""
    values: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update(os.environ if environ is None else environ)
    scheduler = _switch("REPRISAL_BOT_SCHEDULER", values.get("REPRISAL_BOT_SCHEDULER"))
    return Settings(
        database_url=_database_url(values.get("REPRISAL_BOT_DATABASE_URL") or DEFAULT_URL),
        directory_path=Path(values.get("REPRISAL_BOT_DIRECTORY") or "directory.toml"),
        slack_api_url=_api_url(values.get("SLACK_API_URL") or SLACK_API_URL),
        slack_bot_token=_token("SLACK_BOT_TOKEN", values.get("SLACK_BOT_TOKEN"), "xoxb-"),
        slack_signing_secret=_secret(values.get("SLACK_SIGNING_SECRET")),
        slack_app_token=_token("SLACK_APP_TOKEN", values.get("SLACK_APP_TOKEN"), "xapp-"),
        master_key=values.get("REPRISAL_BOT_MASTER_KEY") or None,
        master_key_file=_path(values.get("REPRISAL_BOT_MASTER_KEY_FILE")),
        outbox_lease_seconds=_seconds(
            "REPRISAL_BOT_OUTBOX_LEASE_SECONDS", values.get("REPRISAL_BOT_OUTBOX_LEASE_SECONDS")
        ),
        leader_poll_seconds=_seconds(
            "REPRISAL_BOT_LEADER_POLL_SECONDS",
            values.get("REPRISAL_BOT_LEADER_POLL_SECONDS"),
            default=15.0,
        ),
        scheduler=scheduler != "off",
        scheduler_on_demo=scheduler == "demo",
        log_level=_log_level(values.get("REPRISAL_BOT_LOG_LEVEL") or "INFO"),
        audit_checkpoints=_path(values.get("REPRISAL_BOT_AUDIT_CHECKPOINTS")),
    )


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


def _require(name: str, value: str | None) -> None:
    if not value:
        raise SettingsError(f"{name} is not set: it is needed to serve Slack (see README).")


def _database_url(url: str) -> str:
    try:
        return normalise_url(url)
    except UnsupportedDatabase as problem:
        raise SettingsError(f"REPRISAL_BOT_DATABASE_URL is malformed: {problem}.") from None
    except Exception:
        # The parser's own words can quote the URL, password included: say only what is wrong.
        raise SettingsError(
            "REPRISAL_BOT_DATABASE_URL is malformed: it cannot be parsed "
            "(expected sqlite:///path.db or postgresql://user:password@host/db)."
        ) from None


def _api_url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise SettingsError("SLACK_API_URL must be an http(s) URL such as https://slack.com/api/.")
    return url if url.endswith("/") else url + "/"


def _token(name: str, value: str | None, prefix: str) -> str | None:
    if not value:
        return None
    if not value.startswith(prefix) or any(ch.isspace() for ch in value):
        raise SettingsError(f"{name} is malformed: it should start with {prefix!r}.")
    return value


def _secret(value: str | None) -> str | None:
    if not value:
        return None
    if len(value) < 16 or any(ch.isspace() for ch in value):
        raise SettingsError("SLACK_SIGNING_SECRET is malformed: copy it again from the app's page.")
    return value


def _seconds(name: str, value: str | None, default: float = 30.0) -> float:
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1
    if not 1 <= seconds <= 3600:
        raise SettingsError(f"{name} must be a number of seconds from 1 to 3600.")
    return seconds


def _switch(name: str, value: str | None) -> str:
    """on (the default), off, or demo (on, even on a database `demo-data` filled)."""
    text = (value or "on").strip().lower()
    if text not in ("on", "off", "demo"):
        raise SettingsError(f"{name} must be on, off or demo, not {value!r}.")
    return text


def _log_level(level: str) -> str:
    level = level.upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise SettingsError("REPRISAL_BOT_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR.")
    return level
