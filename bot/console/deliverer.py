"""The console's deliverer: shows what the bot would post, where, instead of posting it."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from bot.delivery.port import Outgoing, Target
from bot.rendering.renderer import Renderer
from storage.records import PersonRecord, ThreadRecord

# C0 and C1 controls (but tab and new line) and the bidi overrides and isolates: a name typed
# with them could retitle, clear or reorder the operator's terminal. They are shown escaped.
_UNPRINTABLE = {
    **{c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if c not in (9, 10)},
    **{c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
}


def printable(text: str) -> str:
    """Text safe for a terminal: every control sequence and bidi override shown, not obeyed."""
    return text.translate(_UNPRINTABLE)


class ConsoleDeliverer:
    platform = "console"

    def __init__(self, renderer: Renderer, write: Callable[[str], None]) -> None:
        self._renderer = renderer
        self._write = write
        self._refs = itertools.count(1)

    async def to_channel(self, channel: str, message: Outgoing) -> str:
        self._show(f"to the coordination channel ({channel})", message)
        return f"console-{next(self._refs)}"

    async def to_thread(self, thread: ThreadRecord, message: Outgoing) -> str:
        self._show(f"in the case thread ({thread.channel}, under {thread.root_ref})", message)
        return f"console-{next(self._refs)}"

    async def to_person(self, person: PersonRecord, message: Outgoing) -> str:
        self._show(f"direct message to {person.name}", message)
        return f"console-{next(self._refs)}"

    async def update_card(self, thread: ThreadRecord, message: Outgoing) -> str:
        self._show(f"as the updated case card ({thread.channel}, {thread.root_ref})", message)
        return thread.root_ref

    async def send_digest(self, target: Target, message: Outgoing, *, resume: bool) -> str:
        where = f"direct message to {target.name}" if isinstance(target, PersonRecord) else target
        self._show(f"the digest, {where}", message)
        return f"console-{next(self._refs)}"

    async def already_sent(self, notice_id: int, target: Target) -> str | None:
        return None  # a console session has no earlier run to find

    def mention(self, person: PersonRecord) -> str:
        return f"@{person.name}"

    def _show(self, where: str, message: Outgoing) -> None:
        context = {"charts": [], **message.context}
        body = self._renderer.text(f"text/{message.template}.md.j2", **context)
        indented = "".join(f"  │ {line}\n" for line in body.rstrip("\n").splitlines())
        self._write(f"  ┌─ the bot would post {where}:\n{indented}")
