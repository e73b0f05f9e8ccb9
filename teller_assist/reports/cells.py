"""What a report's cells hold: text that no spreadsheet reads as a formula, money and ratios as numbers."""

from __future__ import annotations

from decimal import Decimal

from teller_assist.kpi.definitions import Ratio


def safe_text(value: object) -> str:
    """Text as a cell shows it, never as a formula: what a spreadsheet would evaluate (a leading
    ``= + - @``, also after blanks or zero-width characters, in full-width forms, or a tab or line break)
    gets an apostrophe in front, by the same rule as every other export (``exports.spreadsheet_cell``)."""
    from teller_assist.exports import spreadsheet_cell

    return str(spreadsheet_cell("" if value is None else str(value)))


def yuan(fen: int) -> Decimal:
    """Fen as yuan, exactly (two decimals)."""
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def ratio_value(ratio: Ratio | None) -> float | None:
    """A ratio as a spreadsheet number (formatted as a percentage there); None when undefined."""
    value = None if ratio is None else ratio.value
    return None if value is None else value.numerator / value.denominator
