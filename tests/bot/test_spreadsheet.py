"""CSV exports open in a spreadsheet as text: no cell is ever run as a formula."""

from __future__ import annotations

import csv
import io

import pytest

from bot.cli.spreadsheet import BOM, neutralise, to_csv


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
        " =1+1",
        "\n=1+1",
        "  \t@SUM(A1)",
        "\u3000=1",  # an ideographic space first
        "\uff1d1+1",  # the full-width forms
        "\uff0b1",
        "\uff0d1",
        "\uff20SUM(A1)",
        "\ufe661",  # the small equals sign
    ],
)
def test_formula_like_cells_are_written_as_text(hostile: str) -> None:
    assert neutralise(hostile) == "'" + hostile
    [_, row] = list(csv.reader(io.StringIO(to_csv(["a"], [{"a": hostile}]).lstrip(BOM))))
    assert row == ["'" + hostile]


def test_ordinary_cells_are_unchanged_and_quoted() -> None:
    text = to_csv(["reference", "state"], [{"reference": "RPR-2026-0001", "state": 'Côte "d"'}])
    assert text.splitlines()[1] == '"RPR-2026-0001","Côte ""d"""'
    for plain in ("Côte d'Ivoire", "RPR-2026-0001", "a = b", "1"):
        assert neutralise(plain) == plain


def test_the_csv_starts_with_a_byte_order_mark_for_spreadsheet_programs() -> None:
    data = to_csv(["a"], [{"a": "Türkiye"}]).encode("utf-8")
    assert data.startswith(b'\xef\xbb\xbf"a"\r\n')
