"""The edges as a new user sets them up, as real `serve` processes: Socket Mode leaves no HTTP
door to Slack's route, nothing listens beyond loopback by default, and at DEBUG no payload
content (names, summaries, form values) reaches the log in either mode."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from urllib.parse import parse_qsl

import aiohttp

from tests.bot.conftest import SIGNING_SECRET
from tests.bot.processes import free_port, prepared, wait_healthy
from tests.bot.slack.report_payloads import ANA, SAM, submission
from tests.conftest import ROOT
from tests.fakes.signing import (
    block_actions_payload,
    interactive_body,
    signed_headers,
    slash_command_body,
    text_input_state,
)
from tests.fakes.slack_standin import SlackStandIn

NAME = "Okapi Canary-Debuglog"
SUMMARY = "Pangolin summary canary"
ORGANISATION = "Narwhal Canary Org"


async def serve(
    env: dict[str, str], log: Path, *args: str
) -> tuple[asyncio.subprocess.Process, int]:
    """`reprisal-bot serve ARGS` with its log in `log`; the process and its port once healthy."""
    port = free_port()
    with log.open("wb") as sink:
        server = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "serve", "--port", str(port), *args,
            cwd=ROOT, env=env, stdout=sink, stderr=sink,
        )  # fmt: skip
    healthy = asyncio.create_task(wait_healthy(port))
    ended = asyncio.create_task(server.wait())
    await asyncio.wait({healthy, ended}, return_when=asyncio.FIRST_COMPLETED)
    if not healthy.done() or healthy.exception() is not None:
        healthy.cancel()
        if server.returncode is None:
            server.kill()
        raise AssertionError(tail(log))
    ended.cancel()
    return server, port


def tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]


async def stop(server: asyncio.subprocess.Process) -> None:
    server.terminate()
    await asyncio.wait_for(server.wait(), 30)


def canary_report(view_id: str) -> dict:
    return submission(
        ANA,
        view_id,
        target_names=text_input_state(NAME),
        summary=text_input_state(SUMMARY),
        organisation=text_input_state(ORGANISATION),
    )


def command_form(user: str, text: str, slack: SlackStandIn) -> tuple[dict[str, str], str]:
    response_url = slack.new_response_url()
    body = slash_command_body(
        text=text, user_id=user, trigger_id=slack.new_trigger_id(), response_url=response_url
    )
    return dict(parse_qsl(body)), response_url


async def answered(slack: SlackStandIn, response_url: str, patience: float = 15.0) -> dict:
    for _ in range(int(patience / 0.05)):
        found = [r for r in slack.responses if r["url"] == response_url]
        if found:
            return found[-1]
        await asyncio.sleep(0.05)
    raise AssertionError(f"no answer at {response_url}")


async def posted_card(slack: SlackStandIn, patience: float = 15.0) -> None:
    for _ in range(int(patience / 0.05)):
        if slack.messages("C0COORD01"):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("no case card was posted")


def assert_no_canary(log: Path) -> None:
    text = log.read_text(errors="replace")
    assert "DEBUG" in text, "the log was not at DEBUG"
    for needle in (NAME, "Okapi", SUMMARY, "Pangolin", ORGANISATION, "Narwhal"):
        assert needle not in text, f"{needle!r} is in the log"


async def test_socket_mode_without_a_signing_secret_has_no_http_door(
    database_url: str, tmp_path: Path
) -> None:
    async with SlackStandIn() as slack:
        slack.add_user(ANA, email="ana.example@example.org", name="Ana Example")
        env = await prepared(database_url, slack, SLACK_APP_TOKEN=slack.app_token)
        del env["SLACK_SIGNING_SECRET"]  # as the README sets Socket Mode up
        server, port = await serve(env, tmp_path / "serve.log", "--socket")
        try:
            await slack.socket.connected()
            async with aiohttp.ClientSession() as http:
                # An unsigned button click posing as the secretariat, and an unsigned status:
                click = block_actions_payload(
                    user_id=SAM, action_id="erase_case", block_id="erase", value="RPR-2026-0001"
                )
                status = slash_command_body(
                    text="status RPR-2026-0001", user_id=SAM, trigger_id="t",
                    response_url="http://127.0.0.1:9/steal",
                )  # fmt: skip
                for body in (interactive_body(click), status):
                    url = f"http://127.0.0.1:{port}/slack/events"
                    async with http.post(url, data=body) as answer:
                        assert answer.status == 404
                    forged = signed_headers("a-guess-at-the-secret-0123456789", body)
                    async with http.post(url, data=body, headers=forged) as answer:
                        assert answer.status == 404
                async with http.get(f"http://127.0.0.1:{port}/healthz") as answer:
                    health = await answer.json()
            assert health["slack"] == "connected"
            assert slack.responses == []
            assert not slack.calls_to("chat.postMessage")
        finally:
            await stop(server)


async def test_serve_listens_on_loopback_unless_told_otherwise(
    database_url: str, tmp_path: Path
) -> None:
    async with SlackStandIn() as slack:
        env = await prepared(database_url, slack)
        server, port = await serve(env, tmp_path / "serve.log")
        try:
            assert listening_addresses(port) == {"127.0.0.1"}
        finally:
            await stop(server)


async def test_debug_log_over_http_holds_no_payload(database_url: str, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    async with SlackStandIn() as slack:
        slack.add_user(ANA, email="ana.example@example.org", name="Ana Example")
        slack.add_user(SAM, email="sam.example@example.org", name="Sam Example")
        env = await prepared(database_url, slack, REPRISAL_BOT_LOG_LEVEL="DEBUG")
        server, port = await serve(env, log)
        try:
            url = f"http://127.0.0.1:{port}/slack/events"
            async with aiohttp.ClientSession() as http:
                body = interactive_body(canary_report("V0DEBUG01"))
                headers = signed_headers(SIGNING_SECRET, body)
                async with http.post(url, data=body, headers=headers) as answer:
                    assert answer.status == 200
                    assert "RPR-2026-0001" in await answer.text()
                form, response_url = command_form(SAM, "status RPR-2026-0001", slack)
                body = slash_command_body(**_slash(form))
                async with http.post(
                    url, data=body, headers=signed_headers(SIGNING_SECRET, body)
                ) as answer:
                    assert answer.status == 200
            answer_text = json.dumps(await answered(slack, response_url), ensure_ascii=False)
            assert NAME in answer_text  # the secretariat was shown the name: it went through
            await posted_card(slack)
        finally:
            await stop(server)
    assert_no_canary(log)


async def test_debug_log_over_socket_mode_holds_no_payload(
    database_url: str, tmp_path: Path
) -> None:
    log = tmp_path / "serve.log"
    async with SlackStandIn() as slack:
        slack.add_user(ANA, email="ana.example@example.org", name="Ana Example")
        slack.add_user(SAM, email="sam.example@example.org", name="Sam Example")
        env = await prepared(
            database_url, slack, SLACK_APP_TOKEN=slack.app_token, REPRISAL_BOT_LOG_LEVEL="DEBUG"
        )
        server, _ = await serve(env, log, "--socket")
        try:
            await slack.socket.connected()
            envelope = await slack.socket.send("interactive", canary_report("V0DEBUG02"))
            ack = await slack.socket.ack_of(envelope, patience=10)
            assert "RPR-2026-0001" in json.dumps(ack["payload"]["view"])
            form, response_url = command_form(SAM, "status RPR-2026-0001", slack)
            await slack.socket.ack_of(await slack.socket.send("slash_commands", form))
            answer_text = json.dumps(await answered(slack, response_url), ensure_ascii=False)
            assert NAME in answer_text
            await posted_card(slack)
        finally:
            await stop(server)
    assert_no_canary(log)


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a listening TCP socket on `port` (from /proc/net/tcp{,6})."""
    found = set()
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        for line in table.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                if len(address) == 8:
                    found.add(".".join(str(b) for b in reversed(bytes.fromhex(address))))
                else:
                    found.add("ipv6:" + address)
    return found


def _slash(form: dict[str, str]) -> dict[str, str]:
    return {
        "text": form["text"],
        "user_id": form["user_id"],
        "trigger_id": form["trigger_id"],
        "response_url": form["response_url"],
    }
