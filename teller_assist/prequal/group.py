"""What a group campaign adds to a person's decision: the group's evaluation, a bureau's 在编 mark, a
merchant's till sales, a village's key households (spec/programme.md, "Scenario factors").

Pure: plain data in, plain data out; the date is an argument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from teller_assist import vocabulary

EVALUATIONS = ("good", "fair", "poor")
EVALUATION_ZH = vocabulary.EVALUATION_ZH  # the words live in teller_assist.vocabulary


@dataclass(frozen=True)
class GroupEvidence:
    """One member's row of a campaign, as far as the line is concerned.

    ``evaluation`` counts only with ``evaluated_by`` (who in the group gave it, with their role): the
    group's own judgement, never the person's. ``till_sales_fen`` maps a month's first day to the
    merchant's till sales that month, in fen."""

    scenario: str
    group_name: str = ""
    evaluation: str | None = None
    evaluated_by: str | None = None
    evaluated_on: dt.date | None = None
    permanent_staff: bool = False
    till_sales_fen: Mapping[dt.date, int] = field(default_factory=dict)
    key_household: bool = False

    def __post_init__(self) -> None:
        if self.evaluation is not None and self.evaluation not in EVALUATIONS:
            raise ValueError(f"evaluation must be one of {EVALUATIONS}, not {self.evaluation!r}")
        if any(day.day != 1 for day in self.till_sales_fen):
            raise ValueError("till sales are keyed by the first day of their month")
        if any(fen < 0 for fen in self.till_sales_fen.values()):
            raise ValueError("till sales cannot be negative")


def full_months_before(as_of: dt.date, count: int) -> list[dt.date]:
    """The first days of the ``count`` full calendar months before ``as_of``'s month, newest first."""
    months = []
    year, month = as_of.year, as_of.month
    for _ in range(count):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        months.append(dt.date(year, month, 1))
    return months


def till_months(sales: Mapping[dt.date, int], as_of: dt.date, window: int) -> tuple[int, int]:
    """(months with till records in the window, their total in fen): a month with records counts even
    when its sales were nil, a month without records does not."""
    within = [sales[m] for m in full_months_before(as_of, window) if m in sales]
    return len(within), sum(within)
