"""A market's till records as the market's management hands them over: one row a merchant and a month,
with that month's sales (spec/programme.md, "Market till sales": the candidate is a multiple of the
average monthly sales when enough full months have records; the figures are the policy's).

Pure: rows of text in (as :func:`teller_assist.ingest.rosters.read_roster` took them, with their line
numbers), the months per merchant and the refused rows out; the date is an argument. Which member of
the campaign a merchant is (by resident ID or by the shop's unified social credit code) is the service's.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from teller_assist.campaigns.roster import Refusal, RosterError
from teller_assist.identity.resident_id import InvalidResidentId, parse_resident_id
from teller_assist.identity.uscc import InvalidUscc, parse_uscc
from teller_assist.money import InvalidAmount, parse_yuan

# (key, the header the bank's template writes, other headers market systems use)
TILL_COLUMNS = (
    ("id_no", "身份证号", ("身份证号码", "公民身份号码", "证件号码", "商户身份证号", "经营者身份证号")),
    ("shop_uscc", "商铺统一社会信用代码", ("统一社会信用代码", "信用代码")),
    ("name", "姓名", ("商户", "商户名称", "经营者", "经营者姓名")),
    ("shop", "商铺", ("商铺号", "摊位号", "店名")),
    ("month", "月份", ("销售月份", "年月", "月度")),
    ("sales", "销售额", ("月销售额", "销售额（元）", "收银金额", "收银流水", "流水金额")),
)
TILL_HEADER_WORDS = ("身份证", "证件号码", "统一社会信用代码", "信用代码")  # how the reader finds the header
IGNORED = ("序号", "备注", "编号")


def _plain(header: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", header)).strip("*：:")


def map_till_header(header: Sequence[str]) -> dict[str, int]:
    """Column key -> position: a merchant (resident ID or shop USCC), the month and the sales are needed."""
    by_header = {_plain(name): key for key, zh, aliases in TILL_COLUMNS for name in (zh, *aliases)}
    accepted = "、".join(zh for _key, zh, _aliases in TILL_COLUMNS)
    found: dict[str, int] = {}
    for position, raw in enumerate(header):
        text = _plain(raw)
        if not text or text in IGNORED:
            continue
        key = by_header.get(text) or by_header.get(re.sub(r"[（(].*?[)）]", "", text))
        if key is None:
            raise RosterError(
                f"第{position + 1}列的表头“{raw.strip()}”不是收银记录的列",
                f"column {position + 1}'s header {raw.strip()!r} is not a column of till records",
                hint_zh=f"可用的表头：{accepted}（另可有 序号、备注）",
                hint_en="rename it to one of the template's headers, or delete the column",
            )
        if key in found:
            raise RosterError(
                f"第{found[key] + 1}列和第{position + 1}列是同一项（{raw.strip()}）",
                f"columns {found[key] + 1} and {position + 1} say the same thing",
                hint_zh="请删除重复的列",
                hint_en="delete one of them",
            )
        found[key] = position
    missing = [zh for key, zh, _a in TILL_COLUMNS if key in ("month", "sales") and key not in found]
    if "id_no" not in found and "shop_uscc" not in found:
        missing.insert(0, "身份证号 或 商铺统一社会信用代码")
    if missing:
        raise RosterError(
            f"收银记录缺少必填列：{'、'.join(missing)}",
            f"the till records lack required columns: {', '.join(missing)}",
            hint_zh=f"第一行应为表头，可用的表头：{accepted}",
            hint_en="the header row names the merchant, the month and the sales",
        )
    return found


MONTH_PATTERNS = (
    r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?",
    r"(\d{4})/(\d{1,2})(?:/(\d{1,2}))?",
    r"(\d{4})\.(\d{1,2})",
    r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?",
    r"(\d{4})(\d{2})",
)


class _RowRefused(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh, self.en = zh, en


def parse_month(text: str) -> dt.date:
    """``2026-05``, ``2026/5``, ``2026年5月``, ``202605`` or a date in the month -> its first day."""
    plain = unicodedata.normalize("NFKC", text).strip().split(" ")[0]
    for pattern in MONTH_PATTERNS:
        m = re.fullmatch(pattern, plain)
        if m and 1 <= int(m[2]) <= 12:
            return dt.date(int(m[1]), int(m[2]), 1)
    raise _RowRefused(f"“月份”无法识别：“{text.strip()}”（如 2026-05）", "the month is not like 2026-05")


@dataclass(frozen=True)
class TillRow:
    line_no: int
    id_no: str | None  # the merchant's resident ID, when the file gives it
    shop_uscc: str | None  # the shop's unified social credit code, when the file gives it
    month: dt.date  # the month's first day
    sales_fen: int


@dataclass(frozen=True)
class CheckedTill:
    rows: tuple[TillRow, ...]
    refused: tuple[Refusal, ...]


def check_till(
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    as_of: dt.date,
    refused_reading: Iterable[tuple[int, str, str]] = (),
) -> CheckedTill:
    """Every row a month of one merchant's sales, or refused with its reason: an ID or a code that does
    not check, a month not yet over at ``as_of`` (only full months count), sales that are not an amount
    in yuan or are negative, the same merchant's month given twice (the later row refused)."""
    positions = map_till_header(header)
    kept: list[TillRow] = []
    refused: list[Refusal] = []
    first: dict[tuple[str, dt.date], int] = {}
    this_month = as_of.replace(day=1)
    for line_no, cells in rows:
        if not any(str(c).strip() for c in cells):
            continue
        get = {key: (str(cells[i]).strip() if i < len(cells) else "") for key, i in positions.items()}
        try:
            id_no = shop = None
            if get.get("id_no"):
                try:
                    id_no = parse_resident_id(get["id_no"], today=as_of).value
                except InvalidResidentId as exc:
                    raise _RowRefused(
                        f"身份证号无效：{exc.rule.zh}", f"invalid resident ID: {exc.rule.en}"
                    ) from None
            if get.get("shop_uscc"):
                try:
                    shop = parse_uscc(get["shop_uscc"]).value
                except InvalidUscc as exc:
                    raise _RowRefused(
                        f"商铺统一社会信用代码无效：{exc.rule.zh}", f"invalid shop USCC: {exc.rule.en}"
                    ) from None
            if id_no is None and shop is None:
                raise _RowRefused("没有商户的身份证号或商铺统一社会信用代码", "no merchant ID or shop USCC")
            month = parse_month(get.get("month", ""))
            if month >= this_month:
                raise _RowRefused(
                    f"{month:%Y年%m月}尚未结束，只计完整的月份", f"{month:%Y-%m} is not a full month yet"
                )
            try:
                fen = parse_yuan(get.get("sales", ""))
            except InvalidAmount:
                raise _RowRefused(
                    f"“销售额”不是金额：“{get.get('sales', '')}”（元，最多两位小数）",
                    "the sales are not an amount in yuan",
                ) from None
            if fen < 0:
                raise _RowRefused("销售额不能为负数", "the sales cannot be negative")
            merchant = id_no or f"uscc:{shop}"
            if (merchant, month) in first:
                raise _RowRefused(
                    f"与第{first[merchant, month]}行重复（同一商户同一月份）",
                    f"duplicate of line {first[merchant, month]} (same merchant, same month)",
                )
        except _RowRefused as why:
            refused.append(Refusal(line_no, get.get("id_no", ""), get.get("name", ""), why.zh, why.en))
            continue
        first[merchant, month] = line_no
        kept.append(TillRow(line_no, id_no, shop, month, fen))
    refused += [Refusal(line, "", "", zh, en) for line, zh, en in refused_reading]
    return CheckedTill(tuple(kept), tuple(sorted(refused, key=lambda r: r.line_no)))


def months_json(sales: dict[dt.date, int]) -> dict[str, int]:
    """A merchant's months as kept with the membership: ``{"2026-05": fen, ...}``."""
    return {f"{month:%Y-%m}": fen for month, fen in sorted(sales.items())}


def months_from_json(kept: dict[str, int]) -> dict[dt.date, int]:
    return {dt.date(int(k[:4]), int(k[5:7]), 1): int(v) for k, v in kept.items()}
