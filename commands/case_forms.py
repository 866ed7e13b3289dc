"""The forms that act on a case (log an action, the State's reply, referral to the ASG, share,
change of stage, close): their questions for Slack and the console, and their validation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from commands import vocabulary as v
from commands.errors import FormInvalid
from commands.form import COMMITTEE_OPTIONS, Field, Kind, Raw, validate_field
from commands.policy import Action

NOTE_MAX = 3000


class Mode(StrEnum):
    ACTION = "action"  # Log action
    REPLY = "reply"  # State replied
    REFER = "refer"  # Refer to ASG
    SHARE = "share"  # Share with committee (or the ASG office)
    STAGE = "stage"  # Change status
    CLOSE = "close"


TITLES = {
    Mode.ACTION: "Log an action",
    Mode.REPLY: "The State replied",
    Mode.REFER: "Refer to the ASG",
    Mode.SHARE: "Share the case",
    Mode.STAGE: "Change the stage",
    Mode.CLOSE: "Close the case",
}
LOGGED = {k: label for k, label in v.ACTIONS.items() if k not in ("state_reply", "asg_referral")}
STAGE_CHOICES = {k: label for k, label in v.STAGES.items() if k not in ("closed",)}
SHARE_CHOICES = {**dict(COMMITTEE_OPTIONS), "asg": "The ASG office"}


def _note(required: bool = False) -> Field:
    return Field(
        "note",
        "Note (kept with the case, never posted in the channel)",
        Kind.LONGTEXT,
        required=required,
        max_length=NOTE_MAX,
        sensitive=True,
    )


TAKEN_ON = Field("taken_on", "Date", Kind.DATE, hint="YYYY-MM-DD")
COMMITTEES = Field(
    "committees", "Committees acting", Kind.MULTI, required=False, options=COMMITTEE_OPTIONS
)
FIELDS: dict[Mode, tuple[Field, ...]] = {
    Mode.ACTION: (
        Field("kind", "What was done", Kind.CHOICE, options=tuple(LOGGED.items())),
        TAKEN_ON,
        COMMITTEES,
        Field(
            "signed_by",
            "Letter signed by",
            Kind.CHOICE,
            required=False,
            options=tuple(v.SIGNED_BY.items()),
            hint="For a letter or a reminder to the State.",
        ),
        Field(
            "place",
            "Meeting held in",
            Kind.CHOICE,
            required=False,
            options=tuple(v.MEETING_PLACES.items()),
            hint="For a meeting with the permanent mission.",
        ),
        Field(
            "due_on",
            "Reply due by",
            Kind.DATE,
            required=False,
            future=True,
            hint=(
                "For a letter or a reminder; empty: the directory's default delay. A date"
                " already past is kept: the reply is overdue at once."
            ),
        ),
        _note(),
    ),
    Mode.REPLY: (
        TAKEN_ON,
        Field(
            "substance",
            "What the State said",
            Kind.CHOICE,
            options=tuple(v.REPLY_SUBSTANCE.items()),
        ),
        COMMITTEES,
        _note(),
    ),
    Mode.REFER: (TAKEN_ON, _note()),
    Mode.SHARE: (
        Field("share_with", "Share with", Kind.CHOICE, options=tuple(SHARE_CHOICES.items())),
        _note(),
    ),
    Mode.STAGE: (
        Field("stage", "New stage", Kind.CHOICE, options=tuple(STAGE_CHOICES.items())),
        _note(required=True),
    ),
    Mode.CLOSE: (
        Field("outcome", "Outcome", Kind.CHOICE, options=tuple(v.OUTCOMES.items())),
        _note(required=True),
    ),
}


@dataclass(frozen=True, slots=True)
class CaseAnswers:
    """A valid form: what it says, in the core's words."""

    mode: Mode
    values: dict[str, object]

    def get(self, name: str) -> object:
        return self.values.get(name)


def defaults_for(mode: Mode, *, today: dt.date, committees: tuple[str, ...]) -> dict[str, object]:
    found: dict[str, object] = {}
    names = {f.name for f in FIELDS[mode]}
    if "taken_on" in names:
        found["taken_on"] = today.isoformat()
    if "committees" in names:
        found["committees"] = committees
    return found


def validate(mode: Mode, raw: Mapping[str, Raw], *, today: dt.date) -> CaseAnswers:
    """The form's clean answers, or FormInvalid naming each field to fix."""
    clean: dict[str, object] = {}
    errors: dict[str, str] = {}
    for field in FIELDS[mode]:
        try:
            clean[field.name] = validate_field(field, raw.get(field.name), today=today)
        except ValueError as problem:
            errors[field.name] = str(problem)
    if mode is Mode.ACTION and not errors:
        errors.update(_action_checks(clean))
    if errors:
        raise FormInvalid(errors)
    return CaseAnswers(mode, clean)


def _action_checks(clean: Mapping[str, object]) -> dict[str, str]:
    kind = clean["kind"]
    if kind in v.ASKS_STATE and not clean.get("signed_by"):
        return {"signed_by": "Please say who signed the letter."}
    if kind == "mission_meeting" and not clean.get("place"):
        return {"place": "Please say where the meeting was held."}
    if kind not in v.ASKS_STATE and clean.get("due_on"):
        return {"due_on": "Only a letter or a reminder to the State sets a reply's due date."}
    due, sent = clean.get("due_on"), clean.get("taken_on")
    if isinstance(due, dt.date) and isinstance(sent, dt.date) and due < sent:
        return {
            "due_on": f"The reply cannot be due before the letter was sent ({sent.isoformat()})."
        }
    return {}


FORM_ACTION = {
    Mode.REPLY: Action.REPLY,
    Mode.REFER: Action.REFER,
    Mode.SHARE: Action.SHARE,
    Mode.CLOSE: Action.CLOSE,
}


def action_of(mode: Mode, *, kind: object = None, closed: bool = False) -> Action:
    """What a form does to a case, for the policy: a logged note is a note (the one thing a
    closed case takes), and a change of stage on a closed case reopens it."""
    if mode is Mode.ACTION:
        return Action.LOG_ACTION if kind not in (None, "note") else Action.NOTE
    if mode is Mode.STAGE:
        return Action.REOPEN if closed else Action.STAGE
    return FORM_ACTION[mode]
