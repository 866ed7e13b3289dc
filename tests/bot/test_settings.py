"""Settings: one reader of the environment; a bad setting is named, a secret never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings

SECRET = "0123456789abcdef0123456789abcdef"


def test_defaults_run_on_sqlite_in_the_working_directory() -> None:
    settings = load_settings({}, env_file=None)
    assert settings.database_url == "sqlite+aiosqlite:///reprisal-bot.db"
    assert settings.directory_path == Path("directory.toml")
    assert settings.slack_api_url == "https://slack.com/api/"


def test_the_environment_overrides_the_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("REPRISAL_BOT_DIRECTORY=from-file.toml\nSLACK_BOT_TOKEN=xoxb-file\n")
    settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-env"}, env_file=env_file)
    assert settings.directory_path == Path("from-file.toml")
    assert settings.slack_bot_token == "xoxb-env"


def test_postgresql_urls_get_the_async_driver() -> None:
    settings = load_settings({"REPRISAL_BOT_DATABASE_URL": "postgresql://u@h/db"}, env_file=None)
    assert settings.database_url == "postgresql+asyncpg://u@h/db"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("REPRISAL_BOT_DATABASE_URL", "mysql://user:TOPSECRET@host/db"),
        ("SLACK_BOT_TOKEN", "TOPSECRET-not-a-bot-token"),
        ("SLACK_APP_TOKEN", "xoxb-TOPSECRET"),
        ("SLACK_SIGNING_SECRET", "TOPSECRET"),
        ("SLACK_API_URL", "slack.com/api"),
    ],
)
def test_a_malformed_setting_is_named_without_its_value(variable: str, value: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({variable: value}, env_file=None)
    assert variable in str(raised.value) and "TOPSECRET" not in str(raised.value)


def test_serving_needs_the_slack_secrets_and_says_which() -> None:
    settings = load_settings({"SLACK_SIGNING_SECRET": SECRET}, env_file=None)
    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN"):
        settings.require_http()
    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN"):
        settings.require_socket()
    socket = load_settings({"SLACK_BOT_TOKEN": "xoxb-1"}, env_file=None)
    with pytest.raises(SettingsError, match="SLACK_APP_TOKEN"):
        socket.require_socket()


def test_secrets_never_appear_in_the_settings_repr() -> None:
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-TOPSECRET",
            "SLACK_SIGNING_SECRET": SECRET,
            "REPRISAL_BOT_MASTER_KEY": "k1:TOPSECRET",
        },
        env_file=None,
    )
    assert "TOPSECRET" not in repr(settings) and SECRET not in repr(settings)
