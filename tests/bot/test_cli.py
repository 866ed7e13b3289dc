"""The `reprisal-bot` command as a new user runs it: db upgrade, shell (piped), directory check."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

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
    *args: str, database_url: str, stdin: str = "", cwd: Path = ROOT, text: bool = True, **env: str
) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "REPRISAL"))
    }
    environment.update(
        {
            "REPRISAL_BOT_DATABASE_URL": database_url,
            "REPRISAL_BOT_DIRECTORY": str(EXAMPLE_DIRECTORY),
            "REPRISAL_BOT_MASTER_KEY": MASTER_KEY,
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin if text else stdin.encode(),
        capture_output=True,
        text=text,
        cwd=cwd,
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


async def test_console_form_goes_back_to_the_consents_when_shared_lacks_one(
    database_url: str,
) -> None:
    await asyncio.to_thread(run_cli, "db", "upgrade", database_url=database_url)
    shared_at = REPORT_ANSWERS.index("shared")
    # Shared without consent: the console asks the confidentiality and the consents again.
    answers = [*REPORT_ANSWERS[: shared_at + 1], "", "shared", "share_committees"]
    done = await asyncio.to_thread(
        run_cli,
        "shell",
        "--as",
        "Ana Example",
        database_url=database_url,
        stdin="\n".join([*answers, "status RPR-2026-0001", "quit"]) + "\n",
    )
    assert done.returncode == 0, done.stderr
    assert "A shared case needs consent to share with other committees" in done.stdout
    assert "Your report is saved as RPR-2026-0001." in done.stdout
    assert "Cancelled" not in done.stdout and len(done.stdout) < 20_000
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
    assert "Cancelled" in done.stdout and "Nothing was saved" in done.stdout
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


def test_keys_generate_prints_a_usable_key(tmp_path: Path) -> None:
    done = run_cli("keys", "generate", database_url=f"sqlite:///{tmp_path / 'x.db'}")
    assert done.returncode == 0
    ring = KeyRing.parse(done.stdout.strip())
    assert len(ring.key_ids) == 1 and "keys rotate" in done.stderr


def test_serve_refuses_to_start_without_a_master_key(tmp_path: Path) -> None:
    done = run_cli(
        "serve",
        "--port",
        "0",
        database_url=f"sqlite:///{tmp_path / 'x.db'}",
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="0123456789abcdef0123456789abcdef",
        REPRISAL_BOT_MASTER_KEY="",
    )
    assert done.returncode == 2
    assert "REPRISAL_BOT_MASTER_KEY is not set" in done.stderr and "keys generate" in done.stderr


async def test_console_first_run_creates_a_local_key_and_says_where(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    env = {"REPRISAL_BOT_MASTER_KEY": "", "PYTHONPATH": str(ROOT)}
    await asyncio.to_thread(run_cli, "db", "upgrade", database_url=url)
    first = await asyncio.to_thread(
        run_cli,
        "shell",
        "--as",
        "Ana Example",
        database_url=url,
        stdin="list open\n",
        cwd=tmp_path,
        **env,
    )
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "reprisal-bot.key"
    assert "created the local key file" in first.stderr and str(key_file) in first.stderr
    assert key_file.stat().st_mode & 0o777 == 0o600
    again = await asyncio.to_thread(
        run_cli,
        "shell",
        "--as",
        "Ana Example",
        database_url=url,
        stdin="list open\n",
        cwd=tmp_path,
        **env,
    )
    assert "using the local key file" in again.stderr


async def test_every_command_takes_the_local_key_file_and_only_some_create_it(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    env = {"REPRISAL_BOT_MASTER_KEY": "", "PYTHONPATH": str(ROOT)}

    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return run_cli(*args, database_url=url, stdin=stdin, cwd=tmp_path, **env)

    await asyncio.to_thread(cli, "db", "upgrade")
    for command in (("export", "cases"), ("digest",), ("audit", "show", "RPR-2026-0001")):
        refused = await asyncio.to_thread(cli, *command)
        assert refused.returncode == 2 and "REPRISAL_BOT_MASTER_KEY is not set" in refused.stderr
    assert not (tmp_path / "reprisal-bot.key").exists()  # only shell and demo-data create it
    await asyncio.to_thread(cli, "shell", "--as", "Ana Example", stdin="\n".join(REPORT_ANSWERS))
    assert (tmp_path / "reprisal-bot.key").exists()
    exported = await asyncio.to_thread(cli, "export", "cases")
    assert exported.returncode == 0 and "RPR-2026-0001" in exported.stdout, exported.stderr
    digest = await asyncio.to_thread(cli, "digest")
    assert digest.returncode == 0, digest.stderr
    shown = await asyncio.to_thread(cli, "audit", "show", "RPR-2026-0001")
    assert shown.returncode == 0 and "report · allowed" in shown.stdout, shown.stderr
    erased = await asyncio.to_thread(cli, "case", "erase", "RPR-2026-0001", "--yes")
    assert erased.returncode == 0 and "is erased" in erased.stdout, erased.stderr
    secret = "0123456789abcdef0123456789abcdef"
    env.update(SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET=secret)
    served = await asyncio.to_thread(cli, "serve", "--port", "0")  # in earnest: a real key only
    assert served.returncode == 2 and "REPRISAL_BOT_MASTER_KEY is not set" in served.stderr


async def test_erase_and_audit_from_the_command_line(database_url: str) -> None:
    await asyncio.to_thread(run_cli, "db", "upgrade", database_url=database_url)
    await asyncio.to_thread(
        run_cli,
        "shell",
        "--as",
        "Ana Example",
        database_url=database_url,
        stdin="\n".join(REPORT_ANSWERS) + "\n",
    )
    refused = await asyncio.to_thread(
        run_cli,
        "case",
        "erase",
        "RPR-2026-0001",
        database_url=database_url,
        stdin="RPR-2026-9999\n",
    )
    assert refused.returncode == 1 and "nothing was erased" in refused.stdout
    erased = await asyncio.to_thread(
        run_cli,
        "case",
        "erase",
        "RPR-2026-0001",
        database_url=database_url,
        stdin="rpr-2026-0001\n",
    )
    assert erased.returncode == 0 and "is erased" in erased.stdout
    shown = await asyncio.to_thread(
        run_cli, "audit", "show", "RPR-2026-0001", database_url=database_url
    )
    assert "Ana Example · report · allowed" in shown.stdout
    assert "erase · allowed" in shown.stdout and VICTIM not in shown.stdout
    verified = await asyncio.to_thread(run_cli, "audit", "verify", database_url=database_url)
    assert verified.returncode == 0 and "intact" in verified.stdout
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE audit SET decision = 'denied' WHERE seq = 2"))
    await engine.dispose()
    tampered = await asyncio.to_thread(run_cli, "audit", "verify", database_url=database_url)
    assert tampered.returncode == 1 and "entry 2: altered" in tampered.stdout


async def test_export_gives_facts_as_csv_without_names(database_url: str) -> None:
    await asyncio.to_thread(run_cli, "db", "upgrade", database_url=database_url)
    await asyncio.to_thread(
        run_cli,
        "shell",
        "--as",
        "Ana Example",
        database_url=database_url,
        stdin="\n".join(REPORT_ANSWERS) + "\n",
    )
    done = await asyncio.to_thread(run_cli, "export", "cases", database_url=database_url)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout.removeprefix("\ufeff"))))
    assert [r["reference"] for r in rows] == ["RPR-2026-0001"]
    assert rows[0]["state_party"] == "Viet Nam" and rows[0]["confidentiality"] == "shared"
    assert VICTIM not in done.stdout and "Arrested" not in done.stdout


async def test_export_bytes_are_utf8_with_a_bom_and_hidden_formulas_stay_text(
    database_url: str,
) -> None:
    await asyncio.to_thread(run_cli, "db", "upgrade", database_url=database_url)
    report = "\n".join(REPORT_ANSWERS) + "\n"
    await asyncio.to_thread(
        run_cli, "shell", "--as", "Ana Example", database_url=database_url, stdin=report
    )
    # Behind a space and a new line, in its full-width form: still a formula to a spreadsheet.
    hidden = ' \n\uff1dHYPERLINK("https://evil.example","x")'
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.execute(text("UPDATE cases SET state_party = :hidden"), {"hidden": hidden})
    await engine.dispose()
    done = await asyncio.to_thread(
        run_cli,
        "export",
        "cases",
        database_url=database_url,
        text=False,
        PYTHONIOENCODING="ascii",  # a terminal that cannot even print the BOM
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b'\xef\xbb\xbf"reference",')
    [row] = list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8-sig"))))
    assert row["state_party"] == "'" + hidden
    assert row["reference"] == "RPR-2026-0001"


async def test_insecure_dev_serves_without_a_key_says_so_and_survives_slack_being_down(
    tmp_path: Path,
) -> None:
    import socket

    import aiohttp

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "REPRISAL_BOT_DATABASE_URL": url,
        "REPRISAL_BOT_DIRECTORY": str(EXAMPLE_DIRECTORY),
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "0123456789abcdef0123456789abcdef",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
    }  # nothing listens there: Slack is down
    env.pop("REPRISAL_BOT_MASTER_KEY", None)
    await asyncio.to_thread(run_cli, "db", "upgrade", database_url=url)
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "serve",
        "--insecure-dev",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(150):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as answer:
                        if answer.status == 200:
                            break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.1)
            else:
                raise AssertionError("serve --insecure-dev did not come up")
    finally:
        server.terminate()
        _, stderr = await asyncio.wait_for(server.communicate(), 20)
    log = stderr.decode()
    assert "INSECURE DEV MODE" in log and "reprisal-bot.key" in log
    assert (tmp_path / "reprisal-bot.key").exists()


async def test_a_backup_restores_every_case(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    await asyncio.to_thread(run_cli, "db", "upgrade", database_url=url)
    for _ in range(2):
        await asyncio.to_thread(
            run_cli,
            "shell",
            "--as",
            "Ana Example",
            database_url=url,
            stdin="\n".join(REPORT_ANSWERS) + "\n",
        )
    before = await asyncio.to_thread(run_cli, "export", "cases", database_url=url)
    saved = await asyncio.to_thread(run_cli, "backup", str(tmp_path / "copy.db"), database_url=url)
    assert saved.returncode == 0, saved.stderr
    again = await asyncio.to_thread(run_cli, "backup", str(tmp_path / "copy.db"), database_url=url)
    assert again.returncode == 2 and "exists already" in again.stderr
    for name in ("bot.db", "bot.db-wal", "bot.db-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    (tmp_path / "bot.db").write_bytes(b"")
    restored = await asyncio.to_thread(
        run_cli, "restore", str(tmp_path / "copy.db"), database_url=url
    )
    assert restored.returncode == 0, restored.stderr
    assert "2 cases, all readable" in restored.stdout and "audit trail intact" in restored.stdout
    after = await asyncio.to_thread(run_cli, "export", "cases", database_url=url)
    assert after.stdout == before.stdout
    status = await asyncio.to_thread(
        run_cli, "shell", "--as", "Ana Example", database_url=url, stdin="status RPR-2026-0002\n"
    )
    assert VICTIM in status.stdout  # the sealed names open with the same key
    refused = await asyncio.to_thread(
        run_cli, "restore", str(tmp_path / "copy.db"), database_url=url
    )
    assert refused.returncode == 2 and "--replace" in refused.stderr
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    junk = await asyncio.to_thread(
        run_cli,
        "restore",
        str(tmp_path / "junk.db"),
        database_url=url,
        REPRISAL_BOT_MASTER_KEY=MASTER_KEY,
    )
    assert junk.returncode == 2 and "not a sound database" in junk.stderr


def test_postgresql_backups_point_to_pg_dump() -> None:
    done = run_cli("backup", "/tmp/x.db", database_url="postgresql://postgres@127.0.0.1/test")
    assert done.returncode == 2 and "pg_dump" in done.stderr


async def test_an_erasure_while_someone_reads_says_the_key_bytes_remain_until_released(
    tmp_path: Path,
) -> None:
    database = tmp_path / "bot.db"
    url = f"sqlite:///{database}"
    await asyncio.to_thread(run_cli, "db", "upgrade", database_url=url)
    await asyncio.to_thread(
        run_cli, "shell", "--as", "Ana Example", database_url=url, stdin="\n".join(REPORT_ANSWERS)
    )
    reader = sqlite3.connect(database)
    (wrapped,) = reader.execute("SELECT wrapped FROM case_keys").fetchone()
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM cases").fetchone()  # a snapshot, held open
    try:
        erased = await asyncio.to_thread(
            run_cli, "case", "erase", "RPR-2026-0001", "--yes", database_url=url
        )
        assert wrapped in database.read_bytes()  # what the warning is about
    finally:
        reader.rollback()
        reader.close()
    assert erased.returncode == 0, erased.stderr
    assert "is erased" in erased.stdout
    assert "WARNING: the destroyed key's bytes are still in the database files" in erased.stdout
    # The last connection to close folds the WAL in: the old key is overwritten.
    for path in (database, Path(f"{database}-wal")):
        assert not path.exists() or wrapped not in path.read_bytes(), path.name
    verified = await asyncio.to_thread(run_cli, "audit", "verify", database_url=url)
    assert verified.returncode == 0, verified.stdout


async def test_cli_commands_anchor_the_trail_and_verify_names_a_wipe(
    database_url: str, tmp_path: Path
) -> None:
    checkpoints = tmp_path / "audit.checkpoints"
    env = {"REPRISAL_BOT_AUDIT_CHECKPOINTS": str(checkpoints)}

    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return run_cli(*args, database_url=database_url, stdin=stdin, **env)

    await asyncio.to_thread(cli, "db", "upgrade")
    await asyncio.to_thread(cli, "shell", "--as", "Ana Example", stdin="\n".join(REPORT_ANSWERS))
    assert checkpoints.stat().st_mode & 0o777 == 0o600
    intact = await asyncio.to_thread(cli, "audit", "verify")
    assert intact.returncode == 0 and "The audit trail is intact" in intact.stdout
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        for table in ("audit", "audit_head", "database_marks", "sealed_keys"):
            await connection.execute(text(f"DELETE FROM {table}"))
    await engine.dispose()
    wiped = await asyncio.to_thread(cli, "audit", "verify")
    assert wiped.returncode == 1
    assert "The audit trail is NOT intact: wiped: the trail is empty, but the checkpoint of" in (
        wiped.stdout
    )


async def test_restoring_an_older_backup_is_recorded_and_the_trail_verifies(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    await asyncio.to_thread(run_cli, "db", "upgrade", database_url=url)
    await asyncio.to_thread(
        run_cli, "shell", "--as", "Ana Example", database_url=url, stdin="\n".join(REPORT_ANSWERS)
    )
    saved = await asyncio.to_thread(run_cli, "backup", str(tmp_path / "copy.db"), database_url=url)
    assert saved.returncode == 0, saved.stderr
    await asyncio.to_thread(
        run_cli, "shell", "--as", "Ana Example", database_url=url, stdin="status RPR-2026-0001\n"
    )
    assert (tmp_path / "bot.db.audit-checkpoints").exists()
    restored = await asyncio.to_thread(
        run_cli, "restore", str(tmp_path / "copy.db"), "--replace", database_url=url
    )
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "The trail is older than its last checkpoint (rolled back:" in restored.stdout
    assert "the restore is recorded in" in restored.stdout
    verified = await asyncio.to_thread(run_cli, "audit", "verify", database_url=url)
    assert verified.returncode == 0 and "The audit trail is intact" in verified.stdout
