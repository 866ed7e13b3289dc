"""Is the coordination channel still a safe place for case details? Decided here, from facts
the platform adapter gathers (who joined, whether it is shared with another organisation)."""

from __future__ import annotations

from dataclasses import dataclass

from commands import policy
from commands.errors import NotAllowed
from commands.invocation import Core
from commands.results import ChannelChecked
from commands.roles import Actor, RoleKind
from commands.trail import record, refuse


@dataclass(frozen=True, slots=True)
class ChannelFacts:
    channel: str
    shared_externally: bool
    outsiders: int  # members who are not in the directory (the bot itself excluded)


async def assess(facts: ChannelFacts, *, core: Core, actor: Actor | None = None) -> ChannelChecked:
    """Record whether case details may be posted in the channel; alert the secretariat when
    it stops being safe. While it is not, channel messages are held, not lost."""
    safe = not facts.shared_externally and facts.outsiders == 0
    reason = _reason(facts)
    now = core.clock.now()
    async with core.uow() as uow:
        changed = await uow.channels.mark(facts.channel, safe=safe, reason=reason, now=now)
        if changed:
            await record(
                uow,
                actor=actor,
                action="channel-safe" if safe else "channel-unsafe",
                case_id=None,
                allowed=True,
                surface="channel",
                clock=core.clock,
                detail={
                    "channel": facts.channel,
                    "outsiders": facts.outsiders,
                    "shared_externally": facts.shared_externally,
                },
            )
        if changed and safe:
            await uow.outbox.release_channel_messages(now=now)
        if changed and not safe:
            for person in await uow.people.active():
                if any(kind == RoleKind.SECRETARIAT for kind, _ in person.roles):
                    await uow.outbox.add(
                        kind="channel_unsafe",
                        platform=core.platform,
                        destination="dm",
                        ordering_key=f"dm:{person.id}",
                        recipient_id=person.id,
                        now=now,
                        payload={"channel": facts.channel, "reason": reason},
                    )
        await uow.commit()
    return ChannelChecked(facts.channel, safe, reason)


async def check(facts: ChannelFacts, *, actor: Actor, core: Core) -> ChannelChecked:
    """`/reprisal channel-check`: the secretariat re-assesses the channel (and can clear it)."""
    if not policy.may_administer(actor):
        await refuse(core, actor=actor, action="channel-check")
        raise NotAllowed("Only the secretariat can check the coordination channel.")
    return await assess(facts, core=core, actor=actor)


def _reason(facts: ChannelFacts) -> str:
    if facts.shared_externally:
        return "the channel is shared with another organisation (Slack Connect)"
    if facts.outsiders:
        return f"{facts.outsiders} member(s) of the channel are not in the directory"
    return "every member is in the directory and the channel is not shared outside"
