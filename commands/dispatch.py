"""Run an invocation: pick the verb's handler. The one entry point every platform calls."""

from __future__ import annotations

from commands import act, audit_view, erase, home, list_cases, related, report, status
from commands import help as help_command
from commands.errors import NotInDirectory
from commands.invocation import Core, Invocation
from commands.policy import may_use_bot
from commands.results import Result
from commands.trail import refuse


async def run(invocation: Invocation, core: Core) -> Result:
    """The verb's result; CommandError for anything the person can fix."""
    actor = invocation.actor
    if not may_use_bot(actor):
        await refuse(
            core, actor=None, action=invocation.verb[:40], detail={"reason": "not in the directory"}
        )
        raise NotInDirectory()
    match invocation.verb:
        case "report":
            return await report.open_form(actor=actor, core=core)
        case "erase":
            return await erase.handle(invocation.args, actor=actor, core=core)
        case "audit":
            return await audit_view.handle(invocation.args, actor=actor, core=core)
        case "status":
            return await status.handle(invocation.args, actor=actor, core=core)
        case "list":
            return await list_cases.handle(invocation.args, actor=actor, core=core)
        case "action":
            return await act.open_form(invocation.args, actor=actor, core=core)
        case "share":
            return await act.share_command(invocation.args, actor=actor, core=core)
        case "home":
            return await home.handle(actor=actor, core=core)
        case "link":
            return await related.link(invocation.args, actor=actor, core=core)
        case "help":
            return await help_command.handle()
        case other:
            return await help_command.handle(notice=f"I don't know the command `{other}`.")
