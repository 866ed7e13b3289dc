"""`reprisal-bot --version` names the installed version."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

from tests.conftest import ROOT


def test_version_is_printed() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--version"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0
    assert done.stdout.strip() == f"reprisal-bot {version('reprisal-bot')}"
