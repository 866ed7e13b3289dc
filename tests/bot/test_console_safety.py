"""The console as an operator's terminal sees it: names cannot drive the terminal, and an erasure
typed in one go still asks for the reference again."""

from __future__ import annotations

import asyncio

from tests.bot.test_cli import REPORT_ANSWERS, VICTIM, run_cli

# A window title (OSC ... BEL), a screen clear (CSI), a C1 CSI, and a right-to-left override.
HOSTILE = "Canary \x1b]0;pwned\x07 Victim \x1b[2J \x9b31m \u202eevil\u2066"
RAW = [b"\x1b", b"\x07", "\x9b".encode(), "\u202e".encode(), "\u2066".encode()]


async def console(database_url: str, person: str, *lines: str) -> bytes:
    done = await asyncio.to_thread(
        run_cli,
        "shell",
        "--as",
        person,
        database_url=database_url,
        stdin="\n".join(lines) + "\n",
        text=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


async def test_control_sequences_in_a_name_are_shown_escaped_never_sent_raw(
    database_url: str,
) -> None:
    await asyncio.to_thread(run_cli, "db", "upgrade", database_url=database_url)
    answers = [HOSTILE if answer == VICTIM else answer for answer in REPORT_ANSWERS]
    reported = await console(database_url, "Ana Example", *answers)
    assert b"Your report is saved as RPR-2026-0001." in reported
    shown = await console(database_url, "Ana Example", "status RPR-2026-0001", "quit")
    assert b"Canary \\x1b]0;pwned\\x07 Victim \\x1b[2J \\x9b31m \\u202eevil\\u2066" in shown
    for raw in RAW:
        assert raw not in reported and raw not in shown, raw


async def test_erase_confirm_typed_in_one_go_asks_for_the_reference_again(
    database_url: str,
) -> None:
    await asyncio.to_thread(run_cli, "db", "upgrade", database_url=database_url)
    await console(database_url, "Ana Example", *REPORT_ANSWERS)
    kept = await console(
        database_url, "Sam Secretariat", "erase RPR-2026-0001 confirm", "RPR-2026-0002", "quit"
    )
    assert b"Type the reference again" in kept and b"nothing was erased" in kept
    still = await console(database_url, "Sam Secretariat", "status RPR-2026-0001")
    assert VICTIM.encode() in still
    erased = await console(
        database_url, "Sam Secretariat", "erase RPR-2026-0001 confirm", "rpr-2026-0001", "quit"
    )
    assert b"RPR-2026-0001 is erased" in erased
    gone = await console(database_url, "Sam Secretariat", "status RPR-2026-0001")
    assert VICTIM.encode() not in gone
