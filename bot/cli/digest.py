"""`reprisal-bot digest` (write a month's digest, or queue it for sending) and `demo-data`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from bot.cli.admin import operator
from bot.cli.digest_output import render_digest
from bot.keys import load_keyring
from bot.services import Services, build_services
from bot.settings import Settings
from commands.roles import Actor, RoleKind, actor_of
from commands.trail import CLI, record
from digests.build import DigestRequest, build_digest
from digests.model import Audience
from digests.periods import BadMonth, Period, parse_month, previous_month
from digests.preview import audience_note, listed_references
from digests.queue import queue_digests
from storage.marks import DEMO
from storage.uow import UnitOfWork

Write = Callable[[str], None]


class DigestUsage(Exception):
    """A problem with the command line, told in one line."""


async def digest(
    settings: Settings,
    *,
    month: str | None,
    form: str,
    reader: str,
    send: bool,
    charts_dir: Path | None,
    write: Write,
    demo: bool = False,
) -> int:
    """Write a month's digest for one reader, or with `send` queue it for everyone (on a demo
    database only if `demo` says so)."""
    # The one key rule: a trial's local key file serves if it exists, but is not created here.
    keyring, _ = load_keyring(settings, local_fallback=False)
    services = await build_services(settings, keyring)
    try:
        period = _period(month, services)
        if send:
            await _refuse_demo(services, demo)
            return await _queue(services, period, write)
        audience, actor = await _reader(services, reader)
        request = DigestRequest(
            period, audience, actor, services.directory.schedules.reporting_year_starts
        )
        async with services.uow() as uow:
            built = await build_digest(uow, request)
            listed = len(listed_references(built))
            reader_id = actor.person_id if actor else None
            detail = {"period": period.label, "audience": str(audience), "for": reader_id}
            await _attribute(uow, services, {**detail, "cases": listed})
            await uow.commit()
        committee = built.committee
        note = audience_note(audience, committee, actor)
        write(
            render_digest(
                services.renderer, built, audience_note=note, form=form, charts_dir=charts_dir
            )
        )
        return 0
    except DigestUsage as problem:
        sys.stderr.write(f"reprisal-bot: {problem}\n")
        return 2
    finally:
        await services.close()


def _period(month: str | None, services: Services) -> Period:
    if month is None:
        return previous_month(services.clock.today())
    try:
        period = parse_month(month)
    except BadMonth as problem:
        raise DigestUsage(str(problem)) from None
    if period.start > services.clock.today():
        raise DigestUsage(f"{period.title} has not started yet")
    return period


async def _reader(services: Services, reader: str) -> tuple[Audience, Actor | None]:
    """`chairs-channel`, `coordination`, or a Chair's name, e-mail or Slack id."""
    if reader == "chairs-channel":
        return Audience.CHAIRS_CHANNEL, None
    if reader == "coordination":
        return Audience.COORDINATION, None
    person = services.directory.find(reader)
    if person is None or not person.holds(RoleKind.CHAIR):
        raise DigestUsage(
            f"{reader!r} is not a Chair in the directory; use a Chair's name or e-mail, "
            "`chairs-channel` or `coordination`"
        )
    async with services.uow() as uow:
        stored = await uow.people.get(services.roster.person_ids[person.key])
    assert stored is not None
    return Audience.CHAIR, actor_of(stored)


async def _refuse_demo(services: Services, demo: bool) -> None:
    async with services.uow() as uow:
        marked = await uow.marks.get(DEMO) is not None
    if marked and not demo:
        raise DigestUsage(
            "this database holds demo data (`reprisal-bot demo-data`): sending its digests would"
            " message the directory's real Chairs and channels. Add --demo to send them anyway"
        )


async def _queue(services: Services, period: Period, write: Write) -> int:
    """Queue the month's digests through the ledger: what went out before is not sent again."""
    async with services.uow() as uow:
        queued = await queue_digests(uow, period, platform="slack", now=services.clock.now())
        await _attribute(uow, services, {"period": period.label, "queued": len(queued)})
        await uow.commit()
    if not queued:
        write(f"The {period.title} digests were all queued before: nothing new to send.\n")
        return 0
    write(
        f"Queued the {period.title} digest for {len(queued)} recipients "
        f"({', '.join(queued)}). The running bot (`reprisal-bot serve`) sends them.\n"
    )
    return 0


async def _attribute(uow: UnitOfWork, services: Services, detail: dict[str, object]) -> None:
    """The digest written or queued from the command line, in the audit trail as the operator's."""
    await record(
        uow,
        actor=operator(),
        action="digest",
        case_id=None,
        allowed=True,
        surface=CLI,
        clock=services.clock,
        detail=detail,
    )


async def demo_data(
    settings: Settings, cases: int, *, seed: int, months: int, add: bool, write: Write
) -> int:
    """Synthetic cases for a demo or a benchmark; into an empty database unless told `add`."""
    from bot.cli.demo_data import generate

    keyring, _ = load_keyring(settings, local_fallback=True)
    services = await build_services(settings, keyring)
    try:
        async with services.uow() as uow:
            existing = await uow.cases.count()
            if existing and not add:
                write(
                    f"This database already holds {existing} cases: synthetic ones would mix"
                    " with them. Point REPRISAL_BOT_DATABASE_URL at an empty database, or add"
                    " --add.\n"
                )
                return 2
            # Marked first: even a half-filled demo database keeps `serve` from messaging.
            await uow.marks.put(DEMO, f"demo-data --seed {seed}", now=services.clock.now())
            await uow.commit()
        await generate(services, cases, seed=seed, months=months, write=lambda t: write(t + "\n"))
    finally:
        await services.close()
    return 0
