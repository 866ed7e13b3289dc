"""`reprisal-bot ...`: serve, shell, db and directory commands. Errors end in one clear line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.cli import admin
from bot.cli import digest as digest_cli
from bot.cli.digest_output import FORMATS
from bot.directory.load import DirectoryError, load_directory
from bot.directory.roster_text import format_roster
from bot.keys import load_keyring, require_configured_key
from bot.logs import configure_logging
from bot.settings import Settings, SettingsError, load_settings
from storage.backup import BackupProblem
from storage.crypto import KeyProblem
from storage.errors import SchemaOutdated


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    options = parser.parse_args(argv)
    try:
        settings = load_settings()
        configure_logging(settings.log_level)
        return int(options.run(options, settings) or 0)
    except (SettingsError, DirectoryError, SchemaOutdated, KeyProblem, BackupProblem) as problem:
        print(f"reprisal-bot: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reprisal-bot",
        description="Chat-ops for the treaty bodies' focal points on reprisals.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    verbs = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = verbs.add_parser("serve", help="serve Slack (HTTP, or Socket Mode with --socket)")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: put a reverse proxy in front, or give "
        "0.0.0.0 to listen everywhere)",
    )
    serve.add_argument("--port", type=int, default=3000)
    serve.add_argument("--socket", action="store_true", help="use Socket Mode (SLACK_APP_TOKEN)")
    serve.add_argument(
        "--insecure-dev",
        action="store_true",
        help="without a master key, use a local key file (for a trial, never in production)",
    )
    serve.set_defaults(run=_serve)

    shell = verbs.add_parser(
        "shell", help="use the bot in this terminal, as someone in the directory"
    )
    shell.add_argument("--as", dest="person", required=True, metavar="NAME_OR_EMAIL")
    shell.set_defaults(run=_shell)

    db = verbs.add_parser("db", help="database schema").add_subparsers(
        required=True, metavar="ACTION"
    )
    db.add_parser("upgrade", help="create or upgrade the schema").set_defaults(run=_db_upgrade)
    db.add_parser("current", help="show the schema revision").set_defaults(run=_db_current)

    directory = verbs.add_parser("directory", help="the directory file").add_subparsers(
        required=True, metavar="ACTION"
    )
    check = directory.add_parser("check", help="validate a directory file and print its roster")
    check.add_argument("file", type=Path)
    check.set_defaults(run=_directory_check)

    keys = verbs.add_parser("keys", help="master keys").add_subparsers(
        required=True, metavar="ACTION"
    )
    keys.add_parser("generate", help="print a new master key").set_defaults(
        run=lambda options, settings: admin.keys_generate(_write)
    )
    keys.add_parser("rotate", help="re-seal every data key with the first master key").set_defaults(
        run=lambda options, settings: asyncio.run(admin.keys_rotate(settings, _write))
    )

    case = verbs.add_parser("case", help="operator actions on a case").add_subparsers(
        required=True, metavar="ACTION"
    )
    erase = case.add_parser("erase", help="destroy a case's identifying data for good")
    erase.add_argument("reference")
    erase.add_argument("--yes", action="store_true", help="do not ask to confirm")
    erase.set_defaults(run=_case_erase)

    audit = verbs.add_parser("audit", help="the audit trail").add_subparsers(
        required=True, metavar="ACTION"
    )
    audit.add_parser("verify", help="check the whole chain").set_defaults(
        run=lambda options, settings: asyncio.run(admin.audit_verify(settings, _write))
    )
    show = audit.add_parser("show", help="a case's audit trail")
    show.add_argument("reference")
    show.set_defaults(
        run=lambda options, settings: asyncio.run(
            admin.as_operator(settings, "audit", (options.reference,), _write)
        )
    )
    saving = verbs.add_parser("backup", help="copy the SQLite database while the bot runs")
    saving.add_argument("path", type=Path)
    saving.set_defaults(
        run=lambda options, settings: asyncio.run(admin.backup(settings, options.path, _write))
    )
    restoring = verbs.add_parser("restore", help="put a backup in place (stop the bot first)")
    restoring.add_argument("path", type=Path)
    restoring.add_argument("--replace", action="store_true", help="overwrite the database")
    restoring.set_defaults(
        run=lambda options, settings: asyncio.run(
            admin.restore(settings, options.path, replace=options.replace, write=_write)
        )
    )

    _digest_parsers(verbs)
    exporting = verbs.add_parser("export", help="files for the annual reports").add_subparsers(
        required=True, metavar="WHAT"
    )
    exporting.add_parser(
        "cases", help="every case's facts as CSV, on standard output"
    ).set_defaults(
        run=lambda options, settings: asyncio.run(admin.export_cases(settings, sys.stdout.buffer))
    )
    return parser


def _digest_parsers(verbs: Any) -> None:
    digest = verbs.add_parser(
        "digest",
        help="write a month's digest (Markdown, HTML or Slack JSON), or queue it with --send",
    )
    digest.add_argument("--month", metavar="YYYY-MM", help="the month (default: last month)")
    digest.add_argument("--format", dest="form", choices=FORMATS, default="markdown")
    digest.add_argument(
        "--for",
        dest="reader",
        default="chairs-channel",
        metavar="READER",
        help="chairs-channel (default), coordination, or a Chair's name or e-mail",
    )
    digest.add_argument(
        "--charts", type=Path, metavar="DIR", help="write the charts here (default: embedded)"
    )
    digest.add_argument(
        "--send",
        action="store_true",
        help="queue the month's digests for every Chair and both channels (once per month)",
    )
    digest.add_argument(
        "--demo", action="store_true", help="with --send: send even from a demo database"
    )
    digest.set_defaults(
        run=lambda options, settings: asyncio.run(
            digest_cli.digest(
                settings,
                month=options.month,
                form=options.form,
                reader=options.reader,
                send=options.send,
                charts_dir=options.charts,
                write=_write,
                demo=options.demo,
            )
        )
    )
    demo = verbs.add_parser(
        "demo-data", help="fill the database with synthetic cases (demo, bench)"
    )
    demo.add_argument("--cases", type=int, required=True, metavar="N")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--months", type=int, default=36, help="spread over this many months")
    demo.add_argument("--add", action="store_true", help="add to a database that has cases")
    demo.set_defaults(run=_demo_data)


def _demo_data(options: argparse.Namespace, settings: Settings) -> int:
    if not 1 <= options.cases <= 1_000_000 or not 1 <= options.months <= 240:
        _write("Please give --cases from 1 to 1,000,000 and --months from 1 to 240.\n")
        return 2
    return asyncio.run(
        digest_cli.demo_data(
            settings,
            options.cases,
            seed=options.seed,
            months=options.months,
            add=options.add,
            write=_write,
        )
    )


def _case_erase(options: argparse.Namespace, settings: Settings) -> int:
    if not options.yes:
        _write(f"Erasing {options.reference} cannot be undone. Type the reference to confirm: ")
        if sys.stdin.readline().strip().upper() != options.reference.upper():
            _write("Not confirmed: nothing was erased.\n")
            return 1
    return asyncio.run(admin.erase_case(settings, options.reference, _write))


def _serve(options: argparse.Namespace, settings: Settings) -> int:
    from aiohttp import web

    from bot.app import build_app

    if options.socket:
        settings.require_socket()
    else:
        settings.require_http()
    load_directory(settings.directory_path)
    if not options.insecure_dev:
        require_configured_key(settings)
    keyring, notice = load_keyring(settings, local_fallback=options.insecure_dev)
    if options.insecure_dev:
        logging.getLogger("reprisal_bot").warning(
            "INSECURE DEV MODE: %s", notice or "--insecure-dev given but a master key is set."
        )
    app = build_app(settings, keyring, socket_mode=options.socket)
    mode = "Socket Mode" if options.socket else f"HTTP on http://{options.host}:{options.port}"
    logging.getLogger("reprisal_bot").info("serving Slack (%s); health at /healthz", mode)
    web.run_app(app, host=options.host, port=options.port, print=None)
    return 0


def _shell(options: argparse.Namespace, settings: Settings) -> int:
    from bot.console.shell import Shell
    from bot.services import build_services

    directory = load_directory(settings.directory_path)
    person = directory.find(options.person)
    if person is None:
        print(
            f"reprisal-bot: no one called {options.person!r} in the directory "
            f"({settings.directory_path}). Use a name, e-mail or Slack id from "
            "`reprisal-bot directory check`.",
            file=sys.stderr,
        )
        return 2

    keyring, notice = load_keyring(settings, local_fallback=True)
    if notice:
        print(notice, file=sys.stderr)

    async def session() -> int:
        services = await build_services(settings, keyring, directory=directory)
        try:
            await Shell(services, services.actor(person), sys.stdin, _write).loop()
            return 0
        finally:
            await services.close()

    return asyncio.run(session())


def _db_upgrade(options: argparse.Namespace, settings: Settings) -> int:
    from storage.engine import create_engine
    from storage.schema import current_revision, upgrade

    async def go() -> str | None:
        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine)
            return await current_revision(engine)
        finally:
            await engine.dispose()

    print(f"Schema is at revision {asyncio.run(go())}.")
    return 0


def _db_current(options: argparse.Namespace, settings: Settings) -> int:
    from storage.engine import create_engine
    from storage.schema import current_revision, head_revision

    async def go() -> str | None:
        engine = create_engine(settings.database_url)
        try:
            return await current_revision(engine)
        finally:
            await engine.dispose()

    print(f"Schema revision: {asyncio.run(go()) or 'none'} (this version needs {head_revision()}).")
    return 0


def _directory_check(options: argparse.Namespace, settings: Settings) -> int:
    import datetime as dt

    from bot.schedules.settings import describe_schedules

    directory = load_directory(options.file)
    print(format_roster(directory))
    now = dt.datetime.now(dt.UTC)
    print("", *describe_schedules(directory.schedules, directory.timezone, now), sep="\n")
    print(f"{options.file}: valid, {len(directory.people)} people.")
    return 0


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("reprisal-bot")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "(not installed)"


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


if __name__ == "__main__":
    raise SystemExit(main())
