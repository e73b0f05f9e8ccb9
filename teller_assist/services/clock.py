"""The bank's time, one clock for a face and the services it calls: :meth:`Clock.now` the moment in UTC
(stamped on what is written), :meth:`Clock.today` the local day of that same moment (what is read by).
Light on purpose: the window makes its clock before the data layers load."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass


def local_day(moment: dt.datetime) -> dt.date:
    """The bank's local day of a moment (this desktop's zone): the day it counts on."""
    return moment.astimezone().date()


@dataclass(frozen=True)
class Clock:
    """The system clock has no offset. :meth:`on` gives a clock whose day is another day while its hours
    and seconds keep running (a test's fixed day), so what is stamped stays on that day and what
    measures waiting still sees time pass; :meth:`at` a clock stopped at one moment."""

    offset: dt.timedelta = dt.timedelta(0)
    stopped_at: dt.datetime | None = None
    dated: dt.date | None = None  # the day read and recorded by, whatever the moment (see dated_on)

    def now(self) -> dt.datetime:
        if self.stopped_at is not None:
            return self.stopped_at
        return dt.datetime.now(dt.UTC) + self.offset

    def day_of(self, moment: dt.datetime) -> dt.date:
        """The day a service reads and records by at ``moment``, read from this clock: the local day of
        that moment, or the day this clock is dated."""
        return self.dated if self.dated is not None else local_day(moment)

    def today(self) -> dt.date:
        return self.day_of(self.now())

    @classmethod
    def on(cls, day: dt.date) -> Clock:
        """A running clock on ``day``: the local time of day as the system's, the date ``day``."""
        here = dt.datetime.now().astimezone()
        return cls(dt.datetime.combine(day, here.timetz()) - here)

    def dated_on(self, day: dt.date) -> Clock:
        """This clock, its moments unchanged, dated ``day``: what a service reads and records is of that
        day (a signature given yesterday and recorded today), while every moment it stamps, the audit
        rows' among them, is the moment it really happened. A command's ``--as-of``."""
        return dataclasses.replace(self, dated=day)

    def stopped(self, moment: dt.datetime) -> Clock:
        """This clock stopped at ``moment`` (aware), still dated as it was: a service that read the clock
        once hands on the same moment and the same day."""
        if moment.tzinfo is None:
            raise ValueError("a clock's moment must carry its zone")
        return dataclasses.replace(self, stopped_at=moment.astimezone(dt.UTC))

    @classmethod
    def at(cls, moment: dt.datetime) -> Clock:
        """A stopped clock that always says ``moment`` (aware): what a backfill writes is stamped at the
        past moment it replays (the demo's year of history), and a test can name the moment it means."""
        return cls().stopped(moment)


SYSTEM_CLOCK = Clock()
