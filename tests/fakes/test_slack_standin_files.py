"""The Slack stand-in takes file uploads like Slack, as driven by ``files_upload_v2``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack_standin import SlackStandIn
from tests.fakes.slack_standin_files import SIZE_MISMATCH, UPLOAD

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
pytestmark = pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")


@pytest.fixture
async def slack() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn() as standin:
        yield standin


@pytest.fixture
def client(slack: SlackStandIn) -> AsyncWebClient:
    return AsyncWebClient(base_url=slack.base_url, token=slack.bot_token)


async def api_error(coro: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as info:
        await coro
    return info.value


async def post_bytes(url: str, data: bytes | aiohttp.FormData) -> tuple[int, str]:
    """POST to an upload URL as any HTTP client would; the status and the body."""
    async with aiohttp.ClientSession() as http, http.post(url, data=data) as r:
        return r.status, await r.text()


async def reserve(client: AsyncWebClient, length: int, filename: str = "chart.png") -> Any:
    """Step 1 of an upload by hand: files.getUploadURLExternal."""
    return await client.files_getUploadURLExternal(filename=filename, length=length)


# -- sharing ----------------------------------------------------------------------------------
async def test_upload_to_a_channel(client: AsyncWebClient, slack: SlackStandIn) -> None:
    resp = await client.files_upload_v2(
        channel="C1", file=PNG, filename="chart.png", title="Chart", initial_comment="Monthly"
    )
    shown = {"id": resp["file"]["id"], "name": "chart.png", "title": "Chart"}
    assert resp["files"] == [{**shown, "mimetype": "image/png", "size": len(PNG)}]
    [message] = (await client.conversations_history(channel="C1"))["messages"]
    assert message["text"] == "Monthly" and message["files"] == resp["files"]
    [stored] = slack.uploaded_files("C1")
    assert stored["content"] == PNG and stored["thread_ts"] is None
    assert stored["ts"] == message["ts"] and stored["initial_comment"] == "Monthly"
    assert [c.method for c in slack.calls][:3] == [
        "files.getUploadURLExternal",
        UPLOAD,
        "files.completeUploadExternal",
    ]
    reserved = slack.calls_to("files.getUploadURLExternal")[0]
    assert reserved.params == {"filename": "chart.png", "length": str(len(PNG))}
    assert slack.calls_to(UPLOAD)[0].params == {"file_id": shown["id"], "bytes": len(PNG)}
    assert all(c.token == slack.bot_token for c in slack.calls if c.method != UPLOAD)


async def test_upload_url_is_on_the_stand_in(client: AsyncWebClient, slack: SlackStandIn) -> None:
    ticket = await reserve(client, len(PNG))
    assert ticket["upload_url"] == f"{slack.origin}/upload/{ticket['file_id']}"
    assert ticket["upload_url"].startswith("http://127.0.0.1:")


async def test_upload_into_a_thread(client: AsyncWebClient, slack: SlackStandIn) -> None:
    parent = await client.chat_postMessage(channel="C1", text="case 12")
    await client.files_upload_v2(
        channel="C1", thread_ts=parent["ts"], file=PNG, filename="c.png", initial_comment="see"
    )
    replies = (await client.conversations_replies(channel="C1", ts=parent["ts"]))["messages"]
    assert [m["text"] for m in replies] == ["case 12", "see"]
    assert replies[1]["thread_ts"] == parent["ts"] and replies[1]["files"][0]["name"] == "c.png"
    history = (await client.conversations_history(channel="C1"))["messages"]
    assert [m["ts"] for m in history] == [parent["ts"]]
    assert slack.uploaded_files("C1")[0]["thread_ts"] == parent["ts"]


async def test_thread_root_must_exist(client: AsyncWebClient, slack: SlackStandIn) -> None:
    err = await api_error(
        client.files_upload_v2(channel="C1", thread_ts="1699999999.000100", file=PNG, filename="x")
    )
    assert err.response["error"] == "thread_not_found"
    assert slack.messages("C1") == [] and slack.uploaded_files("C1") == []


async def test_upload_to_a_dm(client: AsyncWebClient, slack: SlackStandIn) -> None:
    dm = (await client.conversations_open(users="U1"))["channel"]["id"]
    await client.files_upload_v2(channel=dm, file=PNG, filename="dm.png")
    assert dm.startswith("D") and slack.uploaded_files("U1") == slack.uploaded_files(dm)
    [message] = (await client.conversations_history(channel=dm))["messages"]
    assert message["files"][0]["title"] == "dm.png" and message["text"] == ""
    assert slack.messages("U1")[0]["files"] == message["files"]


async def test_share_in_several_channels_or_none(
    client: AsyncWebClient, slack: SlackStandIn
) -> None:
    await client.files_upload_v2(channels=["C1", "C2"], content="a,b\n", filename="t.csv")
    assert [len(slack.messages(c)) for c in ("C1", "C2")] == [1, 1]
    assert slack.uploaded_files("C2")[0]["content"] == b"a,b\n"
    private = await client.files_upload_v2(content="secret", filename="p.txt")
    record = slack.uploaded_file(private["file"]["id"])
    assert record is not None and record["completed"] and record["shares"] == []
    assert record["mimetype"] == "text/plain" and len(slack.uploaded_files("C1")) == 1
    root = slack.uploaded_files("C1")[0]["ts"]
    err = await api_error(
        client.files_upload_v2(channels=["C1", "C2"], thread_ts=root, content="x")
    )
    assert err.response["error"] == "invalid_arguments"


# -- errors -----------------------------------------------------------------------------------
async def test_size_mismatch(client: AsyncWebClient, slack: SlackStandIn) -> None:
    ticket = await reserve(client, len(PNG) + 1)
    assert await post_bytes(ticket["upload_url"], PNG) == (200, f"OK - {len(PNG)}")
    err = await api_error(
        client.files_completeUploadExternal(files=[{"id": ticket["file_id"]}], channel_id="C1")
    )
    assert err.response["error"] == SIZE_MISMATCH
    assert slack.messages("C1") == [] and slack.uploaded_files("C1") == []
    assert slack.calls_to("files.completeUploadExternal")[0].error == SIZE_MISMATCH


async def test_unknown_or_closed_channel(client: AsyncWebClient, slack: SlackStandIn) -> None:
    slack.set_channel_missing("C404")
    slack.set_not_in_channel("CNOPE")
    for channel, error in (("C404", "channel_not_found"), ("CNOPE", "not_in_channel")):
        err = await api_error(client.files_upload_v2(channel=channel, file=PNG, filename="x"))
        assert err.response["error"] == error
    # A refused completion leaves the upload pending: it can still be shared elsewhere.
    file_id = slack.calls_to(UPLOAD)[-1].params["file_id"]
    await client.files_completeUploadExternal(files=[{"id": file_id}], channel_id="C1")
    assert [f["id"] for f in slack.uploaded_files("C1")] == [file_id]


async def test_bad_or_missing_token(slack: SlackStandIn) -> None:
    for token, error in (("xoxb-nope", "invalid_auth"), (None, "not_authed")):
        bad = AsyncWebClient(base_url=slack.base_url, token=token)
        err = await api_error(bad.files_upload_v2(channel="C1", file=PNG, filename="x"))
        assert err.response["error"] == error
    assert [c.error for c in slack.calls] == ["invalid_auth", "not_authed"]
    client = AsyncWebClient(base_url=slack.base_url, token=slack.bot_token)
    ticket = await reserve(client, len(PNG))
    await post_bytes(ticket["upload_url"], PNG)
    bad = AsyncWebClient(base_url=slack.base_url, token="xoxb-nope")
    files = [{"id": ticket["file_id"]}]
    err = await api_error(bad.files_completeUploadExternal(files=files, channel_id="C1"))
    assert err.response["error"] == "invalid_auth" and slack.messages("C1") == []


async def test_upload_url_and_completion_work_once(
    client: AsyncWebClient, slack: SlackStandIn
) -> None:
    ticket = await reserve(client, len(PNG))
    files = [{"id": ticket["file_id"], "title": "t"}]
    err = await api_error(client.files_completeUploadExternal(files=files, channel_id="C1"))
    assert err.response["error"] == "file_not_found"  # no bytes yet
    assert (await post_bytes(ticket["upload_url"], PNG))[0] == 200
    assert (await post_bytes(ticket["upload_url"], PNG))[0] == 404
    assert (await post_bytes(f"{slack.origin}/upload/F0NOPE", PNG))[0] == 404
    await client.files_completeUploadExternal(files=files, channel_id="C1")
    err = await api_error(client.files_completeUploadExternal(files=files, channel_id="C2"))
    assert err.response["error"] == "file_not_found"
    assert [c.status for c in slack.calls_to(UPLOAD)] == [200, 404, 404]
    assert len(slack.messages("C1")) == 1 and slack.messages("C2") == []


async def test_multipart_upload_body(client: AsyncWebClient, slack: SlackStandIn) -> None:
    ticket = await reserve(client, len(PNG))
    form = aiohttp.FormData()
    form.add_field("filename", PNG, filename="chart.png", content_type="image/png")
    assert (await post_bytes(ticket["upload_url"], form))[0] == 200
    await client.files_completeUploadExternal(files=[{"id": ticket["file_id"]}], channel_id="C1")
    assert slack.uploaded_files("C1")[0]["content"] == PNG


async def test_reserve_arguments(client: AsyncWebClient) -> None:
    for kwargs, error in (
        ({"filename": "x", "length": 0}, "missing_argument"),
        ({"filename": "x", "length": "many"}, "invalid_arguments"),
        ({"filename": "", "length": 3}, "invalid_arguments"),
        ({"filename": "x", "length": 3, "alt_txt": "a" * 1001}, "alt_txt_too_large"),
        ({"filename": "x", "length": 2_000_000, "snippet_type": "python"}, "snippet_too_large"),
    ):
        err = await api_error(client.files_getUploadURLExternal(**kwargs))
        assert err.response["error"] == error
    for files in ("not json", "[]", '[{"title": "no id"}]'):
        err = await api_error(
            client.api_call("files.completeUploadExternal", params={"files": files})
        )
        assert err.response["error"] == "invalid_arguments"


# -- injected failures ------------------------------------------------------------------------
async def test_fail_next_on_upload_methods(client: AsyncWebClient, slack: SlackStandIn) -> None:
    slack.fail_next("files.completeUploadExternal", "ratelimited", retry_after=3)
    err = await api_error(client.files_upload_v2(channel="C1", file=PNG, filename="x"))
    assert err.response["error"] == "ratelimited" and err.response.headers["Retry-After"] == "3"
    assert slack.calls_to("files.completeUploadExternal")[0].failed
    slack.fail_next(UPLOAD, status=500)
    with pytest.raises(SlackRequestError, match="status: 500"):
        await client.files_upload_v2(channel="C1", file=PNG, filename="x")
    slack.fail_next("*", "fatal_error", status=200)
    err = await api_error(client.files_upload_v2(channel="C1", file=PNG, filename="x"))
    assert err.response["error"] == "fatal_error"
    assert slack.calls_to("files.getUploadURLExternal")[-1].failed
    await client.files_upload_v2(channel="C1", file=PNG, filename="x")
    assert len(slack.uploaded_files("C1")) == 1
    ticket = await reserve(client, len(PNG))
    slack.set_down()
    assert (await post_bytes(ticket["upload_url"], PNG))[0] == 503
    slack.set_down(False)
    assert (await post_bytes(ticket["upload_url"], PNG))[0] == 200
