"""A strict, in-process stand-in for the Slack Web API and response URLs (loopback only).

Point ``AsyncWebClient(base_url=slack.base_url, token=slack.bot_token)`` at it and hand
``slack.new_response_url()`` / ``slack.new_trigger_id()`` to the bot as Slack would.
It answers like Slack (HTTP 200 + ``{"ok": false, "error": ...}``), enforces Block Kit
limits (see ``tests.fakes.slack_standin_limits``), records every call, and can inject failures.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self

from aiohttp import web

from tests.fakes.slack_standin_files import FileUploads
from tests.fakes.slack_standin_limits import (
    ApiError,
    check_content,
    check_message,
    flag,
    param,
    view_arg,
)
from tests.fakes.slack_standin_socket import SocketModeEnd

_JSON_FIELDS = ("blocks", "attachments", "view", "metadata")
_OUTAGE_HTML = "<html><body><h1>Slack is having trouble</h1><p>Try again soon.</p></body></html>"
TRIGGER_TTL = 3.0
RESPONSE_URL_TTL = 30 * 60.0
RESPONSE_URL_MAX_USES = 5


@dataclass(frozen=True)
class Call:
    """One request the stand-in received (``method="response_url"`` for response URLs)."""

    method: str
    params: dict[str, Any]
    token: str | None
    at: float
    failed: bool = False  # answered by fail_next()/set_down() instead of the method
    error: str | None = None  # Slack error code returned, if any
    status: int = 200


@dataclass
class _Failure:
    error: str
    status: int
    retry_after: int
    times: int


@dataclass
class _ResponseUrl:
    issued: float
    channel: str | None
    message_ts: str | None
    uses: int = 0


class SlackStandIn(FileUploads):
    def __init__(
        self,
        bot_token: str = "xoxb-test",
        team_id: str = "T0TEST",
        bot_user_id: str = "UBOT",
        *,
        clock: Callable[[], float] = time.monotonic,
        bot_id: str = "B0TEST",
        app_id: str = "A0TEST",
    ) -> None:
        super().__init__()  # FileUploads: files.getUploadURLExternal/completeUploadExternal
        self.bot_token, self.team_id, self.bot_user_id = bot_token, team_id, bot_user_id
        self.bot_id, self.app_id = bot_id, app_id
        self._clock = clock
        self.calls: list[Call] = []
        self.responses: list[dict[str, Any]] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.views: dict[str, dict[str, Any]] = {}  # every open/pushed modal, by view id
        self.home_views: dict[str, dict[str, Any]] = {}  # published home tab, by user id
        self._messages: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
        self._ephemeral: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
        self._channel_props: defaultdict[str, dict[str, Any]] = defaultdict(dict)
        self._missing: set[str] = set()
        self._not_in: set[str] = set()
        self._dms: dict[str, str] = {}
        self._triggers: dict[str, float] = {}
        self._used_triggers: set[str] = set()
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._failures: defaultdict[str, list[_Failure]] = defaultdict(list)
        self._down = False
        self._seq = itertools.count(1)
        self._ts_seq = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self.app_token = "xapp-test"
        self._members: dict[str, list[str]] = {}
        self.socket = SocketModeEnd()

    # -- lifecycle ------------------------------------------------------------------------
    async def start(self) -> Self:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/response/{rid}", self._handle_response)
        app.router.add_post("/upload/{file_id}", self._handle_upload)
        app.router.add_get("/socket", self.socket.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        await self.socket.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def origin(self) -> str:
        if self._port is None:
            raise RuntimeError("SlackStandIn is not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/api/"

    # -- test controls --------------------------------------------------------------------
    def new_response_url(self, channel: str | None = None, message_ts: str | None = None) -> str:
        """A response URL (5 uses, 30 minutes). With ``channel``, in_channel replies and
        replace/delete_original of ``message_ts`` also change ``messages(channel)``."""
        rid = uuid.uuid4().hex
        self._response_urls[rid] = _ResponseUrl(self._clock(), channel, message_ts)
        return f"{self.origin}/response/{rid}"

    def new_trigger_id(self) -> str:
        """A trigger id usable once, within 3 seconds (on the stand-in's clock)."""
        n = next(self._seq)
        trigger = f"{1_700_000_000 + n}.{n:09d}.{uuid.uuid4().hex}"
        self._triggers[trigger] = self._clock()
        return trigger

    def add_user(
        self, user_id: str, email: str | None = None, name: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        name = name or user_id.lower()
        profile = {"real_name": name, "display_name": name, "email": email}
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "real_name": name,
            "deleted": False,
            "is_bot": False,
            "tz": "Europe/Zurich",
            "profile": profile,
        }
        user.update(extra)
        self.users[user_id] = user
        return user

    def set_channel(self, channel_id: str, **props: Any) -> None:
        """Change what conversations.info says (is_private, is_ext_shared, is_shared, ...)."""
        self._channel_props[channel_id].update(props)

    def set_channel_missing(self, channel_id: str, missing: bool = True) -> None:
        (self._missing.add if missing else self._missing.discard)(channel_id)

    def set_not_in_channel(self, channel_id: str, not_in: bool = True) -> None:
        (self._not_in.add if not_in else self._not_in.discard)(channel_id)

    def fail_next(
        self,
        method: str,
        error: str = "ratelimited",
        *,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """Fail the next ``times`` calls of ``method`` ("*" = any API method,
        "response_url" = response URL posts). 429 -> Retry-After + ratelimited JSON;
        5xx -> an HTML outage page; other statuses -> ``{"ok": false, "error": error}``."""
        self._failures[method].append(_Failure(error, status, retry_after, times))

    def set_down(self, down: bool = True) -> None:
        self._down = down

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Current state of the bot's messages in ``channel`` (a user id means its DM)."""
        return [dict(m) for m in self._messages[self._dms.get(channel, channel)]]

    def ephemeral_messages(self, channel: str) -> list[dict[str, Any]]:
        return [dict(m) for m in self._ephemeral[self._dms.get(channel, channel)]]

    def reset(self) -> None:
        """Forget recorded calls/responses and pending failures (state is kept)."""
        self.calls.clear()
        self.responses.clear()
        self._failures.clear()
        self._down = False

    # -- HTTP plumbing --------------------------------------------------------------------
    def _take_failure(self, method: str) -> _Failure | None:
        for key in (method, "*") if method != "response_url" else (method,):
            queue = self._failures.get(key)
            if queue:
                failure = queue[0]
                failure.times -= 1
                if failure.times <= 0:
                    queue.pop(0)
                return failure
        return None

    @staticmethod
    def _failure_response(f: _Failure) -> web.Response:
        if f.status >= 500:
            return web.Response(status=f.status, text=_OUTAGE_HTML, content_type="text/html")
        headers = {"Retry-After": str(f.retry_after)} if f.status == 429 else None
        return web.json_response({"ok": False, "error": f.error}, status=f.status, headers=headers)

    async def _read_params(self, request: web.Request) -> tuple[dict[str, Any], str | None]:
        params: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.content_type == "application/json":
            try:
                body = json.loads(await request.text() or "{}")
            except ValueError:
                raise ApiError("invalid_json") from None
            if not isinstance(body, dict):
                raise ApiError("invalid_json")
            body.pop("token", None)  # Slack ignores tokens inside JSON bodies
            params.update(body)
        elif request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            form = await request.post()
            params.update({k: v for k, v in form.items() if isinstance(v, str)})
        for key in _JSON_FIELDS:
            if isinstance(params.get(key), str):
                with contextlib.suppress(ValueError):  # else the method rejects the string
                    params[key] = json.loads(params[key])
        token = params.pop("token", None)
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            token = auth.removeprefix("Bearer ").strip()
        return params, token

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        method, at = request.match_info["method"], self._clock()
        try:
            params, token = await self._read_params(request)
        except ApiError as e:
            self.calls.append(Call(method, {}, None, at, error=e.error))
            return web.json_response(e.body())
        failure = _Failure("service_unavailable", 503, 0, 1) if self._down else None
        failure = failure or self._take_failure(method)
        if failure is not None:
            error = failure.error if failure.status < 500 else f"http_{failure.status}"
            self.calls.append(Call(method, params, token, at, True, error, failure.status))
            return self._failure_response(failure)
        try:
            handler = getattr(self, "_api_" + method.replace(".", "_"), None)
            if handler is None or "_" in method:
                raise ApiError("unknown_method")
            if not token:
                raise ApiError("not_authed")
            expected = self.app_token if method == "apps.connections.open" else self.bot_token
            if token != expected:
                raise ApiError("invalid_auth")
            body, error = {"ok": True, **handler(params)}, None
        except ApiError as e:
            body, error = e.body(), e.error
        self.calls.append(Call(method, params, token, at, error=error))
        return web.json_response(body)

    async def _handle_response(self, request: web.Request) -> web.StreamResponse:
        rid, at = request.match_info["rid"], self._clock()
        raw = await request.text()
        if request.content_type == "application/x-www-form-urlencoded":
            raw = str((await request.post()).get("payload", ""))
        try:
            payload = json.loads(raw)
            if not isinstance(payload, dict):
                raise ValueError
        except ValueError:
            payload = {"raw": raw}
        failure = self._take_failure("response_url")
        if failure is not None:
            self.calls.append(
                Call("response_url", payload, None, at, True, failure.error, failure.status)
            )
            return self._failure_response(failure)
        status, error = self._apply_response(rid, payload, at)
        self.calls.append(Call("response_url", payload, None, at, error=error, status=status))
        return web.Response(status=status, text=error or "ok", content_type="text/html")

    def _apply_response(
        self, rid: str, payload: dict[str, Any], at: float
    ) -> tuple[int, str | None]:
        if "raw" in payload:
            return 400, "invalid_payload"
        entry = self._response_urls.get(rid)
        if (
            entry is None
            or entry.uses >= RESPONSE_URL_MAX_USES
            or (at - entry.issued > RESPONSE_URL_TTL)
        ):
            return 404, "expired_url"
        if payload.get("response_type") not in (None, "ephemeral", "in_channel"):
            return 400, "invalid_payload"
        if not flag(payload.get("delete_original")):
            problem = check_message(
                payload.get("text"), payload.get("blocks"), attachments=payload.get("attachments")
            )
            if problem is not None:
                return 400, problem[0]
        entry.uses += 1
        self.responses.append({**payload, "url": f"{self.origin}/response/{rid}"})
        if entry.channel is not None:
            self._response_to_channel(entry, payload)
        return 200, None

    def _response_to_channel(self, entry: _ResponseUrl, payload: dict[str, Any]) -> None:
        channel = self._dms.get(entry.channel or "", entry.channel or "")
        original = self._find(channel, entry.message_ts) if entry.message_ts else None
        if original is not None and flag(payload.get("delete_original")):
            self._messages[channel].remove(original)
        elif original is not None and flag(payload.get("replace_original")):
            original.update(text=payload.get("text"), blocks=payload.get("blocks"))
        elif payload.get("response_type") == "in_channel":
            self._store(channel, payload, thread_ts=None)
        elif not flag(payload.get("delete_original")):
            self._ephemeral[channel].append(
                {
                    "ts": self._next_ts(),
                    "text": payload.get("text"),
                    "blocks": payload.get("blocks"),
                }
            )

    # -- shared helpers -------------------------------------------------------------------
    def _next_ts(self) -> str:
        n = next(self._ts_seq)
        return f"{1_700_000_000 + n // 10_000}.{(n % 10_000) * 100:06d}"

    def _channel(self, params: dict[str, Any], *, users_ok: bool = True) -> str:
        channel = param(params, "channel")
        if channel is None:
            raise ApiError("channel_not_found")
        if users_ok and channel[0] in "UW":
            channel = self._dm_for(channel)
        if channel in self._missing:
            raise ApiError("channel_not_found")
        return channel

    def _writable(self, channel: str) -> None:
        if channel in self._not_in:
            raise ApiError("not_in_channel")
        if self._channel_props[channel].get("is_archived"):
            raise ApiError("is_archived")

    def _dm_for(self, user_id: str) -> str:
        return self._dms.setdefault(user_id, f"D0{len(self._dms) + 1:08X}")

    def _find(self, channel: str, ts: str | None) -> dict[str, Any] | None:
        return next((m for m in self._messages[channel] if m["ts"] == ts), None)

    def _thread_root(self, channel: str, params: dict[str, Any]) -> str | None:
        thread_ts = param(params, "thread_ts")
        if thread_ts is None:
            return None
        parent = self._find(channel, thread_ts)
        if parent is None:
            raise ApiError("thread_not_found")
        return parent["thread_ts"] or parent["ts"]

    def _store(self, channel: str, p: dict[str, Any], thread_ts: str | None) -> dict[str, Any]:
        msg = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "ts": self._next_ts(),
            "thread_ts": thread_ts,
            "text": p.get("text"),
            "blocks": p.get("blocks"),
            "unfurl_links": flag(p.get("unfurl_links")),
            "unfurl_media": flag(p.get("unfurl_media")),
            "metadata": p.get("metadata"),
        }
        self._messages[channel].append(msg)
        return msg

    def _use_trigger(self, params: dict[str, Any]) -> None:
        trigger = param(params, "trigger_id") or param(params, "interactivity_pointer")
        if trigger is None:
            raise ApiError("invalid_arguments", ["[ERROR] missing required field: trigger_id"])
        issued = self._triggers.pop(trigger, None)
        if issued is None:
            used = trigger in self._used_triggers
            raise ApiError("exchanged_trigger_id" if used else "invalid_trigger_id")
        self._used_triggers.add(trigger)
        if self._clock() - issued > TRIGGER_TTL:
            raise ApiError("expired_trigger_id")

    def _save_view(
        self,
        view: dict[str, Any],
        view_id: str | None = None,
        root: str | None = None,
        previous: str | None = None,
    ) -> dict[str, Any]:
        view_id = view_id or f"V0{next(self._seq):08X}"
        saved = {
            "id": view_id,
            "team_id": self.team_id,
            "type": view["type"],
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{uuid.uuid4().hex[:8]}",
            "title": view.get("title"),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "close": view.get("close"),
            "submit": view.get("submit"),
            "previous_view_id": previous,
            "root_view_id": root or view_id,
            "app_id": self.app_id,
            "external_id": view.get("external_id", ""),
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        self.views[view_id] = saved
        return saved

    # -- methods --------------------------------------------------------------------------
    def _api_apps_connections_open(self, _: dict[str, Any]) -> dict[str, Any]:
        return {"url": f"ws://127.0.0.1:{self._port}/socket"}

    def _api_auth_test(self, _: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://reprisal-test.slack.com/",
            "team": "Reprisal Test",
            "user": "reprisal-bot",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _api_chat_postMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(p)
        self._writable(channel)
        check_content(p)
        msg = self._store(channel, p, self._thread_root(channel, p))
        return {"channel": channel, "ts": msg["ts"], "message": dict(msg)}

    def _api_chat_update(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(p, users_ok=False)
        msg = self._find(channel, param(p, "ts"))
        if msg is None:
            raise ApiError("message_not_found")
        self._writable(channel)
        check_content(p)
        msg.update({k: p[k] for k in ("text", "blocks") if k in p})
        return {"channel": channel, "ts": msg["ts"], "text": msg["text"], "message": dict(msg)}

    def _api_chat_postEphemeral(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(p)
        if param(p, "user") is None:
            raise ApiError("user_not_found")
        self._writable(channel)
        check_content(p)
        ts = self._next_ts()
        self._ephemeral[channel].append(
            {
                "ts": ts,
                "user": p["user"],
                "text": p.get("text"),
                "blocks": p.get("blocks"),
                "thread_ts": self._thread_root(channel, p),
            }
        )
        return {"message_ts": ts}

    def _api_views_open(self, p: dict[str, Any]) -> dict[str, Any]:
        view = view_arg(p, "modal")
        external_id = view.get("external_id")
        if external_id and any(v["external_id"] == external_id for v in self.views.values()):
            raise ApiError("duplicate_external_id")
        self._use_trigger(p)
        return {"view": dict(self._save_view(view))}

    def _api_views_push(self, p: dict[str, Any]) -> dict[str, Any]:
        view = view_arg(p, "modal")
        self._use_trigger(p)
        return {"view": dict(self._save_view(view))}

    def _api_views_update(self, p: dict[str, Any]) -> dict[str, Any]:
        view_id, external_id = param(p, "view_id"), param(p, "external_id")
        if view_id is None and external_id is None:
            raise ApiError("invalid_arguments", ["[ERROR] view_id or external_id is required"])
        current = self.views.get(view_id or "") or next(
            (v for v in self.views.values() if external_id and v["external_id"] == external_id),
            None,
        )
        if current is None:
            raise ApiError("not_found")
        view = view_arg(p, current["type"])
        if param(p, "hash") is not None and p["hash"] != current["hash"]:
            raise ApiError("hash_conflict")
        view = {**view, "external_id": view.get("external_id") or current["external_id"]}
        saved = self._save_view(
            view, current["id"], current["root_view_id"], current["previous_view_id"]
        )
        return {"view": dict(saved)}

    def _api_views_publish(self, p: dict[str, Any]) -> dict[str, Any]:
        user_id = param(p, "user_id")
        if user_id is None:
            raise ApiError("invalid_arguments", ["[ERROR] missing required field: user_id"])
        view = view_arg(p, "home")
        current = self.home_views.get(user_id)
        if current and param(p, "hash") is not None and p["hash"] != current["hash"]:
            raise ApiError("hash_conflict")
        saved = self._save_view(view, current["id"] if current else None)
        self.home_views[user_id] = saved
        return {"view": dict(saved)}

    def _api_conversations_open(self, p: dict[str, Any]) -> dict[str, Any]:
        if param(p, "channel") is not None:
            return {"channel": {"id": self._channel(p, users_ok=False)}}
        users = p.get("users") or ""
        ids = users if isinstance(users, list) else [u.strip() for u in str(users).split(",")]
        ids = [u for u in ids if u]
        if not ids or any(u[0] not in "UW" for u in ids):
            raise ApiError("user_not_found")
        if len(ids) == 1:
            channel = self._dm_for(ids[0])
        else:
            channel = self._dms.setdefault(",".join(sorted(ids)), f"G0{next(self._seq):08X}")
        info: dict[str, Any] = {"id": channel}
        if flag(p.get("return_im")):
            info.update(is_im=len(ids) == 1, user=ids[0] if len(ids) == 1 else None)
        return {"channel": info, "no_op": False, "already_open": False}

    def _api_conversations_history(self, p: dict[str, Any]) -> dict[str, Any]:
        ch = self._dms.get(self._channel(p), self._channel(p))
        oldest = float(p.get("oldest") or 0)
        top = [
            m for m in self._messages[ch] if not m.get("thread_ts") or m.get("thread_ts") == m["ts"]
        ]
        found = [m for m in reversed(top) if float(m["ts"]) >= oldest]
        return {
            "messages": [self._shown(m, p) for m in found[: int(p.get("limit") or 100)]],
            "has_more": False,
        }

    def _api_conversations_replies(self, p: dict[str, Any]) -> dict[str, Any]:
        ch = self._dms.get(self._channel(p), self._channel(p))
        root = str(p.get("ts") or "")
        thread = [m for m in self._messages[ch] if m["ts"] == root or m.get("thread_ts") == root]
        if not thread:
            raise ApiError("thread_not_found")
        return {"messages": [self._shown(m, p) for m in thread], "has_more": False}

    @staticmethod
    def _shown(message: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
        shown = {k: v for k, v in message.items() if k != "metadata" and v is not None}
        if flag(p.get("include_all_metadata")) and message.get("metadata"):
            shown["metadata"] = message["metadata"]
        return shown

    def set_members(self, channel_id: str, members: list[str]) -> None:
        self._members[channel_id] = list(members)

    def _api_conversations_members(self, p: dict[str, Any]) -> dict[str, Any]:
        ch = self._channel(p, users_ok=False)
        members = self._members.get(ch, [])
        limit = int(p.get("limit") or 100)
        start = int(p.get("cursor") or 0)
        page = members[start : start + limit]
        after = start + limit
        cursor = str(after) if after < len(members) else ""
        return {"members": page, "response_metadata": {"next_cursor": cursor}}

    def _api_conversations_info(self, p: dict[str, Any]) -> dict[str, Any]:
        ch = self._channel(p, users_ok=False)
        info = {
            "id": ch,
            "name": ch.lower(),
            "is_channel": ch[0] == "C",
            "is_group": False,
            "is_im": ch[0] == "D",
            "is_mpim": ch[0] == "G",
            # The bot's channels are private ones: a channel is private unless a test says
            # otherwise with set_channel(id, is_private=False).
            "is_private": True,
            "is_archived": False,
            "is_general": False,
            "is_shared": False,
            "is_ext_shared": False,
            "is_org_shared": False,
            "is_pending_ext_shared": False,
            "is_member": ch not in self._not_in,
            "context_team_id": self.team_id,
            "created": 1_700_000_000,
            "creator": "U0CREATOR",
        }
        info.update(self._channel_props[ch])
        return {"channel": info}

    def _api_users_lookupByEmail(self, p: dict[str, Any]) -> dict[str, Any]:
        email = (param(p, "email") or "").lower()
        for user in self.users.values():
            if email and (user["profile"].get("email") or "").lower() == email:
                return {"user": user}
        raise ApiError("users_not_found")

    def _api_users_info(self, p: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(param(p, "user") or "")
        if user is None:
            raise ApiError("user_not_found")
        return {"user": user}
