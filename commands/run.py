"""Run an invocation: pick the verb's handler. The one entry point every platform calls."""

from __future__ import annotations

from commands import help as help_command
from commands import list_cases, report, status
from commands.errors import NotInDirectory
from commands.invocation import Core, Invocation
from commands.policy import may_use_bot
from commands.results import Result


async def run(invocation: Invocation, core: Core) -> Result:
    """The verb's result; CommandError for anything the person can fix."""
    actor = invocation.actor
    if not may_use_bot(actor):
        raise NotInDirectory()
    match invocation.verb:
        case "report":
            return report.open_form(actor=actor, core=core)
        case "status":
            return await status.handle(invocation.args, actor=actor, core=core)
        case "list":
            return await list_cases.handle(invocation.args, actor=actor, core=core)
        case "help":
            return await help_command.handle()
        case other:
            return await help_command.handle(notice=f"I don't know the command `{other}`.")
