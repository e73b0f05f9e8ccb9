"""A login's first page and count of today's tasks, read from the sweep's kept tasks in the list's order
with the people changed since found from what the day's work wrote, are the whole computation's: the
same tasks in the same order, the same masked lines, the same counts, after every kind of change since
the sweep (outcomes, appointments, applications submitted, approved and signed, targets given to another
officer, a new list, drafts saved and discarded), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable

import pytest
from sqlalchemy import text

from teller_assist.identity.masking import Masking
from teller_assist.prequal.policy import Policy
from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services import targets, task_desk
from teller_assist.services.context import Context
from teller_assist.store import drafts
from teller_assist.store import targets as store_targets
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store
from teller_assist.targets.tasks import TASK_KINDS, one_visit, summary
from tests.helpers.extracts import rid
from tests.helpers.surveys import walk_in_answers
from tests.helpers.workflow import Team, agreement_printed
from tests.integration.test_targets import NOW, TODAY
from tests.integration.test_targets_kept import listed

MASK = Masking()
BEFORE = NOW - dt.timedelta(days=1)  # the day before the sweep's day: what the sweep found
YESTERDAY = TODAY - dt.timedelta(days=1)
# thirty people of branch 0101, born in different years (some IDs share a birth day: ties by ID)
PEOPLE = [rid("330101", dt.date(1970 + n % 25, 1 + n % 12, 1 + n % 27), 100 + n) for n in range(30)]


On = Callable[[dt.date], Context]  # the context on a day (tests/integration/conftest.py)


def _seed(store: Store) -> None:
    with store.write_session() as s:
        s.execute(
            text(
                "INSERT INTO import_batch (id, kind, file_name, sha256, status, extract_date, rows_total, "
                "rows_loaded, rows_rejected, warnings, started_at) VALUES (1, 'customers', 'c.csv', :h, "
                "'loaded', :d, 30, 30, 0, '[]', :t)"
            ),
            {"h": "c" * 64, "d": YESTERDAY, "t": BEFORE},
        )
        for n, id_no in enumerate(PEOPLE):
            s.execute(
                text(
                    "INSERT INTO customer (id_no, name, birth_date, branch_code, region_code, batch_id) "
                    "VALUES (:i, :n, :b, :br, '330101', 1)"
                ),
                {
                    "i": id_no,
                    "n": f"客户{n}",
                    "b": dt.date(int(id_no[6:10]), int(id_no[10:12]), int(id_no[12:14])),
                    # a few whose home the customer record now gives to another branch
                    "br": "0102" if n % 11 == 3 else "0101",
                },
            )


def _issue(store: Store, code: str, people: list[str], due: dt.date, at: dt.datetime) -> None:
    row = store_targets.ListRow(
        code, "admin1", at, at.date(), due, "50", len(people), {"regions": []}, (("0101", len(people), 1),)
    )
    store_targets.issue_list(store, row, [(p, "0101") for p in people], AuditEntry("test", "admin1", "ws"))


def _assign(ctx: Context, team: Team, code: str, officer: str, people: list[str], at: dt.datetime) -> None:
    targets.assign(ctx.at(at), team.head.operator, code, officer, id_nos=people)


def _apply(ctx: Context, team: Team, id_no: str, *, at: dt.datetime) -> int:
    return apps.submit(ctx.at(at), id_no, Survey("walk_in", walk_in_answers()), team.manager, name="测试").id


def _same(store: Store, policy: Policy, team: Team, on: On, *, slow: tuple[str, ...] = ()) -> None:
    """Every scope's first pages, count and masked lines are the whole computation's; the first page
    came from the kept rows and the log of what changed (not the whole list cut) but for ``slow``."""
    day = TODAY
    for scope in ({"officer": "teller1"}, {"officer": "manager1"}, {"branch": "0101"}):
        listed(on(day), **scope)  # the kept list, its count and pages against every fact
        fast = store_targets.kept_page(store, day, targets._band(policy), first=3, **scope) is not None
        assert fast is (next(iter(scope.values())) not in slow), scope
    head = team.head.operator
    for officer in ("teller1", "manager1"):
        whole = targets.listed_today(on(day), head, officer=officer)
        for first in (1, 4, len(whole.shown.tasks) + 2):
            page = targets.listed_today(on(day), head, officer=officer, first=first)
            assert page.shown.tasks == whole.shown.tasks[:first]
            assert page.people == whole.people[:first]
            assert page.shown.counts == whole.shown.counts and page.shown.notes == whole.shown.notes
            assert (page.shown.day, page.shown.scope) == (whole.shown.day, whole.shown.scope)
        desk = task_desk.Scope(officer=officer)
        whole_desk = task_desk.listing(on(day), head, desk)
        for first in (2, len(whole_desk.tasks)):
            page_desk = task_desk.listing(on(day), head, desk, first=first)
            assert page_desk.tasks == whole_desk.tasks[:first] and page_desk.counts == whole_desk.counts
            assert page_desk.total == len(whole_desk.tasks) and page_desk.complete is (
                first >= page_desk.total
            )
    mine = task_desk.count_today(on(day), team.teller.operator)
    assert mine == len(targets.today_tasks(on(day), officer="teller1").tasks)


@pytest.fixture
def swept(store: Store, team: Team, policy: Policy, ctx: Context) -> None:
    """Two lists over the same people (the second due sooner, for half of them), given out the day
    before to two officers, some people with an application under way, one signed, one with a draft;
    then the night's sweep of the day."""
    _seed(store)
    _issue(store, "L1", PEOPLE, dt.date(2026, 12, 31), BEFORE - dt.timedelta(days=1))
    _issue(store, "L2", PEOPLE[:16], dt.date(2026, 12, 15), BEFORE - dt.timedelta(days=1))
    _assign(ctx, team, "L1", "teller1", PEOPLE[:20], BEFORE)
    _assign(ctx, team, "L2", "teller1", PEOPLE[:10], BEFORE)
    _assign(ctx, team, "L2", "manager1", PEOPLE[10:16], BEFORE)
    _assign(ctx, team, "L1", "manager1", PEOPLE[20:26], BEFORE)  # 26..29 left with the branch
    for id_no in PEOPLE[4:7] + PEOPLE[21:23]:  # approved: a letter to deliver
        app = _apply(ctx, team, id_no, at=BEFORE)
        apps.approve(ctx.at(BEFORE), app, team.head)
    _apply(ctx, team, PEOPLE[7], at=BEFORE)  # submitted: with its approver
    signed = _apply(ctx, team, PEOPLE[8], at=BEFORE)
    apps.approve(ctx.at(BEFORE), signed, team.head)
    agreement_printed(store, signed)
    apps.sign(ctx.at(BEFORE), signed, team.manager)
    for id_no in (PEOPLE[9], PEOPLE[24]):
        drafts.save_draft(
            store, id_no=id_no, scenario="walk_in", answers="{}", operator="teller1", now=BEFORE
        )
    targets.sweep(ctx.on(TODAY), by="os:night")


def test_the_first_page_and_the_count_are_the_whole_lists_after_every_change_since_the_sweep(
    store: Store, team: Team, policy: Policy, swept: None, on: On, ctx: Context
) -> None:
    teller, manager = team.teller.operator, team.manager.operator
    _same(store, policy, team, on)
    # outcomes: not reached, declined, an appointment for today and one for later, a letter delivered
    targets.record_outcome(ctx.on(TODAY), teller, PEOPLE[0], "not_reached")
    targets.record_outcome(ctx.on(TODAY), teller, PEOPLE[1], "declined", reason="暂无资金需求")
    targets.record_outcome(ctx.on(TODAY), teller, PEOPLE[2], "appointment", appointment_on=TODAY)
    targets.record_outcome(
        ctx.on(TODAY), teller, PEOPLE[3], "appointment", appointment_on=TODAY + dt.timedelta(days=3)
    )
    targets.record_outcome(ctx.on(TODAY), teller, PEOPLE[4], "done")
    targets.record_outcome(ctx.on(TODAY), manager, PEOPLE[21], "done")
    _same(store, policy, team, on)
    # applications: one submitted, one approved, one signed since the sweep
    _apply(ctx, team, PEOPLE[11], at=NOW)
    approved = _apply(ctx, team, PEOPLE[12], at=NOW)
    apps.approve(ctx.at(NOW), approved, team.head)
    agreement_printed(store, approved)
    apps.sign(ctx.at(NOW), approved, team.manager)
    _same(store, policy, team, on)
    # targets given to another officer since, both ways, and one taken back to the branch
    _assign(ctx, team, "L1", "manager1", PEOPLE[14:17], NOW)
    _assign(ctx, team, "L2", "teller1", PEOPLE[12:14], NOW)
    targets.assign(ctx.at(NOW), team.head.operator, "L1", None, id_nos=[PEOPLE[17]])
    _same(store, policy, team, on)
    # a draft saved since (submit), and one discarded (a survey again)
    drafts.save_draft(
        store, id_no=PEOPLE[18], scenario="walk_in", answers=json.dumps({}), operator="teller1", now=NOW
    )
    drafts.delete_draft(store, PEOPLE[9])
    _same(store, policy, team, on)
    # a new list since: the branch's targets grow at once; given to an officer, theirs
    _issue(store, "L3", PEOPLE[25:30], dt.date(2026, 12, 10), NOW)
    _same(store, policy, team, on)
    _assign(ctx, team, "L3", "teller1", PEOPLE[27:30], NOW)
    _same(store, policy, team, on)


def test_a_target_that_came_some_other_way_sends_the_login_to_the_row_by_row_comparison(
    store: Store, team: Team, policy: Policy, swept: None, on: On
) -> None:
    """A target written since the sweep without an assignment or a list (no log of it): the counts of
    targets and kept rows differ, so the first page is the whole list's, cut (still the same)."""
    with store.write_session() as s:
        s.execute(
            text(
                "INSERT INTO target (campaign, id_no, branch_code, officer, batch_id) "
                "VALUES ('L1', :i, '0101', 'teller1', 1)"
            ),
            {"i": rid("330101", dt.date(1990, 2, 2), 999)},
        )
    _same(store, policy, team, on, slow=("teller1", "0101"))


def test_a_day_with_more_people_changed_than_worth_it_reads_the_whole_list(
    store: Store,
    team: Team,
    policy: Policy,
    swept: None,
    on: On,
    monkeypatch: pytest.MonkeyPatch,
    ctx: Context,
) -> None:
    monkeypatch.setattr(store_targets, "STALE_AT_MOST", 2)
    _assign(ctx, team, "L1", "manager1", PEOPLE[:3], NOW)
    _same(store, policy, team, on, slow=("teller1", "manager1", "0101"))


def test_the_kept_rows_are_read_in_the_lists_own_order_whatever_their_values(
    store: Store, team: Team, policy: Policy, swept: None, on: On
) -> None:
    """The SQL order of the first page is the list's: kept rows given every mix of due dates (none
    among them), values (none, equal, large), kinds and lists, read a page at a time, are the first
    visits of the kept tasks as the list orders them in Python, and the counts by kind theirs."""
    band = targets._band(policy)
    picks = random.Random(18)
    days = [None, TODAY, TODAY + dt.timedelta(days=1), dt.date(2026, 12, 31)]
    values = [None, 0, 1, 500_000, 16_000_000, 2**40]
    for _round in range(6):
        with store.write_session() as s:
            for campaign, id_no in s.execute(text("SELECT campaign, id_no FROM target_task")).all():
                s.execute(
                    text(
                        "UPDATE target_task SET kind = :k, due_on = :d, value_fen = :v "
                        "WHERE campaign = :c AND id_no = :i"
                    ),
                    {
                        "k": picks.choice([*TASK_KINDS, None]),
                        "d": picks.choice(days),
                        "v": picks.choice(values),
                        "c": campaign,
                        "i": id_no,
                    },
                )
        for scope in ({"officer": "teller1"}, {"officer": "manager1"}, {"branch": "0101"}):
            kept = store_targets.kept_tasks(store, TODAY, band, **scope)
            assert kept is not None  # the people with a "submit" and no draft: computed again, apart
            whole = one_visit(kept.tasks)
            for first in (1, 2, 7, len(whole)):
                page = store_targets.kept_page(store, TODAY, band, first=first, **scope)
                assert page is not None and page.tasks == whole[:first], (scope, first)
                assert page.counts == summary(whole) and page.moved == kept.moved
                assert page.stale == kept.stale


def test_0018_adds_the_index_of_assignments_by_moment_and_takes_it_back(store: Store) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from teller_assist.store.migrate import _config

    def indexes() -> set[str]:
        with store.engine.connect() as conn:
            return {str(i["name"]) for i in inspect(conn).get_indexes("target_assignment")}

    assert "ix_target_assignment_assigned_at" in indexes()
    with store.engine.begin() as conn:
        command.downgrade(_config(conn), "0017")
    assert "ix_target_assignment_assigned_at" not in indexes()
    with store.engine.begin() as conn:
        command.upgrade(_config(conn), "head")
    assert "ix_target_assignment_assigned_at" in indexes()


def test_targets_given_away_and_back_since_the_sweep_are_read_from_their_kept_rows(
    store: Store, team: Team, policy: Policy, swept: None, on: On, ctx: Context
) -> None:
    """Given to another officer and back since the sweep: the kept rows name the officer they have
    now, so the people are not computed again (and the list is the same)."""
    _assign(ctx, team, "L1", "manager1", PEOPLE[:2], NOW)
    _assign(ctx, team, "L1", "teller1", PEOPLE[:2], NOW)
    _assign(ctx, team, "L1", "manager1", PEOPLE[2:3], NOW)  # and one given away for good
    page = store_targets.kept_page(store, TODAY, targets._band(policy), first=5, officer="teller1")
    assert page is not None and page.stale == {PEOPLE[2]}
    _same(store, policy, team, on)


def test_a_day_with_more_targets_given_out_than_worth_it_compares_row_by_row(
    store: Store,
    team: Team,
    policy: Policy,
    swept: None,
    on: On,
    monkeypatch: pytest.MonkeyPatch,
    ctx: Context,
) -> None:
    monkeypatch.setattr(store_targets, "GIVEN_AT_MOST", 1)
    _assign(ctx, team, "L1", "manager1", PEOPLE[:2], NOW)
    _same(store, policy, team, on, slow=("teller1", "manager1", "0101"))
