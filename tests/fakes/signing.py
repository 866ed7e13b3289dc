"""Build correctly signed Slack requests (slash commands, interactivity) for tests.

Payload shapes follow what Slack really sends (as in slack-bolt's own scenario tests):
``view_submission``, ``block_suggestion`` and ``block_actions`` are posted form-encoded as
``payload=<json>``; slash commands as plain form fields.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

API_APP_ID = "A0TEST"
VERIFICATION_TOKEN = "verification-token"  # deprecated by Slack, still sent in payloads


def signed_headers(
    secret: str,
    body: str,
    *,
    timestamp: int | None = None,
    content_type: str = "application/x-www-form-urlencoded",
    retry_num: int | None = None,
    retry_reason: str | None = None,
) -> dict[str, str]:
    """Headers Slack sends with ``body``: content type, timestamp, v0 signature, retries."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body),
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
    if retry_reason is not None:
        headers["X-Slack-Retry-Reason"] = retry_reason
    return headers


def new_trigger_id() -> str:
    """A trigger id of Slack's shape that no stand-in issued (see SlackStandIn.new_trigger_id)."""
    return f"{int(time.time())}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex}"


def slash_command_body(
    command: str = "/reprisal",
    text: str = "",
    *,
    user_id: str,
    team_id: str = "T0TEST",
    channel_id: str = "C0TEST",
    trigger_id: str,
    response_url: str,
    user_name: str = "someone",
    channel_name: str = "reprisal-test",
    team_domain: str = "reprisal-test",
    api_app_id: str = API_APP_ID,
) -> str:
    """The url-encoded form body Slack posts for a slash command."""
    return urlencode(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": team_id,
            "team_domain": team_domain,
            "channel_id": channel_id,
            "channel_name": channel_name,
            "user_id": user_id,
            "user_name": user_name,
            "command": command,
            "text": text,
            "api_app_id": api_app_id,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
    )


def interactive_body(payload: dict[str, Any]) -> str:
    """``payload=<url-encoded json>``, as Slack posts interactivity requests."""
    return urlencode({"payload": json.dumps(payload)})


# -- payload parts -------------------------------------------------------------------------
def _team(team_id: str) -> dict[str, Any]:
    return {"id": team_id, "domain": "reprisal-test"}


def _user(user_id: str, team_id: str, user_name: str | None) -> dict[str, Any]:
    name = user_name or user_id.lower()
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def view_payload(
    *,
    view_id: str,
    callback_id: str,
    team_id: str = "T0TEST",
    state_values: dict[str, Any] | None = None,
    private_metadata: str = "",
    hash: str = "h1",
    blocks: list[dict[str, Any]] | None = None,
    title: str = "Report",
    external_id: str = "",
) -> dict[str, Any]:
    """The ``view`` object inside interactivity payloads (a modal)."""
    return {
        "id": view_id,
        "team_id": team_id,
        "type": "modal",
        "blocks": blocks or [],
        "private_metadata": private_metadata,
        "callback_id": callback_id,
        "state": {"values": state_values or {}},
        "hash": hash,
        "title": {"type": "plain_text", "text": title, "emoji": True},
        "clear_on_close": False,
        "notify_on_close": False,
        "close": {"type": "plain_text", "text": "Cancel", "emoji": True},
        "submit": {"type": "plain_text", "text": "Submit", "emoji": True},
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": API_APP_ID,
        "external_id": external_id,
        "app_installed_team_id": team_id,
        "bot_id": "B0TEST",
    }


def _envelope(kind: str, user_id: str, team_id: str, user_name: str | None) -> dict[str, Any]:
    return {
        "type": kind,
        "team": _team(team_id),
        "user": _user(user_id, team_id, user_name),
        "api_app_id": API_APP_ID,
        "token": VERIFICATION_TOKEN,
        "enterprise": None,
        "is_enterprise_install": False,
    }


def view_submission_payload(
    *,
    user_id: str,
    view_id: str,
    callback_id: str,
    state_values: dict[str, Any],
    private_metadata: str = "",
    hash: str = "h1",
    team_id: str = "T0TEST",
    blocks: list[dict[str, Any]] | None = None,
    trigger_id: str | None = None,
    user_name: str | None = None,
    response_urls: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A ``view_submission`` payload. ``state_values`` is ``{block_id: {action_id: state}}``;
    build the states with :func:`text_input_state`, :func:`select_state`, ..."""
    payload = _envelope("view_submission", user_id, team_id, user_name)
    payload.update(
        trigger_id=trigger_id or new_trigger_id(),
        view=view_payload(
            view_id=view_id,
            callback_id=callback_id,
            team_id=team_id,
            state_values=state_values,
            private_metadata=private_metadata,
            hash=hash,
            blocks=blocks,
        ),
        response_urls=response_urls or [],
    )
    return payload


def block_suggestion_payload(
    *,
    user_id: str,
    action_id: str,
    block_id: str,
    value: str,
    view_id: str = "V1",
    callback_id: str = "report",
    team_id: str = "T0TEST",
    private_metadata: str = "",
    state_values: dict[str, Any] | None = None,
    user_name: str | None = None,
) -> dict[str, Any]:
    """A ``block_suggestion`` payload (an external_select in a modal asking for options)."""
    payload = _envelope("block_suggestion", user_id, team_id, user_name)
    payload.update(
        container={"type": "view", "view_id": view_id},
        action_id=action_id,
        block_id=block_id,
        value=value,
        view=view_payload(
            view_id=view_id,
            callback_id=callback_id,
            team_id=team_id,
            state_values=state_values,
            private_metadata=private_metadata,
        ),
    )
    return payload


def block_actions_payload(
    *,
    user_id: str,
    action_id: str,
    block_id: str = "b1",
    value: str | None = None,
    action_type: str = "button",
    action: dict[str, Any] | None = None,
    team_id: str = "T0TEST",
    trigger_id: str | None = None,
    user_name: str | None = None,
    view_id: str | None = None,
    callback_id: str = "report",
    private_metadata: str = "",
    state_values: dict[str, Any] | None = None,
    channel_id: str = "C0TEST",
    message_ts: str = "1700000000.000100",
    message: dict[str, Any] | None = None,
    response_url: str | None = None,
    is_ephemeral: bool = False,
) -> dict[str, Any]:
    """A ``block_actions`` payload: from a modal if ``view_id`` is given, else from a message
    in ``channel_id`` (with ``response_url``). ``action`` adds/overrides fields of the action
    (e.g. ``selected_option`` for selects)."""
    act: dict[str, Any] = {
        "type": action_type,
        "action_id": action_id,
        "block_id": block_id,
        "action_ts": f"{time.time():.6f}",
    }
    if action_type == "button":
        act["text"] = {"type": "plain_text", "text": "Button", "emoji": True}
    if value is not None:
        act["value"] = value
    act.update(action or {})
    payload = _envelope("block_actions", user_id, team_id, user_name)
    payload["trigger_id"] = trigger_id or new_trigger_id()
    if view_id is not None:
        payload.update(
            container={"type": "view", "view_id": view_id},
            view=view_payload(
                view_id=view_id,
                callback_id=callback_id,
                team_id=team_id,
                state_values=state_values,
                private_metadata=private_metadata,
            ),
        )
    else:
        payload.update(
            container={
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel_id,
                "is_ephemeral": is_ephemeral,
            },
            channel={"id": channel_id, "name": "reprisal-test"},
            message=message
            or {
                "type": "message",
                "user": "UBOT",
                "ts": message_ts,
                "bot_id": "B0TEST",
                "text": "",
                "blocks": [],
            },
            state={"values": state_values or {}},
            response_url=response_url or "https://hooks.slack.com/actions/T0TEST/1/x",
        )
    payload["actions"] = [act]
    return payload


# -- state values as Slack reports them in view.state.values ---------------------------------
def text_input_state(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def select_state(
    value: str | None, text: str | None = None, *, type: str = "static_select"
) -> dict[str, Any]:
    """static_select / external_select state (``value=None`` = nothing chosen)."""
    if value is None:
        return {"type": type, "selected_option": None}
    option = {"text": {"type": "plain_text", "text": text or value, "emoji": True}, "value": value}
    return {"type": type, "selected_option": option}


def multi_select_state(
    values: list[tuple[str, str]], *, type: str = "multi_static_select"
) -> dict[str, Any]:
    """``values`` are ``(value, text)`` pairs."""
    return {
        "type": type,
        "selected_options": [
            {"text": {"type": "plain_text", "text": t, "emoji": True}, "value": v}
            for v, t in values
        ],
    }


def users_select_state(user_id: str | None) -> dict[str, Any]:
    return {"type": "users_select", "selected_user": user_id}


def conversations_select_state(channel_id: str | None) -> dict[str, Any]:
    return {"type": "conversations_select", "selected_conversation": channel_id}


def datepicker_state(date: str | None) -> dict[str, Any]:
    """``date`` as Slack sends it: ``"YYYY-MM-DD"``."""
    return {"type": "datepicker", "selected_date": date}


def event_body(event: dict[str, Any], *, event_id: str, team_id: str = "T0TEST") -> str:
    """An Events API delivery (`event_callback`) as Slack POSTs it, JSON-encoded."""
    import time as _time

    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": team_id,
            "api_app_id": "A0TEST",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(_time.time()),
            "authorizations": [{"team_id": team_id, "user_id": "UBOT", "is_bot": True}],
        }
    )
