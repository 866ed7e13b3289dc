"""What a command returns: frozen results that each platform renders its own way."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from commands.form import Field
from commands.views import CaseView


@dataclass(frozen=True, slots=True)
class HelpResult:
    commands: tuple[tuple[str, str], ...]
    notice: str | None = None


@dataclass(frozen=True, slots=True)
class CaseDetail:
    case: CaseView


@dataclass(frozen=True, slots=True)
class CaseList:
    title: str
    cases: tuple[CaseView, ...]
    empty: str
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class ReportForm:
    """Ask for a report: the questions, and the answers to start from."""

    fields: tuple[Field, ...]
    defaults: dict[str, str | tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class ReportSaved:
    reference: str
    case: CaseView
    duplicate: bool = False


@dataclass(frozen=True, slots=True)
class EraseConfirmation:
    """Ask the secretariat to confirm an erasure: it cannot be undone."""

    reference: str


@dataclass(frozen=True, slots=True)
class Erased:
    reference: str
    scrubbed: bool = True  # False: the old key's bytes are still in the SQLite files for now


@dataclass(frozen=True, slots=True)
class AuditLine:
    at: str
    who: str
    action: str
    decision: str
    surface: str


@dataclass(frozen=True, slots=True)
class AuditTrail:
    reference: str
    lines: tuple[AuditLine, ...]


@dataclass(frozen=True, slots=True)
class ChannelChecked:
    channel: str
    safe: bool
    reason: str


@dataclass(frozen=True, slots=True)
class CaseForm:
    """Ask for an action on a case: the mode (log an action, the State's reply, ...), its
    questions and the answers to start from."""

    mode: str
    reference: str
    title: str
    fields: tuple[Field, ...]
    defaults: dict[str, object]


@dataclass(frozen=True, slots=True)
class ActionRecorded:
    """What was recorded on a case, and where the case stands now."""

    reference: str
    what: str
    stage: str
    due_on: dt.date | None = None
    duplicate: bool = False


@dataclass(frozen=True, slots=True)
class Linked:
    first: str
    second: str
    already: bool = False


@dataclass(frozen=True, slots=True)
class HomeResult:
    name: str
    in_directory: bool
    may_report: bool = False
    committees: tuple[str, ...] = ()
    mine: tuple[CaseView, ...] = ()
    overdue: tuple[CaseView, ...] = ()
    due_soon: tuple[CaseView, ...] = ()
    shared: tuple[CaseView, ...] = ()
    more: bool = False  # a section had more cases than it shows


Result = (
    HelpResult
    | CaseDetail
    | CaseList
    | ReportForm
    | ReportSaved
    | EraseConfirmation
    | Erased
    | AuditTrail
    | ChannelChecked
    | CaseForm
    | ActionRecorded
    | Linked
    | HomeResult
)
