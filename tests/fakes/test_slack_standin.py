"""The Slack stand-in behaves like Slack, as seen through the real slack_sdk / slack_bolt."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs

import aiohttp
import pytest
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from tests.fakes.signing import (
    block_actions_payload,
    block_suggestion_payload,
    interactive_body,
    select_state,
    signed_headers,
    slash_command_body,
    text_input_state,
    view_submission_payload,
)
from tests.fakes.slack_standin import SlackStandIn

SECRET = "s3cr3t"
pytestmark = pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def slack(clock: FakeClock) -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn(clock=clock) as standin:
        yield standin


@pytest.fixture
def client(slack: SlackStandIn) -> AsyncWebClient:
    return AsyncWebClient(base_url=slack.base_url, token=slack.bot_token)


def section(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def modal(blocks: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    view = {
        "type": "modal",
        "callback_id": "report",
        "title": {"type": "plain_text", "text": "Report"},
        "submit": {"type": "plain_text", "text": "Send"},
        "blocks": blocks or [section("hi")],
    }
    return {**view, **extra}


async def api_error(coro: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as info:
        await coro
    return info.value


# -- auth -----------------------------------------------------------------------------------
async def test_auth_test_shape(client: AsyncWebClient, slack: SlackStandIn) -> None:
    resp = await client.auth_test()
    assert resp["ok"] is True
    assert resp["team_id"] == "T0TEST" and resp["user_id"] == "UBOT" and resp["bot_id"]
    assert slack.calls_to("auth.test")[0].token == "xoxb-test"


async def test_missing_and_wrong_tokens(slack: SlackStandIn) -> None:
    err = await api_error(AsyncWebClient(base_url=slack.base_url).auth_test())
    assert err.response["error"] == "not_authed"
    assert err.response.status_code == 200
    err = await api_error(AsyncWebClient(base_url=slack.base_url, token="xoxb-nope").auth_test())
    assert err.response["error"] == "invalid_auth"
    assert [c.error for c in slack.calls] == ["not_authed", "invalid_auth"]


async def test_token_as_form_param_but_not_inside_json(slack: SlackStandIn) -> None:
    async with aiohttp.ClientSession() as http:
        r = await http.post(slack.base_url + "auth.test", data={"token": "xoxb-test"})
        assert (await r.json())["ok"] is True
        r = await http.post(slack.base_url + "auth.test", json={"token": "xoxb-test"})
        assert (await r.json())["error"] == "not_authed"


async def test_unknown_method(client: AsyncWebClient) -> None:
    err = await api_error(client.api_call("chat.postMessagee", json={"channel": "C1"}))
    assert err.response["error"] == "unknown_method"
    err = await api_error(client.api_call("chat_postMessage", json={"channel": "C1"}))
    assert err.response["error"] == "unknown_method"


# -- messages -------------------------------------------------------------------------------
async def test_post_message_records_and_returns_increasing_ts(
    client: AsyncWebClient, slack: SlackStandIn
) -> None:
    first = await client.chat_postMessage(channel="C1", text="one", unfurl_links=False)
    second = await client.chat_postMessage(channel="C1", blocks=[section("two")])
    assert first["channel"] == "C1" and first["message"]["text"] == "one"
    assert float(second["ts"]) > float(first["ts"])
    msgs = slack.messages("C1")
    assert [m["ts"] for m in msgs] == [first["ts"], second["ts"]]
    assert msgs[0]["unfurl_links"] is False and msgs[1]["unfurl_links"] is None
    assert slack.calls_to("chat.postMessage")[1].params["blocks"] == [section("two")]


async def test_form_encoded_blocks_are_decoded(client: AsyncWebClient, slack: SlackStandIn) -> None:
    blocks = [section("form")]
    await client.api_call("chat.postMessage", data={"channel": "C1", "blocks": json.dumps(blocks)})
    assert slack.calls[-1].params["blocks"] == blocks
    err = await api_error(
        client.api_call("chat.postMessage", data={"channel": "C1", "blocks": "[{not json"})
    )
    assert err.response["error"] == "invalid_blocks_format"


async def test_message_needs_channel_and_content(client: AsyncWebClient) -> None:
    assert (await api_error(client.chat_postMessage(channel="", text="x"))).response[
        "error"
    ] == "channel_not_found"
    assert (await api_error(client.chat_postMessage(channel="C1"))).response["error"] == "no_text"


@pytest.mark.parametrize(
    ("blocks", "pointer"),
    [
        ([section(f"b{i}") for i in range(51)], "/blocks"),
        ([section("x" * 3001)], "/blocks/0/text/text"),
        ([{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}], "/blocks/0/text/type"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], "/blocks/0/text"),
        ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}], "/0/fields"),
        ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}], "/fields/0"),
        ([section("a", block_id="dup"), section("b", block_id="dup")], "/blocks/1/block_id"),
        ([section("a", block_id="x" * 256)], "/blocks/0/block_id"),
        (
            [
                {
                    "type": "input",
                    "label": {"type": "plain_text", "text": "l"},
                    "element": {"type": "plain_text_input"},
                }
            ],
            "only allowed in modals",
        ),
        ([{"type": "table"}], "/blocks/0/type"),
        ([section("")], "/blocks/0/text/text"),
        (
            [
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "action_id": "a" * 256,
                            "text": {"type": "plain_text", "text": "b"},
                        }
                    ],
                }
            ],
            "/action_id",
        ),
    ],
)
async def test_invalid_blocks_rejected(
    client: AsyncWebClient, blocks: list[dict[str, Any]], pointer: str
) -> None:
    err = await api_error(client.chat_postMessage(channel="C1", text="fallback", blocks=blocks))
    assert err.response["error"] == "invalid_blocks"
    messages = err.response["response_metadata"]["messages"]
    assert any(pointer in m for m in messages), messages


async def test_limits_are_inclusive(client: AsyncWebClient) -> None:
    blocks = [section("x" * 3000)] + [section(f"b{i}") for i in range(49)]
    assert (await client.chat_postMessage(channel="C1", blocks=blocks))["ok"]
    assert (await client.chat_postMessage(channel="C1", text="y" * 40_000))["ok"]
    err = await api_error(client.chat_postMessage(channel="C1", text="y" * 40_001))
    assert err.response["error"] == "msg_too_long"


async def test_thread_ts_must_be_a_message_in_that_channel(
    client: AsyncWebClient, slack: SlackStandIn
) -> None:
    parent = await client.chat_postMessage(channel="C1", text="parent")
    reply = await client.chat_postMessage(channel="C1", text="reply", thread_ts=parent["ts"])
    nested = await client.chat_postMessage(channel="C1", text="re", thread_ts=reply["ts"])
    assert slack.messages("C1")[2]["thread_ts"] == parent["ts"] == nested["message"]["thread_ts"]
    for channel, ts in (("C2", parent["ts"]), ("C1", "1699999999.000100"), ("C1", "nonsense")):
        err = await api_error(client.chat_postMessage(channel=channel, text="x", thread_ts=ts))
        assert err.response["error"] == "thread_not_found"


async def test_update_and_ephemeral(client: AsyncWebClient, slack: SlackStandIn) -> None:
    posted = await client.chat_postMessage(channel="C1", text="draft")
    await client.chat_update(channel="C1", ts=posted["ts"], text="final", blocks=[section("f")])
    assert slack.messages("C1")[0]["text"] == "final"
    err = await api_error(client.chat_update(channel="C1", ts="1.2", text="x"))
    assert err.response["error"] == "message_not_found"
    err = await api_error(client.chat_update(channel="C2", ts=posted["ts"], text="x"))
    assert err.response["error"] == "message_not_found"
    eph = await client.chat_postEphemeral(channel="C1", user="U1", text="psst")
    assert eph["message_ts"] and slack.ephemeral_messages("C1")[0]["text"] == "psst"
    err = await api_error(
        client.chat_postMessage(channel="C1", text="x", thread_ts=eph["message_ts"])
    )
    assert err.response["error"] == "thread_not_found"


async def test_channel_errors(client: AsyncWebClient, slack: SlackStandIn) -> None:
    slack.set_channel_missing("C404")
    slack.set_not_in_channel("CNOPE")
    slack.set_channel("CARCH", is_archived=True)
    for channel, error in (
        ("C404", "channel_not_found"),
        ("CNOPE", "not_in_channel"),
        ("CARCH", "is_archived"),
    ):
        err = await api_error(client.chat_postMessage(channel=channel, text="x"))
        assert err.response["error"] == error
    assert slack.messages("CNOPE") == []


async def test_conversations(client: AsyncWebClient, slack: SlackStandIn) -> None:
    dm = (await client.conversations_open(users="U1"))["channel"]["id"]
    assert (
        dm.startswith("D")
        and (await client.conversations_open(users=["U1"]))["channel"]["id"] == dm
    )
    posted = await client.chat_postMessage(channel="U1", text="hello")
    assert posted["channel"] == dm and slack.messages(dm)[0]["text"] == "hello"
    info = (await client.conversations_info(channel="C1"))["channel"]
    assert info["is_ext_shared"] is False and info["is_member"] is True
    slack.set_channel("C1", is_ext_shared=True, name="reprisals")
    info = (await client.conversations_info(channel="C1"))["channel"]
    assert info["is_ext_shared"] is True and info["name"] == "reprisals"
    slack.set_channel_missing("C1")
    err = await api_error(client.conversations_info(channel="C1"))
    assert err.response["error"] == "channel_not_found"


async def test_users(client: AsyncWebClient, slack: SlackStandIn) -> None:
    slack.add_user("U1", email="fp@ohchr.org", name="Focal Point")
    found = await client.users_lookupByEmail(email="FP@ohchr.org")
    assert found["user"]["id"] == "U1" and found["user"]["profile"]["email"] == "fp@ohchr.org"
    err = await api_error(client.users_lookupByEmail(email="nobody@example.org"))
    assert err.response["error"] == "users_not_found"
    assert (await client.users_info(user="U1"))["user"]["name"] == "Focal Point"
    err = await api_error(client.users_info(user="U2"))
    assert err.response["error"] == "user_not_found"


# -- views ----------------------------------------------------------------------------------
async def test_views_open_and_trigger_rules(
    client: AsyncWebClient, slack: SlackStandIn, clock: FakeClock
) -> None:
    trigger = slack.new_trigger_id()
    clock.advance(2.9)
    view = (await client.views_open(trigger_id=trigger, view=modal()))["view"]
    assert view["id"].startswith("V") and view["hash"] and view["callback_id"] == "report"
    assert slack.views[view["id"]]["title"]["text"] == "Report"
    err = await api_error(client.views_open(trigger_id=trigger, view=modal()))
    assert err.response["error"] == "exchanged_trigger_id"
    err = await api_error(client.views_open(trigger_id="123.456.abc", view=modal()))
    assert err.response["error"] == "invalid_trigger_id"
    late = slack.new_trigger_id()
    clock.advance(3.1)
    err = await api_error(client.views_open(trigger_id=late, view=modal()))
    assert err.response["error"] == "expired_trigger_id"


@pytest.mark.parametrize(
    ("view", "pointer"),
    [
        (modal(title={"type": "plain_text", "text": "t" * 25}), "/view/title/text"),
        (modal(submit={"type": "plain_text", "text": "s" * 25}), "/view/submit/text"),
        (modal([section(f"{i}") for i in range(101)]), "/view/blocks"),
        (modal(private_metadata="m" * 3001), "/view/private_metadata"),
        (modal(callback_id="c" * 256), "/view/callback_id"),
        (
            modal(
                [
                    {
                        "type": "input",
                        "label": {"type": "plain_text", "text": "l"},
                        "element": {"type": "plain_text_input", "action_id": "a"},
                    }
                ],
                submit=None,
            ),
            "/view/submit",
        ),
        (
            modal(
                [
                    section(
                        "pick",
                        accessory={
                            "type": "static_select",
                            "action_id": "s",
                            "options": [
                                {"text": {"type": "plain_text", "text": f"o{i}"}, "value": f"{i}"}
                                for i in range(101)
                            ],
                        },
                    )
                ]
            ),
            "/view/blocks/0/accessory/options",
        ),
        (
            modal(
                [
                    section(
                        "pick",
                        accessory={
                            "type": "static_select",
                            "action_id": "s",
                            "options": [
                                {"text": {"type": "plain_text", "text": "o" * 76}, "value": "1"}
                            ],
                        },
                    )
                ]
            ),
            "/options/0/text/text",
        ),
        (
            modal(
                [
                    section(
                        "pick",
                        accessory={
                            "type": "static_select",
                            "action_id": "s",
                            "initial_option": {
                                "text": {"type": "plain_text", "text": "B"},
                                "value": "b",
                            },
                            "options": [
                                {"text": {"type": "plain_text", "text": "A"}, "value": "a"}
                            ],
                        },
                    )
                ]
            ),
            "/initial_option",
        ),
        ({"type": "home", "blocks": []}, "/view/type"),
    ],
)
async def test_invalid_views_rejected(
    client: AsyncWebClient, slack: SlackStandIn, view: dict[str, Any], pointer: str
) -> None:
    err = await api_error(client.views_open(trigger_id=slack.new_trigger_id(), view=view))
    assert err.response["error"] == "invalid_arguments"
    messages = err.response["response_metadata"]["messages"]
    assert any(pointer in m for m in messages), messages


async def test_views_update_hash_and_external_id(
    client: AsyncWebClient, slack: SlackStandIn
) -> None:
    opened = (
        await client.views_open(
            trigger_id=slack.new_trigger_id(), view=modal(external_id="report-1")
        )
    )["view"]
    updated = (
        await client.views_update(
            view_id=opened["id"], hash=opened["hash"], view=modal([section("step 2")])
        )
    )["view"]
    assert updated["id"] == opened["id"] and updated["hash"] != opened["hash"]
    err = await api_error(
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal())
    )
    assert err.response["error"] == "hash_conflict"
    by_ext = await client.views_update(external_id="report-1", view=modal([section("3")]))
    assert by_ext["view"]["id"] == opened["id"]
    assert slack.views[opened["id"]]["blocks"] == [section("3")]
    err = await api_error(client.views_update(view_id="V404", view=modal()))
    assert err.response["error"] == "not_found"
    pushed = await client.views_push(trigger_id=slack.new_trigger_id(), view=modal())
    assert pushed["view"]["id"] != opened["id"]


async def test_views_publish_home(client: AsyncWebClient, slack: SlackStandIn) -> None:
    home = {"type": "home", "blocks": [section("welcome")]}
    view = (await client.views_publish(user_id="U1", view=home))["view"]
    assert slack.home_views["U1"]["id"] == view["id"]
    err = await api_error(client.views_publish(user_id="U1", view=home, hash="stale"))
    assert err.response["error"] == "hash_conflict"
    err = await api_error(client.views_publish(user_id="U1", view=modal()))
    assert err.response["error"] == "invalid_arguments"


# -- failure injection ----------------------------------------------------------------------
async def test_ratelimited_is_seen_by_the_client(
    client: AsyncWebClient, slack: SlackStandIn
) -> None:
    slack.fail_next("chat.postMessage", retry_after=7)
    err = await api_error(client.chat_postMessage(channel="C1", text="x"))
    assert err.response.status_code == 429 and err.response["error"] == "ratelimited"
    assert err.response.headers["Retry-After"] == "7"
    assert slack.calls[-1].failed is True and slack.messages("C1") == []
    assert (await client.chat_postMessage(channel="C1", text="x"))["ok"]


async def test_rate_limit_retry_handler_retries_and_succeeds(slack: SlackStandIn) -> None:
    client = AsyncWebClient(
        base_url=slack.base_url,
        token=slack.bot_token,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
    )
    slack.fail_next("chat.postMessage", retry_after=0)
    assert (await client.chat_postMessage(channel="C1", text="x"))["ok"]
    assert [c.failed for c in slack.calls_to("chat.postMessage")] == [True, False]
    assert len(slack.messages("C1")) == 1


async def test_outages(client: AsyncWebClient, slack: SlackStandIn) -> None:
    slack.fail_next("*", status=503, times=2)
    for _ in range(2):
        err = await api_error(client.auth_test())
        assert err.response.status_code == 503
    assert (await client.auth_test())["ok"]
    slack.set_down(True)
    err = await api_error(client.users_info(user="U1"))
    assert err.response.status_code == 503
    retrying = AsyncWebClient(
        base_url=slack.base_url,
        token=slack.bot_token,
        retry_handlers=[AsyncServerErrorRetryHandler(max_retry_count=1)],
    )
    assert (await api_error(retrying.auth_test())).response.status_code == 503
    slack.set_down(False)
    slack.fail_next("chat.postMessage", "channel_not_found", status=200)
    err = await api_error(client.chat_postMessage(channel="C1", text="x"))
    assert err.response["error"] == "channel_not_found" and slack.calls[-1].failed


# -- response URLs --------------------------------------------------------------------------
async def test_response_url_records_like_slack(slack: SlackStandIn) -> None:
    url = slack.new_response_url()
    webhook = AsyncWebhookClient(url)
    resp = await webhook.send(text="done", response_type="ephemeral", replace_original=False)
    assert (resp.status_code, resp.body) == (200, "ok")
    assert slack.responses == [
        {"text": "done", "response_type": "ephemeral", "replace_original": False, "url": url}
    ]
    resp = await webhook.send(blocks=[section(str(i)) for i in range(51)])
    assert (resp.status_code, resp.body) == (400, "invalid_blocks")
    resp = await webhook.send(blocks=[section("x" * 3001)])
    assert resp.body == "invalid_blocks"
    resp = await webhook.send(text="t" * 40_001)
    assert resp.body == "msg_too_long"
    assert len(slack.responses) == 1
    resp = await AsyncWebhookClient(slack.origin + "/response/nope").send(text="x")
    assert (resp.status_code, resp.body) == (404, "expired_url")


async def test_response_url_use_limit_expiry_and_channel(
    slack: SlackStandIn, client: AsyncWebClient, clock: FakeClock
) -> None:
    posted = await client.chat_postMessage(channel="C1", text="original")
    url = slack.new_response_url(channel="C1", message_ts=posted["ts"])
    async with aiohttp.ClientSession() as http:
        r = await http.post(url, json={"text": "edited", "replace_original": True})
        assert await r.text() == "ok"
        assert slack.messages("C1")[0]["text"] == "edited"
        await http.post(url, json={"text": "shout", "response_type": "in_channel"})
        assert [m["text"] for m in slack.messages("C1")] == ["edited", "shout"]
        for _ in range(3):
            assert (await http.post(url, json={"text": "again"})).status == 200
        assert (await http.post(url, json={"text": "sixth"})).status == 404
        late = slack.new_response_url()
        clock.advance(30 * 60 + 1)
        assert (await http.post(late, json={"text": "late"})).status == 404
        slack.fail_next("response_url", status=500)
        assert (await http.post(slack.new_response_url(), json={"text": "x"})).status == 500


# -- signing helpers ------------------------------------------------------------------------
def test_signed_headers_are_valid() -> None:
    body = slash_command_body(
        text="new", user_id="U1", trigger_id="1.2.3", response_url="http://127.0.0.1:1/response/x"
    )
    headers = signed_headers(SECRET, body, retry_num=1, retry_reason="http_timeout")
    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid(
        body, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"]
    )
    assert verifier.is_valid_request(body, headers)
    assert not SignatureVerifier("other").is_valid_request(body, headers)
    assert headers["X-Slack-Retry-Num"] == "1" and headers["X-Slack-Retry-Reason"] == "http_timeout"
    old = signed_headers(SECRET, body, timestamp=1_000_000)
    assert not verifier.is_valid_request(body, old)  # Slack rejects stale timestamps
    fields = {k: v[0] for k, v in parse_qs(body).items()}
    assert fields["command"] == "/reprisal" and fields["text"] == "new"
    assert fields["response_url"] == "http://127.0.0.1:1/response/x"


async def test_payloads_dispatch_through_bolt(slack: SlackStandIn) -> None:
    app = AsyncApp(
        client=AsyncWebClient(base_url=slack.base_url, token=slack.bot_token), signing_secret=SECRET
    )
    seen: dict[str, Any] = {}

    @app.command("/reprisal")
    async def on_command(
        ack: Any, body: dict[str, Any], client: AsyncWebClient, respond: Any
    ) -> None:
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=modal())
        await respond("opening the form")

    @app.view("report")
    async def on_submit(ack: Any, view: dict[str, Any]) -> None:
        seen["values"] = view["state"]["values"]
        await ack()

    @app.options("victim")
    async def on_options(ack: Any, payload: dict[str, Any]) -> None:
        seen["query"] = payload["value"]
        await ack(options=[])

    @app.action("approve")
    async def on_action(ack: Any, body: dict[str, Any]) -> None:
        seen["container"] = body["container"]["type"]
        await ack()

    async def dispatch(body: str) -> int:
        request = AsyncBoltRequest(body=body, headers=signed_headers(SECRET, body))
        return (await app.async_dispatch(request)).status

    command = slash_command_body(
        user_id="U1", trigger_id=slack.new_trigger_id(), response_url=slack.new_response_url()
    )
    assert await dispatch(command) == 200
    values = {"title": {"t": text_input_state("Threat")}, "kind": {"k": select_state("travel")}}
    submission = view_submission_payload(
        user_id="U1", view_id="V1", callback_id="report", state_values=values
    )
    assert await dispatch(interactive_body(submission)) == 200
    suggestion = block_suggestion_payload(
        user_id="U1", action_id="victim", block_id="v", value="Ali"
    )
    assert await dispatch(interactive_body(suggestion)) == 200
    action = block_actions_payload(user_id="U1", action_id="approve", value="1", view_id="V1")
    assert await dispatch(interactive_body(action)) == 200

    assert seen == {"values": values, "query": "Ali", "container": "view"}
    assert slack.calls_to("views.open")[0].error is None
    assert slack.responses[0]["text"] == "opening the form"
