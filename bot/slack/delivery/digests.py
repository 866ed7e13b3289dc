"""Send a digest to a Slack conversation exactly once: its messages (the first, then the
rest in its thread) and its charts, each found again by a retry instead of posted twice."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.delivery.port import Outgoing
from bot.rendering.renderer import Renderer
from bot.slack.delivery.digest_messages import digest_messages

if TYPE_CHECKING:
    from bot.rendering.charts import Chart

Call = Callable[..., Awaitable[dict[str, Any]]]
EVENT_TYPE = "reprisal_notice"


async def send_digest(
    call: Call, renderer: Renderer, channel: str, message: Outgoing, *, resume: bool
) -> str:
    """Post every part not yet in `channel`, then the charts; the first message's ts."""
    digest = message.context["digest"]
    blocks = renderer.json("slack/digest.blocks.json.j2", **message.context)
    parts = digest_messages(blocks, f"Reprisals digest: {digest.period.title}")
    found = await _already_posted(call, channel, message.notice) if resume else _Found()
    root = found.parts.get(0) or await _post(call, channel, parts[0], message.notice, 0, None)
    for number, part in enumerate(parts[1:], start=1):
        if number not in found.parts:
            await _post(call, channel, part, message.notice, number, root)
    # Drawn here, outside any transaction, and off the event loop.
    for chart in await asyncio.to_thread(charts_of, digest):
        name = chart_file_name(chart, digest.period.label, message.notice)
        if name not in found.files:
            await call(
                "files_upload_v2",
                channel=channel,
                thread_ts=root,
                content=chart.png,
                filename=name,
                title=chart.title,
                alt_txt=chart.alt[:1000],
            )
    return root


def charts_of(digest: Any) -> list[Chart]:
    """The period's charts. They show figures every reader gets alike, so each Chair's DM and
    both channels share one drawing."""
    return _drawn((digest.period, digest.by_committee, digest.by_act, digest.trend), digest)


_cache: dict[object, list[Chart]] = {}


def _drawn(key: object, digest: Any) -> list[Chart]:
    from bot.rendering.charts import (
        render_charts,  # matplotlib loads when the first digest goes out
    )

    if key not in _cache:
        if len(_cache) > 8:
            _cache.clear()
        _cache[key] = render_charts(digest)
    return _cache[key]


def chart_file_name(chart: Chart, period: str, notice: int) -> str:
    """The notice's id in the name is how a retry recognises a chart already uploaded."""
    return f"{chart.name}-{period}-n{notice}.png"


class _Found:
    def __init__(self) -> None:
        self.parts: dict[int, str] = {}
        self.files: set[str] = set()


async def _post(
    call: Call,
    channel: str,
    part: dict[str, Any],
    notice: int,
    number: int,
    thread_ts: str | None,
) -> str:
    response = await call(
        "chat_postMessage",
        channel=channel,
        thread_ts=thread_ts,
        text=part["text"],
        blocks=part["blocks"],
        metadata={"event_type": EVENT_TYPE, "event_payload": {"notice": notice, "part": number}},
        unfurl_links=False,
        unfurl_media=False,
    )
    return str(response["ts"])


async def _already_posted(call: Call, channel: str, notice: int) -> _Found:
    """What an earlier attempt (perhaps cut short by a crash) got into Slack."""
    found = _Found()
    history = await call(
        "conversations_history", channel=channel, include_all_metadata=True, limit=200
    )
    for message in history.get("messages", []):
        if _part_of(message, notice) == 0:
            found.parts[0] = str(message["ts"])
    if 0 not in found.parts:
        return found
    replies = await call(
        "conversations_replies",
        channel=channel,
        ts=found.parts[0],
        include_all_metadata=True,
        limit=1000,
    )
    for message in replies.get("messages", []):
        number = _part_of(message, notice)
        if number is not None:
            found.parts.setdefault(number, str(message["ts"]))
        found.files.update(str(f.get("name")) for f in message.get("files", []))
    return found


def _part_of(message: dict[str, Any], notice: int) -> int | None:
    payload = (message.get("metadata") or {}).get("event_payload") or {}
    if payload.get("notice") != notice:
        return None
    part = payload.get("part", 0)
    return int(part) if isinstance(part, int) else None
