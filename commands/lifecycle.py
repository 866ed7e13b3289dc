"""A case's lifecycle: its stages, which changes are allowed, and what an action does to it.
Pure functions; each refusal says why."""

from __future__ import annotations

import datetime as dt

from commands import vocabulary as v
from commands.errors import CommandError
from storage.actions import FollowUp
from storage.records import CaseRecord

OPEN_STAGES = ("received", "under_assessment", "action_taken", "follow_up")
# Changes a person may make by hand. Awaiting a reply starts with a letter (it sets the due
# date), a reply is recorded as such, and closing takes an outcome: each has its own action.
ALLOWED: dict[str, frozenset[str]] = {
    "received": frozenset({"under_assessment", "action_taken", "follow_up"}),
    "under_assessment": frozenset({"received", "action_taken", "follow_up"}),
    "action_taken": frozenset({"under_assessment", "follow_up"}),
    "awaiting_reply": frozenset({"follow_up"}),
    "reply_received": frozenset({"action_taken", "follow_up"}),
    "follow_up": frozenset({"action_taken", "under_assessment"}),
    "closed": frozenset(),
}
REOPEN_AT = frozenset({"under_assessment", "action_taken", "follow_up"})
BY_ITS_OWN_ACTION = {
    "awaiting_reply": "record the letter (or reminder) to the State: it sets the reply's due date",
    "reply_received": "record the State's reply",
    "closed": "use Close: it asks for the outcome",
}


class InvalidTransition(CommandError):
    """A change of stage the lifecycle does not allow; the message says why."""


def change_stage(case_reference: str, current: str, wanted: str, due: dt.date | None) -> FollowUp:
    """The case after a change of stage by hand, or InvalidTransition naming the reason."""
    name = v.STAGES.get(wanted, wanted)
    if current == "closed":
        raise InvalidTransition(
            f"{case_reference} is closed: log a note to record anything new, or reopen it."
        )
    if wanted == current:
        raise InvalidTransition(f"{case_reference} is already at “{name}”.")
    if wanted in BY_ITS_OWN_ACTION:
        raise InvalidTransition(
            f"To move {case_reference} to “{name}”, {BY_ITS_OWN_ACTION[wanted]}."
        )
    if wanted not in ALLOWED.get(current, frozenset()):
        allowed = ", ".join(f"“{v.STAGES[s]}”" for s in sorted(ALLOWED[current])) or "none"
        raise InvalidTransition(
            f"{case_reference} cannot go from “{v.STAGES.get(current, current)}” to “{name}”."
            f" From there it can go to: {allowed}."
        )
    return FollowUp(wanted, due if wanted == "follow_up" else None)


def after_action(case: CaseRecord, kind: str, *, due_on: dt.date | None) -> FollowUp:
    """The case after an action of `kind`: a letter awaits a reply by its due date, a reply
    ends the wait, the first action moves a new case on, and a note changes nothing."""
    current, reply_due = case.stage, case.reply_due_on
    if kind == "note":
        return FollowUp(current, reply_due, case.closed_on, case.outcome)
    if current == "closed":
        raise InvalidTransition(
            f"{case.reference} is closed: only notes can be added. The lead committee or the"
            " secretariat may reopen it by changing its stage."
        )
    if kind in v.ASKS_STATE:
        return FollowUp("awaiting_reply", due_on)
    if kind == "state_reply":
        return FollowUp("reply_received", None)
    if current not in ("received", "under_assessment"):
        return FollowUp(current, reply_due)
    return FollowUp("action_taken", reply_due)


def reopen(case_reference: str, current: str, wanted: str) -> FollowUp:
    """A closed case reopened at `wanted`; its outcome and closing date are cleared."""
    if current != "closed":
        raise InvalidTransition(f"{case_reference} is open: there is nothing to reopen.")
    if wanted not in REOPEN_AT:
        allowed = ", ".join(f"“{v.STAGES[s]}”" for s in sorted(REOPEN_AT))
        raise InvalidTransition(f"{case_reference} can be reopened at: {allowed}.")
    return FollowUp(wanted, None)


def close(current: str, case_reference: str, *, outcome: str, on: dt.date) -> FollowUp:
    if current == "closed":
        raise InvalidTransition(f"{case_reference} is closed already.")
    return FollowUp("closed", None, closed_on=on, outcome=outcome)
