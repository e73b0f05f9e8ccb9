"""The 今日任务 desk's service on SQLite and PostgreSQL: the listing's lines with the person behind each
(in the listing's order, never in a repr), the scopes a branch head switches between, the status bar's
count, an outcome refused while locked or when the line no longer shows the person's task, and the
counter's flag on a walk-in who is a target (struck the day they sign)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from teller_assist.identity.masking import Masking
from teller_assist.prequal.policy import Policy
from teller_assist.services import applications as apps
from teller_assist.services import targets, task_desk
from teller_assist.services.context import Context
from teller_assist.store import targets as store_targets
from teller_assist.store.engine import Store
from teller_assist.store.operators import OperatorRecord, get_operator
from tests.helpers.operators import admin_of
from tests.helpers.tasks import (
    EARLY,
    LATE,
    LETTER,
    LIST,
    ORDER,
    OTHERS,
    OVERDUE,
    STRANGER,
    TODAY,
    Seeded,
    seed_tasks,
)
from tests.helpers.workflow import agreement_printed

MASK = Masking()


On = Callable[[dt.date], Context]  # the context on a day (tests/integration/conftest.py)


def who(store: Store, login: str) -> OperatorRecord:
    found = get_operator(store, login)
    assert found is not None
    return found


def audit_rows(store: Store, action: str) -> list[tuple[str, str | None, str | None]]:
    with store.connection() as conn:
        return [
            (str(r[0]), r[1], r[2])
            for r in conn.execute(
                text("SELECT operator, subject, purpose FROM audit_event WHERE action = :a ORDER BY seq"),
                {"a": action},
            )
        ]


@pytest.fixture
def seeded(ctx: Context, tmp_path: Path) -> Seeded:
    return seed_tasks(ctx, tmp_path / "in")


def test_the_list_carries_each_lines_person_in_the_services_order(
    store: Store, policy: Policy, seeded: Seeded, on: On, ctx: Context
) -> None:
    teller = who(store, "teller1")
    own = task_desk.Scope(officer="teller1")
    desk = task_desk.listing(on(TODAY), teller, own)
    shown = targets.tasks_today(ctx.on(TODAY), teller, officer="teller1")
    assert [t.line for t in desk.tasks] == list(shown.tasks)  # the service's lines, as it orders them
    assert [t.id_no for t in desk.tasks] == ORDER
    assert [t.line.kind for t in desk.tasks] == ["survey", "deliver_letter", "survey", "survey"]
    assert desk.tasks[0].line.overdue and desk.tasks[1].line.value_fen == seeded.line_fen
    assert all(t.id_no not in repr(t) for t in desk.tasks)  # the whole ID never in a log
    assert desk.counts["survey"] == 3 and desk.counts["deliver_letter"] == 1
    assert task_desk.count_today(on(TODAY), teller) == 4
    assert ("teller1", "officer:teller1", "targets") in audit_rows(store, "tasks_view")
    # the count is a figure with nobody behind it: not audited
    views = len(audit_rows(store, "tasks_view"))
    task_desk.count_today(on(TODAY), teller)
    assert len(audit_rows(store, "tasks_view")) == views


def test_a_branch_head_switches_between_their_own_the_branch_and_each_officer(
    store: Store, policy: Policy, seeded: Seeded, on: On
) -> None:
    head, teller = who(store, "head1"), who(store, "teller1")
    assert task_desk.scopes(on(TODAY), teller) == (task_desk.Scope(officer="teller1"),)
    scopes = task_desk.scopes(on(TODAY), head)
    assert [s.key for s in scopes] == [
        "officer:head1",
        "branch:0101",
        "officer:manager1",
        "officer:teller1",
        "officer:teller2",
    ]
    branch = task_desk.listing(on(TODAY), head, scopes[1])
    assert sorted(t.id_no for t in branch.tasks) == sorted([*ORDER, OTHERS])
    theirs = task_desk.listing(on(TODAY), head, task_desk.Scope(officer="teller2"))
    assert [t.id_no for t in theirs.tasks] == [OTHERS]
    # an officer may not look at a colleague's list: the listing's own refusal
    with pytest.raises(targets.TargetsRefused, match="本人"):
        task_desk.listing(on(TODAY), teller, task_desk.Scope(officer="teller2"))
    admin = admin_of(store)
    assert task_desk.count_today(on(TODAY), admin) is None  # head office holds no tasks
    assert task_desk.count_today(on(TODAY), head) == 0
    assert task_desk.count_today(on(TODAY), None) is None


def test_an_outcome_goes_through_the_service_and_nothing_while_locked_or_on_a_changed_line(
    store: Store, policy: Policy, seeded: Seeded, on: On
) -> None:
    teller = who(store, "teller1")
    desk = task_desk.listing(on(TODAY), teller, task_desk.Scope(officer="teller1"))
    early = next(t for t in desk.tasks if t.id_no == EARLY)
    with pytest.raises(task_desk.DeskRefused, match="锁定"):
        task_desk.record(on(TODAY), teller, early, "done", locked=True)
    stale = dataclasses.replace(early, line=dataclasses.replace(early.line, kind="get_signed"))
    with pytest.raises(task_desk.DeskRefused, match="已变为“调查”") as changed:
        task_desk.record(on(TODAY), teller, stale, "done")
    assert changed.value.hint_zh
    assert audit_rows(store, "task_outcome") == []
    done = task_desk.record(on(TODAY), teller, early, "done")
    assert (done.kind, done.outcome, done.id_masked) == ("survey", "done", MASK.resident_id(EARLY))
    assert audit_rows(store, "task_outcome") == [("teller1", EARLY, "targets")]
    assert task_desk.count_today(on(TODAY), teller) == 3
    # someone else's line (a branch head looking at the officer's list): the service refuses, audited
    late = next(t for t in desk.tasks if t.id_no == LATE)
    with pytest.raises(targets.TargetsRefused, match="不是您的目标客户"):
        task_desk.record(on(TODAY), who(store, "head1"), late, "done")
    assert audit_rows(store, "task_outcome_refused") == [("head1", LATE, "targets")]


def test_the_list_and_its_people_come_from_one_reading(
    store: Store, policy: Policy, seeded: Seeded, on: On, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lines and the people behind them are read once, together: no second reading that another
    desktop's outcome could make disagree with the lines shown."""
    teller = who(store, "teller1")
    real = store_targets.facts
    calls: list[int] = []

    def reading(*args: object, **kwargs: object) -> list[store_targets.TargetFacts]:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(targets.store_targets, "facts", reading)
    desk = task_desk.listing(on(TODAY), teller, task_desk.Scope(officer="teller1"))
    assert [t.id_no for t in desk.tasks] == ORDER and len(calls) == 1
    assert all(t.line.id_masked == MASK.resident_id(t.id_no) for t in desk.tasks)


def test_the_counters_flag_says_the_task_and_the_strike_of_the_day_they_sign(
    store: Store, policy: Policy, seeded: Seeded, on: On, ctx: Context
) -> None:
    teller = who(store, "teller1")
    flags = task_desk.walk_in_flag(on(TODAY), teller, EARLY)
    assert flags == (task_desk.Flag(LIST, "teller1", flags[0].due_on, "survey"),)
    assert flags[0].kind_zh == "调查"
    assert task_desk.walk_in_flag(on(TODAY), teller, STRANGER) == ()
    other = task_desk.walk_in_flag(on(TODAY), teller, OTHERS)
    assert [(f.officer, f.kind) for f in other] == [("teller2", "survey")]
    assert [f.kind for f in task_desk.walk_in_flag(on(TODAY), teller, LETTER)] == [
        "deliver_letter"
    ]
    with pytest.raises(task_desk.DeskRefused):
        task_desk.walk_in_flag(on(TODAY), None, EARLY)
    with pytest.raises(task_desk.DeskRefused, match="锁定"):
        task_desk.walk_in_flag(on(TODAY), teller, EARLY, locked=True)
    # signed at the counter: the data strikes the target that day (no task), and the flag says so
    agreement_printed(store, seeded.letter_app)
    apps.sign(ctx.on(TODAY), seeded.letter_app, apps.Actor(teller, "ws-test"))
    signed = task_desk.walk_in_flag(on(TODAY), teller, LETTER)
    assert [(f.kind, f.signed_today) for f in signed] == [(None, True)]
    assert task_desk.count_today(on(TODAY), teller) == 3
    # the strike row is written with the signature, for the lists' progress; the day after, no flag
    assert [r.struck for r in store_targets.targets_of(store, id_nos=[LETTER])] == ["signed"]
    assert task_desk.walk_in_flag(on(TODAY.replace(day=29)), teller, LETTER) == ()
    # declined for good: struck, no flag
    desk = task_desk.listing(on(TODAY), teller, task_desk.Scope(officer="teller1"))
    overdue = next(t for t in desk.tasks if t.id_no == OVERDUE)
    task_desk.record(
        on(TODAY),
        teller,
        overdue,
        "declined",
        reason="暂无资金需求",
        for_good=True,
    )
    assert task_desk.walk_in_flag(on(TODAY), teller, OVERDUE) == ()
