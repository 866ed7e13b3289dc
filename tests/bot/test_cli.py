"""The `reprisal-bot` command as a new user runs it: db upgrade, shell (piped), directory check."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storage.crypto import KeyRing
from storage.engine import create_engine, session_factory
from storage.uow import UnitOfWork
from tests.conftest import EXAMPLE_DIRECTORY, MASTER_KEY, ROOT

VICTIM = "Canary Console-Victim"

# One report, answered question by question as a person would type it, with two mistakes.
REPORT_ANSWERS = [
    "report",
    "Atlantis",  # not a State: asked again
    "viet nam",
    "",  # lead committee: the default, CAT
    "CERD",
    "",  # date received: today
    "2",
    "1",
    "3",
    "1",
    "zero",  # not a number: asked again
    "1",
    VICTIM,
    "",
    "threats, 6",
    "",
    "Arrested <!channel> after returning from the session.",
    "",
    "shared",
    "1",
    "status RPR-2026-0001",
    "quit",
]


def run_cli(
    *args: str, database_url: str, stdin: str = "", **env: str
) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "REPRISAL"))
    }
    environment.update(
        REPRISAL_BOT_DATABASE_URL=database_url,
        REPRISAL_BOT_DIRECTORY=str(EXAMPLE_DIRECTORY),
        REPRISAL_BOT_MASTER_KEY=MASTER_KEY,
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=60,
    )


async def stored_cases(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        async with UnitOfWork(session_factory(engine), KeyRing.parse(MASTER_KEY)) as uow:
            return await uow.cases.count()
    finally:
        await engine.dispose()


async def test_shell_refuses_a_database_without_schema_and_names_the_command(
    database_url: str,
) -> None:
    done = await asyncio.to_thread(
        run_cli, "shell", "--as", "Ana Example", database_url=database_url, stdin="help\n"
    )
    assert done.returncode == 2
    assert "reprisal-bot db upgrade" in done.stderr
    assert "Traceback" not in done.stderr


async def test_piped_report_in_the_console_asks_again_saves_and_shows_the_posts(
    database_url: str,
) -> None:
    upgraded = await asyncio.to_thread(run_cli, "db", "upgrade", database_url=database_url)
    assert upgraded.returncode == 0, upgraded.stderr
    done = await asyncio.to_thread(
        run_cli,
        "shell",
        "--as",
        "ana.example@example.org",
        database_url=database_url,
        stdin="\n".join(REPORT_ANSWERS) + "\n",
    )
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "'Atlantis' is not a UN Member or observer State" in out
    assert "Please give a whole number." in out
    assert "Your report is saved as RPR-2026-0001." in out
    channel_post = out.split("the bot would post to the coordination channel")[1]
    channel_post = channel_post.split("┌─")[0]
    assert "Viet Nam" in channel_post and VICTIM not in channel_post
    assert "Arrested" not in channel_post
    assert "the bot would post in the case thread" in out and "@Ivan Example" in out
    assert "direct message to Ana Example" in out
    assert await stored_cases(database_url) == 1


async def test_console_input_ending_mid_form_saves_nothing(database_url: str) -> None:
    await asyncio.to_thread(run_cli, "db", "upgrade", database_url=database_url)
    done = await asyncio.to_thread(
        run_cli,
        "shell",
        "--as",
        "Ana Example",
        database_url=database_url,
        stdin="report\nViet Nam\n",
    )
    assert done.returncode == 0
    assert "Report cancelled" in done.stdout and "Nothing was saved" in done.stdout
    assert await stored_cases(database_url) == 0


def test_shell_as_someone_not_in_the_directory_is_refused(tmp_path: Path) -> None:
    done = run_cli("shell", "--as", "Mallory", database_url=f"sqlite:///{tmp_path / 'x.db'}")
    assert done.returncode == 2
    assert "no one called 'Mallory'" in done.stderr


def test_directory_check_prints_the_roster(tmp_path: Path) -> None:
    done = run_cli(
        "directory", "check", str(EXAMPLE_DIRECTORY), database_url=f"sqlite:///{tmp_path / 'x.db'}"
    )
    assert done.returncode == 0, done.stderr
    assert "Ana Example" in done.stdout and "valid" in done.stdout


def test_directory_check_names_the_entry_and_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[slack]\ncoordination_channel = "C0COORD01"\nchairs_channel = "C0CHAIRS1"\n'
        '[[people]]\nname = "Zed Example"\nslack_user = "U0ZED0001"\nroles = ["focal:CAT"]\n',
        encoding="utf-8",
    )
    done = run_cli("directory", "check", str(bad), database_url=f"sqlite:///{tmp_path / 'x.db'}")
    assert done.returncode == 2
    assert "Zed Example" in done.stderr and "focal:CAT" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SLACK_BOT_TOKEN", "not-a-token-TOPSECRET"),
        ("REPRISAL_BOT_DATABASE_URL", "mysql://user:TOPSECRET@host/db"),
    ],
)
def test_a_malformed_setting_stops_start_up_with_one_line_naming_it(
    tmp_path: Path, variable: str, value: str
) -> None:
    env = {"SLACK_SIGNING_SECRET": "0123456789abcdef0123456789abcdef", variable: value}
    url = value if variable == "REPRISAL_BOT_DATABASE_URL" else f"sqlite:///{tmp_path / 'x.db'}"
    env.pop("REPRISAL_BOT_DATABASE_URL", None)
    done = run_cli("serve", "--port", "0", database_url=url, **env)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and variable in lines[0]
    assert "TOPSECRET" not in done.stderr + done.stdout


def test_serve_without_a_token_names_the_missing_setting(tmp_path: Path) -> None:
    done = run_cli("serve", database_url=f"sqlite:///{tmp_path / 'x.db'}")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "reprisal-bot: SLACK_BOT_TOKEN is not set: it is needed to serve Slack (see README)."
    )
