"""Stocks at any date from changes by day.

A line held from its first day to its last counts +1 on the first day and -1 on the day after the
last; the people holding lines at D are the sum of the changes on or before D. The store hands over
the changes already summed by group and day (one pass over the rows however many dates are asked), and
this module answers for any date and any group, exactly.

Eligibility is counted the same way: the people of a scope within the age band at the window's first
day, plus those whose birthday brings them into the band, less those it takes out, corrected person by
person for the few whose eligibility also depends on something else (a negative-list entry, or being
known to the bank only from an application).
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from teller_assist.kpi.ages import band_entry, band_exit, birth_bounds
from teller_assist.kpi.definitions import Flow, Stock
from teller_assist.kpi.periods import Period

__all__ = ["BandCounts", "Ledger", "Measure", "SpecialPerson", "eligibility_changes"]

ONE_DAY = dt.timedelta(days=1)


class Measure(enum.StrEnum):
    ELIGIBLE = "eligible"
    GRANTED = "granted"
    SIGNED = "signed"
    USED = "used"
    SIGNED_LINE_FEN = "signed_line_fen"
    DRAWN_FEN = "drawn_fen"
    # flows: only ever increase, counted on the day it happened
    GRANTED_FLOW = "granted_flow"
    SIGNED_FLOW = "signed_flow"
    FIRST_DRAWN_FLOW = "first_drawn_flow"
    FIRST_LOAN_FLOW = "first_loan_flow"
    STRUCK_FLOW = "struck_flow"  # people whose target was struck (销号), once per group


STOCK_MEASURES = (
    Measure.ELIGIBLE,
    Measure.GRANTED,
    Measure.SIGNED,
    Measure.USED,
    Measure.SIGNED_LINE_FEN,
    Measure.DRAWN_FEN,
)


@dataclass
class _Track:
    changes: dict[dt.date, int] = field(default_factory=lambda: defaultdict(int))
    _days: list[dt.date] | None = None
    _sums: list[int] | None = None

    def add(self, day: dt.date, amount: int) -> None:
        if amount:
            self.changes[day] += amount
            self._days = self._sums = None

    def at(self, day: dt.date) -> int:
        if self._days is None or self._sums is None:
            self._days = sorted(self.changes)
            running, sums = 0, []
            for d in self._days:
                running += self.changes[d]
                sums.append(running)
            self._sums = sums
        i = bisect.bisect_right(self._days, day)
        return self._sums[i - 1] if i else 0


class Ledger:
    """Changes by group, measure and day; a stock at D is the sum of its changes on or before D."""

    def __init__(
        self,
        eligible_from: dt.date | None = None,
        known_from: dt.date | None = None,
        *,
        strikes: bool = False,
    ) -> None:
        self._tracks: dict[tuple[str, Measure], _Track] = {}
        self.eligible_from = eligible_from  # eligibility is known from this day on
        self.known_from = known_from  # everything is known from this day on (earlier changes came summed)
        self.strikes = strikes  # the strikes were read into it (else a flow's struck is None: not counted)

    def add(self, group: str, measure: Measure, day: dt.date, amount: int) -> None:
        track = self._tracks.get((group, measure))
        if track is None:
            track = self._tracks[group, measure] = _Track()
        track.add(day, amount)

    def add_span(self, group: str, measure: Measure, first: dt.date, last: dt.date, amount: int) -> None:
        """``amount`` held from ``first`` to ``last``, both included."""
        if last >= first:
            self.add(group, measure, first, amount)
            self.add(group, measure, last + ONE_DAY, -amount)

    def at(self, group: str, measure: Measure, day: dt.date) -> int:
        if measure is Measure.ELIGIBLE and self.eligible_from is not None and day < self.eligible_from:
            raise ValueError(f"eligibility is counted from {self.eligible_from}, not {day}")
        track = self._tracks.get((group, measure))
        return 0 if track is None else track.at(day)

    def changes(self, group: str, measure: Measure) -> dict[dt.date, int]:
        """The changes of one group and measure by day (a copy)."""
        track = self._tracks.get((group, measure))
        return {} if track is None else dict(track.changes)

    @property
    def groups(self) -> list[str]:
        return sorted({g for g, _m in self._tracks})

    def stock(self, group: str, day: dt.date) -> Stock:
        return Stock(*(self.at(group, m, day) for m in STOCK_MEASURES))

    def total_stock(self, day: dt.date, groups: Iterable[str] | None = None) -> Stock:
        out = Stock()
        for group in self.groups if groups is None else groups:
            out = out + self.stock(group, day)
        return out

    def flow(self, group: str, period: Period) -> Flow:
        def between(measure: Measure) -> int:
            return self.at(group, measure, period.end) - self.at(group, measure, period.start - ONE_DAY)

        return Flow(
            granted=between(Measure.GRANTED_FLOW),
            signed=between(Measure.SIGNED_FLOW),
            first_drawn=between(Measure.FIRST_DRAWN_FLOW),
            first_loans=between(Measure.FIRST_LOAN_FLOW),
            struck=between(Measure.STRUCK_FLOW) if self.strikes else None,
        )

    def total_flow(self, period: Period, groups: Iterable[str] | None = None) -> Flow:
        """The groups' flows added up (a person struck in two groups counts in each)."""
        flows = [self.flow(g, period) for g in (self.groups if groups is None else groups)]
        return Flow(
            granted=sum(f.granted for f in flows),
            signed=sum(f.signed for f in flows),
            first_drawn=sum(f.first_drawn for f in flows),
            first_loans=sum(f.first_loans for f in flows),
            struck=sum(f.struck or 0 for f in flows) if self.strikes else None,
        )


@dataclass(frozen=True, slots=True)
class BandCounts:
    """A group's people by birth date, as the store counts them: ``base``, those eligible on
    ``first_day`` (within the band, not on the negative list); ``entering``/``leaving`` by birth date,
    for the births whose birthday takes them into or out of the band after ``first_day`` and on or
    before the window's last day (whatever the negative list says: the corrections see to that)."""

    group: str
    base: int
    entering: Mapping[dt.date, int]
    leaving: Mapping[dt.date, int]


@dataclass(frozen=True, slots=True)
class SpecialPerson:
    """Someone whose eligibility the birth-date counts alone do not give.

    ``in_counts``: counted in the group's :class:`BandCounts` (a customer, or on a target list, whose
    standing on the negative list or in the band changes within the window): its standing on the first
    day is in the counts already, only its changes are added. Otherwise not counted there at all
    (someone known only from an application, present from ``present_from``): it is added whole.
    ``listed``: negative-list spells, each ``(from, until)``: listed on ``from`` (None: for as long as
    is known), lifted on ``until`` (None: still listed)."""

    group: str
    born: dt.date
    in_counts: bool
    present_from: dt.date | None
    listed: tuple[tuple[dt.date | None, dt.date | None], ...]

    def eligible_on(self, day: dt.date, min_age: int, max_age: int) -> bool:
        if self.present_from is not None and day < self.present_from:
            return False
        if not self.in_band(day, min_age, max_age):
            return False
        return not any(
            (start is None or start <= day) and (until is None or day < until) for start, until in self.listed
        )

    def in_band(self, day: dt.date, min_age: int, max_age: int) -> bool:
        return band_entry(self.born, min_age) <= day < band_exit(self.born, max_age)

    def correction(self, day: dt.date, min_age: int, max_age: int) -> int:
        """What this person adds to the birth-date counts on ``day``: -1, 0 or +1."""
        counted = self.in_counts and self.in_band(day, min_age, max_age)
        return int(self.eligible_on(day, min_age, max_age)) - int(counted)

    def turning_points(self, min_age: int, max_age: int) -> set[dt.date]:
        days = {band_entry(self.born, min_age), band_exit(self.born, max_age)}
        if self.present_from is not None:
            days.add(self.present_from)
        for start, until in self.listed:
            days.update(d for d in (start, until) if d is not None)
        return days


def eligibility_changes(
    ledger: Ledger,
    *,
    first_day: dt.date,
    last_day: dt.date,
    min_age: int,
    max_age: int,
    bands: Sequence[BandCounts],
    specials: Iterable[SpecialPerson],
) -> None:
    """Write the eligible people of each group, for every day from ``first_day`` to ``last_day``, into
    ``ledger`` as changes by day."""
    earliest_first, latest_first = birth_bounds(first_day, min_age, max_age)
    earliest_last, latest_last = birth_bounds(last_day, min_age, max_age)
    for band in bands:
        ledger.add(band.group, Measure.ELIGIBLE, first_day, band.base)
        for born, n in band.entering.items():
            if not latest_first < born <= latest_last:
                raise ValueError(f"a birth on {born} does not enter the band in the window")
            ledger.add(band.group, Measure.ELIGIBLE, band_entry(born, min_age), n)
        for born, n in band.leaving.items():
            if not earliest_first <= born < earliest_last:
                raise ValueError(f"a birth on {born} does not leave the band in the window")
            ledger.add(band.group, Measure.ELIGIBLE, band_exit(born, max_age), -n)
    for person in specials:
        value = person.correction(first_day, min_age, max_age)
        if not person.in_counts:
            ledger.add(person.group, Measure.ELIGIBLE, first_day, value)
        for day in sorted(d for d in person.turning_points(min_age, max_age) if first_day < d <= last_day):
            now = person.correction(day, min_age, max_age)
            ledger.add(person.group, Measure.ELIGIBLE, day, now - value)
            value = now
    ledger.eligible_from = first_day
