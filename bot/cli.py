"""`reprisal-bot ...`: serve, shell, db and directory commands. Errors end in one clear line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.directory import DirectoryError, format_roster, load_directory
from bot.settings import Settings, SettingsError, load_settings
from storage.errors import SchemaOutdated


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    options = parser.parse_args(argv)
    try:
        settings = load_settings()
        logging.basicConfig(
            level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        logging.getLogger("alembic").setLevel(logging.WARNING)
        return int(options.run(options, settings) or 0)
    except (SettingsError, DirectoryError, SchemaOutdated) as problem:
        print(f"reprisal-bot: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reprisal-bot",
        description="Chat-ops for the treaty bodies' focal points on reprisals.",
    )
    verbs = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = verbs.add_parser("serve", help="serve Slack (HTTP, or Socket Mode with --socket)")
    serve.add_argument("--host", default="0.0.0.0")
    serve.add_argument("--port", type=int, default=3000)
    serve.add_argument("--socket", action="store_true", help="use Socket Mode (SLACK_APP_TOKEN)")
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
    return parser


def _serve(options: argparse.Namespace, settings: Settings) -> int:
    from aiohttp import web

    from bot.app import build_app

    if options.socket:
        settings.require_socket()
    else:
        settings.require_http()
    load_directory(settings.directory_path)
    app = build_app(settings, socket_mode=options.socket)
    mode = "Socket Mode" if options.socket else f"HTTP on http://{options.host}:{options.port}"
    logging.getLogger("reprisal_bot").info("serving Slack (%s); health at /healthz", mode)
    web.run_app(app, host=options.host, port=options.port, print=None)
    return 0


def _shell(options: argparse.Namespace, settings: Settings) -> int:
    from bot.services import build_services
    from bot.shell import Shell

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

    async def session() -> int:
        services = await build_services(settings, directory=directory)
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
    directory = load_directory(options.file)
    print(format_roster(directory))
    print(f"{options.file}: valid, {len(directory.people)} people.")
    return 0


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


if __name__ == "__main__":
    raise SystemExit(main())
