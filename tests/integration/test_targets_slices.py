"""The night's sweep reads the county a slice of IDs at a time, every table in key order: on SQLite and
PostgreSQL the slices hold every target once (a person's targets together), the facts read by range are
the facts read person by person, and a sweep in small slices strikes what one in a single slice does and
counts the same tasks as every branch's task list."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from teller_assist.prequal.policy import Policy
from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services import targets
from teller_assist.services.context import Context
from teller_assist.store import targets as store_targets
from teller_assist.store.engine import Store
from teller_assist.targets.tasks import AgeBand, daily_tasks
from tests.helpers.surveys import walk_in_answers
from tests.helpers.workflow import Team, agreement_printed
from tests.integration.test_targets_files_balance import BRANCH_0101, EAST, FAR, NOW, TODAY, county, regions


def test_slices_read_the_same_facts_and_sweep_the_same(
    store: Store, team: Team, policy: Policy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ctx: Context
) -> None:
    county(store, tmp_path)
    regions(ctx, team)
    admin, head = team.admin.operator, team.head.operator
    targets.issue(ctx.on(TODAY), admin, targets.ListSpec("L1", dt.date(2026, 12, 31), Decimal(50)))
    with store.write_session() as s:  # someone on an imported list with no branch
        s.execute(text("INSERT INTO target (campaign, id_no) VALUES ('L0', :i)"), {"i": FAR[1]})
    targets.assign(ctx.on(TODAY), head, "L1", "teller1", id_nos=BRANCH_0101)
    targets.record_outcome(ctx.on(TODAY), team.teller.operator, EAST[1], "declined", reason="暂不需要")
    done = apps.submit(ctx.at(NOW), EAST[0], Survey("walk_in", walk_in_answers()), team.manager, name="客户0")
    apps.approve(ctx.at(NOW), done.id, team.head)
    agreement_printed(store, done.id)
    apps.sign(ctx.at(NOW), done.id, team.manager)  # struck on L1 by the signature
    with store.write_session() as s:  # the same person on an imported list after signing: the sweep's
        s.execute(
            text("INSERT INTO target (campaign, id_no, branch_code) VALUES ('L0', :i, '0101')"),
            {"i": EAST[0]},
        )

    everyone = store_targets.facts(store)
    for size in (1, 2, 5, 1000):
        slices = store_targets.id_slices(store, size)
        assert slices[-1][1] is None and all(a[1] == b[0] for a, b in itertools.pairwise(slices))
        read = [f for ids in slices for f in store_targets.facts(store, ids=ids)]
        key = lambda f: (f.campaign, f.id_no)  # noqa: E731
        assert sorted(read, key=key) == sorted(everyone, key=key)
        for ids in slices:  # a person's targets never straddle two slices
            people = {f.id_no for f in store_targets.facts(store, ids=ids)}
            assert all(ids[0] <= p and (ids[1] is None or p < ids[1]) for p in people)
    assert store_targets.id_slices(store, 10**6) == [(min(f.id_no for f in everyone), None)]

    day = TODAY + dt.timedelta(days=1)
    expected = daily_tasks(everyone, day, AgeBand(policy.min_age, policy.max_age))  # the county at once
    monkeypatch.setattr(targets, "SWEEP_SLICE", 3)
    swept = targets.sweep(ctx.on(day), by="os:night")
    assert swept.struck == {"signed": 1, "ineligible": 0, "declined": 0}  # EAST[0] on L0
    assert swept.targets == len(everyone)
    assert swept.tasks == {k: sum(1 for t in expected if t.kind == k) for k in swept.tasks}
    assert sum(swept.tasks.values()) == len(expected) > 0
    again = targets.sweep(ctx.on(day), by="os:night")
    assert again.struck == {"signed": 0, "ineligible": 0, "declined": 0} and again.tasks == swept.tasks
