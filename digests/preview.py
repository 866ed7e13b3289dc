"""`/reprisal digest preview [YYYY-MM]`: the digest as the asker may read it, now."""

from __future__ import annotations

from dataclasses import dataclass

from commands import policy
from commands.errors import CommandError, NotAllowed
from commands.invocation import Core
from commands.roles import Actor
from commands.trail import on_demand_surface, record, refuse
from digests.build import DigestRequest, build_digest
from digests.model import Audience, Digest
from digests.periods import BadMonth, parse_month, previous_month

USAGE = "`/reprisal digest preview` (last month) or `/reprisal digest preview 2026-10`"


@dataclass(frozen=True, slots=True)
class DigestPreview:
    digest: Digest
    audience_note: str


async def handle(args: tuple[str, ...], *, actor: Actor, core: Core) -> DigestPreview:
    if not args or args[0].lower() != "preview" or len(args) > 2:
        raise CommandError(f"Please ask for a preview: {USAGE}.")
    try:
        period = parse_month(args[1]) if len(args) == 2 else previous_month(core.clock.today())
    except BadMonth as problem:
        raise CommandError(f"Sorry, {problem}.") from None
    if period.start > core.clock.today():
        raise CommandError(f"{period.title} has not started yet: {USAGE}.")
    if not policy.may_read_digest(actor):
        await refuse(core, actor=actor, action="digest", detail={"period": period.label})
        raise NotAllowed("Digests are for the Chairs and the secretariat.")
    async with core.uow() as uow:
        request = DigestRequest(period, Audience.PREVIEW, actor, core.reporting_year_start)
        digest = await build_digest(uow, request)
        await record(
            uow,
            actor=actor,
            action="digest",
            case_id=None,
            allowed=True,
            surface=on_demand_surface(core),
            clock=core.clock,
            # One entry per preview, with how many cases it lists: the digest shows facts at
            # most, and an entry per case would outweigh the preview itself.
            detail={"period": period.label, "cases": len(listed_references(digest))},
        )
        await uow.commit()
    note = (
        f"Preview for {actor.name}: each case as far as you may see it; never names or summaries."
    )
    return DigestPreview(digest, note)


def listed_references(digest: Digest) -> frozenset[str]:
    """The references of every case the digest lists, in any of its parts."""
    cases = [*digest.new_cases, *digest.closed, *digest.overdue, *digest.due_next_month]
    cases += [*digest.joint, *(line.case for line in digest.replies_received)]
    cases += [line.case for line in digest.referrals]
    references = {case.reference for case in cases}
    if digest.own_section:
        section = digest.own_section
        cases = [*section.new_cases, *section.overdue, *(line.case for line in section.actions)]
        references |= {case.reference for case in cases}
    if digest.agenda:
        agenda = digest.agenda
        cases = [*agenda.joint, *agenda.overdue, *agenda.awaiting_decision]
        references |= {case.reference for case in cases}
        references |= {ref for pattern in agenda.patterns for ref in pattern.references}
    return frozenset(references)
