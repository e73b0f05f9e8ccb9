"""Amounts as financial documents write them: 人民币贰拾万元整 (¥200,000.00)."""

from __future__ import annotations

from decimal import Decimal

import cn2an

from teller_assist.money import format_yuan


def capital(fen: int) -> str:
    """Capital numerals for fen: 20_000_000 -> 贰拾万元整; 10_000_005 -> 壹拾万元零伍分."""
    if fen < 0:
        raise ValueError("a negative amount has no capital form on these documents")
    if fen == 0:
        return "零元整"
    return str(cn2an.an2cn(str(Decimal(fen) / 100), "rmb"))


def amount_text(fen: int) -> str:
    """Both forms together: 人民币贰拾万元整（¥200,000.00）."""
    return f"人民币{capital(fen)}（¥{format_yuan(fen)}）"
