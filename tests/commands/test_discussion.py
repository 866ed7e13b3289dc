"""commands.discussion on SQLite and PostgreSQL: replies in a case's thread are kept in the case's
record once, shown only to readers who see the case in full, and an outsider's words never."""

from __future__ import annotations

import datetime as dt

from commands import discussion, status
from commands.discussion import ThreadReply
from storage.records import ThreadRecord
from tests.commands.conftest import Office

CHANNEL, ROOT = "C0COORD01", "1764235800.000100"


async def case_with_thread(office: Office) -> str:
    reference = await office.report("Ana")
    case_id = await office.case_id(reference)
    async with office.core.uow() as uow:
        await uow.threads.set(ThreadRecord(case_id, "slack", CHANNEL, ROOT))
        await uow.commit()
    return reference


def reply(ref: str, text: str, root: str = ROOT) -> ThreadReply:
    at = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
    return ThreadReply(CHANNEL, root, ref, at, text, author_ref="U0CATAL01")


async def test_a_reply_is_kept_once_and_shown_to_a_reader_at_full(office: Office) -> None:
    reference = await case_with_thread(office)
    goran = office["Goran"]
    kept = await discussion.keep_message(
        reply("1.1", "Called the NGO."), author=goran, core=office.core
    )
    again = await discussion.keep_message(reply("1.1", "Edited"), author=goran, core=office.core)
    assert kept and not again
    shown = await status.handle((reference,), actor=office["Ana"], core=office.core)
    assert [(d.author, d.text, d.at) for d in shown.case.discussion] == [
        ("Goran Example", "Called the NGO.", "2026-11-27 10:00 UTC")
    ]


async def test_the_discussion_is_not_shown_to_a_chair(office: Office) -> None:
    reference = await case_with_thread(office)
    await discussion.keep_message(
        reply("1.1", "Names again"), author=office["Ana"], core=office.core
    )
    shown = await status.handle((reference,), actor=office["Hana"], core=office.core)
    assert shown.case.discussion == ()


async def test_an_outsiders_reply_is_kept_without_author_and_never_shown(office: Office) -> None:
    reference = await case_with_thread(office)
    assert await discussion.keep_message(
        reply("1.2", "I am lurking"), author=None, core=office.core
    )
    shown = await status.handle((reference,), actor=office["Ana"], core=office.core)
    assert [(d.author, d.text) for d in shown.case.discussion] == [(None, "")]
    kept = [e for e in await office.trail() if e.action == "message"]
    assert [(e.actor_id, e.detail) for e in kept] == [
        (None, {"ref": "1.2", "outsider": "U0CATAL01"})
    ]


async def test_a_reply_outside_a_case_thread_or_without_text_is_not_kept(office: Office) -> None:
    await case_with_thread(office)
    ana = office["Ana"]
    assert not await discussion.keep_message(
        reply("2.1", "hi", root="9.9"), author=ana, core=office.core
    )
    assert not await discussion.keep_message(reply("2.2", "  "), author=ana, core=office.core)
    assert [e for e in await office.trail() if e.action == "message"] == []
