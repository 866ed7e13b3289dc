"""Settings: one reader of the environment; a bad setting is named, a secret never shown.

Every test passes its own `environ` and `env_file`: the machine's environment is never read."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings

BOT_TOKEN = "xoxb-1111-2222-TOPSECRETBOT"
APP_TOKEN = "xapp-1-A111-TOPSECRETAPP"
SIGNING_SECRET = "0123456789abcdefTOPSECRETSIGN"
DB_PASSWORD = "TOPSECRETDB"


def no_env_file(tmp_path: Path) -> Path:
    return tmp_path / "absent.env"


def write_env(tmp_path: Path, text: str) -> Path:
    env_file = tmp_path / ".env"
    env_file.write_text(text, encoding="utf-8")
    return env_file


def refusal(environ: dict[str, str], tmp_path: Path) -> str:
    with pytest.raises(SettingsError) as raised:
        load_settings(environ, env_file=no_env_file(tmp_path))
    return str(raised.value)


# Defaults and sources


def test_with_nothing_set_the_bot_runs_on_sqlite_with_the_default_directory(
    tmp_path: Path,
) -> None:
    settings = load_settings({}, env_file=no_env_file(tmp_path))
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.database_url == "sqlite+aiosqlite:///reprisal-bot.db"
    assert settings.directory_path == Path("directory.toml")
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.slack_bot_token is None
    assert settings.slack_signing_secret is None
    assert settings.slack_app_token is None
    assert settings.log_level == "INFO"


def test_no_env_file_at_all_is_fine(tmp_path: Path) -> None:
    assert load_settings({}, env_file=None) == load_settings({}, env_file=no_env_file(tmp_path))


def test_values_in_the_env_file_are_read(tmp_path: Path) -> None:
    env_file = write_env(
        tmp_path,
        "REPRISAL_BOT_DIRECTORY=from-file.toml\n"
        f"SLACK_BOT_TOKEN={BOT_TOKEN}\n"
        f"SLACK_SIGNING_SECRET={SIGNING_SECRET}\n"
        "REPRISAL_BOT_DATABASE_URL=sqlite:///from-file.db\n",
    )
    settings = load_settings({}, env_file=env_file)
    assert settings.directory_path == Path("from-file.toml")
    assert settings.slack_bot_token == BOT_TOKEN
    assert settings.slack_signing_secret == SIGNING_SECRET
    assert settings.database_url == "sqlite+aiosqlite:///from-file.db"


def test_the_environment_overrides_the_env_file(tmp_path: Path) -> None:
    env_file = write_env(
        tmp_path,
        "REPRISAL_BOT_DIRECTORY=from-file.toml\nSLACK_BOT_TOKEN=xoxb-from-file\n",
    )
    settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-from-env"}, env_file=env_file)
    assert settings.slack_bot_token == "xoxb-from-env"
    assert settings.directory_path == Path("from-file.toml")  # not overridden: kept


def test_a_malformed_value_in_the_env_file_is_refused_too(tmp_path: Path) -> None:
    env_file = write_env(tmp_path, "SLACK_BOT_TOKEN=not-a-token-TOPSECRET\n")
    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN") as raised:
        load_settings({}, env_file=env_file)
    assert "TOPSECRET" not in str(raised.value)


# The database


@pytest.mark.parametrize(
    ("given", "used"),
    [
        (
            "postgresql://bot@db.internal/reprisals",
            "postgresql+asyncpg://bot@db.internal/reprisals",
        ),
        (
            f"postgresql://bot:{DB_PASSWORD}@db.internal:5432/reprisals",
            f"postgresql+asyncpg://bot:{DB_PASSWORD}@db.internal:5432/reprisals",
        ),
        ("sqlite:///data/reprisals.db", "sqlite+aiosqlite:///data/reprisals.db"),
    ],
)
def test_plain_database_urls_get_the_async_driver(tmp_path: Path, given: str, used: str) -> None:
    settings = load_settings({"REPRISAL_BOT_DATABASE_URL": given}, env_file=no_env_file(tmp_path))
    assert settings.database_url == used


@pytest.mark.parametrize(
    "url",
    [
        f"mysql://bot:{DB_PASSWORD}@db.internal/reprisals",
        f"oracle://bot:{DB_PASSWORD}@db.internal/reprisals",
        f"not a url {DB_PASSWORD}",
        f"://bot:{DB_PASSWORD}@db.internal/reprisals",
        f"postgresql://bot:{DB_PASSWORD}@db.internal:notaport/reprisals",
    ],
    ids=["mysql", "oracle", "not a url", "no scheme", "bad port"],
)
def test_a_bad_database_url_is_named_in_one_line_without_its_password(
    tmp_path: Path, url: str
) -> None:
    message = refusal({"REPRISAL_BOT_DATABASE_URL": url}, tmp_path)
    assert message.startswith("REPRISAL_BOT_DATABASE_URL")
    assert "\n" not in message
    assert DB_PASSWORD not in message


def test_an_unsupported_database_engine_says_which_are_supported(tmp_path: Path) -> None:
    message = refusal({"REPRISAL_BOT_DATABASE_URL": "mysql://bot@db/reprisals"}, tmp_path)
    assert "sqlite" in message and "postgresql" in message


@pytest.mark.parametrize(
    ("url", "password"),
    [
        ("postgresql://bot:Pa@ss:w0rd@db.internal:5432/reprisals", "Pa@ss:w0rd"),
        (f"postgresql://bot:{DB_PASSWORD}/reprisals", DB_PASSWORD),
    ],
    ids=["unescaped @ in the password", "host forgotten"],
)
def test_a_database_url_whose_password_spills_into_the_port_does_not_show_it(
    tmp_path: Path, url: str, password: str
) -> None:
    message = refusal({"REPRISAL_BOT_DATABASE_URL": url}, tmp_path)
    assert "REPRISAL_BOT_DATABASE_URL" in message
    for fragment in (password, *password.split("@"), *password.split(":")):
        assert fragment not in message.split(":", 1)[1], fragment


# Slack credentials


@pytest.mark.parametrize(
    "token",
    ["TOPSECRET-not-a-bot-token", "xapp-TOPSECRET", "xoxp-TOPSECRET", "xoxb-TOP SECRET"],
    ids=["no prefix", "app token", "user token", "with a space"],
)
def test_a_malformed_bot_token_is_named_without_its_value(tmp_path: Path, token: str) -> None:
    message = refusal({"SLACK_BOT_TOKEN": token}, tmp_path)
    assert "SLACK_BOT_TOKEN" in message and "xoxb-" in message
    assert "TOPSECRET" not in message and "SECRET" not in message


def test_a_malformed_app_token_is_named_without_its_value(tmp_path: Path) -> None:
    message = refusal({"SLACK_APP_TOKEN": "xoxb-TOPSECRET"}, tmp_path)
    assert "SLACK_APP_TOKEN" in message and "xapp-" in message
    assert "TOPSECRET" not in message


@pytest.mark.parametrize(
    "secret", ["TOPSECRET", "0123456789abcde", "0123456789 TOPSECRET"], ids=["short", "15", "space"]
)
def test_a_malformed_signing_secret_is_named_without_its_value(tmp_path: Path, secret: str) -> None:
    message = refusal({"SLACK_SIGNING_SECRET": secret}, tmp_path)
    assert "SLACK_SIGNING_SECRET" in message
    assert secret not in message


def test_well_formed_slack_credentials_are_kept(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": APP_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        },
        env_file=no_env_file(tmp_path),
    )
    assert settings.slack_bot_token == BOT_TOKEN
    assert settings.slack_app_token == APP_TOKEN
    assert settings.slack_signing_secret == SIGNING_SECRET


# The Slack API URL


@pytest.mark.parametrize("url", ["slack.com/api", "ftp://slack.com/api/", "https://"])
def test_a_slack_api_url_without_an_http_scheme_and_host_is_refused(
    tmp_path: Path, url: str
) -> None:
    assert "SLACK_API_URL" in refusal({"SLACK_API_URL": url}, tmp_path)


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("http://127.0.0.1:8099/api", "http://127.0.0.1:8099/api/"),
        ("https://slack.example.org/api/", "https://slack.example.org/api/"),
    ],
)
def test_a_slack_api_url_always_ends_with_one_slash(tmp_path: Path, given: str, used: str) -> None:
    settings = load_settings({"SLACK_API_URL": given}, env_file=no_env_file(tmp_path))
    assert settings.slack_api_url == used


# What serving needs


def test_serving_over_http_without_a_bot_token_names_it(tmp_path: Path) -> None:
    settings = load_settings(
        {"SLACK_SIGNING_SECRET": SIGNING_SECRET}, env_file=no_env_file(tmp_path)
    )
    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN"):
        settings.require_http()


def test_serving_over_http_without_a_signing_secret_names_it(tmp_path: Path) -> None:
    settings = load_settings({"SLACK_BOT_TOKEN": BOT_TOKEN}, env_file=no_env_file(tmp_path))
    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET"):
        settings.require_http()


def test_serving_over_http_with_token_and_secret_is_allowed(tmp_path: Path) -> None:
    settings = load_settings(
        {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET},
        env_file=no_env_file(tmp_path),
    )
    settings.require_http()


def test_socket_mode_without_a_bot_token_names_it(tmp_path: Path) -> None:
    settings = load_settings({"SLACK_APP_TOKEN": APP_TOKEN}, env_file=no_env_file(tmp_path))
    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN"):
        settings.require_socket()


def test_socket_mode_without_an_app_token_names_it(tmp_path: Path) -> None:
    settings = load_settings({"SLACK_BOT_TOKEN": BOT_TOKEN}, env_file=no_env_file(tmp_path))
    with pytest.raises(SettingsError, match="SLACK_APP_TOKEN"):
        settings.require_socket()


def test_socket_mode_with_both_tokens_is_allowed(tmp_path: Path) -> None:
    settings = load_settings(
        {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN},
        env_file=no_env_file(tmp_path),
    )
    settings.require_socket()


# Secrets never shown


def test_the_settings_repr_never_shows_tokens_secrets_or_the_master_key(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": APP_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "REPRISAL_BOT_MASTER_KEY": "k1:TOPSECRETMASTER",
        },
        env_file=no_env_file(tmp_path),
    )
    shown = repr(settings)
    for value in (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, "TOPSECRET"):
        assert value not in shown


def test_the_settings_repr_never_shows_the_database_password(tmp_path: Path) -> None:
    settings = load_settings(
        {"REPRISAL_BOT_DATABASE_URL": f"postgresql://bot:{DB_PASSWORD}@db.internal/reprisals"},
        env_file=no_env_file(tmp_path),
    )
    assert DB_PASSWORD not in repr(settings)
