"""A digest as a document: Markdown or HTML (charts embedded or beside it), or Slack's JSON."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.rendering.renderer import Renderer
from bot.slack.delivery.digest_messages import digest_messages
from digests.model import Digest

if TYPE_CHECKING:
    from bot.rendering.charts import Chart

FORMATS = ("markdown", "html", "slack-json")


@dataclass(frozen=True, slots=True)
class ChartRef:
    """A chart as a document refers to it: a file beside it, or a data: URI inside it."""

    name: str
    title: str
    alt: str
    src: str


def render_digest(
    renderer: Renderer,
    digest: Digest,
    *,
    audience_note: str,
    form: str,
    charts_dir: Path | None = None,
) -> str:
    context = {"digest": digest, "audience_note": audience_note}
    if form == "slack-json":
        blocks = renderer.json("slack/digest.blocks.json.j2", **context)
        messages = digest_messages(blocks, f"Reprisals digest: {digest.period.title}")
        return json.dumps(messages, indent=2, ensure_ascii=False) + "\n"
    from bot.rendering.charts import (
        render_charts,  # matplotlib loads only for a document with charts
    )

    refs = [_ref(chart, digest, charts_dir) for chart in render_charts(digest)]
    if form == "html":
        return renderer.text("html/digest.html.j2", charts=refs, **context)
    return renderer.text("text/digest.md.j2", charts=refs, **context)


def _ref(chart: Chart, digest: Digest, charts_dir: Path | None) -> ChartRef:
    if charts_dir is None:
        src = "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii")
    else:
        charts_dir.mkdir(parents=True, exist_ok=True)
        path = charts_dir / f"{chart.name}-{digest.period.label}.png"
        path.write_bytes(chart.png)
        src = path.as_posix()
    return ChartRef(chart.name, chart.title, chart.alt, src)
