"""Ack latency of the real `reprisal-bot serve` under concurrent signed requests, next to a bare
Bolt app that only acks. Loopback only; bounded in count and time.

    python -m bench.ack_latency [--requests 500] [--concurrency 50] [--database sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import secrets
import signal
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from storage.crypto import KeyRing, generate_master_key
from storage.engine import create_engine, session_factory
from storage.uow import UnitOfWork
from tests.bot.slack.report_payloads import ANA, submission
from tests.fakes.signing import interactive_body, signed_headers, slash_command_body
from tests.fakes.slack_standin import SlackStandIn

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-signing-secret-" + secrets.token_hex(8)
POSTGRES_ADMIN = os.environ.get(
    "REPRISAL_BOT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)


DEFERRED: list[int] = []  # acks that said "being saved" (confirmed by DM later), per load


@dataclass(frozen=True)
class Row:
    target: str
    scenario: str
    requests: int
    concurrency: int
    p50: float
    p99: float
    worst: float
    errors: int
    deferred: int = 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def database(kind: str, folder: Path) -> AsyncIterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    import asyncpg

    name = f"reprisal_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(POSTGRES_ADMIN, timeout=5)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://{POSTGRES_ADMIN.split('://', 1)[1].rsplit('/', 1)[0]}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@asynccontextmanager
async def process(argv: list[str], env: dict[str, str], port: int) -> AsyncIterator[str]:
    """A server subprocess, up when /healthz answers; stopped (SIGTERM, then kill) at the end."""
    # The server's log goes to a file: an unread pipe would fill up and stall the server.
    log = tempfile.NamedTemporaryFile("w+b", suffix=".log", delete=False)  # noqa: SIM115
    child = await asyncio.create_subprocess_exec(
        *argv, env=env, cwd=ROOT, stdout=asyncio.subprocess.DEVNULL, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(300):
                if child.returncode is not None:
                    log.seek(0)
                    tail = log.read()[-2000:].decode(errors="replace")
                    raise RuntimeError(f"{argv[2:]} exited: {tail}")
                try:
                    async with http.get(f"{url}/healthz") as answer:
                        if answer.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError(f"{argv} did not become healthy in 30 s")
        yield url
    finally:
        if child.returncode is None:
            child.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(child.wait(), 10)
            except TimeoutError:
                child.kill()
                await child.wait()
        log.close()
        os.unlink(log.name)


async def load(
    url: str, make_body: Callable[[int], str], *, requests: int, concurrency: int
) -> tuple[list[float], int]:
    """Send `requests` signed POSTs, at most `concurrency` at once; latencies in ms, errors."""
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    errors = deferred = 0
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as http:

        async def one(n: int) -> None:
            nonlocal errors, deferred
            body = make_body(n)
            async with gate:
                start = time.perf_counter()
                try:
                    async with http.post(
                        f"{url}/slack/events", data=body, headers=signed_headers(SECRET, body)
                    ) as answer:
                        text = await answer.text()
                        # A 200 that carries form errors is a failure too.
                        ok = answer.status == 200 and '"response_action": "errors"' not in text
                        deferred += "being saved" in text
                except (aiohttp.ClientError, TimeoutError):
                    ok = False
                latencies.append((time.perf_counter() - start) * 1000)
                errors += not ok

        await asyncio.gather(*(one(n) for n in range(requests)))
    DEFERRED.append(deferred)
    return latencies, errors


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def measure(
    target: str,
    url: str,
    slack: SlackStandIn,
    run: str,
    args: argparse.Namespace,
) -> list[Row]:
    def status(n: int) -> str:
        return slash_command_body(
            text="status RPR-2026-0001",
            user_id=ANA,
            trigger_id=slack.new_trigger_id(),
            response_url=slack.new_response_url(),
        )

    def report(n: int) -> str:
        return interactive_body(submission(ANA, f"V{run}{target[:4]}{n:06d}"))

    rows = []
    scenarios: dict[str, Callable[[int], str]] = {
        "/reprisal status": status,
        "report submission": report,
    }
    for scenario, make in scenarios.items():
        await load(url, lambda n, make=make: make(10**6 + n), requests=20, concurrency=10)
        latencies, errors = await load(
            url, make, requests=args.requests, concurrency=args.concurrency
        )
        rows.append(
            Row(
                target,
                scenario,
                len(latencies),
                args.concurrency,
                statistics.median(latencies),
                percentile(latencies, 0.99),
                max(latencies),
                errors,
                DEFERRED[-1],
            )
        )
    return rows


async def stored_cases(url: str, key: str) -> int:
    engine = create_engine(url)
    try:
        async with UnitOfWork(session_factory(engine), KeyRing.parse(key)) as uow:
            return await uow.cases.count()
    finally:
        await engine.dispose()


async def main(args: argparse.Namespace) -> str:
    key = generate_master_key("bench")
    with tempfile.TemporaryDirectory() as folder:
        async with SlackStandIn() as slack, database(args.database, Path(folder)) as db_url:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REPRISAL"))}
            env.update(
                REPRISAL_BOT_DATABASE_URL=db_url,
                REPRISAL_BOT_MASTER_KEY=key,
                REPRISAL_BOT_DIRECTORY=str(ROOT / "directory.example.toml"),
                SLACK_API_URL=slack.base_url,
                SLACK_BOT_TOKEN=slack.bot_token,
                SLACK_SIGNING_SECRET=SECRET,
                REPRISAL_BOT_LOG_LEVEL="WARNING",
            )
            cli = [sys.executable, "-m", "bot.cli"]
            upgrade = await asyncio.create_subprocess_exec(
                *cli,
                "db",
                "upgrade",
                env=env,
                cwd=ROOT,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
            if await asyncio.wait_for(upgrade.wait(), 60) != 0:
                raise RuntimeError("reprisal-bot db upgrade failed")
            bot_port, bare_port = free_port(), free_port()
            rows: list[Row] = []
            async with process(
                [*cli, "serve", "--host", "127.0.0.1", "--port", str(bot_port)], env, bot_port
            ) as url:
                await load(
                    url,
                    lambda n: interactive_body(submission(ANA, "V0SEED")),
                    requests=1,
                    concurrency=1,
                )
                rows += await measure("reprisal-bot", url, slack, "B", args)
            expected = 1 + 20 + args.requests
            count = await stored_cases(db_url, key)
            bare = [
                sys.executable,
                "-m",
                "bench.bare_bolt_app",
                str(bare_port),
                SECRET,
                slack.base_url,
            ]
            async with process(bare, env, bare_port) as url:
                rows += await measure("bare Bolt (ack only)", url, slack, "A", args)
    return report(rows, args, stored=count, expected=expected)


def report(rows: list[Row], args: argparse.Namespace, *, stored: int, expected: int) -> str:
    lines = [
        f"### Ack latency on {args.database} ({dt.date.today().isoformat()})",
        "",
        f"`python -m bench.ack_latency --requests {args.requests} --concurrency "
        f"{args.concurrency} --database {args.database}` on {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; loopback, signed requests, real server process.",
        "",
        "| target | scenario | requests | concurrency | p50 ms | p99 ms | max ms | errors "
        '| acked as "being saved" |',
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.target} | {r.scenario} | {r.requests} | {r.concurrency} | {r.p50:.1f} | "
        f"{r.p99:.1f} | {r.worst:.1f} | {r.errors} | {r.deferred} |"
        for r in rows
    ]
    verdict = "one case per submission" if stored == expected else "MISMATCH"
    lines += [
        "",
        f"Cases stored by the bot: {stored} for {expected} distinct submissions ({verdict}).",
        "",
    ]
    return "\n".join(lines)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--out", type=Path, default=None, help="append the table to this file")
    return parser.parse_args(argv)


if __name__ == "__main__":
    arguments = parse()
    table = asyncio.run(asyncio.wait_for(main(arguments), timeout=300))
    print(table)
    if arguments.out:
        with arguments.out.open("a", encoding="utf-8") as out:
            out.write(table + "\n")
