"""The branch digest's figures, pure: every officer of the branch has a row (none left out for having no
task today), the tasks nobody holds yet are their own row, and a list's completion is its signed people
against its indicator, exactly."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from teller_assist.targets.digest import UNASSIGNED, DigestList, DigestTask, officer_rows

DAY = dt.date(2026, 11, 28)


def task(officer: str | None, kind: str, *, overdue: bool = False, appointment: bool = False) -> DigestTask:
    return DigestTask(officer, kind, "3211**********0011", "王一", DAY, overdue, appointment, None, "L1")


def test_every_officer_has_a_row_and_the_unassigned_come_last() -> None:
    tasks = [
        task("jr2", "survey"),
        task("jr2", "survey", overdue=True),
        task("jr2", "renew", appointment=True),
        task(None, "survey"),
        task("moved", "get_signed"),  # an officer now of another branch still holding targets here
    ]
    rows = officer_rows(tasks, [("jr1", "王经理", True), ("jr2", "李经理", True), ("gone", "赵经理", False)])
    assert [r.login for r in rows] == ["jr1", "jr2", "gone", "moved", None]
    jr1, jr2, gone, moved, nobody = rows
    assert jr1.total == 0 and set(jr1.counts) == {
        "survey", "submit", "deliver_letter", "get_signed", "follow_up_usage", "renew"
    }  # fmt: skip
    assert (jr2.counts["survey"], jr2.counts["renew"], jr2.total, jr2.overdue, jr2.appointments) == (
        2,
        1,
        3,
        1,
        1,
    )
    assert gone.label == "赵经理（已停用）" and moved.label == "moved"
    assert nobody.label == UNASSIGNED and nobody.total == 1
    assert sum(r.total for r in rows) == len(tasks)


def test_a_lists_completion_is_exact_and_an_imported_list_has_none() -> None:
    issued = DigestList("L1", dt.date(2026, 12, 31), 9, 3, 7, {"signed": 2, "declined": 1})
    assert issued.completion is not None and issued.completion.value == Fraction(2, 3)
    assert issued.completion.text() == "66.67%"
    assert (issued.signed, issued.struck_total, issued.open, issued.to_go) == (2, 3, 6, 1)
    beyond = DigestList("L2", None, 4, 1, 4, {"signed": 3})
    assert beyond.to_go == 0 and beyond.completion is not None and beyond.completion.text() == "300.00%"
    imported = DigestList("2026-walk-in", None, 5, None, 5, {})
    assert imported.completion is None and imported.to_go is None and imported.open == 5
