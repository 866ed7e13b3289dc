"""Digest build time and peak memory at 1,000, 10,000 and 100,000 cases, on SQLite and
PostgreSQL. Each size is filled once with `demo-data` (36 months of synthetic cases); then a
fresh process builds the last month's digest for each audience, and we read its time and its
peak resident memory. Loopback only; bounded in size and time.

    python -m bench.digest_build [--sizes 1000,10000,100000] [--engines sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN = os.environ.get(
    "REPRISAL_BOT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)
TARGET_SECONDS, TARGET_MB = 2.0, 250


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the child process: a URL
    options = parser.parse_args()
    if options.measure:
        print(json.dumps(asyncio.run(measure(options.measure))))
        return
    rows = []
    for engine in options.engines.split(","):
        for size in (int(s) for s in options.sizes.split(",")):
            rows.append(run_one(engine, size))
            print(table(rows[-1:]), file=sys.stderr)
    print(report(rows))


def run_one(engine: str, size: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        url, drop = database(engine, folder, size)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "REPRISAL_"))},
            "REPRISAL_BOT_DATABASE_URL": url,
            "REPRISAL_BOT_DIRECTORY": str(ROOT / "directory.example.toml"),
            "REPRISAL_BOT_MASTER_KEY": key(),
            "REPRISAL_BOT_LOG_LEVEL": "WARNING",
        }
        try:
            cli(env, "db", "upgrade")
            started = time.perf_counter()
            cli(env, "demo-data", "--cases", str(size), "--seed", "7")
            filled = time.perf_counter() - started
            child = subprocess.run(
                [sys.executable, "-m", "bench.digest_build", "--measure", url],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
                check=True,
            )
            result = json.loads(child.stdout.strip().splitlines()[-1])
        finally:
            drop()
    return {"engine": engine, "cases": size, "fill_s": filled, **result}


async def measure(url: str) -> dict:
    """In a fresh process: build each audience's digest of last month, twice (cold, warm)."""
    from bot.directory.load import load_directory
    from bot.keys import load_keyring
    from bot.services import build_services
    from bot.settings import load_settings
    from commands.roles import RoleKind, actor_of
    from digests.build import DigestRequest, build_digest
    from digests.model import Audience
    from digests.periods import previous_month

    settings = load_settings()
    keyring, _ = load_keyring(settings, local_fallback=False)
    services = await build_services(settings, keyring)
    period = previous_month(services.clock.today())
    chair = load_directory(settings.directory_path).holders(RoleKind.CHAIR)[0]
    async with services.uow() as uow:
        person = await uow.people.get(services.roster.person_ids[chair.key])
    assert person is not None
    timings: dict[str, float] = {}
    described = 0
    for name, audience, actor in (
        ("chair", Audience.CHAIR, actor_of(person)),
        ("chairs_channel", Audience.CHAIRS_CHANNEL, None),
        ("coordination", Audience.COORDINATION, None),
    ):
        best = float("inf")
        for _ in range(2):
            started = time.perf_counter()
            async with services.uow() as uow:
                digest = await build_digest(uow, DigestRequest(period, audience, actor, 5))
            best = min(best, time.perf_counter() - started)
        timings[name] = best
        described = max(described, digest.figures.new_cases)
    await services.close()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "period": period.label,
        "new_in_period": described,
        "build_s": timings,
        "peak_mb": peak_kb / 1024,
    }


def database(engine: str, folder: str, size: int) -> tuple[str, object]:
    if engine == "sqlite":
        return f"sqlite:///{folder}/bench.db", lambda: None
    name = f"reprisal_bench_{size}_{os.getpid()}"
    admin(f'DROP DATABASE IF EXISTS "{name}"')
    admin(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN.rsplit("/", 1)[0]
    return f"{base}/{name}", lambda: admin(f'DROP DATABASE IF EXISTS "{name}"')


def admin(sql: str) -> None:
    async def run() -> None:
        import asyncpg

        connection = await asyncpg.connect(POSTGRES_ADMIN)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(run())


def key() -> str:
    from storage.crypto import generate_master_key

    return generate_master_key("bench")


def cli(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=1800,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def table(rows: list[dict]) -> str:
    lines = [
        "| engine | cases | new in the month | build: a Chair's DM | Chairs' channel | "
        "coordination (with agenda) | peak memory | within 2 s and 250 MB |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        b = r["build_s"]
        ok = max(b.values()) < TARGET_SECONDS and r["peak_mb"] < TARGET_MB
        lines.append(
            f"| {r['engine']} | {r['cases']:,} | {r['new_in_period']:,} | {b['chair']:.2f} s | "
            f"{b['chairs_channel']:.2f} s | {b['coordination']:.2f} s | {r['peak_mb']:.0f} MB | "
            f"{'yes' if ok else 'NO'} |"
        )
    return "\n".join(lines)


def report(rows: list[dict]) -> str:
    when = time.strftime("%Y-%m-%d")
    fills = ", ".join(f"{r['engine']} {r['cases']:,}: {r['fill_s']:.0f} s" for r in rows)
    return (
        f"#### Digest build ({when})\n\n"
        f"`python -m bench.digest_build` on {os.cpu_count()} cores, Python "
        f"{platform.python_version()}. Each database holds `demo-data` cases over 36 months; a "
        "fresh process builds last month's digest (best of two) and reports its peak resident "
        "memory (the whole process: Python, SQLAlchemy and the driver included).\n\n"
        f"{table(rows)}\n\nFilling took {fills}.\n"
    )


if __name__ == "__main__":
    main()
