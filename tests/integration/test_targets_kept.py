"""The sweep keeps every target's task of its day, and a login reads them (migration 0016): what a login
lists from the kept tasks is what the facts give, at once after a day's work changed them (a signature,
an outcome, an appointment, a draft, an assignment, a new list), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import text

from teller_assist.identity.masking import Masking
from teller_assist.prequal.policy import Policy
from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services import targets
from teller_assist.services.context import Context
from teller_assist.store import drafts
from teller_assist.store import targets as store_targets
from teller_assist.store.engine import Store
from teller_assist.targets.tasks import daily_tasks, summary
from tests.helpers.surveys import walk_in_answers
from tests.helpers.workflow import Team, agreement_printed
from tests.integration.test_targets import A1, A2, LOST, NOW, SPEC, TODAY, seed

MASK = Masking()
SWEPT = NOW + dt.timedelta(minutes=30)  # the night's sweep of TODAY, after its import (the seed's, at NOW)


@pytest.fixture
def issued_list(store: Store, team: Team, policy: Policy, ctx: Context) -> str:
    """Head office's list of the small county (as ``test_targets`` issues it): A1, A2 and LOST to branch
    0101, B1 to 0102."""
    seed(store)
    for region, branch in (("330101", "0101"), ("330102", "0102"), ("339999", "0101")):
        targets.set_region(ctx, team.admin.operator, region, branch)
    targets.issue(ctx.on(TODAY), team.admin.operator, SPEC)
    return SPEC.code


def listed(ctx: Context, **scope: str) -> targets.Today:
    """The login's list of the context's day, checked against every target's facts read afresh (the way
    without the sweep)."""
    store, policy, day = ctx.store, ctx.in_force(), ctx.today()
    today = targets.today_tasks(ctx, **scope)
    facts = store_targets.facts(store, **scope)  # type: ignore[arg-type]
    assert today.tasks == daily_tasks(facts, day, targets._band(policy))
    if "officer" in scope:  # the status bar's count, counted from the kept rows by the same rule
        assert targets.count_today(ctx, officer=scope["officer"]) == len(today.tasks)
    assert today.moved == sum(1 for f in facts if f.moved_home)
    assert {t.id_no: today.names.get(t.id_no) for t in today.tasks} == {
        f.id_no: f.name for f in facts if any(t.id_no == f.id_no for t in today.tasks)
    }
    paged(ctx, today, **scope)
    return today


def paged(ctx: Context, today: targets.Today, **scope: str) -> None:
    """The login's first page, whatever its length, is the whole list's first lines (the same tasks in
    the same order, with their people's names), with the whole list's counts and moved homes."""
    whole = len(today.tasks)
    for first in sorted({0, 1, 2, 3, 5, whole - 1, whole, whole + 1} - {-1}):
        page = targets.today_page(ctx, first=first, **scope)
        assert page.tasks == today.tasks[:first], first
        assert page.counts == summary(today.tasks) and page.total == whole
        assert page.moved == today.moved
        assert page.names == {t.id_no: today.names[t.id_no] for t in page.tasks if t.id_no in today.names}


def kinds(today: targets.Today) -> list[tuple[str, str, bool]]:
    return [(t.id_no, t.kind, t.appointment) for t in today.tasks]


def test_a_login_reads_the_sweeps_tasks_and_a_signature_since_removes_the_task_at_once(
    store: Store, team: Team, policy: Policy, issued_list: str, ctx: Context
) -> None:
    targets.assign(ctx.on(TODAY), team.head.operator, issued_list, "teller1", id_nos=[A1, A2])
    assert not listed(ctx.on(TODAY), officer="teller1").kept  # no sweep of the day yet
    swept = targets.sweep(ctx.at(SWEPT), by="os:night")
    with store.connection() as conn:
        kept_rows = conn.execute(text("SELECT count(*) FROM target_task")).scalar_one()
        day = conn.execute(text("SELECT day FROM task_sweep")).scalar_one()
    assert kept_rows == swept.targets == 4 and str(day) == TODAY.isoformat()
    mine = listed(ctx.on(TODAY), officer="teller1")
    assert mine.kept and kinds(mine) == [(A1, "survey", False), (A2, "survey", False)]
    # the login reads the kept rows: one changed by hand shows (and nothing else is read for the person)
    with store.write_session() as s:
        s.execute(text("UPDATE target_task SET due_on = :d WHERE id_no = :i"), {"d": TODAY, "i": A2})
    assert [
        (t.id_no, t.due_on) for t in targets.today_tasks(ctx.on(TODAY), officer="teller1").tasks
    ] == [
        (A2, TODAY),
        (A1, SPEC.due_on),
    ]
    targets.sweep(ctx.at(SWEPT), by="os:night")  # kept again as the facts give it
    submitted = apps.submit(ctx.at(NOW), A1, Survey("walk_in", walk_in_answers()), team.manager, name="测试")
    assert kinds(listed(ctx.on(TODAY), officer="teller1")) == [(A2, "survey", False)]
    apps.approve(ctx.at(NOW), submitted.id, team.head)
    assert kinds(listed(ctx.on(TODAY), officer="teller1"))[0] == (A1, "deliver_letter", False)
    agreement_printed(store, submitted.id)
    apps.sign(ctx.at(NOW), submitted.id, team.manager)
    after = listed(ctx.on(TODAY), officer="teller1")
    assert after.kept and kinds(after) == [(A2, "survey", False)]  # struck at once, no night needed
    assert (
        len(targets.tasks_today(ctx.on(TODAY), team.teller.operator, officer="teller1").tasks)
        == 1
    )


def test_an_appointment_for_today_brings_the_task_back_at_once_and_one_for_later_on_its_day(
    store: Store, team: Team, policy: Policy, issued_list: str, ctx: Context
) -> None:
    teller = team.teller.operator
    targets.assign(ctx.on(TODAY), team.head.operator, issued_list, "teller1", id_nos=[A1, A2])
    targets.sweep(ctx.at(SWEPT), by="os:night")
    targets.record_outcome(ctx.on(TODAY), teller, A1, "not_reached")
    assert kinds(listed(ctx.on(TODAY), officer="teller1")) == [(A2, "survey", False)]
    targets.record_outcome(
        ctx.on(TODAY), teller, A2, "appointment", appointment_on=TODAY + dt.timedelta(days=2)
    )
    assert kinds(listed(ctx.on(TODAY), officer="teller1")) == []
    # the night before the appointment's day: back on the list, as an appointment
    later = TODAY + dt.timedelta(days=2)
    targets.sweep(ctx.on(later), by="os:night")
    back = listed(ctx.on(later), officer="teller1")
    assert back.kept and kinds(back) == [(A2, "survey", True), (A1, "survey", False)]
    # the person not reached yesterday calls: come today; back on today's list at once
    targets.record_outcome(ctx.on(later), teller, A1, "appointment", appointment_on=later)
    now = listed(ctx.on(later), officer="teller1")
    assert now.kept and {(i, k, a) for i, k, a in kinds(now)} == {(A1, "survey", True), (A2, "survey", True)}


def test_assignments_drafts_and_lists_since_the_sweep_show_at_once_and_an_import_sets_the_kept_aside(
    store: Store, team: Team, policy: Policy, issued_list: str, ctx: Context
) -> None:
    head = team.head.operator
    targets.assign(ctx.on(TODAY), head, issued_list, "teller1", id_nos=[A1])
    targets.assign(ctx.on(TODAY), head, issued_list, "manager1", id_nos=[A2, LOST])
    targets.sweep(ctx.at(SWEPT), by="os:night")
    assert [t.id_no for t in listed(ctx.on(TODAY), officer="teller1").tasks] == [A1]
    # a target given to another officer since: on the new officer's list at once, off the old one's
    targets.assign(ctx.on(TODAY), head, issued_list, "teller1", id_nos=[A2])
    assert {t.id_no for t in listed(ctx.on(TODAY), officer="teller1").tasks} == {A1, A2}
    assert [t.id_no for t in listed(ctx.on(TODAY), officer="manager1").tasks] == [LOST]
    branch = listed(ctx.on(TODAY), branch="0101")
    assert branch.kept and {(t.id_no, t.officer) for t in branch.tasks} == {
        (A1, "teller1"),
        (A2, "teller1"),
        (LOST, "manager1"),
    }
    # a survey saved as a draft since: submit; the draft discarded: a survey again
    drafts.save_draft(
        store,
        id_no=A1,
        scenario="walk_in",
        answers=json.dumps({}),
        operator="teller1",
        now=dt.datetime.now(dt.UTC),
    )
    assert (A1, "submit", False) in kinds(listed(ctx.on(TODAY), officer="teller1"))
    targets.sweep(ctx.at(SWEPT), by="os:night")
    assert (A1, "submit", False) in kinds(listed(ctx.on(TODAY), officer="teller1"))
    drafts.delete_draft(store, A1)
    assert (A1, "survey", False) in kinds(listed(ctx.on(TODAY), officer="teller1"))
    # a list the person joins since the sweep: its target counted on the branch's list at once
    with store.write_session() as s:
        s.execute(
            text(
                "INSERT INTO target (campaign, id_no, branch_code, batch_id) VALUES ('later', :i, '0101', 1)"
            ),
            {"i": A1},
        )
    assert {(t.id_no, t.campaign) for t in listed(ctx.on(TODAY), branch="0101").tasks} >= {
        (A1, "later"),
        (A1, issued_list),
    }
    # an extract imported after the sweep may change anything: the facts are read whole until the next
    with store.write_session() as s:
        s.execute(
            text(
                "INSERT INTO import_batch (id, kind, file_name, sha256, status, extract_date, rows_total, "
                "rows_loaded, rows_rejected, warnings, started_at) VALUES (2, 'customers', 'd.csv', :h, "
                "'loaded', :d, 0, 0, 0, '[]', :t)"
            ),
            {"h": "d" * 64, "d": TODAY, "t": SWEPT + dt.timedelta(minutes=1)},
        )
    assert not listed(ctx.on(TODAY), officer="teller1").kept
    targets.sweep(ctx.at(SWEPT + dt.timedelta(minutes=2)), by="os:night")
    assert listed(ctx.on(TODAY), officer="teller1").kept
    # another day, or another age band, and the kept tasks are not used
    assert not listed(ctx.on(TODAY + dt.timedelta(days=1)), officer="teller1").kept


def test_the_sweep_writes_only_what_changed_and_the_kept_rows_are_its_rows_exactly(
    store: Store, team: Team, policy: Policy, issued_list: str
) -> None:
    """A second sweep deletes the rows of targets gone, updates the changed ones in place and adds the
    new ones: what is kept is the sweep's rows, neither more nor fewer, each as the sweep found it."""
    band = targets._band(policy)

    def row(i: str, officer: str | None, kind: str | None, due: dt.date | None) -> store_targets.KeptTask:
        return store_targets.KeptTask("L", i, "0101", officer, kind, due, None, None, False, "某", False)

    def kept() -> set[tuple[object, ...]]:
        with store.connection() as conn:
            return {
                tuple(r)
                for r in conn.execute(
                    text(
                        "SELECT campaign, id_no, branch_code, officer, kind, due_on, value_fen,"
                        " application_id, appointment, name, moved FROM target_task"
                    )
                )
            }

    first = [
        row(A1, "teller1", "survey", TODAY),
        row(A2, None, None, None),
        row(LOST, "teller1", "survey", None),
    ]
    store_targets.keep_tasks(store, first, day=TODAY, read_at=NOW, band=band)
    second = [
        row(A1, "teller2", "submit", TODAY + dt.timedelta(days=3)),
        row(LOST, "teller1", "survey", None),
    ]
    second.append(row("330101199001010011", "teller1", "survey", TODAY))
    assert store_targets.keep_tasks(store, second, day=TODAY, read_at=NOW, band=band) == 3
    found = kept()
    # the database's own types back (dates, booleans as the engine keeps them) compared as values
    as_text = {tuple(str(v) if isinstance(v, dt.date) else v for v in r) for r in found}
    assert {r[1] for r in found} == {A1, LOST, "330101199001010011"}
    assert as_text == {tuple(str(v) if isinstance(v, dt.date) else v for v in r) for r in second}
