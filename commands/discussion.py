"""Discussion kept: what people post in a case's thread goes into the case's record (author,
time, text), so the record is complete outside the chat platform.

- The text is sealed with the case's key, like its names and summary; the timeline and the
  audit trail get a row that names the message (its platform ref), never its text.
- A message is kept once: a redelivered event, or the same message seen twice, changes nothing.
- A message from someone not in the directory is kept too (the record stays complete), without
  an author, and is never shown: not in the case detail, nor anywhere else.
- Edits change nothing: the record keeps the message as it was first posted. Deleting a message
  in the platform leaves it kept. Files are not kept; a message without text is not kept.
- Once a case is erased, nothing of its thread is kept any more, and what was kept is erased
  with it.
- The discussion is shown only to readers who see the case in full (`Visibility.FULL`): the
  names and what people wrote may be as sensitive as the summary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from commands.invocation import Dependencies
from commands.policy import Surface, Visibility
from commands.roles import Actor
from commands.trail import record
from commands.views import DiscussionLine
from storage.records import CaseRecord
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class ThreadReply:
    """A message someone posted in reply in a thread, as the platform adapter reports it."""

    channel: str
    root_ref: str  # the message the thread hangs from (a case card, if it is a case's thread)
    ref: str  # the message itself: unique on its platform
    at: dt.datetime
    text: str
    author_ref: str  # the author's account on the platform


async def keep_message(reply: ThreadReply, *, author: Actor | None, core: Dependencies) -> bool:
    """Keep a reply posted in a case's thread in the case's record; False if the thread is no
    case's, the case is erased, or the message was kept before. `author` is None for someone
    not in the directory."""
    if not reply.text.strip():
        return False
    async with core.uow() as uow:
        thread = await uow.threads.by_root(core.platform, reply.channel, reply.root_ref)
        if thread is None:
            return False
        author_id = author.person_id if author else None
        kept = await uow.messages.keep(
            thread.case_id,
            platform=core.platform,
            ref=reply.ref,
            author_id=author_id,
            at=reply.at,
            text=reply.text,
        )
        if not kept:
            return False
        # The timeline's detail is plain JSON: the ref says which message, the text stays sealed.
        await uow.timeline.append(
            thread.case_id,
            at=reply.at,
            actor_id=author_id,
            kind="message",
            detail={"ref": reply.ref},
        )
        detail: dict[str, object] = {"ref": reply.ref}
        if author is None:
            detail["outsider"] = reply.author_ref  # who it was, as the platform knows them
        await record(
            uow,
            actor=author,
            action="message",
            case_id=thread.case_id,
            allowed=True,
            surface=Surface.THREAD,
            clock=core.clock,
            detail=detail,
        )
        await uow.commit()
    return True


async def discussion_of(
    uow: UnitOfWork, case: CaseRecord, level: Visibility
) -> tuple[DiscussionLine, ...]:
    """The case thread's messages, oldest first, for a reader who sees the case in full;
    nothing for anyone else, or once the case is erased."""
    if level < Visibility.FULL or case.erased:
        return ()
    messages = await uow.messages.for_case(case.id)
    if not messages:
        return ()
    names = {person.id: person.name for person in await uow.people.every()}
    return tuple(
        DiscussionLine(
            at=m.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            author=names.get(m.author_id) if m.author_id else None,
            text=m.text if m.author_id else "",
        )
        for m in messages
    )
