"""The digest of the fixed data set in each format, compared with golden files so a reviewer
sees every output; Slack's parts checked against Slack's limits.

Set UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from bot.rendering.renderer import Renderer
from bot.slack.delivery.digest_messages import MAX_BLOCKS, digest_messages
from digests.build import DigestRequest, build_digest
from digests.model import Audience, Digest
from digests.periods import month
from digests.preview import audience_note
from storage.engine import create_engine, session_factory
from storage.schema import upgrade
from storage.uow import UnitOfWork
from tests.digests.dataset import chair, fill
from tests.fakes.slack_standin_limits import check_message

GOLDEN = Path(__file__).parent / "golden"
renderer = Renderer()
READERS = {
    "chair_cat": (Audience.CHAIR, chair("CAT")),
    "chairs_channel": (Audience.CHAIRS_CHANNEL, None),
    "coordination": (Audience.COORDINATION, None),
}


@dataclass(frozen=True)
class ChartRef:
    name: str
    title: str
    alt: str
    src: str


CHARTS = [ChartRef("cases-per-committee", "Cases per committee", "CAT 1 (2)", "charts/c.png")]


@pytest.fixture(scope="module")
def digests(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Digest]:
    """The October 2026 digest for each reader, built once (SQLite) for every format."""
    import asyncio

    from tests.conftest import MASTER_KEY

    async def build() -> dict[str, Digest]:
        from storage.crypto import KeyRing

        path = tmp_path_factory.mktemp("golden") / "bot.db"
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        await upgrade(engine)
        factory = session_factory(engine)

        def uow() -> UnitOfWork:
            return UnitOfWork(factory, KeyRing.parse(MASTER_KEY))

        await fill(uow)
        built = {}
        for name, (audience, actor) in READERS.items():
            async with uow() as work:
                request = DigestRequest(month(2026, 10), audience, actor, 5)
                built[name] = await build_digest(work, request)
        await engine.dispose()
        return built

    return asyncio.run(build())


def golden(name: str, rendered: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1" or not path.exists():
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
        if os.environ.get("UPDATE_GOLDEN") != "1":
            pytest.fail(f"golden file {name} written: review it, then run again")
    assert rendered == path.read_text(encoding="utf-8"), f"{name} changed (UPDATE_GOLDEN=1)"


def context(name: str, digest: Digest) -> dict[str, object]:
    audience, actor = READERS[name]
    return {"digest": digest, "audience_note": audience_note(audience, digest.committee, actor)}


@pytest.mark.parametrize("name", sorted(READERS))
def test_markdown_matches_its_golden_file(name: str, digests: dict[str, Digest]) -> None:
    text = renderer.text("text/digest.md.j2", charts=CHARTS, **context(name, digests[name]))
    golden(f"digest_{name}.md", text)
    assert "![CAT 1 (2)](charts/c.png)" in text


@pytest.mark.parametrize("name", sorted(READERS))
def test_html_matches_its_golden_file(name: str, digests: dict[str, Digest]) -> None:
    html = renderer.text("html/digest.html.j2", charts=CHARTS, **context(name, digests[name]))
    golden(f"digest_{name}.html", html)
    assert '<img src="charts/c.png" alt="CAT 1 (2)">' in html


@pytest.mark.parametrize("name", sorted(READERS))
def test_slack_parts_match_their_golden_file_and_slacks_limits(
    name: str, digests: dict[str, Digest]
) -> None:
    blocks = renderer.json("slack/digest.blocks.json.j2", **context(name, digests[name]))
    parts = digest_messages(blocks, "Reprisals digest: October 2026")
    golden(f"digest_{name}.slack.json", json.dumps(parts, indent=2, ensure_ascii=False) + "\n")
    for part in parts:
        assert check_message(part["text"], part["blocks"]) is None


def test_html_escapes_what_it_shows(digests: dict[str, Digest]) -> None:
    hostile = replace(digests["chairs_channel"], by_state=())
    html = renderer.text(
        "html/digest.html.j2",
        charts=[ChartRef("x", "<script>alert(1)</script>", 'a "quote" <b>', "x.png")],
        digest=hostile,
        audience_note="<b>note</b>",
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;note&lt;/b&gt;" in html


def test_a_long_digest_continues_in_parts_and_loses_no_block(
    digests: dict[str, Digest],
) -> None:
    digest = digests["coordination"]
    many = tuple(digest.new_cases[0:1] * 60)
    long = replace(digest, new_cases=many, overdue=many, due_next_month=many, joint=many)
    blocks = renderer.json("slack/digest.blocks.json.j2", **context("coordination", long))
    parts = digest_messages(blocks, "Reprisals digest: October 2026")
    assert len(parts) > 1
    assert all(len(p["blocks"]) <= MAX_BLOCKS + 1 for p in parts)
    # Every block arrives once, in order; continuations say which part they are.
    assert [b for p in parts for b in p["blocks"] if b.get("type") != "context"] == [
        b for b in blocks if b.get("type") != "context"
    ]
    assert parts[1]["blocks"][0]["elements"][0]["text"].endswith("continued._")
    # Lists longer than Slack should carry say where the rest is.
    raw = json.dumps(parts)
    assert "and 40 more" in raw
    for part in parts:
        assert check_message(part["text"], part["blocks"]) is None
