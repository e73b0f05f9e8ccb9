"""Money as integer fen (分). Parsing is strict: a clerk's typo is an error, never a rounding."""

from __future__ import annotations

import re
import unicodedata

_AMOUNT = re.compile(r"(?P<sign>-)?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d{1,2}))?")


FEN_PER_YUAN = 100


class InvalidAmount(ValueError):
    pass


def parse_yuan(text: str) -> int:
    """``"8,523.50"`` → ``852350``. Thousands separators must sit in the right places."""
    cleaned = unicodedata.normalize("NFKC", text).strip().replace("¥", "").replace("￥", "").strip()
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        raise InvalidAmount(f"金额格式错误：{text!r}（元，最多两位小数）")
    whole = int(match["int"].replace(",", ""))
    frac = (match["frac"] or "").ljust(2, "0")
    fen = whole * 100 + int(frac or "0")
    return -fen if match["sign"] else fen


def format_yuan(fen: int, *, grouping: bool = True) -> str:
    """``852350`` → ``"8,523.50"``."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    body = f"{whole:,}" if grouping else str(whole)
    return f"{sign}{body}.{cents:02d}"


def yuan_text(fen: int) -> str:
    """An amount as a person reads it beside 元: ``2000000`` → ``"20,000"``, ``852350`` → ``"8,523.50"``
    (a whole number of yuan without its ``.00``)."""
    return format_yuan(fen).removesuffix(".00")


def signed_yuan_text(fen: int) -> str:
    """:func:`yuan_text` with its sign always written: ``+20,000``, ``-500``, ``+0``."""
    return ("-" if fen < 0 else "+") + yuan_text(abs(fen))
