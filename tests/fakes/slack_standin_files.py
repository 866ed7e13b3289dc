"""File uploads for the Slack stand-in, the way ``AsyncWebClient.files_upload_v2`` makes them.

1. ``files.getUploadURLExternal`` (filename, length) -> ``upload_url`` and ``file_id``;
2. a POST of the bytes (raw or multipart) to that loopback URL, usable once;
3. ``files.completeUploadExternal`` (files, channel_id/channels, thread_ts, initial_comment)
   checks the bytes against ``length`` and shares the files in a message of the bot.

Error names are those Slack documents for these methods, except ``file_upload_size_mismatch``
(Slack documents no code for bytes that differ from ``length``).
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.fakes.slack_standin_limits import ApiError, check_blocks, param

if TYPE_CHECKING:
    from tests.fakes.slack_standin import Call, _Failure

UPLOAD = "file_upload"  # Call.method of POSTs to upload URLs; fail_next(UPLOAD) fails them
SIZE_MISMATCH = "file_upload_size_mismatch"
MAX_ALT_TXT = 1_000
MAX_SNIPPET = 1024 * 1024
MAX_SHARE_CHANNELS = 100


@dataclass
class _Upload:
    """One file from files.getUploadURLExternal to its completion."""

    id: str
    filename: str
    length: int
    alt_txt: str | None
    snippet_type: str | None
    content: bytes | None = None
    title: str | None = None
    completed: bool = False
    comment: str | None = None
    shares: list[dict[str, Any]] = field(default_factory=list)


def _invalid(message: str) -> ApiError:
    """The ``invalid_arguments`` error, worded as Slack words it."""
    return ApiError("invalid_arguments", [f"[ERROR] {message}"])


def _file_items(p: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``files`` argument of completeUploadExternal: a JSON list of ``{id, title}``."""
    raw = p.get("files")
    if raw in (None, ""):
        raise _invalid("missing required field: files")
    try:
        items = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        raise _invalid("files must be a JSON array [json-pointer:/files]") from None
    if not isinstance(items, list) or not items:
        raise _invalid("files must be a non-empty array [json-pointer:/files]")
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise _invalid(f"missing required field: id [json-pointer:/files/{i}/id]")
    return items


def _share_targets(p: dict[str, Any]) -> list[str]:
    """Where to share: ``channel_id`` and/or ``channels`` (comma-separated), in order."""
    raw = p.get("channels") or ""
    listed = raw if isinstance(raw, list) else str(raw).split(",")
    targets = [param(p, "channel_id") or "", *(str(c).strip() for c in listed)]
    return list(dict.fromkeys(t for t in targets if t))


async def _body_bytes(request: web.Request) -> bytes:
    """The uploaded bytes: the raw body, or the first file of a multipart form."""
    if request.content_type != "multipart/form-data":
        return await request.read()
    form = await request.post()
    for value in form.values():
        if isinstance(value, web.FileField):
            return value.file.read()
    return b""


class FileUploads:
    """Mixin of ``SlackStandIn``: the files.* upload methods, the upload URLs, accessors."""

    if TYPE_CHECKING:  # provided by SlackStandIn
        calls: list[Call]
        _clock: Callable[[], float]
        _dms: dict[str, str]
        _down: bool
        _failures: dict[str, list[_Failure]]
        _seq: Iterator[int]

        @property
        def origin(self) -> str: ...
        def _take_failure(self, method: str) -> _Failure | None: ...
        @staticmethod
        def _failure_response(f: _Failure) -> web.Response: ...
        def _channel(self, params: dict[str, Any], *, users_ok: bool = True) -> str: ...
        def _writable(self, channel: str) -> None: ...
        def _thread_root(self, channel: str, params: dict[str, Any]) -> str | None: ...
        def _store(
            self, channel: str, p: dict[str, Any], thread_ts: str | None
        ) -> dict[str, Any]: ...

    def __init__(self) -> None:
        self._uploads: dict[str, _Upload] = {}

    # -- accessors for tests --------------------------------------------------------------
    def uploaded_files(self, channel: str) -> list[dict[str, Any]]:
        """Files shared in ``channel`` (a user id means its DM), oldest first, with bytes."""
        channel = self._dms.get(channel, channel)
        shared = [
            {**self._record(u), **share}
            for u in self._uploads.values()
            for share in u.shares
            if share["channel"] == channel
        ]
        return sorted(shared, key=lambda record: float(record["ts"]))

    def uploaded_file(self, file_id: str) -> dict[str, Any] | None:
        """Any upload by id (pending, private or shared), with its bytes and its shares."""
        upload = self._uploads.get(file_id)
        if upload is None:
            return None
        shares = [dict(s) for s in upload.shares]
        return {**self._record(upload), "completed": upload.completed, "shares": shares}

    @staticmethod
    def _record(u: _Upload) -> dict[str, Any]:
        """A file as tests see it: Slack's fields plus the bytes and the upload arguments."""
        return {
            **FileUploads._public(u),
            "content": u.content,
            "length": u.length,
            "alt_txt": u.alt_txt,
            "snippet_type": u.snippet_type,
            "initial_comment": u.comment,
        }

    @staticmethod
    def _public(u: _Upload) -> dict[str, Any]:
        """A file as Slack shows it in messages and in completeUploadExternal."""
        mimetype = mimetypes.guess_type(u.filename)[0] or "application/octet-stream"
        size = len(u.content) if u.content is not None else u.length
        return {
            "id": u.id,
            "name": u.filename,
            "title": u.title or u.filename,
            "mimetype": mimetype,
            "size": size,
        }

    # -- the upload URL -------------------------------------------------------------------
    async def _handle_upload(self, request: web.Request) -> web.StreamResponse:
        from tests.fakes.slack_standin import Call  # the stand-in imports this module

        file_id, at = request.match_info["file_id"], self._clock()
        content = await _body_bytes(request)
        params = {"file_id": file_id, "bytes": len(content)}
        failure = self._upload_failure()
        if failure is not None:
            error = failure.error if failure.status < 500 else f"http_{failure.status}"
            self.calls.append(Call(UPLOAD, params, None, at, True, error, failure.status))
            return self._failure_response(failure)
        upload = self._uploads.get(file_id)
        if upload is None or upload.content is not None:  # unknown, or its URL was used
            self.calls.append(Call(UPLOAD, params, None, at, error="invalid_upload", status=404))
            return web.Response(status=404, text="invalid_upload", content_type="text/plain")
        upload.content = content
        self.calls.append(Call(UPLOAD, params, None, at))
        return web.Response(text=f"OK - {len(content)}", content_type="text/plain")

    def _upload_failure(self) -> _Failure | None:
        """An outage or a ``fail_next(UPLOAD)`` (upload URLs are no API method, so not "*")."""
        if self._down:
            from tests.fakes.slack_standin import _Failure  # the stand-in imports this module

            return _Failure("service_unavailable", 503, 0, 1)
        return self._take_failure(UPLOAD) if self._failures.get(UPLOAD) else None

    # -- methods --------------------------------------------------------------------------
    def _api_files_getUploadURLExternal(self, p: dict[str, Any]) -> dict[str, Any]:
        filename, length = param(p, "filename"), self._length(p)
        if filename is None:
            raise _invalid("missing required field: filename")
        alt_txt, snippet_type = param(p, "alt_txt"), param(p, "snippet_type")
        if alt_txt is not None and len(alt_txt) > MAX_ALT_TXT:
            raise ApiError("alt_txt_too_large")
        if snippet_type is not None and length > MAX_SNIPPET:
            raise ApiError("snippet_too_large")
        file_id = f"F0{next(self._seq):09X}"
        self._uploads[file_id] = _Upload(file_id, filename, length, alt_txt, snippet_type)
        return {"upload_url": f"{self.origin}/upload/{file_id}", "file_id": file_id}

    @staticmethod
    def _length(p: dict[str, Any]) -> int:
        """The ``length`` argument: a positive integer (0 is Slack's ``missing_argument``)."""
        raw = param(p, "length")
        if raw is None:
            raise _invalid("missing required field: length")
        try:
            length = int(raw)
        except ValueError:
            raise _invalid("length must be an integer [json-pointer:/length]") from None
        if length == 0:
            raise ApiError("missing_argument")
        if length < 0:
            raise _invalid("length must be positive [json-pointer:/length]")
        return length

    def _api_files_completeUploadExternal(self, p: dict[str, Any]) -> dict[str, Any]:
        items = _file_items(p)
        uploads = [self._completable(item["id"]) for item in items]
        targets = self._targets(p)
        comment = param(p, "initial_comment")
        blocks = None if comment is not None else p.get("blocks")
        if blocks is not None and (errors := check_blocks(blocks, "message")):
            raise ApiError("invalid_blocks", errors)
        for upload, item in zip(uploads, items, strict=True):
            upload.title = param(item, "title") or upload.filename
            upload.completed, upload.comment = True, comment
        for channel, thread_ts in targets:
            self._share(uploads, channel, thread_ts, {"text": comment or "", "blocks": blocks})
        return {"files": [self._public(u) for u in uploads]}

    def _completable(self, file_id: str) -> _Upload:
        """An upload whose bytes arrived, match its ``length`` and were not completed yet."""
        upload = self._uploads.get(file_id)
        if upload is None or upload.completed or upload.content is None:
            raise ApiError("file_not_found")
        if len(upload.content) != upload.length:
            raise ApiError(SIZE_MISMATCH)
        return upload

    def _targets(self, p: dict[str, Any]) -> list[tuple[str, str | None]]:
        """Each channel to share in (checked like chat.postMessage), with its thread root."""
        targets = _share_targets(p)
        if len(targets) > MAX_SHARE_CHANNELS:
            raise ApiError("channels_limit_exceeded")
        if param(p, "thread_ts") is not None and len(targets) != 1:
            raise _invalid("thread_ts needs exactly one channel [json-pointer:/thread_ts]")
        resolved = []
        for target in targets:
            channel = self._channel({"channel": target})
            self._writable(channel)
            resolved.append((channel, self._thread_root(channel, p)))
        return resolved

    def _share(
        self, uploads: list[_Upload], channel: str, thread_ts: str | None, p: dict[str, Any]
    ) -> None:
        """Post the bot's message carrying the files, and note the share on each file."""
        msg = self._store(channel, p, thread_ts)
        msg.update(files=[self._public(u) for u in uploads], upload=True)
        for upload in uploads:
            upload.shares.append({"channel": channel, "ts": msg["ts"], "thread_ts": thread_ts})
