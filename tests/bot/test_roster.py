"""The live roster: the directory file re-read when its content changes (whatever its
modification time), and people Slack could not match at start asked about again later."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from bot.directory.load import load_directory
from bot.slack.people import RATE_LIMIT_RETRIES
from tests.bot.conftest import running_bot
from tests.bot.slack.report_payloads import ANA, IVAN, submission
from tests.conftest import FrozenClock
from tests.fakes.slack_standin import SlackStandIn

CHEN = "U0CHEN001"  # in the example directory by e-mail only
REFUSED = "not in its directory"


async def test_a_directory_rewritten_with_the_same_size_and_time_is_read_again(
    database_url: str,
    slack: SlackStandIn,
    clock: FrozenClock,
    example_directory: Path,
    tmp_path: Path,
) -> None:
    directory = tmp_path / "directory.toml"
    shutil.copy(example_directory, directory)
    async with running_bot(database_url, slack, clock, directory) as bot:
        await bot.interact(submission(ANA, "V0ROSTER1"))
        assert "Viet Nam" in json.dumps(await bot.ask(IVAN, "status RPR-2026-0001"))
        before = directory.stat()
        text = directory.read_text(encoding="utf-8")
        # Ivan's entry now names another account: as many bytes, and the old time put back
        # (as `cp -p`, `rsync -t` or an unpacked archive would).
        directory.write_text(text.replace(f'"{IVAN}"', '"U0CERDFP9"'), encoding="utf-8")
        os.utime(directory, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert directory.stat().st_size == before.st_size
        assert directory.stat().st_mtime_ns == before.st_mtime_ns
        assert REFUSED in (await bot.ask(IVAN, "status RPR-2026-0001"))["text"]


async def test_a_lookup_rate_limited_at_start_is_waited_out(
    database_url: str, slack: SlackStandIn, clock: FrozenClock, example_directory: Path
) -> None:
    slack.fail_next("users.lookupByEmail", retry_after=0)
    async with running_bot(database_url, slack, clock, example_directory) as bot:
        assert REFUSED not in (await bot.ask(CHEN, "help"))["text"]
    assert [c.failed for c in slack.calls_to("users.lookupByEmail")].count(True) == 1


async def test_someone_left_unmatched_by_rate_limits_gets_access_without_a_restart(
    database_url: str, slack: SlackStandIn, clock: FrozenClock, example_directory: Path
) -> None:
    # Every try for everyone in the directory by e-mail only is rate limited.
    by_email = [p for p in load_directory(example_directory).people if not p.slack_user]
    slack.fail_next(
        "users.lookupByEmail", retry_after=0, times=(RATE_LIMIT_RETRIES + 1) * len(by_email)
    )
    async with running_bot(database_url, slack, clock, example_directory) as bot:
        roster = bot.running.services.roster
        assert roster.unresolved == len(by_email)
        assert REFUSED in (await bot.ask(CHEN, "help"))["text"]
        clock.advance(seconds=61)  # Slack is asked again about those it did not match
        assert REFUSED not in (await bot.ask(CHEN, "help"))["text"]
        assert roster.unresolved == len(by_email) - 2  # Chen and Rosa; the others are not in Slack
