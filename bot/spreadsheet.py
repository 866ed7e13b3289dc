"""CSV for spreadsheets: a cell that a spreadsheet would run as a formula is written as text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

# Excel, LibreOffice and Google Sheets treat a cell starting with these as a formula (or DDE).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def neutralise(value: str) -> str:
    """`=HYPERLINK(...)` becomes `'=HYPERLINK(...)`: shown as typed, never evaluated."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def to_csv(columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(str(row.get(column, ""))) for column in columns])
    return out.getvalue()
