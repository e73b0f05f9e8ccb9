"""Target lists from a file and targets given out by village, on SQLite and PostgreSQL: every row of the
file accounted for and the rows left out handed back masked; the list split by region and issued once
(the same file not twice); a branch's targets balanced among its active officers with villages kept
whole; an officer who leaves hands everything over; all of it audited, nothing lost, nothing twice."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import text

from teller_assist.errors import UserFacingError
from teller_assist.identity.masking import Masking
from teller_assist.ingest.reader import FileRefused
from teller_assist.prequal.policy import Policy
from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services import targets
from teller_assist.services.context import Context
from teller_assist.services.imports import import_paths
from teller_assist.services.operators import add_operator, disable_operator
from teller_assist.store import targets as store_targets
from teller_assist.store.audit import AuditEntry
from teller_assist.store.engine import Store
from teller_assist.targets.file_list import FileRowRefused
from teller_assist.targets.lists import ListRefused
from teller_assist.targets.tasks import Strike
from tests.helpers.context import context_of
from tests.helpers.extracts import rid, write
from tests.helpers.operators import PASSWORD
from tests.helpers.surveys import walk_in_answers
from tests.helpers.workflow import Team

TODAY = dt.date(2026, 11, 28)
NOW = dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC)
DUE = dt.date(2026, 12, 31)
MASK = Masking()

# the county: branch 0101's people in two villages and a street, 0102's in one village
EAST = [rid("321183", dt.date(1980 + i, 1, 1 + i), 11 + 2 * i) for i in range(6)]  # 东村, branch 0101
WEST = [rid("321183", dt.date(1970 + i, 2, 1 + i), 31 + 2 * i) for i in range(3)]  # 西村, branch 0101
STREET = [rid("321183", dt.date(1975 + i, 3, 1 + i), 51 + 2 * i) for i in range(2)]  # 人民路, no village
FAR = [rid("321182", dt.date(1985 + i, 4, 1 + i), 71 + 2 * i) for i in range(2)]  # region 321182: 0102
NEG = rid("321183", dt.date(1981, 6, 17), 91)
HELD = rid("321183", dt.date(1982, 6, 17), 93)
OLD = rid("321183", dt.date(1950, 1, 2), 95)
STRANGER = rid("321183", dt.date(1990, 5, 16), 97)  # unknown to the bank
BRANCH_0101 = EAST + WEST + STREET


def address(who: str) -> str:
    if who in EAST:
        return f"江苏省句容市后白镇东村{EAST.index(who) + 1}号"
    if who in WEST:
        return f"江苏省句容市后白镇西村{WEST.index(who) + 1}号"
    if who in STREET:
        return f"江苏省句容市华阳街道人民路{STREET.index(who) + 1}号"
    return "江苏省句容市茅山镇南塘1号"


def county(store: Store, tmp_path: Path) -> None:
    everyone = [*BRANCH_0101, *FAR, NEG, HELD, OLD]
    rows = [
        f"{who},客户{n},,,,{address(who)},C{n},{'0102' if who in FAR else '0101'},{who[:6]}"
        for n, who in enumerate(everyone)
    ]
    folder = tmp_path / "extracts"
    write(
        folder,
        "customers_20261128.csv",
        ["id_no,name,gender,birth_date,phone,address,customer_no,branch_code,region_code", *rows],
    )
    write(folder, "negative_list_20261128.csv", ["id_no,reason,listed_on,note", f"{NEG},fraud,2026-11-20,"])
    assert import_paths(store, [folder], today=TODAY).exit_code == 0


def regions(ctx: Context, team: Team) -> None:
    targets.set_region(ctx, team.admin.operator, "321183", "0101")
    targets.set_region(ctx, team.admin.operator, "321182", "0102")


def audit_rows(store: Store, action: str) -> list[tuple[str | None, str | None, dict[str, object]]]:
    with store.connection() as conn:
        return [
            (r[0], r[1], json.loads(r[2]))
            for r in conn.execute(
                text("SELECT operator, subject, detail FROM audit_event WHERE action = :a ORDER BY seq"),
                {"a": action},
            )
        ]


def list_file(path: Path, rows: list[list[object]]) -> Path:
    if path.suffix == ".xlsx":
        book = Workbook()
        sheet = book.active
        sheet.append(["某局干部职工名单"])  # a title above the header, as files come
        sheet.append(["序号", "姓名", "身份证号", "备注"])
        for n, row in enumerate(rows, 1):
            sheet.append([n, *row, ""])
        book.save(path)
        return path
    lines = ["序号,姓名,身份证号"] + [f"{n},{row[0]},{row[1]}" for n, row in enumerate(rows, 1)]
    return write(path.parent, path.name, lines, encoding="gb18030")


def hold_a_line(ctx: Context, team: Team, who: str) -> None:
    apps.submit(ctx.at(NOW), who, Survey("walk_in", walk_in_answers()), team.manager, name="客户")


FILE_ROWS: list[list[object]] = [
    ["客户0", EAST[0]],
    ["客户1", EAST[1]],
    ["别人", EAST[2]],  # a name that differs from the bank's
    ["客户0", EAST[0]],  # again
    ["", FAR[0]],  # no name given: fine
    ["客户13", NEG],  # the names the bank holds: a differing name is refused before anything else
    ["客户14", HELD],
    ["客户15", OLD],
    ["陌生", STRANGER],
    ["短号", EAST[3][:-2]],
    ['=HYPERLINK("x")', EAST[4]],  # a formula where the name goes
]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_list_from_a_file_accounts_for_every_row_and_hands_back_the_rest(
    store: Store, team: Team, policy: Policy, tmp_path: Path, suffix: str, ctx: Context
) -> None:
    county(store, tmp_path)
    regions(ctx, team)
    hold_a_line(ctx, team, HELD)
    path = list_file(tmp_path / f"局名单{suffix}", FILE_ROWS)
    spec = targets.ListSpec("2026-某局", DUE, Decimal("50"), from_file=path)
    for who in (team.head.operator, team.teller.operator, None):
        with pytest.raises(targets.TargetsRefused):
            targets.preview(ctx.on(TODAY), who, spec)
    seen = targets.preview(ctx.on(TODAY), team.admin.operator, spec)
    assert [(s.branch_code, s.people, s.indicator) for s in seen.shares] == [("0101", 2, 1), ("0102", 1, 1)]
    f = seen.file
    assert f is not None and (f.rows, f.listed) == (11, 3)
    # a workbook keeps the formula as a formula: that row is refused as read; a CSV has only its text
    formula = {"unreadable": 1, "name_differs": 1} if suffix == ".xlsx" else {"name_differs": 2}
    assert {k: v for k, v in f.counts.items() if v} == {
        "bad_id": 1,
        "duplicate": 1,
        "unknown": 1,
        "negative": 1,
        "holding": 1,
        "age": 1,
        **formula,
    }
    assert (seen.negative_removed, seen.holding_removed) == (1, 1)
    assert f.listed + sum(f.counts.values()) == f.rows  # every row accounted for

    out = tmp_path / "未列入.xlsx"
    assert targets.export_not_listed(ctx, team.admin.operator, seen, out) == 8
    with pytest.raises(targets.TargetsRefused):
        targets.export_not_listed(ctx, team.head.operator, seen, tmp_path / "x.xlsx")
    sheet = load_workbook(out).active
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=1) if r[0].value is not None]
    header = next(r for r in rows if r[0] == "行号")
    assert header == ["行号", "姓名（文件所填）", "身份证号（部分隐藏）", "结果", "原因", "reason"]
    body = {r[2]: r for r in rows[rows.index(header) + 1 :]}
    assert body[MASK.resident_id(STRANGER)][3] == "未列入（本行无此客户）"
    assert body[MASK.resident_id(NEG)][4] == "在负面清单上"
    assert (
        body[MASK.resident_id(EAST[2])][4] == "姓名与本行记录不符"
        and body[MASK.resident_id(EAST[2])][1] == "别人"
    )
    if suffix == ".csv":
        assert body[MASK.resident_id(EAST[4])][1] == "'" + FILE_ROWS[-1][0]  # text, never a formula
    else:
        assert any("公式" in str(r[4]) for r in body.values())
    assert all(isinstance(r[0], int) for r in body.values())
    raw = b"".join(zipfile.ZipFile(out).read(n) for n in zipfile.ZipFile(out).namelist())
    for who in (*BRANCH_0101, *FAR, NEG, HELD, OLD, STRANGER):
        assert who.encode() not in raw  # no full ID anywhere in the workbook
    assert "客户2".encode() not in raw  # the bank's own name for the differing row is never shown
    assert oct(out.stat().st_mode & 0o777) == "0o600"

    done = targets.issue(ctx.on(TODAY), team.admin.operator, spec)
    assert done.preview.people == 3
    listed = store_targets.targets_of(store, campaign="2026-某局")
    assert [(r.id_no, r.branch_code) for r in listed] == sorted(
        [(EAST[0], "0101"), (EAST[1], "0101"), (FAR[0], "0102")]
    )
    kept = store_targets.list_of(store, "2026-某局")
    assert kept is not None and kept.filters["from_file"]["rows"] == 11  # type: ignore[index]
    assert path.name not in json.dumps(kept.filters, ensure_ascii=False)
    issued = audit_rows(store, "target_list_issue")[-1]
    assert issued[2]["file"]["listed"] == 3  # type: ignore[index]
    assert not any(who in json.dumps(issued[2]) for who in (*BRANCH_0101, NEG, STRANGER))
    # the same file again, under another code: refused, nothing added, the refusal audited
    again = dataclasses.replace(spec, code="2026-某局-二")
    with pytest.raises(targets.TargetsRefused, match=r"已于 .* 下达为名单 2026-某局"):
        targets.issue(ctx.on(TODAY), team.admin.operator, again)
    assert store_targets.list_of(store, "2026-某局-二") is None
    assert len(store_targets.targets_of(store)) == 3
    assert audit_rows(store, "target_list_refused")[-1][2] == {
        "reason": "file issued twice",
        "as": "2026-某局",
    }


def test_a_file_the_lists_cannot_take_is_refused_whole(
    store: Store, team: Team, policy: Policy, tmp_path: Path, ctx: Context
) -> None:
    county(store, tmp_path)
    regions(ctx, team)
    admin = team.admin.operator
    no_id = write(tmp_path, "名单.csv", ["姓名,电话", "王一,13900000000"])
    with pytest.raises(FileRefused, match="表头"):
        targets.preview(ctx.on(TODAY), admin, targets.ListSpec("F1", DUE, Decimal(50), from_file=no_id))
    two = write(tmp_path, "两列.csv", ["身份证号,公民身份号码", f"{EAST[0]},{EAST[1]}"])
    with pytest.raises(FileRowRefused, match="只有一列"):
        targets.preview(ctx.on(TODAY), admin, targets.ListSpec("F1", DUE, Decimal(50), from_file=two))
    old = tmp_path / "旧.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(FileRefused, match="xls"):
        targets.issue(ctx.on(TODAY), admin, targets.ListSpec("F1", DUE, Decimal(50), from_file=old))
    missing = targets.ListSpec("F1", DUE, Decimal(50), from_file=tmp_path / "没有.csv")
    with pytest.raises(UserFacingError):
        targets.preview(ctx.on(TODAY), admin, missing)
    strangers = list_file(tmp_path / "陌生.csv", [["陌生", STRANGER]])
    with pytest.raises(targets.TargetsRefused, match="没有符合条件"):
        targets.issue(ctx.on(TODAY), admin, targets.ListSpec("F1", DUE, Decimal(50), from_file=strangers))
    filtered = targets.ListSpec("F1", DUE, Decimal(50), regions=("321183",), from_file=strangers)
    with pytest.raises(ListRefused, match="不能再加筛选条件"):
        targets.preview(ctx.on(TODAY), admin, filtered)
    # a region with no branch: refused as the filtered lists are, naming it
    targets.set_region(ctx, admin, "321182", None)
    far = list_file(tmp_path / "远.csv", [["", FAR[0]]])
    with pytest.raises(targets.TargetsRefused, match="321182（1人）"):
        targets.issue(ctx.on(TODAY), admin, targets.ListSpec("F1", DUE, Decimal(50), from_file=far))
    assert store_targets.targets_of(store) == [] and store_targets.list_of(store, "F1") is None


# --- balanced by village -----------------------------------------------------------------------------


def officer(store: Store, team: Team, login: str, branch: str = "0101", role: str = "teller") -> str:
    add_operator(
        context_of(store),
        team.admin.operator, login=login, name=login, role=role, password=PASSWORD, branch_code=branch
    )
    return login


@pytest.fixture
def branch_list(store: Store, team: Team, policy: Policy, tmp_path: Path, ctx: Context) -> str:
    county(store, tmp_path)
    regions(ctx, team)
    hold_a_line(ctx, team, HELD)  # so the list holds 0101's eleven and 0102's two
    targets.issue(ctx.on(TODAY), team.admin.operator, targets.ListSpec("L1", DUE, Decimal(50)))
    assert len(store_targets.targets_of(store, campaign="L1")) == 13
    return "L1"


def holders(store: Store, people: list[str], campaign: str = "L1") -> set[str | None]:
    return {r.officer for r in store_targets.targets_of(store, campaign=campaign, id_nos=people)}


def test_a_branch_head_balances_their_unassigned_targets_by_village(
    store: Store, team: Team, policy: Policy, branch_list: str, ctx: Context
) -> None:
    head = team.head.operator
    officer(store, team, "teller2")
    officer(store, team, "elsewhere", branch="0102")
    gone = officer(store, team, "gone1")
    disable_operator(context_of(store), team.admin.operator, gone)
    for who in (team.admin.operator, team.teller.operator):
        with pytest.raises(targets.TargetsRefused, match="网点负责人"):
            targets.assign_balanced(ctx, who, branch_list, "village")
    with pytest.raises(targets.TargetsRefused, match="未知的分配方式"):
        targets.assign_balanced(ctx, head, branch_list, "street")
    for among in (["gone1"], ["elsewhere"], ["nobody"]):
        with pytest.raises(targets.TargetsRefused):
            targets.assign_balanced(ctx, head, branch_list, "village", among=among)
    assert store_targets.targets_of(store, campaign=branch_list, unassigned=False)[0].officer is None

    done = targets.assign_balanced(ctx, head, branch_list, "village")
    # 11 people of branch 0101: 东村 6, 西村 3, 人民路 2 among the two active tellers (not the disabled one)
    assert done.moved == 11 and done.mode == "village"
    assert {o: (b, a) for o, b, a in done.officers} == {"teller1": (0, 6), "teller2": (0, 5)}
    assert (
        len(holders(store, EAST)) == 1 and len(holders(store, WEST)) == 1 and len(holders(store, STREET)) == 1
    )
    assert holders(store, EAST) != holders(store, WEST)
    assert holders(store, FAR) == {None}  # branch 0102's are not this head's
    assert done.groups == 3 and done.split == 0
    detail = audit_rows(store, "target_assign")[-1]
    assert detail[:2] == ("head1", branch_list)
    assert detail[2] == {
        "branch": "0101",
        "by": "village",
        "officers": 2,
        "targets": 11,
        "groups": 3,
        "split": 0,
    }
    with pytest.raises(targets.TargetsRefused, match="没有未分配"):
        targets.assign_balanced(ctx, head, branch_list, "village")


def test_balancing_counts_what_each_officer_already_holds(
    store: Store, team: Team, policy: Policy, branch_list: str, ctx: Context
) -> None:
    head = team.head.operator
    officer(store, team, "teller2")
    targets.assign(ctx.on(TODAY), head, branch_list, "teller2", id_nos=[WEST[0]])
    done = targets.assign_balanced(ctx, head, branch_list, "village")
    assert done.moved == 10
    assert {o: (b, a) for o, b, a in done.officers} == {"teller1": (0, 6), "teller2": (1, 4)}
    assert holders(store, EAST) == {"teller1"} and holders(store, WEST) == {"teller2"}
    assert holders(store, STREET) == {"teller2"}


def test_by_address_gives_each_officer_a_stretch_of_neighbours(
    store: Store, team: Team, policy: Policy, branch_list: str, ctx: Context
) -> None:
    head = team.head.operator
    first = targets.assign_balanced(
        ctx, head, branch_list, "address", among=["teller1", "manager1"], limit=5
    )  # the first five in ID order: 西村's three, 人民路's two
    assert first.moved == 5 and {o: a for o, _b, a in first.officers} == {"manager1": 3, "teller1": 2}
    # in address order: 华阳街道人民路 1-2, then 后白镇西村 1-3
    assert holders(store, STREET) == {"manager1"} and holders(store, WEST[:1]) == {"manager1"}
    assert holders(store, WEST[1:]) == {"teller1"} and holders(store, EAST) == {None}
    rest = targets.assign_balanced(ctx, head, branch_list, "address", among=["teller1", "manager1"])
    assert {o: (b, a) for o, b, a in rest.officers} == {"manager1": (3, 2), "teller1": (2, 4)}
    assert holders(store, EAST[:2]) == {"manager1"} and holders(store, EAST[2:]) == {"teller1"}


def test_a_stale_plan_is_refused_whole(store: Store, team: Team, branch_list: str) -> None:
    seen = store_targets.pending(store, "0101", campaign=branch_list, unassigned=True)
    store_targets.assign(store, [seen[0][0]], "teller1", by="head1", at=NOW, entry=_entry())
    moves = [(row, "manager1") for row, _p in seen]
    with pytest.raises(store_targets.AssignConflict) as late:
        store_targets.assign_many(store, moves, by="head2", at=NOW, entry=_entry())
    assert late.value.changed == 1
    assert holders(store, BRANCH_0101) == {"teller1", None}  # nothing of the stale plan written


def _entry() -> AuditEntry:
    return AuditEntry("target_assign", "head1", "ws-test")


def test_an_officer_who_leaves_hands_over_everything(
    store: Store, team: Team, policy: Policy, branch_list: str, ctx: Context
) -> None:
    head = team.head.operator
    officer(store, team, "teller2")
    officer(store, team, "teller3")
    leaver = officer(store, team, "leaver")
    targets.assign(ctx.on(TODAY), head, branch_list, leaver, id_nos=BRANCH_0101)
    # the leaver also holds a target on another list, and one struck already
    with store.write_session() as s:
        s.execute(
            text(
                "INSERT INTO target (campaign, id_no, branch_code, officer) "
                "VALUES ('L0', :i, '0101', 'leaver')"
            ),
            {"i": WEST[0]},
        )
    store_targets.record_strikes(
        store,
        [(branch_list, STREET[0], Strike("declined", TODAY, "不需要"))],
        by="teller1",
        at=NOW,
        entry=_entry(),
    )
    disable_operator(context_of(store), team.admin.operator, leaver)
    with pytest.raises(targets.TargetsRefused, match="二选一"):
        targets.reassign(ctx, head, leaver)
    with pytest.raises(targets.TargetsRefused, match="相同"):
        targets.reassign(ctx, head, leaver, to=leaver)
    with pytest.raises(targets.TargetsRefused, match="没有目标客户"):
        targets.reassign(ctx, head, "teller3", to="teller2")
    with pytest.raises(targets.TargetsRefused, match="网点负责人"):
        targets.reassign(ctx, team.teller.operator, leaver, to="teller2")
    done = targets.reassign(ctx, head, leaver, mode="village", among=["teller2", "teller3"])
    assert done.moved == 12  # eleven on L1 (the struck one too) and one on L0
    assert {o for o, _b, a in done.officers if a} == {"teller2", "teller3"}
    assert store_targets.targets_of(store, officer=leaver) == []
    assert len(holders(store, EAST)) == 1
    kept = store_targets.assignments(store, branch_list, EAST[0])
    assert kept[0] == (leaver, None, "head1") and kept[-1][1] == leaver
    row = audit_rows(store, "target_reassign")[-1]
    assert row[:2] == ("head1", leaver) and row[2]["targets"] == 12 and row[2]["by"] == "village"
    # and back to one officer, all at once
    whole = targets.reassign(ctx, head, "teller2", to="teller3")
    assert whole.mode == "officer" and whole.officers == (("teller3", 0, whole.moved),)
    assert {r.officer for r in store_targets.targets_of(store, branch="0101")} == {"teller3"}
    with pytest.raises(targets.TargetsRefused, match="已停用"):
        targets.reassign(ctx, head, "teller3", to=leaver)
