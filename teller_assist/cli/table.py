"""Tables for the terminal that line up with Chinese in them.

A Chinese character takes two columns of a terminal, a Latin letter one; padding by character count
(``f"{name:<10}"``) pushes every column after a Chinese name out of line. Widths here are display widths
(``wcwidth``, the Unicode East Asian Width and combining-mark tables a terminal itself follows).
"""

from __future__ import annotations

from collections.abc import Sequence

from wcwidth import wcswidth


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal (a character it cannot print counts as one)."""
    shown = wcswidth(text)
    return shown if shown >= 0 else sum(max(wcswidth(ch), 1) for ch in text)


def pad(text: str, columns: int, align: str = "<") -> str:
    """``text`` padded with spaces to ``columns`` display columns, left (``<``) or right (``>``)."""
    gap = " " * max(columns - width(text), 0)
    return gap + text if align == ">" else text + gap


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], aligns: str = "") -> list[str]:
    """The lines of a table: each column as wide as its widest cell, two spaces between columns.
    ``aligns`` gives each column's ``<`` or ``>`` (default ``<``); numbers are written with thousands
    separators. Trailing spaces are trimmed."""
    cells = [[_cell(v) for v in row] for row in [headers, *rows]]
    widths = [max(width(row[i]) for row in cells) for i in range(len(headers))]
    aligns = aligns.ljust(len(headers), "<")
    return [
        "  ".join(pad(c, w, a) for c, w, a in zip(row, widths, aligns, strict=True)).rstrip() for row in cells
    ]


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return "—" if value is None else str(value)
