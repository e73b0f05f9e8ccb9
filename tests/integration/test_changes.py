"""The change watch behind the approval queue, on both engines: it says so once at the start, again after
a submission and after a decision made elsewhere, and it returns soon after it is told to stop."""

from __future__ import annotations

import threading

from teller_assist.prequal.policy import Policy
from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services.changes import watch_applications
from teller_assist.services.context import Context
from teller_assist.store.engine import Store
from tests.helpers.context import context_of
from tests.helpers.extracts import rid
from tests.helpers.surveys import walk_in_answers
from tests.helpers.workflow import Team


def test_the_watch_sees_a_submission_and_a_decision_then_stops(
    store: Store, team: Team, policy: Policy, ctx: Context
) -> None:
    calls: list[int] = []
    changed = threading.Condition()
    stop = threading.Event()

    def note() -> None:
        with changed:
            calls.append(1)
            changed.notify_all()

    def seen_more_than(n: int) -> bool:
        with changed:
            return changed.wait_for(lambda: len(calls) > n, timeout=10)

    watcher = threading.Thread(target=watch_applications, args=(ctx, note, stop), daemon=True)
    watcher.start()
    try:
        assert seen_more_than(0)  # the start: whoever shows the queue reads it now
        settled = len(calls)
        survey = Survey("walk_in", walk_in_answers(household_income=20_000))
        record = apps.submit(ctx, rid(seq=501), survey, team.teller)
        assert seen_more_than(settled)
        settled = len(calls)
        apps.approve(ctx, record.id, team.manager)
        assert seen_more_than(settled)
    finally:
        stop.set()
        watcher.join(timeout=5)
    assert not watcher.is_alive()


def test_nothing_changed_nothing_said(sqlite_store: Store) -> None:
    """On SQLite the watch reads the audit head each tick and speaks only when it moved."""
    calls: list[int] = []
    stop = threading.Event()
    watcher = threading.Thread(
        target=watch_applications,
        args=(context_of(sqlite_store), lambda: calls.append(1), stop),
        kwargs={"poll_seconds": 0.05},
        daemon=True,
    )
    watcher.start()
    stop.wait(0.5)  # about ten reads of an unchanged head
    stop.set()
    watcher.join(timeout=5)
    assert not watcher.is_alive() and calls == [1]
