"""CSV for spreadsheets: a cell that a spreadsheet would run as a formula is written as text."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

# Excel, LibreOffice and Google Sheets treat a cell starting with these as a formula (or DDE).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")
# Spreadsheet programs open UTF-8 CSV as UTF-8 (not the legacy code page) only after a BOM.
BOM = "\ufeff"


def neutralise(value: str) -> str:
    """`=HYPERLINK(...)` becomes `'=HYPERLINK(...)`: shown as typed, never evaluated.

    Also when the formula hides behind leading whitespace (` =`, `\\n=`) or is typed in its
    full-width or small form (U+FF1D, U+FE66): some programs trim the one and fold the other.
    """
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    first = value.lstrip()[:1]
    if first and unicodedata.normalize("NFKC", first).startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> str:
    """The rows as CSV text, starting with a BOM, every cell quoted and neutralised."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(str(row.get(column, ""))) for column in columns])
    return out.getvalue()
