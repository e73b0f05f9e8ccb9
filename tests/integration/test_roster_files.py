"""Roster files as groups hand them over: real .xlsx workbooks (written here with openpyxl) and CSVs in
UTF-8 and GB18030, read into text rows, with what a spreadsheet spoiled refused row by row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from teller_assist.campaigns.roster import RosterError, check_roster
from teller_assist.ingest.reader import FileRefused
from teller_assist.ingest.rosters import read_roster
from tests.helpers.extracts import MAN, WOMAN, rid

TODAY = dt.date(2026, 11, 30)


def workbook(path: Path, rows: list[list[object]], merge: str | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    book.save(path)
    return path


def test_a_village_workbook_with_a_title_row_reads_and_checks(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "后白村名单.xlsx",
        [
            ["后白村村民名单（2026年11月）"],
            [],
            ["序号", "户号", "姓名", "身份证号码", "村民小组", "重点户", "评议", "评议人", "评议日期"],
            [1, "H001", "张三", MAN, "第三组", "是", "好", "村委会 张主任", dt.datetime(2026, 11, 2)],
            [2, "H001", "李四", WOMAN, "第三组", None, "一般", "村委会 张主任", dt.datetime(2026, 11, 2)],
            [3, "H002", "王五", 321183198503140000, "第四组", None, None, None, None],  # typed as a number
            [4, "H002", "赵六", rid(seq=61), "第四组", None, '=IF(1,"好")', None, None],  # a formula
        ],
        merge="A1:I1",  # the title's merge is not the header's
    )
    table = read_roster(path)
    assert table.header[:4] == ("序号", "户号", "姓名", "身份证号码")
    assert [line for line, _ in table.rows] == [4, 5]
    refused = {line: zh for line, zh, _en in table.refused}
    assert refused[6].startswith("第4列是18位数字，Excel已丢失末几位")
    assert refused[7].startswith("第7列是公式")
    checked = check_roster(table.header, table.rows, "village", TODAY)
    assert [m.name for m in checked.members] == ["张三", "李四"] and not checked.refused
    assert checked.members[0].evidence.evaluated_on == dt.date(2026, 11, 2)
    assert checked.members[0].evidence.key_household and checked.members[0].fields["household"] == "H001"


def test_a_merged_header_refuses_the_whole_file(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "staff.xlsx",
        [["身份证号", "姓名", "部门", ""], [MAN, "张三", "财务", ""]],
        merge="C1:D1",
    )
    with pytest.raises(FileRefused, match="表头有合并单元格（C1:D1）"):
        read_roster(path)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_rosters_in_the_encodings_groups_use(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "members.csv"
    text = f"身份证号,姓名,会员编号\r\n{MAN},张三,A-1\r\n{WOMAN},欧阳修文,A-2\r\n3.21183E+17,王五,A-3\r\n"
    path.write_bytes(text.encode(encoding))
    table = read_roster(path)
    assert [cells[1] for _line, cells in table.rows] == ["张三", "欧阳修文"]
    assert [line for line, _zh, _en in table.refused] == [4]
    checked = check_roster(table.header, table.rows, "association", TODAY)
    assert [m.fields["member_no"] for m in checked.members] == ["A-1", "A-2"]


def old_workbook(
    path: Path, rows: list[list[object]], merge: tuple[int, int, int, int] | None = None
) -> Path:
    """An Excel 97-2003 workbook written by xlwt: strings, numbers, dates with a date format, formulas."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    dated = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    merged = set()
    if merge:
        low, high, left, right = merge
        sheet.write_merge(low, high, left, right, rows[low][left])
        merged = {(r, c) for r in range(low, high + 1) for c in range(left, right + 1)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in merged or value is None:
                continue
            if isinstance(value, dt.date):
                sheet.write(r, c, value, dated)
            elif isinstance(value, str) and value.startswith("="):
                sheet.write(r, c, xlwt.Formula(value[1:]))
            else:
                sheet.write(r, c, value)
    book.save(str(path))
    return path


def test_an_old_excel_village_roster_reads_and_checks(tmp_path: Path) -> None:
    path = old_workbook(
        tmp_path / "后白村名单.xls",
        [
            ["后白村村民名单（2026年11月）", "", "", "", "", "", "", "", ""],
            [],
            ["序号", "户号", "姓名", "身份证号码", "村民小组", "重点户", "评议", "评议人", "评议日期"],
            [1, "H001", "张三", MAN, "第三组", "是", "好", "村委会 张主任", dt.date(2026, 11, 2)],
            [2, "H001", "李四", WOMAN, "第三组", None, "一般", "村委会 张主任", dt.date(2026, 11, 2)],
            [3, "H002", "王五", 321183198503140000, "第四组", None, None, None, None],  # typed as a number
            [4, "H002", "赵六", rid(seq=61), "第四组", None, '="好"', None, None],  # a formula
        ],
        merge=(0, 0, 0, 8),  # the title's merge is not the header's
    )
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # a real OLE2 compound file, not a renamed CSV
    table = read_roster(path)
    assert table.header[:4] == ("序号", "户号", "姓名", "身份证号码")
    assert [line for line, _ in table.rows] == [4, 5]
    refused = {line: zh for line, zh, _en in table.refused}
    assert refused[6].startswith("第4列是18位数字，Excel已丢失末几位")
    assert refused[7].startswith("第7列是公式")
    checked = check_roster(table.header, table.rows, "village", TODAY)
    assert [m.name for m in checked.members] == ["张三", "李四"] and not checked.refused
    assert checked.members[0].evidence.evaluated_on == dt.date(2026, 11, 2)
    assert checked.members[0].evidence.key_household and checked.members[0].fields["household"] == "H001"
    assert checked.members[1].evidence.evaluation == "fair"


def test_an_old_excel_roster_with_a_merged_header_or_an_unknown_column_is_refused(tmp_path: Path) -> None:
    rows: list[list[object]] = [["身份证号", "姓名", "部门", ""], [MAN, "张三", "财务", ""]]
    merged = old_workbook(tmp_path / "staff.xls", rows, merge=(0, 0, 2, 3))
    with pytest.raises(FileRefused, match="表头有合并单元格（C1:D1）"):
        read_roster(merged)
    unknown = old_workbook(tmp_path / "bureau.xls", [["身份证号", "姓名", "工资"], [MAN, "张三", 5000]])
    table = read_roster(unknown)
    with pytest.raises(RosterError, match="第3列的表头“工资”不是整局名单的列"):
        check_roster(table.header, table.rows, "bureau", TODAY)


def test_an_xlsx_saved_under_an_xls_name_is_read_as_what_it_is(tmp_path: Path) -> None:
    path = workbook(tmp_path / "renamed.xls", [["身份证号", "姓名"], [MAN, "张三"]])
    table = read_roster(path)
    assert [cells for _line, cells in table.rows] == [(MAN, "张三")]


def test_files_the_reader_cannot_take_say_what_to_do(tmp_path: Path) -> None:
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 cut off")
    with pytest.raises(FileRefused, match=r"文件已损坏或不是\.xls") as refused:
        read_roster(old)
    assert "重新保存" in refused.value.hint_zh
    text = tmp_path / "exported.xls"  # a system's "Excel" export that is really text
    text.write_text("身份证号\t姓名\n", encoding="gb18030")
    with pytest.raises(FileRefused, match=r"文件已损坏或不是\.xls"):
        read_roster(text)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(FileRefused, match="文件已损坏"):
        read_roster(broken)
    headless = workbook(tmp_path / "headless.xlsx", [["张三", "李四"]])
    with pytest.raises(FileRefused, match="没有找到表头"):
        read_roster(headless)
