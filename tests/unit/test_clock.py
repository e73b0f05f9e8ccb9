"""The bank's clock: a running clock on another day keeps its hours; a stopped one says its moment."""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest

from teller_assist.services.clock import Clock, local_day
from teller_assist.services.context import Context
from teller_assist.settings import Settings
from teller_assist.store.engine import Store

CST = dt.timezone(dt.timedelta(hours=8))


def test_a_clock_on_a_day_runs_on_that_day() -> None:
    day = dt.date(2026, 11, 28)
    clock = Clock.on(day)
    first = clock.now()
    assert clock.today() == day == local_day(first)
    assert clock.now() >= first


def test_a_stopped_clock_says_its_moment_in_utc_and_its_local_day() -> None:
    moment = dt.datetime(2026, 3, 1, 9, 30, tzinfo=CST)
    clock = Clock.at(moment)
    assert clock.now() == moment
    assert clock.now().tzinfo == dt.UTC
    assert clock.now() == clock.now()
    assert clock.today() == local_day(moment)


def test_a_stopped_clock_refuses_a_moment_without_its_zone() -> None:
    with pytest.raises(ValueError, match="zone"):
        Clock.at(dt.datetime(2026, 3, 1, 9, 30))


def test_a_dated_clock_reads_by_its_day_and_stamps_the_real_moment() -> None:
    day = dt.date(2026, 11, 28)
    clock = Clock().dated_on(day)
    before = dt.datetime.now(dt.UTC)
    moment = clock.now()
    assert before <= moment <= dt.datetime.now(dt.UTC)
    assert clock.today() == day == clock.day_of(moment)
    assert Clock().day_of(moment) == local_day(moment)


def test_a_dated_context_stopped_at_its_one_reading_keeps_its_day() -> None:
    """A service reads the clock once and hands on ``ctx.at(moment)`` (the letters, a signed list, the
    digest): under a command's ``--as-of`` that must still be the day asked, not the moment's own."""
    day = dt.date(2026, 11, 28)
    ctx = Context(cast(Store, None), cast(Settings, None)).dated(day)
    moment = ctx.now()
    held = ctx.at(moment)
    assert held.now() == moment and held.today() == day == held.day_of(moment)
    assert Clock().dated_on(day).stopped(moment).today() == day
