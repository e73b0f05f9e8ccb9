"""The bank's time, one clock for a face and the services it calls: :meth:`Clock.now` the moment in UTC
(stamped on what is written), :meth:`Clock.today` the local day of that same moment (what is read by).
Light on purpose: the window makes its clock before the data layers load."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


def local_day(moment: dt.datetime) -> dt.date:
    """The bank's local day of a moment (this desktop's zone): the day it counts on."""
    return moment.astimezone().date()


@dataclass(frozen=True)
class Clock:
    """The system clock has no offset. :meth:`on` gives a clock whose day is another day while its hours
    and seconds keep running (a test's fixed day), so what is stamped stays on that day and what
    measures waiting still sees time pass."""

    offset: dt.timedelta = dt.timedelta(0)

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.offset

    def today(self) -> dt.date:
        return local_day(self.now())

    @classmethod
    def on(cls, day: dt.date) -> Clock:
        """A running clock on ``day``: the local time of day as the system's, the date ``day``."""
        here = dt.datetime.now().astimezone()
        return cls(dt.datetime.combine(day, here.timetz()) - here)


SYSTEM_CLOCK = Clock()
