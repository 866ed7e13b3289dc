"""Dispatch an invocation to its verb's handler: the one entry point every platform calls."""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from types import MappingProxyType
from typing import Protocol, TypeVar

from commands import act, audit_view, erase, home, list_cases, related, report, status
from commands import help as help_command
from commands.errors import NotInDirectory
from commands.invocation import Dependencies, Invocation
from commands.policy import may_use_bot
from commands.results import HelpResult, HomeResult, ReportForm, Result
from commands.roles import Actor
from commands.trail import refuse

R_co = TypeVar("R_co", covariant=True)
R = TypeVar("R")


class Handler(Protocol[R_co]):
    """A verb's use case: the words after the verb, who asked, and the ports it runs with."""

    def __call__(
        self, args: tuple[str, ...], *, actor: Actor, core: Dependencies
    ) -> Awaitable[R_co]: ...


async def _report(args: tuple[str, ...], *, actor: Actor, core: Dependencies) -> ReportForm:
    return await report.open_form(actor=actor, core=core)


async def _home(args: tuple[str, ...], *, actor: Actor, core: Dependencies) -> HomeResult:
    return await home.handle(actor=actor, core=core)


async def _help(args: tuple[str, ...], *, actor: Actor, core: Dependencies) -> HelpResult:
    return await help_command.handle()


COMMANDS: Mapping[str, Handler[Result]] = MappingProxyType(
    {
        "report": _report,
        "erase": erase.handle,
        "audit": audit_view.handle,
        "status": status.handle,
        "list": list_cases.handle,
        "action": act.open_form,
        "share": act.share_command,
        "home": _home,
        "link": related.link,
        "help": _help,
    }
)


async def dispatch(
    invocation: Invocation, core: Dependencies, verbs: Mapping[str, Handler[R]]
) -> R | HelpResult:
    """The verb's result from `verbs` (help for an unknown verb); CommandError for anything
    the person can fix. Someone not in the directory is refused (and audited) whatever the verb."""
    actor = invocation.actor
    if not may_use_bot(actor):
        await refuse(
            core, actor=None, action=invocation.verb[:40], detail={"reason": "not in the directory"}
        )
        raise NotInDirectory()
    handler = verbs.get(invocation.verb)
    if handler is None:
        return await help_command.handle(notice=f"I don't know the command `{invocation.verb}`.")
    return await handler(invocation.args, actor=actor, core=core)
