"""The branch's morning digest (``tasks digest``) on SQLite and PostgreSQL: the same tasks as the
branch's task list, every officer counted, the lists against their indicators, the overdue tasks and
today's appointments; written as a workbook read back with openpyxl (numbers as numbers, no formula, no
full ID anywhere in the file) and as a PDF read back with pdftotext; only for the branch's head or head
office, audited, and a file that cannot be written leaves nothing behind."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from teller_assist.errors import UserFacingError
from teller_assist.identity.masking import Masking
from teller_assist.prequal.policy import Policy
from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services import targets, targets_digest
from teller_assist.services.context import Context
from teller_assist.services.imports import import_paths
from teller_assist.services.operators import add_operator
from teller_assist.store.engine import Store
from tests.helpers import required
from tests.helpers.context import context_of
from tests.helpers.extracts import rid, write
from tests.helpers.operators import PASSWORD
from tests.helpers.surveys import walk_in_answers
from tests.helpers.workflow import Team

TODAY = dt.date(2026, 11, 28)
NOW = dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC)
DUE = dt.date(2026, 12, 10)
LATER = dt.date(2026, 12, 14)  # after the list's due date: its open tasks are overdue
MASK = Masking()
PEOPLE = [rid("321183", dt.date(1980 + i, 5, 10 + i), 11 + 2 * i) for i in range(6)]
OTHER = rid("321182", dt.date(1990, 1, 1), 41)  # branch 0102's
FORMULA_NAME = "=1+2"


def county(store: Store, tmp_path: Path) -> None:
    rows = [
        f"{who},客户{n},,,,江苏省句容市后白镇东村{n}号,C{n},0101,321183" for n, who in enumerate(PEOPLE)
    ] + [f"{OTHER},外网点,,,,江苏省句容市茅山镇南塘1号,C9,0102,321182"]
    folder = tmp_path / "extracts"
    write(
        folder,
        "customers_20261128.csv",
        ["id_no,name,gender,birth_date,phone,address,customer_no,branch_code,region_code", *rows],
    )
    assert import_paths(store, [folder], today=TODAY).exit_code == 0
    with store.write_session() as s:  # a name a spreadsheet would evaluate
        s.execute(text("UPDATE customer SET name = :n WHERE id_no = :i"), {"n": FORMULA_NAME, "i": PEOPLE[5]})


@pytest.fixture
def branch_day(store: Store, team: Team, policy: Policy, tmp_path: Path, ctx: Context) -> Team:
    """Branch 0101's list, given out to two officers; one appointment for LATER, one line approved."""
    county(store, tmp_path)
    admin, head = team.admin.operator, team.head.operator
    targets.set_region(ctx, admin, "321183", "0101")
    targets.set_region(ctx, admin, "321182", "0102")
    targets.issue(ctx.on(TODAY), admin, targets.ListSpec("L1", DUE, Decimal("50")))
    add_operator(
        context_of(store),
        admin, login="teller2", name="李经理", role="teller", password=PASSWORD, branch_code="0101"
    )
    add_operator(
        context_of(store),
        admin, login="idle1", name="闲经理", role="teller", password=PASSWORD, branch_code="0101"
    )
    targets.assign(ctx.on(TODAY), head, "L1", "teller1", id_nos=PEOPLE[:3])
    targets.assign(ctx.on(TODAY), head, "L1", "teller2", id_nos=PEOPLE[3:5])  # PEOPLE[5]: nobody yet
    targets.record_outcome(
        ctx.on(TODAY), team.teller.operator, PEOPLE[0], "appointment", appointment_on=LATER
    )
    submitted = apps.submit(
        ctx.at(NOW),
        PEOPLE[1],
        Survey("walk_in", walk_in_answers()),
        team.manager,
        name="客户1",
    )  # fmt: skip
    apps.approve(ctx.at(NOW), submitted.id, team.head)
    return team


def full_ids_in(data: str | bytes) -> list[str]:
    found = []
    for who in (*PEOPLE, OTHER):
        if (who.encode() if isinstance(data, bytes) else who) in data:
            found.append(who)
    return found


def test_the_digest_counts_every_officer_and_the_lists(
    store: Store, branch_day: Team, policy: Policy, ctx: Context
) -> None:
    team = branch_day
    digest = targets_digest.build(ctx.on(LATER), team.head.operator, "0101")
    shown = targets.tasks_today(ctx.on(LATER), team.admin.operator, branch="0101")
    assert len(digest.tasks) == len(shown.tasks) == 6
    assert digest.counts == shown.counts
    rows = {o.login: o for o in digest.officers}
    # every officer of the branch, the idle one too; the approvers who can hold targets; the unassigned
    assert set(rows) == {"teller1", "teller2", "idle1", "manager1", "head1", None}
    assert rows["idle1"].total == 0 and rows[None].total == 1
    t1 = rows["teller1"]
    assert (t1.counts["survey"], t1.counts["deliver_letter"], t1.total) == (2, 1, 3)
    # the appointment made for today; the letter (due the day the line was approved) and a survey past
    # the list's date are overdue
    assert (t1.appointments, t1.overdue) == (1, 2)
    assert rows["teller2"].overdue == 2 and sum(o.total for o in digest.officers) == 6
    assert [t.officer for t in digest.tasks] == sorted(
        (t.officer for t in digest.tasks), key=lambda o: [r.login for r in digest.officers].index(o)
    )  # grouped by officer, in the table's order
    (lst,) = digest.lists
    assert (lst.campaign, lst.people, lst.indicator, lst.assigned, lst.signed) == ("L1", 6, 3, 5, 0)
    assert lst.completion is not None and lst.completion.text() == "0.00%"
    assert "数据截至" in digest.freshness
    assert all(MASK.resident_id(p) in {t.id_masked for t in digest.tasks} for p in PEOPLE)
    assert not full_ids_in(repr(digest))


def test_only_the_branch_head_or_head_office_and_it_is_audited(
    store: Store, branch_day: Team, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    team = branch_day
    other_head = add_operator(
        context_of(store),
        team.admin.operator, login="head2", name="head2", role="branch_head", password=PASSWORD,
        branch_code="0102",
    )  # fmt: skip
    for who in (team.teller.operator, team.manager.operator, other_head, None):
        with pytest.raises(targets.TargetsRefused):
            targets_digest.write(ctx.on(LATER), who, "0101", tmp_path / "d.xlsx")
    assert not (tmp_path / "d.xlsx").exists()
    disabled = dataclasses.replace(team.head.operator, active=False)
    with pytest.raises(targets.TargetsRefused, match="停用"):
        targets_digest.build(ctx.on(LATER), disabled, "0101")
    done = targets_digest.write(ctx.on(LATER), team.admin.operator, "0101", tmp_path / "d.pdf")
    assert len(done.tasks) == 6
    with store.connection() as conn:
        rows = conn.execute(
            text("SELECT operator, subject, detail FROM audit_event WHERE action = 'export' ORDER BY seq")
        ).all()
    assert [(r[0], r[1]) for r in rows] == [("admin1", "task_digest")]
    assert json.loads(rows[0][2]) == {
        "branch": "0101",
        "date": LATER.isoformat(),
        "format": "pdf",
        "tasks": 6,
        "officers": len(done.officers),
    }
    with pytest.raises(UserFacingError, match="不支持的文件格式") as csv:
        targets_digest.write(ctx.on(LATER), team.admin.operator, "0101", tmp_path / "d.csv")
    assert ".xlsx 或 .pdf" in csv.value.hint_zh
    with pytest.raises(UserFacingError, match="无法写入"):
        targets_digest.write(ctx.on(LATER), team.admin.operator, "0101", tmp_path / "no" / "d.pdf")
    assert not (tmp_path / "no").exists()
    with store.connection() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM audit_event WHERE action = 'export'")).scalar_one() == 1
        )


def test_the_workbook_holds_numbers_masked_people_and_no_formula(
    store: Store, branch_day: Team, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    out = tmp_path / "晨会.xlsx"
    targets_digest.write(ctx.on(LATER), branch_day.head.operator, "0101", out)
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    book = load_workbook(out)
    assert book.sheetnames == ["概览", "名单进度", "逾期与预约", "任务清单", "说明"]
    summary = book["概览"]
    assert summary["A1"].value == f"晨会任务简报 网点 0101 {LATER.isoformat()}"
    header_row = next(r for r in summary.iter_rows() if r[0].value == "客户经理")
    header = [c.value for c in header_row]
    assert header[:4] == ["客户经理", "登录名", "调查", "提交审批"] and header[-3:] == [
        "合计",
        "逾期",
        "今日预约",
    ]
    body = [[c.value for c in r] for r in summary.iter_rows(min_row=header_row[0].row + 1)]
    by_login = {r[1]: r for r in body if r[0]}
    assert by_login["teller1"][header.index("合计")] == 3 and isinstance(by_login["teller1"][2], int)
    assert by_login["idle1"][0] == "闲经理" and by_login["idle1"][header.index("合计")] == 0
    total = next(r for r in body if r[0] == "合计")
    assert total[header.index("合计")] == 6 and total[header.index("逾期")] == 5
    progress = book["名单进度"]
    row = next(r for r in progress.iter_rows() if r[0].value == "L1")
    assert isinstance(row[1].value, dt.datetime) and row[1].number_format == "yyyy-mm-dd"
    assert [c.value for c in row[2:5]] == [6, 3, 5] and row[9].value == 0 and row[9].number_format == "0.00%"
    tasks = book["任务清单"]
    head = next(r for r in tasks.iter_rows() if r[0].value == "客户经理")
    listed = [[c for c in r] for r in tasks.iter_rows(min_row=head[0].row + 1) if r[0].value]
    assert len(listed) == 6
    assert {r[2].value for r in listed} == {MASK.resident_id(p) for p in PEOPLE}
    letter = next(r for r in listed if r[1].value == "送达告知函")
    assert isinstance(letter[7].value, int | float) and letter[7].number_format == "#,##0.00"
    assert letter[7].value > 0 and isinstance(letter[4].value, dt.datetime)
    assert "'" + FORMULA_NAME in {r[3].value for r in listed}  # shown as typed, never evaluated
    urgent = book["逾期与预约"]
    flagged = [
        [c.value for c in r] for r in urgent.iter_rows(min_row=5) if r[2].value and "*" in str(r[2].value)
    ]
    assert len(flagged) == 6 and sum(1 for r in flagged if r[6] == "今日预约") == 1
    for sheet in book.worksheets:
        for r in sheet.iter_rows():
            for cell in r:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
    raw = b"".join(zipfile.ZipFile(out).read(n) for n in zipfile.ZipFile(out).namelist())
    assert full_ids_in(raw) == []
    for who in PEOPLE:  # nor anything that gives the hidden digits back: the birth date
        assert who[6:14].encode() not in raw


def test_the_pdf_reads_back_masked(
    store: Store, branch_day: Team, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    pdftotext = required.program("pdftotext")
    out = tmp_path / "晨会.pdf"
    targets_digest.write(ctx.on(LATER), branch_day.head.operator, "0101", out)
    words = subprocess.run(
        [pdftotext, "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", "", words)
    assert "晨会任务简报" in flat and "网点0101" in flat and LATER.isoformat() in flat
    for heading in ("各客户经理今日任务", "名单进度", "逾期任务与今日预约", "今日任务清单"):
        assert heading in flat
    assert "李经理" in flat and "闲经理" in flat and "（未分配）" in flat
    for who in PEOPLE:
        assert MASK.resident_id(who) in flat
        assert who[6:14] not in flat and f"{who[6:10]}-{who[10:12]}-{who[12:14]}" not in flat
    assert full_ids_in(flat) == []
    assert not re.search(r"\d{17}[\dX]", flat)
