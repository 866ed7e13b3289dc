"""The entry point every platform calls: the digest's verb here, every other in commands."""

from __future__ import annotations

from commands.invocation import Core, Invocation
from commands.policy import may_use_bot
from commands.results import Result
from commands.run import run as run_command
from digests import preview
from digests.preview import DigestPreview


async def run(invocation: Invocation, core: Core) -> Result | DigestPreview:
    """The verb's result; CommandError for anything the person can fix."""
    if invocation.verb == "digest" and may_use_bot(invocation.actor):
        return await preview.handle(invocation.args, actor=invocation.actor, core=core)
    return await run_command(invocation, core)
