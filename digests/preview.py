"""`/reprisal digest preview [YYYY-MM]`: the digest as the asker may read it, now; and the note
heading a digest, for each audience."""

from __future__ import annotations

from dataclasses import dataclass

from commands import policy
from commands.errors import CommandError, NotAllowed
from commands.invocation import Dependencies
from commands.roles import Actor
from commands.trail import on_demand_surface, record, refuse
from digests.build import DigestRequest, build_digest
from digests.model import Audience, Digest
from digests.periods import BadMonth, parse_month, previous_month

USAGE = "`/reprisal digest preview` (last month) or `/reprisal digest preview 2026-10`"
NOTES = {
    Audience.CHAIR: (
        "For {name}, Chair of {committee}. Cases are described as far as Chairs may see them:"
        " never names or summaries; cases you may not see are counted, not described."
    ),
    Audience.CHAIRS_CHANNEL: (
        "For the Chairs' channel: cases shared between committees in outline, public cases with"
        " their facts; restricted cases are counted, not described."
    ),
    Audience.COORDINATION: (
        "For the focal points' coordination channel, with the agenda of the monthly"
        " coordination meeting. Shared cases are shown as on their case cards; restricted ones"
        " are only counted."
    ),
    Audience.PREVIEW: (
        "Preview for {name}: each case as far as you may see it; never names or summaries."
    ),
}


@dataclass(frozen=True, slots=True)
class DigestPreview:
    digest: Digest
    audience_note: str


async def handle(args: tuple[str, ...], *, actor: Actor, core: Dependencies) -> DigestPreview:
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
    return DigestPreview(digest, audience_note(Audience.PREVIEW, None, actor))


def audience_note(audience: Audience, committee: str | None, actor: Actor | None) -> str:
    """The line heading a digest: whom it is for, and how far it describes cases."""
    name = actor.name if actor is not None else ""
    return NOTES[audience].format(name=name, committee=committee or "")


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
