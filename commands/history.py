"""A case's history: when it was received, each action, and each change of stage, with its
date. Read from the timeline and the actions; never a note (notes are read on demand only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from commands import vocabulary as v
from commands.policy import Visibility
from storage.records import CaseRecord
from storage.reference import committee
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class HistoryLine:
    on: dt.date  # the day it happened (an action's date may precede its recording)
    recorded: str  # when it was recorded, in UTC
    what: str
    stage: str | None = None  # the stage the case moved to, if it moved


def action_label(kind: str, detail: Mapping[str, object]) -> str:
    """An action in words, with what it changed (stage, outcome, with whom it was shared)."""
    if kind == "stage":
        return f"Stage changed to {v.STAGES.get(str(detail.get('to')), '')}"
    if kind == "close":
        return f"Closed: {v.OUTCOMES.get(str(detail.get('outcome')), '')}"
    if kind == "share":
        return f"Shared with {shared_name(str(detail.get('with')))}"
    return v.ACTIONS.get(kind, kind)


def shared_name(target: str) -> str:
    return "the ASG office" if target == "asg" else f"{target} ({committee(target).name})"


async def history_of(
    uow: UnitOfWork, case: CaseRecord, level: Visibility
) -> tuple[HistoryLine, ...]:
    """The history, for readers who see at least the facts."""
    if level < Visibility.FACTS:
        return ()
    actions = {a.id: a for a in await uow.actions.for_case(case.id)}
    lines = [HistoryLine(case.facts.received_on, _utc(case.created_at), "Received", "Received")]
    for at, kind, detail in await uow.timeline.for_case(case.id):
        action = actions.get(int(str(detail.get("action", 0)))) if kind == "action" else None
        if action is None:
            continue
        moved = detail.get("stage")
        stage = v.STAGES.get(str(moved.get("to"))) if isinstance(moved, dict) else None
        lines.append(
            HistoryLine(action.taken_on, _utc(at), action_label(action.kind, action.detail), stage)
        )
    return tuple(lines)


def _utc(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
