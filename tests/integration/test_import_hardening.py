"""Imports that neither abort nor garble, on both engines: out-of-range amounts, duplicate transactions,
NUL bytes, huge fields and dates after the extract are refused rows, and the run goes on."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from teller_assist.services.imports import import_file, import_paths
from teller_assist.store.engine import Store
from teller_assist.store.models import Customer, ImportReject, PayrollCredit
from tests.helpers.cli import run_cli
from tests.helpers.extracts import GOV, MAN, WOMAN, rid, write

TODAY = dt.date(2026, 11, 28)
PAYROLL = "txn_id,id_no,employer_code,employer_name,pay_date,amount"


def count(store: Store, model: type) -> int:
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def refused(store: Store) -> list[tuple[int, str]]:
    with store.session() as s:
        rows = s.execute(select(ImportReject.line_no, ImportReject.reason).order_by(ImportReject.line_no))
        return [(line, reason) for line, reason in rows]


def payroll_amounts(store: Store) -> dict[str, int]:
    with store.session() as s:
        return {txn: fen for txn, fen in s.execute(select(PayrollCredit.txn_id, PayrollCredit.amount_fen))}


# --- 7: an amount beyond what the columns hold is a refused row, and the run goes on ----------------


def test_an_out_of_range_amount_is_a_refused_row_and_the_next_file_still_loads(
    store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "night"
    write(
        folder,
        "payroll_20261126.csv",
        [
            PAYROLL,
            f"A1,{MAN},{GOV},局,2026-10-01,8500",
            f"A2,{MAN},{GOV},局,2026-10-02,99999999999999999999",
            f"A3,{MAN},{GOV},局,2026-10-03,1000000000000.00",
            f"A4,{MAN},{GOV},局,2026-10-04,999999999999.99",
        ],
    )
    write(folder, "payroll_20261127.csv", [PAYROLL, f"B1,{WOMAN},{GOV},局,2026-11-01,6000"])
    report = import_paths(store, [folder], today=TODAY)
    first, second = report.files
    assert (first.status, first.loaded, first.rejected) == ("loaded", 2, 2), first.error
    assert (second.status, second.loaded) == ("loaded", 1), second.error
    assert report.exit_code == 1  # some rows refused, as the README says
    assert refused(store) == [
        (3, "金额超出范围（最大999,999,999,999.99元）"),
        (4, "金额超出范围（最大999,999,999,999.99元）"),
    ]
    assert payroll_amounts(store) == {"A1": 850_000, "A4": 99_999_999_999_999, "B1": 600_000}


def test_the_command_line_goes_on_after_an_out_of_range_amount(env: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "night"
    write(folder, "payroll_20261126.csv", [PAYROLL, f"A2,{MAN},{GOV},局,2026-10-02,99999999999999999999"])
    write(folder, "payroll_20261127.csv", [PAYROLL, f"B1,{WOMAN},{GOV},局,2026-11-01,6000"])
    result = run_cli("import", str(folder), "--json", env=env)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    files = {Path(f["path"]).name: f for f in json.loads(result.stdout)["files"]}
    assert files["payroll_20261126.csv"]["rejected"] == 1
    assert files["payroll_20261127.csv"]["loaded"] == 1


# --- 9: duplicates, NUL bytes, huge fields, dates after the extract --------------------------------


def test_a_duplicate_txn_id_with_other_values_is_refused_and_an_identical_one_counted_present(
    store: Store, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "payroll_20261127.csv",
        [
            PAYROLL,
            f"T1,{MAN},{GOV},局,2026-10-01,8500",
            f"T2,{MAN},{GOV},局,2026-10-02,100",
            f"T1,{MAN},{GOV},局,2026-10-01,8500",  # the same row again: one transaction delivered twice
            f"T1,{MAN},{GOV},局,2026-10-01,85000",  # the same key, another amount
            f"T2,{WOMAN},{GOV},局,2026-10-02,100",  # the same key, another person
        ],
    )
    result = import_file(store, path, today=TODAY)
    assert (result.rows, result.loaded, result.already_present, result.rejected) == (5, 3, 1, 2)
    assert refused(store) == [
        (5, "流水号在本文件中重复且内容不同（保留先出现的一行）"),
        (6, "流水号在本文件中重复且内容不同（保留先出现的一行）"),
    ]
    assert payroll_amounts(store) == {"T1": 850_000, "T2": 10_000}
    later = write(
        tmp_path / "later",
        "payroll_20261128.csv",
        [PAYROLL, f"T1,{MAN},{GOV},局,2026-10-01,8500", f"T2,{MAN},{GOV},局,2026-10-02,200"],
    )
    again = import_file(store, later, today=TODAY)
    assert (again.loaded, again.already_present, again.rejected) == (1, 1, 1)
    with store.session() as s:
        reasons = s.scalars(select(ImportReject.reason).where(ImportReject.batch_id == again.batch_id)).all()
    assert reasons == [f"流水号已由批次{result.batch_id}导入且内容不同"]
    assert payroll_amounts(store) == {"T1": 850_000, "T2": 10_000}


def test_duplicates_across_chunks_are_found_too(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from teller_assist.ingest import parse

    monkeypatch.setattr(parse, "CHUNK_ROWS", 3)  # PostgreSQL's plain COPY path, then the careful one
    rows = [f"T{i},{MAN},{GOV},局,2026-10-01,{100 + i}" for i in range(7)]
    rows += [f"T2,{MAN},{GOV},局,2026-10-01,102", f"T5,{MAN},{GOV},局,2026-10-01,1"]
    result = import_file(store, write(tmp_path, "payroll_20261127.csv", [PAYROLL, *rows]), today=TODAY)
    assert (result.loaded, result.already_present, result.rejected) == (8, 1, 1)
    assert refused(store) == [(10, "流水号在本文件中重复且内容不同（保留先出现的一行）")]


def test_a_nul_byte_is_the_same_refused_row_on_both_engines(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "customers_20261127.csv",
        ["id_no,name,address", f"{MAN},张\x00三,地址", f"{WOMAN},李四,江苏\x00句容", f"{rid(seq=61)},王五,"],
    )
    result = import_file(store, path, today=TODAY)
    assert (result.status, result.loaded, result.rejected) == ("loaded", 1, 2), result.error
    assert refused(store) == [(2, "含有空字符（NUL）"), (3, "含有空字符（NUL）")]
    with store.session() as s:
        assert s.scalars(select(Customer.name)).all() == ["王五"]
        raws = s.scalars(select(ImportReject.raw).order_by(ImportReject.line_no)).all()
    assert raws == [f"{MAN},张\u2400三,地址", f"{WOMAN},李四,江苏\u2400句容"]


def test_a_one_megabyte_field_is_too_long_not_broken_quoting(store: Store, tmp_path: Path) -> None:
    huge = "某" * (1 << 20)
    path = write(
        tmp_path,
        "customers_20261127.csv",
        ["id_no,name,address", f"{MAN},张三,{huge}", f'{WOMAN},李四,"{huge}"', f"{rid(seq=61)},王五,句容"],
    )
    result = import_file(store, path, today=TODAY)
    assert (result.status, result.loaded, result.rejected) == ("loaded", 1, 2), result.error
    too_long = "字段过长（第3列超过65536个字符）"
    assert refused(store) == [(2, too_long), (3, too_long)]
    with store.session() as s:
        longest = s.scalar(select(func.max(func.length(ImportReject.raw))))
    assert longest is not None and longest < 1000  # the row is kept cut short, not a megabyte of it


def test_an_unclosed_quote_across_lines_still_refuses_the_file(store: Store, tmp_path: Path) -> None:
    rest = [f"{rid(seq=101 + 2 * i)},某{i},{'x' * 900}" for i in range(100)]  # 90 KB inside the quote
    lines = ["id_no,name,address", f'{MAN},张三,"句容', *rest]
    result = import_file(store, write(tmp_path, "customers_20261127.csv", lines), today=TODAY)
    assert result.status == "refused" and result.error is not None and "第2行" in result.error
    assert count(store, Customer) == 0


@pytest.mark.parametrize(
    ("name", "header", "row", "reason"),
    [
        ("payroll_20261127.csv", PAYROLL, f"X,{MAN},{GOV},局,2099-01-01,1", "发放日期晚于数据日期2026-11-27"),
        ("payroll_20261127.csv", PAYROLL, f"X,{MAN},{GOV},局,20261128,1", "发放日期晚于数据日期2026-11-27"),
        (
            "drawdowns_20261127.csv",
            "txn_id,id_no,drawn_on,amount",
            f"X,{MAN},2027-01-01,100",
            "用信日期晚于数据日期2026-11-27",
        ),
        (
            "utility_agreements_20261127.csv",
            "agreement_no,id_no,utility,signed_on,status,cancelled_on",
            f"W1,{MAN},水费,2030-01-01,,",
            "签约日期晚于数据日期2026-11-27",
        ),
        (
            "utility_agreements_20261127.csv",
            "agreement_no,id_no,utility,signed_on,status,cancelled_on",
            f"W1,{MAN},水费,2020-01-01,解约,2099-12-31",
            "解约日期晚于数据日期2026-11-27",
        ),
        (
            "negative_list_20261127.csv",
            "id_no,reason,listed_on",
            f"{MAN},fraud,2099-01-01",
            "列入日期晚于数据日期2026-11-27",
        ),
        ("payroll_x.csv", PAYROLL, f"X,{MAN},{GOV},局,2026-11-29,100", "发放日期晚于数据日期2026-11-28"),
    ],
)
def test_events_after_the_extract_date_are_refused_rows(
    store: Store, tmp_path: Path, name: str, header: str, row: str, reason: str
) -> None:
    ok = {
        "payroll": f"OK,{MAN},{GOV},局,2026-11-27,100",
        "drawdowns": f"OK,{MAN},2026-11-27,100",
        "utility_agreements": f"W0,{MAN},电费,2026-11-27,,",
        "negative_list": f"{WOMAN},fraud,2026-11-27",
    }
    kind = next(k for k in ok if name.startswith(k))
    result = import_file(store, write(tmp_path, name, [header, ok[kind], row]), today=TODAY)
    assert (result.status, result.loaded, result.rejected) == ("loaded", 1, 1), result.error
    assert refused(store) == [(3, reason)]
