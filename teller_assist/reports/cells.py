"""What a report's cells hold: text that no spreadsheet reads as a formula, money and ratios as numbers."""

from __future__ import annotations

from decimal import Decimal

from teller_assist.kpi.definitions import Ratio

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_text(value: object) -> str:
    """Text as a cell shows it, never as a formula: a leading ``= + - @`` (or a tab or line break, which
    some programs strip before reading one) gets an apostrophe in front, as spreadsheets themselves do."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def yuan(fen: int) -> Decimal:
    """Fen as yuan, exactly (two decimals)."""
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def ratio_value(ratio: Ratio | None) -> float | None:
    """A ratio as a spreadsheet number (formatted as a percentage there); None when undefined."""
    value = None if ratio is None else ratio.value
    return None if value is None else value.numerator / value.denominator
