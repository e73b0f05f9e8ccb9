"""Periods for flows and trends: days, ISO weeks (Monday to Sunday) and calendar months."""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass

from teller_assist.errors import UserFacingError

__all__ = ["Grain", "Period", "month_period", "parse_month", "period_of", "periods"]

ONE_DAY = dt.timedelta(days=1)


class Grain(enum.StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"

    @property
    def zh(self) -> str:
        return {"day": "日", "week": "周", "month": "月"}[self.value]


@dataclass(frozen=True, slots=True)
class Period:
    """``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date
    grain: Grain

    @property
    def label(self) -> str:
        if self.grain is Grain.DAY:
            return self.start.isoformat()
        if self.grain is Grain.WEEK:
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.start:%Y-%m}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


def _month_end(day: dt.date) -> dt.date:
    first_next = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return first_next - ONE_DAY


def period_of(day: dt.date, grain: Grain) -> Period:
    """The day, week or month that holds ``day``."""
    if grain is Grain.DAY:
        return Period(day, day, grain)
    if grain is Grain.WEEK:
        monday = day - dt.timedelta(days=day.weekday())
        return Period(monday, monday + dt.timedelta(days=6), grain)
    first = day.replace(day=1)
    return Period(first, _month_end(first), grain)


def periods(start: dt.date, end: dt.date, grain: Grain) -> list[Period]:
    """The whole periods that meet ``start..end``, oldest first (the first and last may reach outside)."""
    if end < start:
        return []
    out: list[Period] = []
    current = period_of(start, grain)
    while current.start <= end:
        out.append(current)
        current = period_of(current.end + ONE_DAY, grain)
    return out


def month_period(year: int, month: int) -> Period:
    return period_of(dt.date(year, month, 1), Grain.MONTH)


_MONTH = re.compile(r"(\d{4})-?(\d{2})")


def parse_month(text: str) -> Period:
    """``2026-11`` (or ``202611``) as the month's period."""
    match = _MONTH.fullmatch(text.strip())
    if match is None or not 1 <= int(match[2]) <= 12:
        raise UserFacingError(
            f"月份格式错误：{text!r}",
            f"malformed month {text!r}",
            hint_zh="应为 YYYY-MM",
            hint_en="use YYYY-MM",
        )
    return month_period(int(match[1]), int(match[2]))
