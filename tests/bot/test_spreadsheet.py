"""CSV exports open in a spreadsheet as text: no cell is ever run as a formula."""

from __future__ import annotations

import csv
import io

import pytest

from bot.spreadsheet import neutralise, to_csv


@pytest.mark.parametrize(
    "hostile",
    [
        '=HYPERLINK("https://evil.example","x")',
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        "|cmd",
        "%0A",
    ],
)
def test_formula_like_cells_are_written_as_text(hostile: str) -> None:
    assert neutralise(hostile) == "'" + hostile
    [_, row] = list(csv.reader(io.StringIO(to_csv(["a"], [{"a": hostile}]))))
    assert row == ["'" + hostile]


def test_ordinary_cells_are_unchanged_and_quoted() -> None:
    text = to_csv(["reference", "state"], [{"reference": "RPR-2026-0001", "state": 'Côte "d"'}])
    assert text.splitlines()[1] == '"RPR-2026-0001","Côte ""d"""'
