"""Head office's target lists: the people split by social-security region to the branches through the
region → branch table head office keeps, and each branch's indicator (people to sign by a date).

Pure: the people (already filtered, the negative list already removed) and the table in, the split out.
A person whose region has no branch is never guessed onto one: the split names them so that head office
can complete the table (or narrow the filter) before the list is issued.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, InvalidOperation

from teller_assist.errors import UserFacingError

__all__ = [
    "BranchShare",
    "ListRefused",
    "Split",
    "check_branch_code",
    "check_list_code",
    "check_region_code",
    "indicator_for",
    "parse_percent",
    "split_by_region",
]

_REGION = re.compile(r"\d{6}")
_BRANCH = re.compile(r"[0-9A-Za-z]{1,16}")
NO_REGION = ""  # the key under which people without a region code are counted


class ListRefused(UserFacingError):
    """A list, a region row or an indicator that cannot be taken as given."""

    exit_code = 3


@dataclass(frozen=True)
class BranchShare:
    branch_code: str
    people: int
    indicator: int  # people to sign by the list's due date


@dataclass(frozen=True)
class Split:
    shares: tuple[BranchShare, ...]  # by branch code
    unrouted: Mapping[str, int]  # region code ("" for none) -> people whose region has no branch
    assigned: tuple[tuple[str, str], ...]  # (id_no, branch_code), in ID order

    @property
    def people(self) -> int:
        return sum(s.people for s in self.shares)

    @property
    def unrouted_people(self) -> int:
        return sum(self.unrouted.values())


def check_list_code(text: str) -> str:
    """A list's code (its campaign code on the targets): 1-64 characters, no spaces or control ones."""
    value = unicodedata.normalize("NFKC", text).strip()
    if (
        not value
        or len(value) > 64
        or any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in value)
    ):
        raise ListRefused(
            f"名单代码无效：{text!r}",
            f"invalid list code {text!r}",
            hint_zh="1至64个字符，不含空格，例如 2026-总行-首批",
            hint_en="1 to 64 characters without spaces, e.g. 2026-hq-1",
        )
    if value[0] in "=+-@":
        raise ListRefused(
            "名单代码不能以 = + - @ 开头",
            "a list code may not begin with = + - @",
            hint_zh="以字母、数字或汉字开头",
        )
    return value


def check_region_code(text: str) -> str:
    value = text.strip()
    if not _REGION.fullmatch(value):
        raise ListRefused(
            f"社保区域代码应为6位数字：{text!r}",
            f"a social-security region code is 6 digits: {text!r}",
        )
    return value


def check_branch_code(text: str) -> str:
    value = text.strip()
    if not _BRANCH.fullmatch(value):
        raise ListRefused(
            f"网点号无效：{text!r}",
            f"invalid branch code {text!r}",
            hint_zh="网点号为1至16位字母或数字",
            hint_en="1 to 16 letters or digits",
        )
    return value


def parse_percent(text: str) -> Decimal:
    """An indicator as a percentage of a branch's targets: more than 0, at most 100 (``30``, ``12.5``)."""
    try:
        value = Decimal(text.strip().removesuffix("%"))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not Decimal(0) < value <= Decimal(100):
        raise ListRefused(
            f"指标比例应大于0且不超过100：{text!r}", f"the indicator is a percentage in (0, 100]: {text!r}"
        )
    return value


def indicator_for(people: int, percent: Decimal) -> int:
    """People to sign out of ``people`` targets at ``percent``, rounded up (exact decimal arithmetic)."""
    return int((Decimal(people) * percent / Decimal(100)).to_integral_value(rounding=ROUND_CEILING))


def split_by_region(
    people: Iterable[tuple[str, str | None]], regions: Mapping[str, str], percent: Decimal
) -> Split:
    """``people`` as (ID, region code) split to branches by ``regions`` (region -> branch); each
    branch's indicator is ``percent`` of its targets, rounded up. A person listed twice counts once."""
    seen: dict[str, str | None] = {}
    for id_no, region in people:
        seen.setdefault(id_no, region)
    assigned: list[tuple[str, str]] = []
    unrouted: Counter[str] = Counter()
    for id_no in sorted(seen):
        region = seen[id_no]
        branch = regions.get(region) if region else None
        if branch is None:
            unrouted[region or NO_REGION] += 1
        else:
            assigned.append((id_no, branch))
    counts = Counter(branch for _id, branch in assigned)
    shares = tuple(BranchShare(b, n, indicator_for(n, percent)) for b, n in sorted(counts.items()))
    return Split(shares, dict(sorted(unrouted.items())), tuple(assigned))


def check_due(issued_on: dt.date, due_on: dt.date) -> dt.date:
    if due_on <= issued_on:
        raise ListRefused(
            f"签约截止日期 {due_on} 应晚于下达日期 {issued_on}",
            f"the sign-by date {due_on} must be after the issue date {issued_on}",
        )
    return due_on
