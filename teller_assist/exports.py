"""The one way the program writes spreadsheet files (CSV) for people: no cell is ever evaluated.

A spreadsheet program evaluates a cell whose text begins with ``=``, ``+``, ``-`` or ``@`` (also after
spaces, and in their full-width forms ``＝＋－＠``), or with a TAB or carriage return: an operator's
purpose, a customer's name or a refused row could carry ``=HYPERLINK(...)`` or ``+cmd|' /C calc'!A0``.
Such text is written with a leading single quote, as OWASP's CSV-injection guidance says, so it shows as
typed; numbers stay numbers. Every export goes through :class:`SpreadsheetWriter`, and files are written
private to their owner (mode 0600) and moved into place only when complete.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from teller_assist.files import open_private

FORMULA_STARTS = frozenset("=+-@\u2212")  # \u2212 MINUS SIGN, read as minus by some spreadsheets
ALWAYS_QUOTED_STARTS = frozenset("\t\r\n")


def _evaluated(text: str) -> bool:
    """Whether a spreadsheet would treat ``text`` as a formula (or a DDE call)."""
    if text[0] in ALWAYS_QUOTED_STARTS:
        return True
    for ch in text:
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
            continue  # leading blanks, zero-width characters and controls are skipped by some programs
        if ch.isascii():
            return ch in FORMULA_STARTS
        return ch in FORMULA_STARTS or unicodedata.normalize("NFKC", ch)[:1] in FORMULA_STARTS
    return False


def spreadsheet_cell(value: object) -> object:
    """The value as it may be written to a cell: numbers as they are, text neutralised, ``None`` empty."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):  # bool is an int: written as True/False, harmless
        return value
    if isinstance(value, dt.datetime):
        text = value.isoformat(timespec="seconds")
    else:
        text = value if isinstance(value, str) else str(value)
    if text and _evaluated(text):
        return "'" + text
    return text


class SpreadsheetWriter:
    """``csv.writer`` whose every cell passes :func:`spreadsheet_cell`."""

    def __init__(self, fh: TextIO, **fmtparams: object) -> None:
        self._writer = csv.writer(fh, **fmtparams)  # type: ignore[arg-type]

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([spreadsheet_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def part_path(out: Path) -> Path:
    return out.with_name(out.name + ".part")


@contextmanager
def private_csv(
    out: Path, header: Sequence[str], *, encoding: str = "utf-8-sig"
) -> Iterator[SpreadsheetWriter]:
    """Write ``out`` as CSV: first to ``out.part`` (mode 0600), moved over ``out`` when the block ends
    without an error, removed when it fails. UTF-8 with BOM by default, so spreadsheets read the Chinese."""
    part = part_path(out)
    try:
        with open_private(part, encoding) as fh:
            writer = SpreadsheetWriter(fh)
            writer.writerow(header)
            yield writer
            fh.flush()
            os.fsync(fh.fileno())
        part.replace(out)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
