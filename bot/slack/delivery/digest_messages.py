"""Cut a digest's blocks into Slack messages: whole blocks only, within Slack's limits; the
parts after the first continue in the first one's thread, each saying which part it is."""

from __future__ import annotations

import json
from typing import Any

MAX_BLOCKS = 45  # Slack allows 50 blocks a message; room for the part's own context block
MAX_CHARS = 11_000  # the blocks' JSON per message, well inside what Slack accepts


def digest_messages(blocks: list[dict[str, Any]], title: str) -> list[dict[str, Any]]:
    """`[{"text", "blocks"}, ...]`: the first message, then its continuations."""
    groups: list[list[dict[str, Any]]] = [[]]
    size = 0
    for block in blocks:
        weight = len(json.dumps(block, ensure_ascii=False))
        current = groups[-1]
        if current and (len(current) >= MAX_BLOCKS or size + weight > MAX_CHARS):
            groups.append([])
            size = 0
        groups[-1].append(block)
        size += weight
    total = len(groups)
    messages = []
    for number, group in enumerate(groups, start=1):
        label = title if total == 1 else f"{title} (part {number} of {total})"
        if number > 1:
            note = {"type": "mrkdwn", "text": f"_{label}, continued._"}
            group = [{"type": "context", "elements": [note]}, *group]
        messages.append({"text": label, "blocks": group})
    return messages
