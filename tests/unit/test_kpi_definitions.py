"""The KPI definitions, pure: exact ratios, scopes, the age band as dates, periods, stocks from changes,
eligibility — each against cases worked out by hand or against a brute-force count."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from teller_assist.identity.resident_id import parse_resident_id
from teller_assist.kpi.ages import age_on, band_entry, band_exit, birth_bounds
from teller_assist.kpi.definitions import (
    Indicator,
    IndicatorMeasure,
    Ratio,
    Scope,
    ScopeError,
    Stock,
    parse_scope,
    percent_change,
)
from teller_assist.kpi.periods import Grain, Period, parse_month, period_of, periods
from teller_assist.kpi.series import BandCounts, Ledger, Measure, SpecialPerson, eligibility_changes

D = dt.date


@pytest.mark.parametrize(
    ("num", "den", "percent"),
    [
        (1, 3, "33.33"),
        (2, 3, "66.67"),
        (1, 8, "12.50"),
        (1, 800, "0.13"),  # 0.125 rounds half up, not to even
        (3, 800, "0.38"),  # 0.375
        (1, 1600, "0.06"),  # 0.0625
        (0, 5, "0.00"),
        (5, 5, "100.00"),
        (7, 5, "140.00"),
    ],
)
def test_ratios_are_exact_and_round_half_up(num: int, den: int, percent: str) -> None:
    ratio = Ratio(num, den)
    assert ratio.percent() == Decimal(percent)
    assert ratio.text() == f"{percent}%"


def test_a_ratio_over_nothing_has_no_value() -> None:
    assert Ratio(0, 0).value is None
    assert Ratio(0, 0).percent() is None
    assert Ratio(3, 0).text() == "—"


def test_change_in_points_rounds_away_from_zero_both_ways() -> None:
    assert percent_change(Ratio(1, 8), Ratio(1, 10)) == Decimal("2.50")
    assert percent_change(Ratio(1, 10), Ratio(1, 8)) == Decimal("-2.50")
    assert percent_change(Ratio(1, 800), Ratio(0, 1)) == Decimal("0.13")
    assert percent_change(Ratio(0, 1), Ratio(1, 800)) == Decimal("-0.13")
    assert percent_change(Ratio(1, 2), Ratio(0, 0)) is None


def test_the_stock_gives_each_rate_its_numerator_and_denominator() -> None:
    stock = Stock(
        eligible=200, granted=150, signed=120, used=30, signed_line_fen=360_000_00, drawn_fen=90_000_00
    )
    assert stock.coverage == Ratio(150, 200)
    assert stock.signing == Ratio(120, 150)
    assert stock.usage == Ratio(30, 120)
    assert stock.drawn == Ratio(90_000_00, 360_000_00)
    assert (stock.coverage.text(), stock.signing.text(), stock.usage.text(), stock.drawn.text()) == (
        "75.00%",
        "80.00%",
        "25.00%",
        "25.00%",
    )
    assert stock + Stock(eligible=1, granted=1) == Stock(201, 151, 120, 30, 360_000_00, 90_000_00)


def test_indicators_count_signed_or_granted_as_they_say() -> None:
    stock = Stock(eligible=100, granted=80, signed=60)
    scope = Scope("branch", "0104")
    signed = Indicator(scope, IndicatorMeasure.SIGNED, 75, D(2026, 1, 1), D(2026, 12, 31))
    granted = Indicator(scope, IndicatorMeasure.GRANTED, 75, D(2026, 1, 1), D(2026, 12, 31))
    assert signed.completion(stock) == Ratio(60, 75)
    assert granted.completion(stock).text() == "106.67%"


@pytest.mark.parametrize(
    ("text", "kind", "key"),
    [
        ("county", "county", None),
        ("branch:0104", "branch", "0104"),
        ("officer:jr010401", "officer", "jr010401"),
        ("campaign:village-后白镇-2026", "campaign", "village-后白镇-2026"),
        (" Scenario : village ", "scenario", "village"),
    ],
)
def test_scopes_parse(text: str, kind: str, key: str | None) -> None:
    scope = parse_scope(text)
    assert (scope.kind, scope.key) == (kind, key)


@pytest.mark.parametrize("text", ["", "branch", "branch:", "county:1", "town:0104", "scenario:moon"])
def test_malformed_scopes_are_refused_with_the_forms_that_work(text: str) -> None:
    with pytest.raises(ScopeError) as caught:
        parse_scope(text)
    assert caught.value.exit_code == 2


def test_birth_bounds_agree_with_counting_ages_day_by_day() -> None:
    """For every day of four years (two 29 Februaries) and births around both edges, "born within the
    bounds" is exactly "aged 18 to 65 that day", counted as a resident ID counts it."""
    rid = parse_resident_id("110101200802290016", today=D(2026, 11, 28))  # born 29 February 2008
    assert rid.age_on(D(2026, 2, 28)) == age_on(rid.birth_date, D(2026, 2, 28)) == 17
    assert age_on(rid.birth_date, D(2026, 3, 1)) == 18
    day = D(2026, 1, 1)
    while day <= D(2029, 12, 31):
        earliest, latest = birth_bounds(day, 18, 65)
        for edge in (earliest, latest):
            for offset in range(-3, 4):
                born = edge + dt.timedelta(days=offset)
                inside = 18 <= age_on(born, day) <= 65
                assert (earliest <= born <= latest) == inside, (day, born)
                assert (band_entry(born, 18) <= day < band_exit(born, 65)) == inside, (day, born)
        day += dt.timedelta(days=1)


def test_band_entry_and_exit_of_a_leap_day_birth() -> None:
    born = D(2008, 2, 29)
    assert band_entry(born, 18) == D(2026, 3, 1)
    assert band_exit(born, 65) == D(2074, 3, 1)
    assert band_entry(D(2008, 3, 1), 18) == D(2026, 3, 1)


def test_periods_are_iso_weeks_and_calendar_months() -> None:
    assert period_of(D(2026, 11, 28), Grain.WEEK) == Period(D(2026, 11, 23), D(2026, 11, 29), Grain.WEEK)
    assert period_of(D(2026, 11, 28), Grain.WEEK).label == "2026-W48"
    assert period_of(D(2026, 2, 14), Grain.MONTH) == Period(D(2026, 2, 1), D(2026, 2, 28), Grain.MONTH)
    assert period_of(D(2028, 2, 14), Grain.MONTH).end == D(2028, 2, 29)
    assert period_of(D(2026, 12, 31), Grain.MONTH).label == "2026-12"
    assert [p.label for p in periods(D(2026, 12, 30), D(2027, 1, 5), Grain.WEEK)] == ["2026-W53", "2027-W01"]
    days = periods(D(2026, 2, 27), D(2026, 3, 2), Grain.DAY)
    assert [p.start for p in days] == [D(2026, 2, 27), D(2026, 2, 28), D(2026, 3, 1), D(2026, 3, 2)]
    assert parse_month("2026-11") == Period(D(2026, 11, 1), D(2026, 11, 30), Grain.MONTH)
    assert parse_month("202602").days == 28
    for bad in ("2026-13", "26-11", "2026/11"):
        with pytest.raises(Exception, match="月份"):
            parse_month(bad)


def test_stocks_from_changes_worked_by_hand() -> None:
    """Two lines in branch A: one granted on 1 March, signed 10 March, valid to 31 March; one granted
    on 5 March, never signed, valid to 4 April. A drawdown of 500 yuan on 20 March on the first."""
    ledger = Ledger()
    ledger.add_span("A", Measure.GRANTED, D(2026, 3, 1), D(2026, 3, 31), 1)
    ledger.add_span("A", Measure.GRANTED, D(2026, 3, 5), D(2026, 4, 4), 1)
    ledger.add_span("A", Measure.SIGNED, D(2026, 3, 10), D(2026, 3, 31), 1)
    ledger.add_span("A", Measure.SIGNED_LINE_FEN, D(2026, 3, 10), D(2026, 3, 31), 30_000_00)
    ledger.add_span("A", Measure.USED, D(2026, 3, 20), D(2026, 3, 31), 1)
    ledger.add_span("A", Measure.DRAWN_FEN, D(2026, 3, 20), D(2026, 3, 31), 500_00)
    ledger.add("A", Measure.GRANTED_FLOW, D(2026, 3, 1), 1)
    ledger.add("A", Measure.GRANTED_FLOW, D(2026, 3, 5), 1)
    assert ledger.stock("A", D(2026, 2, 28)) == Stock()
    assert ledger.stock("A", D(2026, 3, 4)) == Stock(granted=1)
    assert ledger.stock("A", D(2026, 3, 19)) == Stock(granted=2, signed=1, signed_line_fen=30_000_00)
    assert ledger.stock("A", D(2026, 3, 31)) == Stock(0, 2, 1, 1, 30_000_00, 500_00)
    assert ledger.stock("A", D(2026, 4, 1)) == Stock(granted=1)
    assert ledger.stock("A", D(2026, 4, 5)) == Stock()
    march = period_of(D(2026, 3, 1), Grain.MONTH)
    assert ledger.flow("A", march).granted == 2
    assert ledger.flow("A", period_of(D(2026, 3, 2), Grain.WEEK)).granted == 1  # 2-8 March
    assert ledger.flow("A", march).struck is None  # the strikes were not read into it: not counted
    assert ledger.total_stock(D(2026, 3, 31)) == ledger.stock("A", D(2026, 3, 31))


def test_struck_people_are_counted_by_the_day_of_their_strike_in_each_group() -> None:
    """Two people struck in branch A (2 and 30 March), one of them also in branch B (20 March): each
    group counts its own, the groups added up count a person once per group."""
    ledger = Ledger(strikes=True)
    ledger.add("A", Measure.STRUCK_FLOW, D(2026, 3, 2), 1)
    ledger.add("A", Measure.STRUCK_FLOW, D(2026, 3, 30), 1)
    ledger.add("B", Measure.STRUCK_FLOW, D(2026, 3, 20), 1)
    march, week = period_of(D(2026, 3, 1), Grain.MONTH), period_of(D(2026, 3, 2), Grain.WEEK)
    assert (ledger.flow("A", march).struck, ledger.flow("A", week).struck) == (2, 1)
    assert ledger.flow("B", week).struck == 0 and ledger.flow("C", march).struck == 0
    assert ledger.total_flow(march).struck == 3
    assert ledger.total_flow(period_of(D(2026, 4, 1), Grain.MONTH)).struck == 0
    assert ledger.stock("A", D(2026, 3, 31)) == Stock()  # a flow, never a stock


def test_eligibility_from_birth_counts_and_corrections_matches_a_count_person_by_person() -> None:
    """A random little county: its eligible people, day by day over a year, from the counts the store
    would give plus the people-by-people corrections, equal the brute-force count."""
    rng = random.Random(19)
    first, last = D(2026, 1, 1), D(2026, 12, 31)
    people = []
    for i in range(400):
        born = D(1955, 1, 1) + dt.timedelta(days=rng.randrange(365 * 60))
        group = rng.choice("AB")
        listed: tuple[tuple[dt.date | None, dt.date | None], ...] = ()
        if rng.random() < 0.2:
            start = rng.choice([None, D(2025, 6, 1), D(2026, 4, 1), D(2026, 9, 15)])
            until = rng.choice([None, D(2026, 6, 1), D(2026, 12, 1)])
            if start is None or until is None or start < until:
                listed = ((start, until),)
        outsider = i % 37 == 0
        present = rng.choice([None, D(2026, 5, 5)]) if outsider else None
        people.append((group, born, listed, outsider, present))

    earliest0, latest0 = birth_bounds(first, 18, 65)
    earliest1, latest1 = birth_bounds(last, 18, 65)

    def on_list(listed: tuple[tuple[dt.date | None, dt.date | None], ...], day: dt.date) -> bool:
        return any((s is None or s <= day) and (u is None or day < u) for s, u in listed)

    bands = []
    for g in "AB":
        counted = [(b, listed) for grp, b, listed, outsider, _p in people if grp == g and not outsider]
        entering: dict[dt.date, int] = {}
        leaving: dict[dt.date, int] = {}
        for b, _listed in counted:
            if latest0 < b <= latest1:
                entering[b] = entering.get(b, 0) + 1
            if earliest0 <= b < earliest1:
                leaving[b] = leaving.get(b, 0) + 1
        # the store's base: within the band and not on the list on the first day
        base = sum(1 for b, listed in counted if earliest0 <= b <= latest0 and not on_list(listed, first))
        bands.append(BandCounts(g, base, entering, leaving))
    specials = [
        SpecialPerson(g, b, not outsider, p, listed)
        for g, b, listed, outsider, p in people
        if listed or outsider
    ]
    ledger = Ledger()
    eligibility_changes(
        ledger, first_day=first, last_day=last, min_age=18, max_age=65, bands=bands, specials=specials
    )

    def brute(g: str, day: dt.date) -> int:
        n = 0
        for grp, born, listed, outsider, present in people:
            if grp != g or (outsider and present is not None and day < present):
                continue
            n += int(18 <= age_on(born, day) <= 65 and not on_list(listed, day))
        return n

    day = first
    while day <= last:
        for g in "AB":
            assert ledger.at(g, Measure.ELIGIBLE, day) == brute(g, day), (g, day)
        day += dt.timedelta(days=1)
    with pytest.raises(ValueError, match="eligibility"):
        ledger.at("A", Measure.ELIGIBLE, first - dt.timedelta(days=1))
