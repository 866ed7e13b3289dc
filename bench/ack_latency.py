"""Ack latency of the real `reprisal-bot serve` under concurrent signed requests, next to a bare
Bolt app that only acks. Loopback only; bounded in count and in time.

    .venv/bin/python -m bench.ack_latency [--requests 500] [--concurrency 50]
        [--database sqlite|postgresql] [--out bench/results.md]

The ack is what Slack waits for: the time from sending a signed request to receiving the HTTP
response. Slack gives up after 3 seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import re
import secrets
import shlex
import signal
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import IO

import aiohttp

from bot.directory import load_directory
from storage.crypto import KeyRing, generate_master_key
from storage.engine import create_engine, session_factory
from storage.uow import UnitOfWork
from tests.bot.slack.report_payloads import ANA, submission
from tests.signing import interactive_body, signed_headers, slash_command_body
from tests.slack_standin import SlackStandIn

ROOT = Path(__file__).resolve().parent.parent
DIRECTORY = ROOT / "directory.example.toml"
POSTGRES_ADMIN = os.environ.get(
    "REPRISAL_BOT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)
SECRET = "bench-signing-secret-" + secrets.token_hex(16)
SLACK_LIMIT_MS = 3000.0
HEALTHY_WITHIN = 30.0  # seconds for a server to answer /healthz
STOP_WITHIN = 10.0  # seconds after SIGTERM before SIGKILL
REQUEST_TIMEOUT = 30.0  # seconds for one request; longer counts as an error
REFERENCE = re.compile(r"RPR-\d{4}-\d{4,}")

BOT = "reprisal-bot"
BARE = "bare Bolt (ack only)"
STATUS = "/reprisal status"
REPORT = "report submission"


# -- measuring --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Sample:
    ms: float
    status: int | None  # None: no HTTP response (connection error or timeout)
    body: str

    @property
    def form_errors(self) -> bool:
        """A submission answered with form errors: acked in time, but nothing stored."""
        return self.status == 200 and '"errors"' in self.body

    @property
    def failed(self) -> bool:
        return self.status != 200 or self.form_errors

    @property
    def deferred(self) -> bool:
        """Acked with "being saved": storing outlasted the bot's budget, the DM follows."""
        return "being saved" in self.body


@dataclass(frozen=True, slots=True)
class Row:
    target: str
    scenario: str
    concurrency: int
    samples: list[Sample]

    @property
    def ms(self) -> list[float]:
        return [s.ms for s in self.samples]

    @property
    def p50(self) -> float:
        return percentile(self.ms, 0.50)

    @property
    def p99(self) -> float:
        return percentile(self.ms, 0.99)

    @property
    def worst(self) -> float:
        return max(self.ms)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.ms)

    @property
    def non_200(self) -> int:
        return sum(s.status is not None and s.status != 200 for s in self.samples)

    @property
    def no_response(self) -> int:
        return sum(s.status is None for s in self.samples)

    @property
    def form_errors(self) -> int:
        return sum(s.form_errors for s in self.samples)

    @property
    def errors(self) -> int:
        return sum(s.failed for s in self.samples)

    @property
    def deferred(self) -> int:
        return sum(s.deferred for s in self.samples)

    @property
    def over_limit(self) -> int:
        return sum(s.ms >= SLACK_LIMIT_MS for s in self.samples)


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest rank: the smallest value at least `share` of the values do not exceed."""
    ordered = sorted(values)
    # ceil(share * n) in integers: 0.99 * 500 is 495.00000000000006 in floating point.
    rank = max(1, -(-round(share * 1000) * len(ordered) // 1000))
    return ordered[min(rank, len(ordered)) - 1]


async def load(
    http: aiohttp.ClientSession, url: str, bodies: Sequence[str], concurrency: int
) -> list[Sample]:
    """POST every body, signed, with at most `concurrency` in flight; one Sample each.
    Bodies are built beforehand; the clock runs from sending to the whole response read."""
    gate = asyncio.Semaphore(concurrency)

    async def one(body: str) -> Sample:
        async with gate:
            headers = signed_headers(SECRET, body)
            start = time.perf_counter()
            try:
                async with http.post(url, data=body, headers=headers) as answer:
                    text = await answer.text()
                    status: int | None = answer.status
            except (aiohttp.ClientError, TimeoutError):
                text, status = "", None
            return Sample((time.perf_counter() - start) * 1000, status, text)

    return list(await asyncio.gather(*(one(body) for body in bodies)))


@dataclass(slots=True)
class Scenarios:
    """Request bodies: Ana asks for a case's status; Ana submits a complete report."""

    slack: SlackStandIn
    reference: str = "RPR-2026-0001"
    issued_response_urls: list[str] = field(default_factory=list)
    _views: int = 0

    def status(self) -> str:
        response_url = self.slack.new_response_url()
        self.issued_response_urls.append(response_url)
        return slash_command_body(
            text=f"status {self.reference}",
            user_id=ANA,
            trigger_id=self.slack.new_trigger_id(),
            response_url=response_url,
        )

    def report(self) -> str:
        self._views += 1  # a new view id each time: each submission is a new report
        return interactive_body(submission(ANA, f"V0BENCH{self._views:07d}"))


@dataclass(slots=True)
class Target:
    name: str
    url: str
    rows: list[Row] = field(default_factory=list)
    report_samples: list[Sample] = field(default_factory=list)  # warm-up and seed included


async def measure(
    target: Target, scenarios: Scenarios, *, requests: int, concurrency: int, warmup: int
) -> None:
    makers: dict[str, Callable[[], str]] = {STATUS: scenarios.status, REPORT: scenarios.report}
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=concurrency)
    events = f"{target.url}/slack/events"
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as http:
        for scenario, make in makers.items():
            warm = await load(http, events, [make() for _ in range(warmup)], min(10, concurrency))
            if scenario == STATUS:
                scenarios.issued_response_urls.clear()  # check only the measured ones
            bodies = [make() for _ in range(requests)]
            samples = await load(http, events, bodies, concurrency)
            target.rows.append(Row(target.name, scenario, concurrency, samples))
            if scenario == REPORT:
                target.report_samples += warm + samples


async def seed(url: str, scenarios: Scenarios) -> Sample:
    """One report before measuring, so that `status` finds a case; its reference is used."""
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)) as http:
        [sample] = await load(http, f"{url}/slack/events", [scenarios.report()], 1)
    found = REFERENCE.search(sample.body)
    if sample.failed or found is None:
        raise RuntimeError(f"the seed report was not saved: {sample.status} {sample.body[:500]}")
    scenarios.reference = found.group()
    return sample


# -- checking ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Checks:
    submitted: int  # report submissions the bot acked as saved or being saved
    stored: int  # cases in the database afterwards
    references: int  # distinct references in the acks that gave one
    with_reference: int  # acks that gave a reference
    status_asked: int
    status_answered: int  # answers at the response_url naming the case
    status_other: int  # answers at the response_url not naming it (refusals, incidents)

    def lines(self) -> list[str]:
        one_each = self.stored == self.submitted and self.references == self.with_reference
        status_ok = self.status_answered == self.status_asked
        return [
            f"- Cases stored by the bot: {self.stored} for {self.submitted} successful report "
            f"submissions (seed and warm-up included); {self.references} distinct references in "
            f"{self.with_reference} acks that gave one: "
            + ("**one case per submission**." if one_each else "**MISMATCH**."),
            f"- `/reprisal status` answers at the response URL naming the case: "
            f"{self.status_answered} of {self.status_asked}"
            + (f"; {self.status_other} other answers" if self.status_other else "")
            + (": **all answered**." if status_ok else ": **MISSING ANSWERS**."),
        ]


async def stored_cases(database_url: str, key: str) -> int:
    engine = create_engine(database_url)
    try:
        async with UnitOfWork(session_factory(engine), KeyRing.parse(key)) as uow:
            return await uow.cases.count()
    finally:
        await engine.dispose()


async def settled(database_url: str, key: str, expected: int, within: float = 30) -> None:
    for _ in range(int(within / 0.5)):
        if await stored_cases(database_url, key) >= expected:
            return
        await asyncio.sleep(0.5)


async def status_answers(slack: SlackStandIn, scenarios: Scenarios) -> tuple[int, int]:
    """Wait (bounded) for the bot's answers to the measured status commands; count them."""
    asked = set(scenarios.issued_response_urls)
    deadline = time.monotonic() + 20
    while True:
        answers = [r for r in slack.responses if r["url"] in asked]
        if len({r["url"] for r in answers}) >= len(asked) or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)
    naming = {r["url"] for r in answers if scenarios.reference in json.dumps(r)}
    return len(naming), len({r["url"] for r in answers}) - len(naming)


# -- the processes --------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def executable(name: str) -> list[str]:
    """The venv's console script if installed next to this Python, else the module."""
    script = Path(sys.executable).parent / name
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


@asynccontextmanager
async def database(kind: str, folder: Path) -> AsyncIterator[str]:
    """A fresh, empty database; a PostgreSQL one is dropped at the end whatever happens."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    import asyncpg

    name = f"reprisal_bench_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(POSTGRES_ADMIN, timeout=5)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            server, _, _ = POSTGRES_ADMIN.rpartition("/")
            yield f"{server}/{name}"
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def postgres_version() -> str:
    import asyncpg

    admin = await asyncpg.connect(POSTGRES_ADMIN, timeout=5)
    try:
        return str(await admin.fetchval("SHOW server_version")).split()[0]
    finally:
        await admin.close()


@asynccontextmanager
async def process(
    name: str, argv: list[str], env: dict[str, str], port: int, log: IO[bytes]
) -> AsyncIterator[str]:
    """A server subprocess, up once /healthz answers 200; always stopped at the end (SIGTERM,
    then SIGKILL). Its output goes to `log`, never to a pipe that could fill and stall it."""
    child = await asyncio.create_subprocess_exec(
        *argv, env=env, cwd=ROOT, stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + HEALTHY_WITHIN
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as http:
            while True:
                if child.returncode is not None:
                    raise RuntimeError(f"{name} exited with {child.returncode}: {tail(log)}")
                try:
                    async with http.get(f"{url}/healthz") as answer:
                        if answer.status == 200:
                            break
                except (aiohttp.ClientError, TimeoutError):
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} was not healthy in {HEALTHY_WITHIN:.0f} s")
                await asyncio.sleep(0.1)
        yield url
    finally:
        if child.returncode is None:
            child.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(child.wait(), STOP_WITHIN)
            except TimeoutError:
                child.kill()
                await child.wait()


def tail(log: IO[bytes], lines: int = 20) -> str:
    log.flush()
    text = Path(log.name).read_text(encoding="utf-8", errors="replace")
    return "\n".join(text.splitlines()[-lines:])


async def run_cli(argv: list[str], env: dict[str, str], log: IO[bytes]) -> None:
    child = await asyncio.create_subprocess_exec(
        *argv, env=env, cwd=ROOT, stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log
    )
    try:
        code = await asyncio.wait_for(child.wait(), 60)
    except TimeoutError:
        child.kill()
        await child.wait()
        raise
    if code != 0:
        raise RuntimeError(f"{shlex.join(argv[-2:])} failed ({code}): {tail(log)}")


def slack_standin() -> SlackStandIn:
    """The Web API stand-in, knowing the example directory's people (as the tests' does)."""
    standin = SlackStandIn()
    for person in load_directory(DIRECTORY).people:
        if person.slack_user:
            standin.add_user(person.slack_user, email=person.email, name=person.name)
    standin.add_user("U0CHEN001", email="chen.example@example.org", name="Chen Example")
    standin.add_user("U0ROSA001", email="rosa.example@example.org", name="Rosa Example")
    return standin


# -- the run ----------------------------------------------------------------------------------
@dataclass(slots=True)
class Outcome:
    rows: list[Row]
    checks: Checks
    bot_log: str  # what the bot wrote (WARNING and above) during the run


async def run(args: argparse.Namespace) -> Outcome:
    key = generate_master_key("bench")
    async with AsyncExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="reprisal-bench-")))
        bot_log = stack.enter_context((folder / "bot.log").open("w+b"))
        bare_log = stack.enter_context((folder / "bare.log").open("w+b"))
        slack = await stack.enter_async_context(slack_standin())
        database_url = await stack.enter_async_context(database(args.database, folder))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REPRISAL"))}
        env.update(
            REPRISAL_BOT_DATABASE_URL=database_url,
            REPRISAL_BOT_MASTER_KEY=key,
            REPRISAL_BOT_DIRECTORY=str(DIRECTORY),
            SLACK_API_URL=slack.base_url,
            SLACK_BOT_TOKEN=slack.bot_token,
            SLACK_SIGNING_SECRET=SECRET,
            REPRISAL_BOT_LOG_LEVEL="WARNING",
        )
        cli = executable("reprisal-bot")
        await run_cli([*cli, "db", "upgrade"], env, bot_log)

        port = free_port()
        serve = [*cli, "serve", "--host", "127.0.0.1", "--port", str(port)]
        bot_scenarios = Scenarios(slack)
        async with process(BOT, serve, env, port, bot_log) as url:
            seeded = await seed(url, bot_scenarios)
            bot = Target(BOT, url, report_samples=[seeded])
            await measure(
                bot,
                bot_scenarios,
                requests=args.requests,
                concurrency=args.concurrency,
                warmup=args.warmup,
            )
            answered, other = await status_answers(slack, bot_scenarios)
            acked = [s for s in bot.report_samples if not s.failed]
            # Reports acked "being saved" are still being stored: let them finish (bounded).
            await settled(database_url, key, len(acked))
        stored = await stored_cases(database_url, key)  # the bot has stopped
        references = [m.group() for s in acked if (m := REFERENCE.search(s.body))]
        checks = Checks(
            submitted=len(acked),
            stored=stored,
            references=len(set(references)),
            with_reference=len(references),
            status_asked=len(bot_scenarios.issued_response_urls),
            status_answered=answered,
            status_other=other,
        )

        port = free_port()
        bare_argv = [
            sys.executable,
            "-m",
            "bench.bare_bolt_app",
            "--port",
            str(port),
            "--slack-api-url",
            slack.base_url,
            "--bot-token",
            slack.bot_token,
        ]
        bare_env = {**env, "BENCH_SIGNING_SECRET": SECRET}
        async with process(BARE, bare_argv, bare_env, port, bare_log) as url:
            bare = Target(BARE, url)
            await measure(
                bare,
                Scenarios(slack, reference=bot_scenarios.reference),
                requests=args.requests,
                concurrency=args.concurrency,
                warmup=args.warmup,
            )
        return Outcome(bot.rows + bare.rows, checks, tail(bot_log, 40))


# -- the report -------------------------------------------------------------------------------
def command_line() -> str:
    python = Path(sys.executable)
    try:
        shown = str(python.relative_to(ROOT))
    except ValueError:
        shown = "python"
    return shlex.join([shown, "-m", "bench.ack_latency", *sys.argv[1:]])


def machine() -> str:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                model = f" ({line.split(':', 1)[1].strip()})"
                break
    versions = ", ".join(
        f"{package} {metadata.version(package)}" for package in ("slack_bolt", "aiohttp")
    )
    return (
        f"{cpus} CPUs{model}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {versions}"
    )


def markdown(outcome: Outcome, args: argparse.Namespace, database_version: str) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"### Ack latency on {database_version}",
        "",
        f"- Command: `{command_line()}`",
        f"- Date: {now}",
        f"- Machine: {machine()}",
        f"- Load: {args.requests} signed requests per scenario, at most {args.concurrency} in "
        f"flight, after {args.warmup} warm-up requests (not counted); client, servers and the "
        "Slack stand-in on this one machine, over loopback.",
        "",
        "| target | scenario | requests | concurrency | p50 ms | p99 ms | max ms | mean ms "
        '| errors | acked "being saved" |',
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    lines += [
        f"| {r.target} | {r.scenario} | {len(r.samples)} | {r.concurrency} | {r.p50:.1f} | "
        f"{r.p99:.1f} | {r.worst:.1f} | {r.mean:.1f} | {r.errors} | {r.deferred} |"
        for r in outcome.rows
    ]
    lines += ["", *outcome.checks.lines()]
    breakdown = [
        f"{r.target} {r.scenario}: {r.non_200} non-200, {r.no_response} without response, "
        f"{r.form_errors} answered with form errors"
        for r in outcome.rows
        if r.errors
    ]
    if breakdown:
        lines.append("- Errors: " + "; ".join(breakdown) + ".")
    late = [f"{r.target} {r.scenario} ({r.over_limit})" for r in outcome.rows if r.over_limit]
    lines.append(
        "- Acks at or over Slack's 3 s limit: "
        + (", ".join(late) + " — Slack would have dropped these." if late else "none.")
    )
    lines.append("")
    return "\n".join(lines)


HEADER = """# Ack latency results

Written by `bench/ack_latency.py`; see `bench/README.md` for what is measured and how.
"""


def write(path: Path, kind: str, section: str) -> None:
    """Put `section` between this database's markers in `path`, keeping the other database's
    section; a missing file or section is created."""
    start, end = f"<!-- ack-latency:{kind}:start -->", f"<!-- ack-latency:{kind}:end -->"
    block = f"{start}\n{section.rstrip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.ack_latency",
        description="Ack latency of reprisal-bot next to a bare Bolt app, on loopback.",
    )
    parser.add_argument("--requests", type=int, default=500, help="per scenario (default 500)")
    parser.add_argument("--concurrency", type=int, default=50, help="in flight (default 50)")
    parser.add_argument("--warmup", type=int, default=20, help="uncounted requests (default 20)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--out",
        type=Path,
        action="append",
        help="Markdown file(s) to put the table in, replacing this database's previous one "
        "(default bench/results.md)",
    )
    parser.add_argument(
        "--time-limit", type=float, default=240, help="stop the whole run after this (seconds)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= 5000 or not 1 <= args.concurrency <= 200:
        parser.error("--requests must be 1..5000 and --concurrency 1..200")
    args.out = args.out or [ROOT / "bench" / "results.md"]
    return args


async def main(args: argparse.Namespace) -> int:
    if args.database == "postgresql":
        version = f"PostgreSQL {await postgres_version()}"
    else:
        import sqlite3

        version = f"SQLite {sqlite3.sqlite_version}"
    try:
        outcome = await asyncio.wait_for(run(args), args.time_limit)
    except TimeoutError:
        print(f"ack_latency: stopped after --time-limit {args.time_limit:g} s", file=sys.stderr)
        return 2
    section = markdown(outcome, args, version)
    print(section)
    if outcome.bot_log.strip():
        print("The bot's warnings during the run (last lines):\n" + outcome.bot_log)
    for path in args.out:
        write(path, args.database, section)
        print(f"Written to {path}.")
    checks = outcome.checks
    ok = (
        checks.stored == checks.submitted
        and checks.references == checks.with_reference
        and checks.status_answered == checks.status_asked
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(parse())))
