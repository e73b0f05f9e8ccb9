"""The policy's age band as dates: who is within it on a day, and from which day to which.

Ages are completed years, as ``ResidentId.age_on`` counts them: someone born on 29 February turns a
year older on 1 March in a common year.
"""

from __future__ import annotations

import datetime as dt

__all__ = ["age_on", "band_entry", "band_exit", "birth_bounds", "birthday_in"]

ONE_DAY = dt.timedelta(days=1)


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birthday_in(born: dt.date, year: int) -> dt.date:
    """The day in ``year`` on which someone born on ``born`` is a year older (29 February -> 1 March)."""
    try:
        return born.replace(year=year)
    except ValueError:
        return dt.date(year, 3, 1)


def band_entry(born: dt.date, min_age: int) -> dt.date:
    """The first day on which the person is at least ``min_age``."""
    return birthday_in(born, born.year + min_age)


def band_exit(born: dt.date, max_age: int) -> dt.date:
    """The first day on which the person is over ``max_age`` (out of the band from then on)."""
    return birthday_in(born, born.year + max_age + 1)


def _same_day_years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return dt.date(day.year - years, 2, 28)


def birth_bounds(day: dt.date, min_age: int, max_age: int) -> tuple[dt.date, dt.date]:
    """``(earliest, latest)``: on ``day`` a person is within ``min_age..max_age`` exactly when born on
    or after ``earliest`` and on or before ``latest``."""
    latest = _same_day_years_before(day, min_age)
    earliest = _same_day_years_before(day, max_age + 1) + ONE_DAY
    return earliest, latest
