"""The canary sweep: unique names and summaries go in through every flow; then they are looked
for in every Web API call, every log line at DEBUG, and the database files' bytes."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

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
    consents,
    submission,
)
from tests.fakes.signing import block_actions_payload, select_state, text_input_state

CANARIES = {
    "shared": ("Aardvark Canary-Shared", "Xylophone summary one"),
    "restricted": ("Bumblebee Canary-Restricted", "Quagga summary two"),
    "urgent": ("Chinchilla Canary-Urgent", "Walrus summary three"),
}
EVERYONE = (ANA, GORAN, HANA, IVAN, BEATRIZ, LARS, QUINN, SAM, STRANGER)


async def run_every_flow(bot: BotUnderTest) -> None:
    overrides = {
        "shared": {},
        "restricted": {"confidentiality": select_state("restricted", type="radio_buttons")},
        "urgent": {
            "urgency": select_state("urgent", type="radio_buttons"),
            "consents": consents("share_committees", "share_asg"),
        },
    }
    for n, (label, (name, summary)) in enumerate(CANARIES.items(), start=1):
        payload = submission(
            ANA,
            f"V0CANARY{n}",
            target_names=text_input_state(name),
            summary=text_input_state(summary),
            organisation=text_input_state(f"{name} Org"),
            **overrides[label],
        )
        _, body = await bot.interact(payload)
        assert body["response_action"] == "update"
        await bot.interact(payload, retry_num=1, retry_reason="http_timeout")
    invalid = submission(
        ANA,
        "V0CANARY9",
        target_names=text_input_state("Dingo Canary-Invalid"),
        state_party=select_state(None, type="external_select"),
    )
    await bot.interact(invalid)
    await bot.delivered()
    for user in EVERYONE:
        for text in (
            "status RPR-2026-0001",
            "status RPR-2026-0002",
            "status RPR-2026-0003",
            "status Viet Nam",
            "status CAT",
            "status CERD",
            "list open",
            "list mine",
            "help",
            "audit RPR-2026-0002",
        ):
            await bot.ask(user, text)
        await bot.command(user, "report")  # opens the form, or refuses by response_url
    await bot.ask(SAM, "erase RPR-2026-0002")
    response_url = bot.slack.new_response_url()
    await bot.interact(
        block_actions_payload(
            user_id=SAM,
            action_id="erase_case",
            block_id="erase",
            value="RPR-2026-0002",
            response_url=response_url,
        )
    )
    await bot.answer_at(response_url)
    await bot.delivered()


def needles() -> list[str]:
    found = []
    for name, summary in CANARIES.values():
        found += [name, summary, name.split()[1]]
    return [*found, "Dingo Canary-Invalid"]


async def test_no_name_or_summary_leaks_anywhere(
    bot: BotUnderTest, caplog: pytest.LogCaptureFixture, database_url: str
) -> None:
    caplog.set_level(logging.DEBUG)
    await run_every_flow(bot)

    web_api = json.dumps(
        [c.params for c in bot.slack.calls if c.method != "response_url"], ensure_ascii=False
    )
    logs = "\n".join(record.getMessage() for record in caplog.records)
    logs += "\n".join(str(record.exc_info) for record in caplog.records if record.exc_info)
    assert len(caplog.records) > 20  # the sweep did look at a real log
    for needle in needles():
        assert needle not in web_api, needle
        assert needle not in logs, needle
    for secret in (bot.slack.bot_token, "test-signing-secret"):
        assert secret not in logs

    # On-demand answers: the restricted case's name reached only its own committee and the
    # secretariat, and the erased case's name no one after the erasure.
    answers = json.dumps(bot.slack.responses, ensure_ascii=False)
    assert CANARIES["shared"][0] in answers  # those who may see the name did see it
    restricted_name = CANARIES["restricted"][0]
    for response in bot.slack.responses:
        text = json.dumps(response, ensure_ascii=False)
        if restricted_name in text:
            assert "RPR-2026-0002" in text

    if database_url.startswith("sqlite"):
        folder = Path(database_url.split(":///", 1)[1]).parent
        await bot.running.services.close()
        for file in sorted(folder.iterdir()):
            data = file.read_bytes()
            for needle in needles():
                assert needle.encode() not in data, (needle, file.name)
