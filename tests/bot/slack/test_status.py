"""Status on demand, help, and who may use the bot at all: ephemeral, and only what one may see."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import select, update

from storage.models import CaseRow, TargetRow
from tests.bot.conftest import BotUnderTest
from tests.bot.slack.report_payloads import (
    ANA,
    BEATRIZ,
    GORAN,
    HANA,
    IVAN,
    LARS,
    QUINN,
    SAM,
    STRANGER,
    SUMMARY,
    VICTIM,
    submission,
)
from tests.bot.slack.test_home import home_of
from tests.fakes.signing import select_state

RESTRICTED = select_state("restricted", type="radio_buttons")


async def reported(bot: BotUnderTest, view_id: str, **overrides: object) -> None:
    status, body = await bot.interact(submission(ANA, view_id, **overrides))
    assert status == 200 and body["response_action"] == "update", body


async def test_status_by_reference_is_ephemeral_and_full_for_the_lead_committee(
    bot: BotUnderTest,
) -> None:
    await reported(bot, "V0S1")
    answer = await bot.ask(GORAN, "status RPR-2026-0001")
    assert answer["response_type"] == "ephemeral"
    text = json.dumps(answer, ensure_ascii=False)
    assert "Viet Nam" in text and VICTIM in text and "Threatened after Geneva" in text


async def test_restricted_case_is_invisible_to_other_committees_with_the_same_answer(
    bot: BotUnderTest,
) -> None:
    await reported(bot, "V0S2", confidentiality=RESTRICTED)
    hidden = await bot.ask(IVAN, "status RPR-2026-0001")
    missing = await bot.ask(IVAN, "status RPR-2026-0999")
    assert hidden["text"] == "No case RPR-2026-0001 that you can see."
    assert missing["text"] == "No case RPR-2026-0999 that you can see."
    assert hidden["response_type"] == missing["response_type"] == "ephemeral"
    by_state = json.dumps(await bot.ask(IVAN, "status Viet Nam"))
    assert "RPR-2026-0001" not in by_state and "No cases concerning Viet Nam" in by_state
    secretariat = json.dumps(await bot.ask(SAM, "status RPR-2026-0001"), ensure_ascii=False)
    assert VICTIM in secretariat


async def test_shared_case_is_visible_to_every_focal_point(bot: BotUnderTest) -> None:
    await reported(bot, "V0S3")
    answer = json.dumps(await bot.ask(LARS, "status RPR-2026-0001"), ensure_ascii=False)
    assert "Viet Nam" in answer and VICTIM in answer


async def test_chair_sees_the_facts_but_never_the_victims_name(bot: BotUnderTest) -> None:
    await reported(bot, "V0S4")
    answer = json.dumps(await bot.ask(HANA, "status RPR-2026-0001"), ensure_ascii=False)
    assert "Viet Nam" in answer and "Travel ban" in answer
    assert VICTIM not in answer and "Threatened after Geneva" not in answer


async def test_asg_office_sees_a_case_only_with_consent(bot: BotUnderTest) -> None:
    await reported(bot, "V0S5")
    answer = await bot.ask(QUINN, "status RPR-2026-0001")
    assert answer["text"] == "No case RPR-2026-0001 that you can see."


async def test_status_by_state_and_by_committee_lists_visible_cases(bot: BotUnderTest) -> None:
    await reported(bot, "V0S6")
    await reported(bot, "V0S7", state_party=select_state("Türkiye", type="external_select"))
    by_state = json.dumps(await bot.ask(BEATRIZ, "status viet nam"), ensure_ascii=False)
    assert "RPR-2026-0001" in by_state and "RPR-2026-0002" not in by_state
    by_committee = json.dumps(await bot.ask(BEATRIZ, "status CCPR"), ensure_ascii=False)
    assert "RPR-2026-0001" in by_committee and "RPR-2026-0002" in by_committee
    ambiguous = await bot.ask(BEATRIZ, "status Guin")
    assert "Which State do you mean" in ambiguous["text"] and "Guinea-Bissau" in ambiguous["text"]


async def test_list_open_and_mine(bot: BotUnderTest) -> None:
    await reported(bot, "V0S8")
    await reported(bot, "V0S9", confidentiality=RESTRICTED)
    mine = json.dumps(await bot.ask(GORAN, "list mine"))
    assert "RPR-2026-0001" in mine and "RPR-2026-0002" in mine
    others = json.dumps(await bot.ask(IVAN, "list open"))
    assert "RPR-2026-0001" in others and "RPR-2026-0002" not in others
    nothing = await bot.ask(IVAN, "list mine")
    assert "No cases reported by you" in json.dumps(nothing)
    which = await bot.ask(IVAN, "list")
    assert "list open" in which["text"]


async def test_help_and_unknown_commands_explain_every_command(bot: BotUnderTest) -> None:
    for text in ("help", "", "frobnicate now"):
        answer = json.dumps(await bot.ask(IVAN, text))
        for command in ("report", "status", "list open", "list mine", "help"):
            assert command in answer
    assert "frobnicate" in json.dumps(await bot.ask(IVAN, "frobnicate"))


async def test_someone_outside_the_directory_is_refused_politely_and_gets_no_data(
    bot: BotUnderTest,
) -> None:
    await reported(bot, "V0S10")
    for text in ("status RPR-2026-0001", "list open", "report", "help"):
        answer = await bot.ask(STRANGER, text)
        assert "not in its directory" in answer["text"]
        assert "RPR-2026" not in json.dumps(answer)
    status, body = await bot.interact(submission(STRANGER, "V0S11"))
    assert status == 200 and body["response_action"] == "errors"
    async with bot.running.services.uow() as uow:
        assert await uow.cases.count() == 1


async def test_a_chair_cannot_log_a_report(bot: BotUnderTest) -> None:
    answer = await bot.ask(HANA, "report")
    assert "Only focal points, alternates and the secretariat" in answer["text"]
    assert bot.slack.calls_to("views.open") == []


async def damage(bot: BotUnderTest, case_id: int, part: str) -> None:
    """Flip a bit of the case's sealed summary, or of its victim's sealed name, in the database."""
    async with bot.running.services.sessions() as session:
        if part == "summary":
            sealed = await session.scalar(
                select(CaseRow.summary_sealed).where(CaseRow.id == case_id)
            )
            assert sealed is not None
            changed = update(CaseRow).where(CaseRow.id == case_id)
            await session.execute(changed.values(summary_sealed=_flipped(sealed)))
        else:
            target = await session.scalar(
                select(TargetRow).where(TargetRow.case_id == case_id, TargetRow.kind == "person")
            )
            assert target is not None
            target.name_sealed = _flipped(target.name_sealed)
        await session.commit()


def _flipped(sealed: bytes) -> bytes:
    return sealed[:-1] + bytes([sealed[-1] ^ 1])


@pytest.mark.parametrize("part", ["summary", "name"])
async def test_one_damaged_case_leaves_every_list_and_home_working_and_answers_politely(
    bot: BotUnderTest, part: str, caplog: pytest.LogCaptureFixture
) -> None:
    await reported(bot, "V0DMG1")
    await reported(bot, "V0DMG2")
    async with bot.running.services.uow() as uow:
        damaged = await uow.cases.by_reference("RPR-2026-0001")
    assert damaged is not None
    await damage(bot, damaged.id, part)
    for n, user in enumerate((ANA, GORAN, HANA, IVAN, BEATRIZ, LARS, QUINN, SAM)):
        for question in ("list open", "status Viet Nam", "status CAT"):
            answer = json.dumps(await bot.ask(user, question), ensure_ascii=False)
            assert "went wrong" not in answer, (user, question)
            sees = user != QUINN  # the ASG office sees a case only with consent
            assert ("RPR-2026-0001" in answer and "RPR-2026-0002" in answer) is sees, answer
        home = await home_of(bot, user, f"EvDMG{n}")
        assert "went wrong" not in home and ("RPR-2026-0001" in home) is (user != QUINN)
    with caplog.at_level(logging.ERROR):
        broken = await bot.ask(GORAN, "status RPR-2026-0001")
    assert broken["response_type"] == "ephemeral"
    assert broken["text"].startswith("Sorry, RPR-2026-0001 cannot be opened: its sealed data")
    logged = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    assert "RPR-2026-0001 cannot be opened" in logged
    assert VICTIM not in logged and SUMMARY not in logged and "Canary Rights Org" not in logged
    # The Chair sees the facts only, so nothing sealed is opened for her: the case still shows.
    chair = json.dumps(await bot.ask(HANA, "status RPR-2026-0001"), ensure_ascii=False)
    assert "Viet Nam" in chair and "cannot be opened" not in chair
    other = json.dumps(await bot.ask(GORAN, "status RPR-2026-0002"), ensure_ascii=False)
    assert VICTIM in other and "Threatened after Geneva" in other
