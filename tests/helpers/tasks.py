"""A branch's targets and today's tasks for tests of the 今日任务 desk: five people on an imported list,
four of them teller1's, one teller2's, one with an approved line (a letter to deliver), made through the
real import and the real workflow."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services.context import Context
from teller_assist.services.imports import import_paths
from teller_assist.store.operators import get_operator
from tests.helpers.extracts import rid, write
from tests.helpers.operators import make_operator
from tests.helpers.surveys import walk_in_answers

TODAY = dt.date(2026, 11, 28)
LIST = "2026-walk-in"
OVERDUE = rid(seq=101)  # survey, due 11-20: late
LETTER = rid(seq=103)  # approved today: deliver the letter, due today, with its line
EARLY = rid(seq=105)  # survey, due 12-10
LATE = rid(seq=107)  # survey, due 12-31
OTHERS = rid(seq=109)  # teller2's
STRANGER = rid(seq=111)  # a customer on no list
NAMES = {OVERDUE: "赵一", LETTER: "钱二", EARLY: "孙三", LATE: "李四", OTHERS: "周五", STRANGER: "吴六"}
ORDER = [OVERDUE, LETTER, EARLY, LATE]  # teller1's, as the service orders them: due date, then value


@dataclass(frozen=True)
class Seeded:
    letter_app: int
    line_fen: int  # the approved line


def seed_tasks(ctx: Context, folder: Path) -> Seeded:
    """The customers and the list through the night's import; teller1, teller2, manager1 and head1 of
    branch 0101; LETTER's application submitted by teller1 and approved by head1 (under the context's
    policy, on TODAY)."""
    store, today = ctx.store, ctx.on(TODAY)
    write(
        folder,
        "customers_20261127.csv",
        ["id_no,name,phone,branch_code,region_code"]
        + [f"{i},{n},1395123{k:04d},0101,321183" for k, (i, n) in enumerate(NAMES.items())],
    )
    dues = {OVERDUE: "2026-11-20", LETTER: "2026-12-31", EARLY: "2026-12-10", LATE: "2026-12-31"}
    write(
        folder,
        "targets_20261127.csv",
        ["campaign,id_no,branch_code,officer,due_on,scenario"]
        + [f"{LIST},{i},0101,teller1,{d},walk_in" for i, d in dues.items()]
        + [f"{LIST},{OTHERS},0101,teller2,2026-12-05,walk_in"],
    )
    report = import_paths(store, [folder], today=TODAY)
    assert report.exit_code == 0, report.to_json()
    for login, role in (("teller1", "teller"), ("teller2", "teller"), ("manager1", "lobby_manager"),
                        ("head1", "branch_head")):  # fmt: skip
        if get_operator(store, login) is None:
            make_operator(store, login, role)
    teller, head = get_operator(store, "teller1"), get_operator(store, "head1")
    assert teller is not None and head is not None
    submitted = apps.submit(
        today,
        LETTER,
        Survey("walk_in", walk_in_answers(household_income=40_000)),
        apps.Actor(teller, "ws-test"),
        name=NAMES[LETTER],
    )
    approved = apps.approve(today, submitted.id, apps.Actor(head, "ws-test"))
    return Seeded(approved.id, approved.line_fen)
