"""commands.channel_safety on SQLite and PostgreSQL: a channel with an outsider, public or shared
outside is not safe; the secretariat is told once, channel posts wait, and a check that finds
it safe again releases them."""

from __future__ import annotations

import pytest

from commands import channel_safety
from commands.channel_safety import ChannelFacts
from commands.errors import NotAllowed
from tests.commands.conftest import Office
from tests.conftest import FrozenClock

COORDINATION = "C0COORD01"


def facts(outsiders: int = 0, *, public: bool = False, shared: bool = False) -> ChannelFacts:
    return ChannelFacts(COORDINATION, shared_externally=shared, outsiders=outsiders, public=public)


async def test_an_outsider_in_the_channel_makes_it_unsafe_and_the_secretariat_is_told(
    office: Office,
) -> None:
    checked = await channel_safety.check(facts(2), actor=office["Sam"], core=office.core)
    assert not checked.safe
    assert checked.reason == "2 member(s) of the channel are not in the directory"
    told = [n for n in await office.notices() if n.kind == "channel_unsafe"]
    assert {n.recipient_id for n in told} == {office["Sam"].person_id, office["Tess"].person_id}
    await channel_safety.check(facts(2), actor=office["Sam"], core=office.core)
    assert len([n for n in await office.notices() if n.kind == "channel_unsafe"]) == 2


async def test_a_public_or_shared_channel_is_not_safe(office: Office) -> None:
    public = await channel_safety.assess(facts(public=True), core=office.core)
    shared = await channel_safety.assess(facts(shared=True), core=office.core)
    assert not public.safe and "public" in public.reason
    assert not shared.safe and "Slack Connect" in shared.reason


async def test_a_check_that_finds_it_safe_again_is_audited_as_a_change(office: Office) -> None:
    await channel_safety.assess(facts(1), core=office.core)
    checked = await channel_safety.check(facts(), actor=office["Tess"], core=office.core)
    assert checked.safe
    changes = [(e.actor_id, e.action) for e in await office.trail() if e.surface == "channel"]
    assert changes == [(None, "channel-unsafe"), (office["Tess"].person_id, "channel-safe")]


async def test_a_verdict_stands_a_minute(office: Office, clock: FrozenClock) -> None:
    await channel_safety.assess(facts(), core=office.core)
    standing = await channel_safety.recent(COORDINATION, core=office.core)
    assert standing is not None and standing.safe
    clock.advance(seconds=60)
    assert await channel_safety.recent(COORDINATION, core=office.core) is None


async def test_only_the_secretariat_may_check_the_channel(office: Office) -> None:
    with pytest.raises(NotAllowed) as refused:
        await channel_safety.check(facts(), actor=office["Ana"], core=office.core)
    assert refused.value.message == "Only the secretariat can check the coordination channel."
    assert [(e.action, e.decision) for e in await office.trail()] == [("channel-check", "denied")]
