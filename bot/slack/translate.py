"""Pure translation of Slack payloads into the core's words. No I/O, no decisions."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from commands.form import Raw


def command_text(payload: Mapping[str, Any]) -> str:
    """The words after `/reprisal`."""
    return str(payload.get("text") or "").strip()


def form_values(state_values: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> dict[str, Raw]:
    """A modal's `view.state.values` as field name -> raw answer (block_id is the field name)."""
    answers: dict[str, Raw] = {}
    for block_id, actions in state_values.items():
        for element in actions.values():
            answers[block_id] = _value_of(element)
    return answers


def _value_of(element: Mapping[str, Any]) -> Raw:
    kind = element.get("type")
    if kind in ("static_select", "external_select", "radio_buttons"):
        option = element.get("selected_option")
        return str(option["value"]) if option else None
    if kind in ("multi_static_select", "checkboxes", "multi_external_select"):
        return [str(o["value"]) for o in element.get("selected_options") or []]
    if kind == "datepicker":
        return element.get("selected_date")
    value = element.get("value")
    return None if value is None else str(value)


def view_idempotency_key(view: Mapping[str, Any]) -> str:
    """One submission per modal: a double click or a retry sends the same view id."""
    return f"slack:view:{view['id']}"


def state_query(payload: Mapping[str, Any]) -> str:
    return str(payload.get("value") or "")


INTERACTIVE = ("view_submission", "view_closed", "block_actions", "block_suggestion")


def malformed(body: object) -> str | None:
    """What makes a signed request unusable (no user, a broken view), or None if it is fine.
    Said in a few words for the log: never the body's content."""
    if not isinstance(body, Mapping):
        return "the body is not an object"
    if "command" in body:
        return None if _text(body.get("user_id")) else "a command without a user"
    kind = body.get("type")
    if kind in INTERACTIVE:
        user = body.get("user")
        if not isinstance(user, Mapping) or not _text(user.get("id")):
            return f"a {kind} without a user"
        view = body.get("view")
        if kind.startswith("view_") and not isinstance(view, Mapping):
            return f"a {kind} without a view"
        if isinstance(view, Mapping) and not _object_or_empty(view.get("private_metadata")):
            return f"a {kind} whose private_metadata is not a JSON object"
    return None


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _object_or_empty(metadata: object) -> bool:
    if metadata in (None, ""):
        return True
    if not isinstance(metadata, str):
        return False
    try:
        return isinstance(json.loads(metadata), dict)
    except ValueError:
        return False
