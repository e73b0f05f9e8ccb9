"""The demo county's officers (both engines): its customer managers and branch heads hold its targets, sign
in once head office has given them a one-time password, and each has their tasks of the day; the year's
signatures have struck their targets on the days they signed, as a signature at the counter does."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from teller_assist.prequal.policy import Policy
from teller_assist.services import operators as ops
from teller_assist.services import targets, task_desk
from teller_assist.services.context import Context
from teller_assist.services.demo_history import BRANCH_HEAD_SHARE
from teller_assist.services.imports import Importer, demo_county
from teller_assist.services.operators import LoginFailed
from teller_assist.store import targets as store_targets
from teller_assist.store.engine import Store
from teller_assist.targets.tasks import daily_tasks
from tests.helpers.context import context_of
from tests.helpers.operators import PASSWORD, admin_of

TODAY = dt.date(2026, 11, 28)
ONE_TIME = "OneTime2027"
TELLER, HEAD = "jr010101", "zh0101"  # the README's demo teller and branch head (华阳街道, branch 0101)


def signed_in(store: Store, admin: ops.OperatorRecord, login: str) -> ops.OperatorRecord:
    """Head office gives the demo officer a one-time password; they sign in and choose their own."""
    ops.reset_password(context_of(store), admin, login, ONE_TIME)
    first = ops.authenticate(context_of(store), login, ONE_TIME)
    assert first.must_change_password
    return ops.change_password(context_of(store), login, ONE_TIME, PASSWORD)


def test_the_demo_teller_and_branch_head_sign_in_and_have_their_tasks_today(
    store: Store, policy: Policy, tmp_path: Path, on: Callable[[dt.date], Context], ctx: Context
) -> None:
    admin = admin_of(store)
    demo_county(context_of(store, TODAY), tmp_path, by=Importer.operator(admin), people=8_000)
    staff = {o.login: o for o in ops.list_operators(context_of(store))}
    assert staff[TELLER].role == "teller" and staff[HEAD].role == "branch_head"
    assert all(staff[x].active and staff[x].branch_code == "0101" for x in (TELLER, HEAD))
    # no password opens a demo account until head office gives one
    for tried in (PASSWORD, "", "!no-login"):
        with pytest.raises(LoginFailed):
            ops.authenticate(context_of(store), TELLER, tried)

    teller = signed_in(store, admin, TELLER)
    mine = targets.tasks_today(ctx.on(TODAY), teller, officer=TELLER)
    assert len(mine.tasks) > 0 and not mine.notes  # an active officer: nothing to hand over
    assert task_desk.count_today(on(TODAY), teller) == len(mine.tasks)  # the status bar's
    # the load swept the day as the night's job does: the count is read from its kept tasks, and is
    # what every target's facts give
    kept = targets.today_tasks(ctx.on(TODAY), officer=TELLER)
    assert kept.kept and kept.tasks == daily_tasks(store_targets.facts(store, officer=TELLER), TODAY,
                                                   targets._band(policy))  # fmt: skip
    head = signed_in(store, admin, HEAD)
    own = targets.tasks_today(ctx.on(TODAY), head, officer=HEAD)
    branch = targets.tasks_today(ctx.on(TODAY), head, branch="0101")
    assert 0 < len(own.tasks) < len(branch.tasks)
    assert {t.officer for t in branch.tasks} >= {TELLER, HEAD}

    # each branch head keeps one target in ten of the branch's, handed over and kept as assignments
    held = store_targets.targets_of(store)
    for code in sorted({t.branch_code for t in held}):
        theirs = [t for t in held if t.branch_code == code]
        by = Counter(t.officer for t in theirs)
        assert by[f"zh{code}"] == len(theirs) // BRANCH_HEAD_SHARE, code
        assert set(by) <= {f"zh{code}", *(f"jr{code}{n:02d}" for n in range(1, 7))}, code
    with store.connection() as conn:
        kept = conn.execute(
            text("SELECT COUNT(*), COUNT(DISTINCT previous) FROM target_assignment WHERE officer LIKE 'zh%'")
        ).one()
        struck = conn.execute(
            text(
                "SELECT reason, COUNT(*), COUNT(DISTINCT struck_on), MAX(struck_on) "
                "FROM target_strike GROUP BY reason"
            )
        ).all()
    assert kept[0] == sum(1 for t in held if t.officer and t.officer.startswith("zh")) and kept[1] > 6
    # the year's signatures struck their targets on the days they signed, none today or later
    assert [(r[0], r[1] > 100, r[2] > 30, str(r[3])[:10] < TODAY.isoformat()) for r in struck] == [
        ("signed", True, True, True)
    ]
    lists = store_targets.branch_lists(store, "0101")  # the branch's progress, as its digest shows it
    assert {x.campaign for x in lists} == {"2026-walk-in", "village-华阳街道"}
    assert all(0 < x.struck.get("signed", 0) < x.people for x in lists)
    # the night's sweep finds them struck: nothing signed is struck again
    assert targets.sweep(ctx.on(TODAY), by="os:night").struck["signed"] == 0
