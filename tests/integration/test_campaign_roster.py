"""Checking a group's roster against the bank's records, on both engines and from the command line:
every row accounted for, the refused rows handed back as a workbook the group can correct (IDs masked,
no formula), the check audited with its counts and no one's ID."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from openpyxl import Workbook, load_workbook

from teller_assist.identity.masking import Masking
from teller_assist.services.campaigns import check_roster_file, export_refused
from teller_assist.services.context import Context
from teller_assist.services.imports import import_paths
from teller_assist.store.audit import export_rows
from teller_assist.store.engine import Store
from tests.helpers.cli import run_cli
from tests.helpers.extracts import MAN, WOMAN, rid, write

TODAY = dt.date(2026, 11, 30)
NEW = rid(seq=95)


def bank_knows(store: Store, folder: Path) -> None:
    write(
        folder,
        "customers_20261129.csv",
        [
            "id_no,name,gender,birth_date,phone,address,customer_no,branch_code,region_code",
            f"{MAN},张三,男,19850314,13951234567,,C1,0101,321183",
            f"{WOMAN},李四,女,19850314,,,C2,0101,321183",
        ],
    )
    write(
        folder, "negative_list_20261129.csv", ["id_no,reason,listed_on,note", f"{WOMAN},fraud,2026-01-05,"]
    )
    report = import_paths(store, [folder], today=TODAY)
    assert [(f.status, f.rejected) for f in report.files] == [("loaded", 0), ("loaded", 0)]


def roster(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    for row in (
        ["后白村名单"],
        ["序号", "户号", "姓名", "身份证号", "村民小组", "评议", "评议人"],
        [1, "H1", "张三", MAN, "一组", "好", "村委会 张主任"],
        [2, "H1", "李四", WOMAN, "一组", "", ""],  # on the negative list: decided, not eligible
        [3, "H2", "王五", NEW, "二组", "", ""],  # new to the bank: still the base line
        [4, "H2", '=HYPERLINK("x")', rid(seq=97), "二组", "", ""],  # a formula in the name
        [5, "H3", "赵六", MAN, "三组", "", ""],  # the same person again
        [6, "H3", "钱七", "32118319850314", "三组", "", ""],  # a short ID
    ):
        sheet.append(row)
    book.save(path)
    return path


def test_a_roster_checked_on_either_engine_and_its_refusals_handed_back(
    store: Store, tmp_path: Path, ctx: Context
) -> None:
    bank_knows(store, tmp_path / "extracts")
    check = check_roster_file(ctx.on(TODAY), roster(tmp_path / "后白村.xlsx"), "village", operator="os:clerk")
    decision = check.decision
    assert [d.member.line_no for d in decision.decided] == [3, 4, 5]
    assert [(r.line_no, r.reason_zh[:6]) for r in decision.refused] == [
        (6, "第3列是公式"), (7, "与第3行重复"), (8, "身份证号无效")
    ]  # fmt: skip
    assert decision.known == 2 and decision.eligible == 2
    assert decision.grantable["≤30,000"].people == 2 and decision.grantable["0"].people == 1

    out = tmp_path / "退回更正.xlsx"
    assert export_refused(ctx, check, out) == 3
    assert out.stat().st_mode & 0o777 == 0o600
    sheet = load_workbook(out).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["行号", "姓名", "身份证号（部分隐藏）", "原因"]
    assert [r[0] for r in rows[1:]] == [6, 7, 8]
    assert rows[2][1] == "赵六" and MAN not in str(rows) and rows[2][2] == Masking().resident_id(MAN)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)  # nothing to evaluate

    [audited] = [r for r in export_rows(store, None, None) if r.action == "roster_check"]
    assert audited.operator == "os:clerk" and audited.subject == "后白村.xlsx"
    detail = json.loads(audited.detail)
    assert (detail["members"], detail["refused"], detail["eligible"]) == (3, 3, 2)
    assert MAN not in audited.detail and WOMAN not in audited.detail


def test_the_command_line_checks_a_roster_and_writes_the_refusals(
    env: dict[str, str], tmp_path: Path
) -> None:
    path = roster(tmp_path / "后白村.xlsx")
    out = tmp_path / "refused.xlsx"
    done = run_cli(
        "campaign", "check", str(path), "--scenario", "village", "--as-of", "20261130",
        "--refused-out", str(out), "--json", env=env,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # rows were refused: said by the exit code, as imports do
    data = json.loads(done.stdout)
    assert (data["rows"], data["members"], data["eligible"], data["new_to_bank"]) == (6, 3, 3, 3)
    assert [r["line"] for r in data["refused"]] == [6, 7, 8] and out.exists()
    assert MAN not in done.stdout and NEW not in done.stdout
    shown = run_cli("campaign", "check", str(path), "--scenario", "village", env=env)
    assert (
        "整村名单 后白村.xlsx：6 行，成员 3" in shown.stdout and "第7行 未通过：与第3行重复" in shown.stdout
    )
    wrong = run_cli("campaign", "check", str(path), "--scenario", "market", env=env)
    assert wrong.returncode == 2 and "不是整市场名单的列" in wrong.stderr and "Traceback" not in wrong.stderr
