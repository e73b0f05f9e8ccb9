"""What the figures are: scopes, exact ratios, the stock of people and money at a date, indicators.

Every KPI counts people, at a date D, for a scope (``spec/programme.md``):

- coverage 授信覆盖率 = people holding a granted line at D (approved or signed, not expired) / eligible
  people at D (not on the negative list, age within the policy's band);
- signing rate 签约率 = people holding a signed line at D / people holding a granted line at D;
- usage rate 用信率 = people with a drawdown on or after their signing date and on or before D / people
  holding a signed line at D;
- amount drawn 用信金额比 = their drawdowns from their signing date to D / their signed lines at D;
- indicator completion 指标完成率 = signed (or granted) people / the indicator's number.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from teller_assist import vocabulary
from teller_assist.errors import UserFacingError
from teller_assist.vocabulary import Bilingual

__all__ = [
    "SCOPE_KINDS",
    "Flow",
    "Indicator",
    "Kpi",
    "Ratio",
    "Scope",
    "ScopeError",
    "Stock",
    "parse_scope",
]


class Kpi(Bilingual):
    COVERAGE = ("授信覆盖率", "coverage")
    SIGNING = ("签约率", "signing rate")
    USAGE = ("用信率", "usage rate")
    DRAWN = ("用信金额比", "amount drawn / signed lines")
    COMPLETION = ("指标完成率", "indicator completion")


HEADLINE = (Kpi.COVERAGE, Kpi.SIGNING, Kpi.USAGE, Kpi.DRAWN)

# what each figure counts, in the words the reports print
DEFINITION_ZH = {
    Kpi.COVERAGE: "持有有效授信（已批准或已签约、未失效）的人 ÷ 合格人群（不在负面清单、年龄在政策范围内）",
    Kpi.SIGNING: "持有已签约授信的人 ÷ 持有有效授信的人",
    Kpi.USAGE: "签约日至统计日有用信的人 ÷ 持有已签约授信的人",
    Kpi.DRAWN: "这些人签约日至统计日的用信金额 ÷ 其签约额度（元）",
    Kpi.COMPLETION: "签约（或指标规定的授信）人数 ÷ 指标人数",
}
FIRST_LOANS_ZH = "首贷户：有史以来第一笔用信（放款）在该期间的人"
EXACT_ZH = "全部数字可由统计日数据库中的原始记录复算；百分比由精确分数四舍五入到两位小数。"


@dataclass(frozen=True, slots=True)
class Ratio:
    """An exact ratio; ``None`` as a value when the denominator is zero (nothing to measure)."""

    numerator: int
    denominator: int

    @property
    def value(self) -> Fraction | None:
        return None if self.denominator == 0 else Fraction(self.numerator, self.denominator)

    def percent(self, places: int = 2) -> Decimal | None:
        """The ratio in percent, rounded half up to ``places`` decimals (exact arithmetic throughout)."""
        value = self.value
        return None if value is None else round_half_up(value * 100, places)

    def text(self, places: int = 2) -> str:
        pct = self.percent(places)
        return "—" if pct is None else f"{pct}%"

    def __str__(self) -> str:
        return self.text()


def round_half_up(value: Fraction, places: int) -> Decimal:
    """An exact fraction as a decimal with ``places`` decimals, halves away from zero."""
    scaled = abs(value) * 10**places
    whole = math.floor(scaled)
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    result = Decimal(whole).scaleb(-places).quantize(Decimal(1).scaleb(-places))
    return -result if value < 0 else result


def percent_change(now: Ratio, before: Ratio, places: int = 2) -> Decimal | None:
    """The change in percentage points between two ratios (None when either is undefined)."""
    a, b = now.value, before.value
    return None if a is None or b is None else round_half_up((a - b) * 100, places)


SCOPE_KINDS = ("county", "branch", "officer", "campaign", "scenario")
SCOPE_ZH = vocabulary.KPI_SCOPE_ZH  # the words live in teller_assist.vocabulary
SCENARIOS = ("village", "enterprise", "association", "bureau", "community", "market", "walk_in")


class ScopeError(UserFacingError):
    pass


@dataclass(frozen=True, slots=True)
class Scope:
    kind: str
    key: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in SCOPE_KINDS:
            raise ScopeError(f"未知的范围：{self.kind}", f"unknown scope kind {self.kind!r}")
        if (self.kind == "county") != (self.key is None):
            raise ScopeError(
                f"范围 {self.kind} 需要{'不带' if self.kind == 'county' else '带'}代码",
                f"scope {self.kind} {'takes no' if self.kind == 'county' else 'needs a'} key",
            )

    @property
    def label_zh(self) -> str:
        return SCOPE_ZH[self.kind] if self.key is None else f"{SCOPE_ZH[self.kind]} {self.key}"

    def __str__(self) -> str:
        return self.kind if self.key is None else f"{self.kind}:{self.key}"


COUNTY = Scope("county")


def parse_scope(text: str) -> Scope:
    """``county``, ``branch:0104``, ``officer:LOGIN``, ``campaign:CODE``, ``scenario:NAME``."""
    kind, sep, key = text.strip().partition(":")
    kind, key = kind.strip().lower(), key.strip()
    if kind == "county" and not sep:
        return COUNTY
    if kind not in SCOPE_KINDS or kind == "county" or not key:
        raise ScopeError(
            f"范围格式错误：{text!r}",
            f"malformed scope {text!r}",
            hint_zh="应为 county、branch:网点号、officer:登录名、campaign:活动代码 或 scenario:场景",
            hint_en="use county, branch:CODE, officer:LOGIN, campaign:CODE or scenario:NAME",
        )
    if kind == "scenario" and key not in SCENARIOS:
        raise ScopeError(
            f"未知的场景：{key}", f"unknown scenario {key!r}", hint_zh="、".join(SCENARIOS), hint_en=""
        )
    if len(key) > 64:
        raise ScopeError("范围代码过长", "the scope's key is too long")
    return Scope(kind, key)


@dataclass(frozen=True, slots=True)
class Stock:
    """The people and money of a scope at a date: what the headline rates are made of."""

    eligible: int = 0
    granted: int = 0
    signed: int = 0
    used: int = 0
    signed_line_fen: int = 0
    drawn_fen: int = 0

    @property
    def coverage(self) -> Ratio:
        return Ratio(self.granted, self.eligible)

    @property
    def signing(self) -> Ratio:
        return Ratio(self.signed, self.granted)

    @property
    def usage(self) -> Ratio:
        return Ratio(self.used, self.signed)

    @property
    def drawn(self) -> Ratio:
        return Ratio(self.drawn_fen, self.signed_line_fen)

    def rate(self, kpi: Kpi) -> Ratio:
        return {
            Kpi.COVERAGE: self.coverage,
            Kpi.SIGNING: self.signing,
            Kpi.USAGE: self.usage,
            Kpi.DRAWN: self.drawn,
        }[kpi]

    def __add__(self, other: Stock) -> Stock:
        return Stock(
            self.eligible + other.eligible,
            self.granted + other.granted,
            self.signed + other.signed,
            self.used + other.used,
            self.signed_line_fen + other.signed_line_fen,
            self.drawn_fen + other.drawn_fen,
        )


class IndicatorMeasure(enum.StrEnum):
    SIGNED = "signed"
    GRANTED = "granted"


@dataclass(frozen=True, slots=True)
class Indicator:
    """指标任务: ``people`` signed (or granted) in the scope, in force from ``starts_on`` to ``ends_on``."""

    scope: Scope
    measure: IndicatorMeasure
    people: int
    starts_on: dt.date
    ends_on: dt.date

    def completion(self, stock: Stock) -> Ratio:
        done = stock.signed if self.measure is IndicatorMeasure.SIGNED else stock.granted
        return Ratio(done, self.people)

    @property
    def label_zh(self) -> str:
        word = "签约" if self.measure is IndicatorMeasure.SIGNED else "授信"
        return f"{word}{self.people:,}人（{self.starts_on}至{self.ends_on}）"


@dataclass(frozen=True, slots=True)
class Flow:
    """What happened in a period, counted by the day it happened. ``struck`` (销号) counts the people
    whose target was struck, as the lists record it (signed, ineligible, declined for good), on the day
    of their first strike in the scope; ``None`` where strikes are not counted (the work done: a strike
    belongs to the target's list, not to whoever took the signature). Never guessed from other figures."""

    granted: int = 0
    signed: int = 0
    first_drawn: int = 0
    first_loans: int = 0
    struck: int | None = None
