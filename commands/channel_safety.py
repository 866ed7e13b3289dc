"""Is a channel (the coordination channel, the Chairs' channel) still a safe place for case
details? Decided here, from facts the platform adapter gathers (who is in it, whether it is
private, whether it is shared with another organisation)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from commands import policy
from commands.errors import NotAllowed
from commands.invocation import Dependencies
from commands.results import ChannelChecked
from commands.roles import Actor, RoleKind
from commands.trail import record, refuse
from storage.uow import UnitOfWork

# How long a check of the members stands; a member event or a change of the directory ends it
# sooner. Short: someone may join between two posts without Slack telling us in time.
FRESH_FOR = dt.timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class ChannelFacts:
    channel: str
    shared_externally: bool
    outsiders: int  # members who are not in the directory (the bot itself excluded)
    public: bool = False  # anyone in the workspace may read it, or join it


async def assess(
    facts: ChannelFacts, *, core: Dependencies, actor: Actor | None = None
) -> ChannelChecked:
    """Record whether case details may be posted in the channel; alert the secretariat when
    it stops being safe. While it is not, channel messages are held, not lost."""
    safe = not facts.public and not facts.shared_externally and facts.outsiders == 0
    reason = _reason(facts)
    now = core.clock.now()
    async with core.uow() as uow:
        changed = await uow.channels.mark(facts.channel, safe=safe, reason=reason, now=now)
        directory = await directory_fingerprint(uow)
        await uow.channels.record_check(facts.channel, safe=safe, directory=directory, now=now)
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
                    "public": facts.public,
                },
            )
        if changed and safe:
            await uow.outbox.release_channel_messages(now=now)
        if changed and not safe:
            await _alert_secretariat(uow, facts.channel, reason, core=core, now=now)
        await uow.commit()
    return ChannelChecked(facts.channel, safe, reason)


async def recent(channel: str, *, core: Dependencies) -> ChannelChecked | None:
    """The channel's last verdict if it still stands: checked within FRESH_FOR, with the
    directory as it is now, and not contradicted since (another instance may have flagged it)."""
    async with core.uow() as uow:
        check = await uow.channels.last_check(channel)
        state = await uow.channels.state(channel)
        if check is None or core.clock.now() - check.at >= FRESH_FOR:
            return None
        if check.safe != state.safe or check.directory != await directory_fingerprint(uow):
            return None
    return ChannelChecked(channel, state.safe, state.reason)


async def forget(channel: str, *, core: Dependencies) -> None:
    """Something changed in the channel: its next post waits for a new check."""
    async with core.uow() as uow:
        await uow.channels.forget_check(channel)
        await uow.commit()


async def check(facts: ChannelFacts, *, actor: Actor, core: Dependencies) -> ChannelChecked:
    """`/reprisal channel-check`: the secretariat re-assesses the channel (and can clear it)."""
    if not policy.may_administer(actor):
        await refuse(core, actor=actor, action="channel-check")
        raise NotAllowed("Only the secretariat can check the coordination channel.")
    return await assess(facts, core=core, actor=actor)


async def directory_fingerprint(uow: UnitOfWork) -> str:
    """Who the bot serves now, in a few characters: a check made with other people is stale."""
    people = sorted((p.key, p.slack_user or "", str(p.roles)) for p in await uow.people.active())
    return hashlib.sha256(repr(people).encode()).hexdigest()[:32]


async def _alert_secretariat(
    uow: UnitOfWork, channel: str, reason: str, *, core: Dependencies, now: dt.datetime
) -> None:
    for person in await uow.people.active():
        if any(kind == RoleKind.SECRETARIAT for kind, _ in person.roles):
            await uow.outbox.add(
                kind="channel_unsafe",
                platform=core.platform,
                destination="dm",
                ordering_key=f"dm:{person.id}",
                recipient_id=person.id,
                now=now,
                payload={"channel": channel, "reason": reason},
            )


def _reason(facts: ChannelFacts) -> str:
    if facts.shared_externally:
        return "the channel is shared with another organisation or workspace (Slack Connect)"
    if facts.public:
        return "the channel is public: anyone in the workspace can read it"
    if facts.outsiders:
        return f"{facts.outsiders} member(s) of the channel are not in the directory"
    return "every member is in the directory, and the channel is private and not shared outside"
