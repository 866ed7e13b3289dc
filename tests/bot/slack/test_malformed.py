"""Signed but malformed requests get 400, unsigned ones 401; nothing is stored or posted."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from tests.bot.conftest import SIGNING_SECRET, BotUnderTest
from tests.bot.slack.report_payloads import ANA, submission
from tests.fakes.signing import interactive_body, signed_headers


async def post_raw(bot: BotUnderTest, body: str, *, signed: bool = True, **headers: str) -> int:
    sent = signed_headers(SIGNING_SECRET if signed else "not-the-secret-0123456789", body)
    sent.update(headers)
    async with bot.http.post(f"{bot.url}/slack/events", data=body, headers=sent) as answer:
        await answer.read()
        return answer.status


async def cases_stored(bot: BotUnderTest) -> int:
    async with bot.running.services.uow() as uow:
        return await uow.cases.count()


async def test_signed_payload_that_is_not_json_gets_400(bot: BotUnderTest) -> None:
    assert await post_raw(bot, urlencode({"payload": "{not json"})) == 400
    assert await post_raw(bot, urlencode({"payload": "[1, 2]"})) == 400
    assert await post_raw(bot, "{not json either", **{"Content-Type": "application/json"}) == 400


async def test_unsigned_malformed_payload_still_gets_401(bot: BotUnderTest) -> None:
    assert await post_raw(bot, urlencode({"payload": "{not json"}), signed=False) == 401


async def test_signed_submission_without_a_user_gets_400_and_stores_nothing(
    bot: BotUnderTest,
) -> None:
    payload = submission(ANA, "V0NOUSER1")
    del payload["user"]
    assert await post_raw(bot, interactive_body(payload)) == 400
    assert await cases_stored(bot) == 0


async def test_signed_submission_with_bad_private_metadata_gets_400(bot: BotUnderTest) -> None:
    payload = submission(ANA, "V0BADMETA")
    payload["view"]["private_metadata"] = "{broken"
    assert await post_raw(bot, interactive_body(payload)) == 400
    assert await cases_stored(bot) == 0


async def test_signed_command_without_a_user_gets_400(bot: BotUnderTest) -> None:
    body = urlencode({"command": "/reprisal", "text": "status CAT", "team_id": "T0TEST"})
    assert await post_raw(bot, body) == 400
    assert bot.slack.responses == []


async def test_well_formed_submission_still_works(bot: BotUnderTest) -> None:
    payload = submission(ANA, "V0GOOD001")
    status = await post_raw(bot, interactive_body(payload))
    assert status == 200
    assert await cases_stored(bot) == 1
    assert json.dumps(payload)  # the fixture payload itself is valid JSON
