"""Field parsers for extract rows. Each returns the stored value or raises :class:`RowError` whose
message is the reason a clerk reads in the rejects report."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

from teller_assist.identity.phone import InvalidPhone, parse_mobile
from teller_assist.identity.resident_id import IdRule, InvalidResidentId, parse_resident_id
from teller_assist.identity.uscc import InvalidUscc, UsccRule, parse_uscc
from teller_assist.money import InvalidAmount, parse_yuan


class RowError(ValueError):
    """A refused row; the message is the reason in a clerk's words."""


# The largest amount a row may carry: far below what the columns (64-bit integers of fen) hold, so sums
# over many rows stay exact too; anything bigger is a broken extract, refused as a row.
MAX_AMOUNT_FEN = 100_000_000_000_000 - 1  # 999,999,999,999.99 yuan
AMOUNT_TOO_BIG = "金额超出范围（最大999,999,999,999.99元）"
_NUMBERS = re.compile(r"\d+(?:[.．]\d+)*")


ID_REASONS = {
    IdRule.EMPTY: "身份证号为空",
    IdRule.LENGTH: "身份证号长度错误",
    IdRule.CHARACTERS: "身份证号含非法字符",
    IdRule.CHECK_CHARACTER: "身份证校验位错误",
    IdRule.BIRTH_DATE: "身份证中的出生日期无效",
    IdRule.FUTURE_BIRTH_DATE: "身份证中的出生日期晚于今天",
}
USCC_REASONS = {
    UsccRule.LENGTH: "单位信用代码长度错误",
    UsccRule.CHARACTERS: "单位信用代码含非法字符",
    UsccRule.REGION: "单位信用代码格式错误",
    UsccRule.CHECK_CHARACTER: "单位信用代码校验位错误",
}


def key(text: str, label: str, max_len: int = 64) -> str:
    """A key column: NFKC, no surrounding space, not empty."""
    value = (text if text.isascii() else unicodedata.normalize("NFKC", text)).strip()  # ASCII is NFKC
    if not value:
        raise RowError(f"{label}为空")
    if len(value) > max_len:
        raise RowError(f"{label}过长（最多{max_len}个字符）")
    return value


def text(value: str, label: str, max_len: int, *, required: bool = False) -> str | None:
    value = value.strip()
    if not value:
        if required:
            raise RowError(f"{label}为空")
        return None
    if len(value) > max_len:
        raise RowError(f"{label}过长（最多{max_len}个字符）")
    return value


@functools.lru_cache(maxsize=1 << 17)  # a file names the same people and employers again and again
def resident_id(value: str, today: dt.date) -> str:
    try:
        return parse_resident_id(value, today=today).value
    except InvalidResidentId as exc:
        raise RowError(ID_REASONS[exc.rule]) from None


@functools.lru_cache(maxsize=1 << 14)
def uscc(value: str) -> str:
    try:
        return parse_uscc(value).value
    except InvalidUscc as exc:
        raise RowError(USCC_REASONS[exc.rule]) from None


@functools.lru_cache(maxsize=1 << 14)
def date(value: str, label: str, *, required: bool = True) -> dt.date | None:
    value = (value if value.isascii() else unicodedata.normalize("NFKC", value)).strip()
    if not value:
        if required:
            raise RowError(f"{label}为空")
        return None
    try:
        if len(value) == 8 and value.isdigit():
            return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            return dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
    except ValueError:
        pass
    raise RowError(f"{label}格式错误（应为YYYY-MM-DD或YYYYMMDD）")


def amount(value: str, *, positive: bool = True) -> int:
    whole, dot, cents = value.partition(".")
    if value.isascii() and whole.isdigit() and (not dot or (0 < len(cents) <= 2 and cents.isdigit())):
        fen = int(whole) * 100 + (int(cents.ljust(2, "0")) if dot else 0)  # the common plain form, fast
        if positive and fen <= 0:
            raise RowError("金额必须大于0")
        if fen > MAX_AMOUNT_FEN:
            raise RowError(AMOUNT_TOO_BIG)
        return fen
    try:
        fen = parse_yuan(value)
    except InvalidAmount:
        raise RowError("金额格式错误（元，最多两位小数）") from None
    if positive and fen <= 0:
        raise RowError("金额必须大于0")
    if abs(fen) > MAX_AMOUNT_FEN:
        raise RowError(AMOUNT_TOO_BIG)
    return fen


@functools.lru_cache(maxsize=1 << 14)
def day(value: str, label: str, *, required: bool = True) -> str | None:
    """A date as the store keeps it (ISO ``YYYY-MM-DD`` text, which SQLite stores and PostgreSQL's
    ``COPY`` reads), validated as :func:`date` does; cached like it, so a row pays one lookup."""
    found = date(value, label, required=required)
    return None if found is None else found.isoformat()


@functools.lru_cache(maxsize=1 << 14)  # one cached call per row, as date() alone was
def event_date(value: str, label: str, latest: dt.date, *, required: bool = True) -> str | None:
    """The date of an event the extract reports (a pay day, a debit, a signature) as the store keeps it
    (ISO text, see :func:`day`): never after ``latest``, the extract's own date."""
    found = date(value, label, required=required)
    if found is not None and found > latest:
        raise RowError(f"{label}晚于数据日期{latest:%Y-%m-%d}")
    return None if found is None else found.isoformat()


def phone(value: str) -> str | None:
    if len(value) == 11 and value.isascii() and value.isdigit() and value[0] == "1" and value[1] in "3456789":
        return value  # the common form, fast
    if not value.strip():
        return None
    try:
        return parse_mobile(value)
    except InvalidPhone:
        raise RowError("手机号格式错误（应为11位大陆手机号）") from None


def choice(value: str, label: str, mapping: dict[str, str], *, required: bool = True) -> str | None:
    """Map English codes or Chinese words (case-insensitive) to the stored code."""
    found = mapping.get(value)
    if found is not None:
        return found  # the common form, fast
    cleaned = unicodedata.normalize("NFKC", value).strip().lower()
    if not cleaned:
        if required:
            raise RowError(f"{label}为空")
        return None
    found = mapping.get(cleaned)
    if found is None:
        # the value is quoted for the clerk, its numbers masked: an ID or an amount in the wrong column
        raise RowError(f"{label}无效：{_NUMBERS.sub('***', value.strip()[:20])}")
    return found


def codes(*pairs: tuple[str, tuple[str, ...]]) -> dict[str, str]:
    """``("water", ("水费", "水"))`` → every spelling mapped to ``water``."""
    out: dict[str, str] = {}
    for code, words in pairs:
        out[code] = code
        for word in words:
            out[word.lower()] = code
    return out
