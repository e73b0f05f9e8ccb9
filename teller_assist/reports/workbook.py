"""Workbooks for bank staff, written one way: a title and notes above each table, a bold header row with
a frozen pane and a filter, numbers as numbers (counts with thousands separators, money in yuan with two
decimals, dates as dates, percentages formatted), every text cell written as text and neutralised against
formulas (``cells.safe_text``), and column widths that fit Chinese."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter

from teller_assist.reports.cells import safe_text

__all__ = ["Column", "Workbook"]

BASE = {"font_name": "Microsoft YaHei", "font_size": 10}
KINDS = ("text", "int", "yuan", "pct", "date")


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"  # text, int, yuan (a Decimal of yuan), pct (a fraction of 1), date
    width: float = 12


class Workbook:
    """An in-memory workbook: add sheets with :meth:`table`, then :meth:`close` for the bytes."""

    def __init__(self, title: str, subject: str = "") -> None:
        self._buffer = io.BytesIO()
        # strings_to_formulas off: a text beginning with = is never written as a formula
        self.book = xlsxwriter.Workbook(
            self._buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        )
        self.book.set_properties({"title": title, "subject": subject, "author": "柜面授信助手"})
        self.f = {
            "title": self.book.add_format({**BASE, "bold": True, "font_size": 14}),
            "note": self.book.add_format({**BASE, "font_color": "#555555"}),
            "head": self.book.add_format(
                {
                    **BASE,
                    "bold": True,
                    "bg_color": "#DDEBF7",
                    "border": 1,
                    "text_wrap": True,
                    "valign": "vcenter",
                }
            ),
            "text": self.book.add_format({**BASE, "border": 1}),
            "int": self.book.add_format({**BASE, "border": 1, "num_format": "#,##0"}),
            "yuan": self.book.add_format({**BASE, "border": 1, "num_format": "#,##0.00"}),
            "pct": self.book.add_format({**BASE, "border": 1, "num_format": "0.00%"}),
            "date": self.book.add_format({**BASE, "border": 1, "num_format": "yyyy-mm-dd"}),
        }

    def table(
        self,
        name: str,
        title: str,
        notes: Sequence[str],
        columns: Sequence[Column],
        rows: Sequence[Sequence[object]],
        *,
        freeze_columns: int = 0,
    ) -> Any:
        """A sheet holding one table under its title and notes; returns the sheet."""
        ws = self.book.add_worksheet(name)
        ws.write_string(0, 0, safe_text(title), self.f["title"])
        for i, note in enumerate(notes, start=1):
            ws.write_string(i, 0, safe_text(note), self.f["note"])
        top = len(notes) + 2
        ws.set_row(top, 30)
        for c, col in enumerate(columns):
            ws.write_string(top, c, safe_text(col.title), self.f["head"])
            ws.set_column(c, c, col.width)
        for r, row in enumerate(rows, start=top + 1):
            for c, (value, col) in enumerate(zip(row, columns, strict=True)):
                self.cell(ws, r, c, value, col.kind)
        ws.freeze_panes(top + 1, freeze_columns)
        ws.autofilter(top, 0, top + max(len(rows), 1), len(columns) - 1)
        return ws

    def cell(self, ws: Any, row: int, col: int, value: object, kind: str) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown cell kind {kind!r}")
        if value is None or value == "":
            ws.write_blank(row, col, None, self.f[kind])
        elif kind == "text":
            ws.write_string(row, col, safe_text(value), self.f["text"])
        elif kind == "date":
            assert isinstance(value, dt.date)
            ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), self.f["date"])
        else:
            ws.write_number(row, col, float(value), self.f[kind])  # type: ignore[arg-type]

    def close(self) -> bytes:
        self.book.close()
        return self._buffer.getvalue()
