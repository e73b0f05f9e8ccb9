"""The KPIs' records as the faces and the reports receive them: plain, frozen, with their provenance
(date, scope, policy version, data freshness) always attached."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from teller_assist import vocabulary
from teller_assist.kpi.definitions import (
    HEADLINE,
    Flow,
    Indicator,
    Kpi,
    Ratio,
    Scope,
    Stock,
    percent_change,
)
from teller_assist.kpi.periods import Grain, Period

__all__ = [
    "CATEGORIES",
    "KIND_ZH",
    "Dashboard",
    "FlowRow",
    "Freshness",
    "GroupFigures",
    "KpiView",
    "MonthlyReport",
    "PeopleList",
    "PersonLine",
    "Provenance",
    "Tile",
]

KIND_ZH = vocabulary.KPI_RECORD_KIND_ZH  # the words live in teller_assist.vocabulary
# the extracts the KPIs read (the rest do not change a figure)
KPI_KINDS = ("customers", "negative_list", "drawdowns", "targets")

CATEGORIES: dict[str, tuple[str, str]] = {
    "granted": ("持有授信", "holding a granted line"),
    "signed": ("已签约", "holding a signed line"),
    "used": ("已用信", "drew on a signed line"),
    "unsigned": ("已授信未签约", "granted, not signed"),
    "unused": ("已签约未用信", "signed, not drawn"),
}


@dataclass(frozen=True, slots=True)
class Freshness:
    kind: str
    kind_zh: str
    extract_date: dt.date | None
    loaded_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Provenance:
    """What every figure is about: its date, scope, policy and how fresh the data behind it is."""

    as_of: dt.date
    scope: Scope
    policy_version: str
    policy_sha256: str
    freshness: tuple[Freshness, ...]
    generated_at: dt.datetime
    stocks_view: str = "people"  # counted by the people's own branch or lists
    snapshot_built_at: dt.datetime | None = None  # the kept daily sums used, if any (else the rows alone)

    @property
    def freshness_zh(self) -> str:
        parts = [
            f"{f.kind_zh}{f.extract_date.isoformat() if f.extract_date else '无'}" for f in self.freshness
        ]
        moment = self.generated_at.astimezone().strftime("%Y-%m-%d %H:%M")
        return "数据截至：" + "，".join(parts) + f"；申请与签约为实时数据（{moment}）"

    @property
    def oldest_extract(self) -> dt.date | None:
        days = [f.extract_date for f in self.freshness if f.extract_date is not None]
        return min(days) if days else None


@dataclass(frozen=True, slots=True)
class GroupFigures:
    """One row of a table: a scope (or a group under it), its stock at the date, its indicator."""

    kind: str  # branch, officer, campaign, scenario, county
    key: str
    stock: Stock
    week_ago: Stock
    indicator: Indicator | None = None

    @property
    def completion(self) -> Ratio | None:
        return None if self.indicator is None else self.indicator.completion(self.stock)

    def change(self, kpi: Kpi) -> object:
        return percent_change(self.stock.rate(kpi), self.week_ago.rate(kpi))

    @property
    def label_zh(self) -> str:
        if self.kind == "county":
            return "全县"
        return self.key or "（未归属）"


@dataclass(frozen=True, slots=True)
class FlowRow:
    period: Period
    people_view: Flow
    work_view: Flow | None


@dataclass(frozen=True)
class KpiView:
    """A scope at a date: its figures, a week before, the groups under it, and its flows."""

    provenance: Provenance
    total: GroupFigures
    children_kind: str | None
    children: tuple[GroupFigures, ...]
    flows: tuple[FlowRow, ...]
    grain: Grain
    trend: tuple[tuple[dt.date, Stock], ...] = ()
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Tile:
    kpi: Kpi
    now: Ratio
    week_ago: Ratio

    @property
    def change(self) -> object:
        return percent_change(self.now, self.week_ago)


@dataclass(frozen=True)
class Dashboard:
    view: KpiView

    @property
    def tiles(self) -> tuple[Tile, ...]:
        total = self.view.total
        return tuple(Tile(k, total.stock.rate(k), total.week_ago.rate(k)) for k in HEADLINE)


@dataclass(frozen=True, slots=True)
class PersonLine:
    id_masked: str
    name: str
    group: str
    application_id: int
    line_fen: int
    decided_on: dt.date
    signed_on: dt.date | None
    first_drawn_on: dt.date | None
    drawn_fen: int


@dataclass(frozen=True)
class PeopleList:
    provenance: Provenance
    category: str
    total: int
    people: tuple[PersonLine, ...]
    # the resident IDs, in the order of ``people``, for opening a card; never printed
    id_nos: tuple[str, ...] = ()


@dataclass(frozen=True)
class MonthlyReport:
    """The head-office meeting's monthly report: the county at the month's end (or today, in a month
    not over), every branch, officer, campaign and scenario, the trend by month and the month by day."""

    month: Period
    county: KpiView  # children: the branches; trend: month ends; flows: by month
    previous: Stock  # the county at the end of the month before
    officers: tuple[tuple[str, GroupFigures], ...]  # (branch, officer)
    campaigns: tuple[GroupFigures, ...]
    scenarios: tuple[GroupFigures, ...]
    daily: tuple[FlowRow, ...]

    @property
    def provenance(self) -> Provenance:
        return self.county.provenance

    @property
    def as_of(self) -> dt.date:
        return self.county.provenance.as_of
