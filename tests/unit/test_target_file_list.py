"""A target list from a file, pure: the ID and name columns found, every row accounted for — listed,
unknown to the bank, or refused with its reason — and the bank's own record never shown."""

from __future__ import annotations

import datetime as dt

import pytest

from teller_assist.targets.file_list import (
    REASONS,
    FileRowRefused,
    Known,
    account,
    columns,
    rows_of,
    valid_ids,
)
from tests.helpers.extracts import rid

DAY = dt.date(2026, 11, 28)
OK = rid("321183", dt.date(1985, 3, 14), 11)
OK2 = rid("321183", dt.date(1986, 4, 15), 13)
NEG = rid("321183", dt.date(1980, 6, 17), 15)
HELD = rid("321183", dt.date(1981, 6, 17), 17)
OLD = rid("321183", dt.date(1950, 1, 2), 19)
STRANGER = rid("321183", dt.date(1990, 5, 16), 21)
NAMED = rid("321183", dt.date(1991, 7, 18), 23)

KNOWN = {
    OK: Known("王一", "321183", False, False, True),
    OK2: Known("王二", None, False, False, True),
    NEG: Known("李三", "321183", True, False, True),
    HELD: Known("赵四", "321183", False, True, True),
    OLD: Known("钱五", "321183", False, False, False),
    NAMED: Known("孙六", "321183", False, False, True),
}


def test_the_columns_are_found_by_their_chinese_headers() -> None:
    assert columns(["序号", "姓名", "身份证号", "备注"]) == (2, 1)
    assert columns(["公民身份号码 "]) == (0, None)
    assert columns(["客户姓名", "证件号码"]) == (1, 0)
    with pytest.raises(FileRowRefused, match="没有身份证号"):
        columns(["姓名", "电话"])
    with pytest.raises(FileRowRefused, match="只有一列"):
        columns(["身份证号", "身份证号码"])
    with pytest.raises(FileRowRefused, match="两列姓名"):
        columns(["身份证号", "姓名", "客户姓名"])


def test_every_row_is_accounted_for_with_its_reason() -> None:
    header = ["姓名", "身份证号"]
    body = [
        (2, ["王一", OK]),
        (3, ["", ""]),  # blank: read past, not a row
        (4, ["王二", OK2]),
        (5, ["王一", OK]),  # the same person again
        (6, ["某某", OK[:-1]]),  # 17 characters
        (7, ["陌生", STRANGER]),  # a valid ID the bank has no record of
        (8, ["李三", NEG]),
        (9, ["赵四", HELD]),
        (10, ["钱五", OLD]),
        (11, ["周七", NAMED]),  # the bank knows 孙六 under this ID
        (12, ["孙　六", NAMED]),  # not reached: the same ID again
    ]
    rows = rows_of(header, body)
    assert len(rows) == 10
    result = account(rows, KNOWN, DAY, [(13, "第2列是公式", "column 2 holds a formula")])
    assert result.rows == 11
    assert result.listed == ((OK, "321183"), (OK2, None))
    by_line = {o.row.line_no: o for o in result.not_listed}
    assert {line: o.reason for line, o in by_line.items()} == {
        5: "duplicate",
        6: "bad_id",
        7: "unknown",
        8: "negative",
        9: "holding",
        10: "age",
        11: "name_differs",
        12: "duplicate",
        13: "unreadable",
    }
    assert by_line[5].zh == "与第2行重复（同一身份证号）" and "line 2" in by_line[5].en
    assert by_line[6].zh.startswith("身份证号无效")
    assert by_line[12].zh == "与第11行重复（同一身份证号）"
    assert "孙六" not in by_line[11].zh + by_line[11].en  # the bank's own name is never shown
    assert len(result.listed) + len(result.not_listed) == result.rows
    counts = result.counts()
    assert list(counts) == list(REASONS) and sum(counts.values()) == len(result.not_listed)
    assert counts["duplicate"] == 2 and counts["unknown"] == 1
    assert [o.row.line_no for o in result.not_listed] == sorted(by_line)


def test_a_name_spaced_out_or_left_blank_is_the_same_person() -> None:
    rows = rows_of(["身份证号", "姓名"], [(2, [NAMED, "孙　六"]), (3, [OK, ""])])
    result = account(rows, KNOWN, DAY)
    assert [i for i, _r in result.listed] == [NAMED, OK] and result.not_listed == ()


def test_a_legacy_or_full_width_id_is_read_as_the_bank_keeps_it() -> None:
    legacy = OK[:6] + OK[8:17]  # the 15-digit form of a 19xx ID
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in OK2)
    rows = rows_of(["身份证号"], [(2, [legacy]), (3, [full_width])])
    assert valid_ids(rows, DAY) == [OK, OK2]
    assert [i for i, _r in account(rows, KNOWN, DAY).listed] == [OK, OK2]


def test_short_rows_and_reprs_hold_no_id() -> None:
    rows = rows_of(["姓名", "备注", "身份证号"], [(2, ["王一"])])
    result = account(rows, KNOWN, DAY)
    assert [o.reason for o in result.not_listed] == ["bad_id"]
    assert OK not in repr(rows_of(["身份证号"], [(2, [OK])])) and OK not in repr(result)
