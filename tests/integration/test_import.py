"""Importing extracts into real SQLite (encrypted) and PostgreSQL: every rule of spec/extracts.md."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from teller_assist.services.context import Context
from teller_assist.services.imports import import_file, import_paths
from teller_assist.settings import Settings
from teller_assist.store.engine import Store
from teller_assist.store.migrate import HEAD, current_revision
from teller_assist.store.models import (
    Customer,
    ImportBatch,
    ImportReject,
    NegativeListEntry,
    PayrollCredit,
    Target,
    UtilityDebit,
)
from teller_assist.store.queries import db_stats, overview
from tests.helpers.extracts import COMPANY, GOV, MAN, OLD, WOMAN, rid, write

TODAY = dt.date(2026, 11, 28)


def count(store: Store, model: type) -> int:
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def rejects(store: Store) -> list[tuple[int, str]]:
    with store.session() as s:
        return [
            tuple(r)
            for r in s.execute(
                select(ImportReject.line_no, ImportReject.reason).order_by(ImportReject.line_no)
            )
        ]  # type: ignore[misc]


def test_customers_in_gb18030_with_chinese_headers_in_any_order(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "customers_20261127.csv",
        [
            "姓名,身份证号,性别,手机号,出生日期,备用列",
            f"刘䶮,{MAN},男,13951234567,19850314,x",
            f"王𠀀,{WOMAN.lower()},女,,1985-03-14,y",
        ],
        encoding="gb18030",
    )
    result = import_file(store, path, kind="customers", today=TODAY)
    assert result.status == "loaded", result.error
    assert (result.rows, result.loaded, result.rejected) == (2, 2, 0)
    assert any("备用列" in w for w in result.warnings)
    with store.session() as s:
        names = dict(s.execute(select(Customer.id_no, Customer.name)).all())
        batch = s.scalar(select(ImportBatch))
    assert names == {MAN: "刘䶮", WOMAN: "王𠀀"}  # GB18030-only characters survive
    assert batch is not None and batch.extract_date == dt.date(2026, 11, 27)


def test_what_every_open_reads_on_either_engine(store: Store, tmp_path: Path) -> None:
    """The open's plain SQL: the revision, anyone there, the batches and the newest extract as a date."""
    assert current_revision(store) == HEAD
    before = overview(store)
    assert (before.has_customers, before.batches, before.latest_extract) == (False, 0, None)
    for day, person in (("20261126", MAN), ("20261127", WOMAN)):
        path = write(tmp_path, f"customers_{day}.csv", ["姓名,身份证号", f"刘䶮,{person}"], encoding="utf-8")
        assert import_file(store, path, kind="customers", today=TODAY).status == "loaded"
    after = overview(store)
    assert (after.has_customers, after.batches, after.latest_extract) == (True, 2, dt.date(2026, 11, 27))


def test_utf8_is_never_decoded_as_gb18030(store: Store, tmp_path: Path) -> None:
    for i, (encoding, name) in enumerate((("utf-8", "涂䶮"), ("utf-8-sig", "𠀀宇"))):
        path = write(
            tmp_path, f"customers_{i}.csv", ["id_no,name", f"{rid(seq=41 + 2 * i)},{name}"], encoding=encoding
        )
        assert import_file(store, path, kind="customers", today=TODAY).status == "loaded"
    with store.session() as s:
        assert sorted(s.scalars(select(Customer.name))) == sorted(["涂䶮", "𠀀宇"])


@pytest.mark.parametrize("delimiter", [",", "|", "\t"])
def test_delimiters_amounts_and_date_forms(store: Store, tmp_path: Path, delimiter: str) -> None:
    amount = '"8,523.50"' if delimiter == "," else "8,523.50"
    lines = [
        delimiter.join(["pay_date", "amount", "txn_id", "id_no", "employer_code", "employer_name"]),
        delimiter.join(["2026-10-15", amount, "T1", MAN, GOV, "句容市财政局"]),
        delimiter.join(["20261115", "6000", "T2", MAN, GOV, "句容市财政局"]),
    ]
    result = import_file(store, write(tmp_path, "payroll_20261127.csv", lines), today=TODAY)
    assert result.status == "loaded" and result.loaded == 2, result.error
    with store.session() as s:
        rows = s.execute(
            select(PayrollCredit.txn_id, PayrollCredit.amount_fen, PayrollCredit.pay_date).order_by(
                PayrollCredit.txn_id
            )
        ).all()
    assert rows == [("T1", 852350, dt.date(2026, 10, 15)), ("T2", 600000, dt.date(2026, 11, 15))]


def test_row_rules_refuse_rows_with_line_and_reason_and_keep_the_rest(store: Store, tmp_path: Path) -> None:
    bad_check = MAN[:-1] + ("0" if MAN[-1] != "0" else "1")
    path = write(
        tmp_path,
        "customers_20261127.csv",
        [
            "id_no,name,gender,birth_date,phone,address",
            f"{MAN},张三,M,,,",
            f'{WOMAN},李四,M,,,"multi-line',
            'address, with comma"',
            f"{bad_check},王五,,,,",
            f"{OLD},赵六,,19500602,,",
            f"{rid(seq=51)},钱七,,,1234,",
            f"{rid(seq=53)},孙八,,,",
            f"{'１' * 0}{rid(seq=55).replace('3', '３')},周九,,,,",
            ",无名,,,,",
        ],
    )
    result = import_file(store, path, today=TODAY)
    assert result.status == "loaded"
    assert (result.rows, result.loaded, result.rejected) == (8, 2, 6)
    assert rejects(store) == [
        (3, "性别与身份证不符"),
        (5, "身份证校验位错误"),
        (6, "出生日期与身份证不符"),
        (7, "手机号格式错误（应为11位大陆手机号）"),
        (8, "列数不符：表头6列，本行5列"),
        (10, "身份证号为空"),
    ]
    with store.session() as s:
        assert set(s.scalars(select(Customer.id_no))) == {MAN, rid(seq=55)}  # full-width digits normalised


def test_amount_and_uscc_reasons(store: Store, tmp_path: Path) -> None:
    bad_uscc = GOV[:-1] + ("0" if GOV[-1] != "0" else "1")
    path = write(
        tmp_path,
        "payroll_x.csv",
        [
            "txn_id,id_no,employer_code,employer_name,pay_date,amount",
            f"A1,{MAN},{GOV},局,2026-10-01,0",
            f"A2,{MAN},{bad_uscc},局,2026-10-01,100",
            f"A3,{MAN},{COMPANY},公司,2026-13-01,100",
            f"A4,{MAN},{COMPANY},公司,2026-10-01,1.234",
            f"A5,{MAN},{COMPANY},公司,2026-10-01,100",
        ],
    )
    result = import_file(store, path, today=TODAY)
    assert result.loaded == 1
    assert [r for _, r in rejects(store)] == [
        "金额必须大于0",
        "单位信用代码校验位错误",
        "发放日期格式错误（应为YYYY-MM-DD或YYYYMMDD）",
        "金额格式错误（元，最多两位小数）",
    ]


def test_missing_required_column_refuses_the_file_before_anything_is_written(
    store: Store, tmp_path: Path
) -> None:
    path = write(
        tmp_path, "payroll_1.csv", ["txn_id,id_no,employer_name,pay_date,amount", f"A,{MAN},x,20261001,1"]
    )
    result = import_file(store, path, today=TODAY)
    assert result.status == "refused"
    assert result.error is not None and "单位信用代码" in result.error
    assert count(store, ImportBatch) == 0


def test_unclosed_quote_is_an_error_with_its_line_not_a_swallowed_file(store: Store, tmp_path: Path) -> None:
    lines = [
        "id_no,name",
        f"{MAN},张三",
        f'{WOMAN},"李四',
        *[f"{rid(seq=100 + 2 * i)},某{i}" for i in range(5)],
    ]
    result = import_file(store, write(tmp_path, "customers_q.csv", lines), today=TODAY)
    assert result.status == "refused"
    assert result.error is not None and "第3行" in result.error
    assert count(store, Customer) == 0 and count(store, ImportBatch) == 0


def test_encoding_override_and_a_wrong_one(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "customers_e.csv", ["身份证号,姓名", f"{MAN},张三"], encoding="gb18030")
    wrong = import_file(store, path, encoding="utf-8", today=TODAY)
    assert wrong.status == "refused" and wrong.error is not None and "第1行" in wrong.error
    assert import_file(store, path, encoding="gbk", today=TODAY).status == "loaded"


def test_reimport_is_a_noop_and_overlaps_never_duplicate(store: Store, tmp_path: Path) -> None:
    header = "txn_id,id_no,employer_code,employer_name,pay_date,amount"
    first = write(
        tmp_path,
        "payroll_20261126.csv",
        [header, *[f"T{i},{MAN},{GOV},局,2026-10-0{i},100" for i in range(1, 4)]],
    )
    assert import_file(store, first, today=TODAY).loaded == 3
    again = import_file(store, first, today=TODAY)
    assert again.status == "skipped" and "批次" in again.warnings[0]
    overlap = write(
        tmp_path,
        "payroll_20261127.csv",
        [header, *[f"T{i},{MAN},{GOV},局,2026-10-0{i},100" for i in range(2, 6)]],
    )
    result = import_file(store, overlap, today=TODAY)
    assert (result.loaded, result.already_present) == (4, 2)
    assert count(store, PayrollCredit) == 5
    assert count(store, ImportBatch) == 2


def test_customers_upsert_keeps_columns_the_new_file_lacks(store: Store, tmp_path: Path) -> None:
    write(tmp_path / "a", "customers_1.csv", ["id_no,name,phone", f"{MAN},张三,13951234567"])
    write(tmp_path / "b", "customers_2.csv", ["id_no,name", f"{MAN},张叁", f"{MAN},张叁丰"])
    import_paths(store, [tmp_path / "a", tmp_path / "b"], today=TODAY)
    with store.session() as s:
        assert s.execute(select(Customer.name, Customer.phone)).all() == [("张叁丰", "13951234567")]


def test_a_key_met_again_chunks_later_updates_and_loses_no_earlier_chunk(
    store: Store, tmp_path: Path
) -> None:
    # the writer inserts plainly until a key collides, then rolls that chunk back and upserts from there:
    # the chunks before it stay, the colliding chunk is all there, and the last row for a key wins
    people = [rid(born=dt.date(1960, 1, 1) + dt.timedelta(days=i // 400), seq=i % 400) for i in range(5_003)]
    lines = ["id_no,name,phone"] + [f"{p},甲{i},13951234567" for i, p in enumerate(people)]
    lines.append(f"{people[0]},乙,")  # line 5,005: the first person again, in the second chunk
    write(tmp_path / "a", "customers_1.csv", lines)
    result = import_paths(store, [tmp_path / "a"], today=TODAY).files[0]
    assert (result.status, result.rows, result.loaded, result.rejected) == ("loaded", 5_004, 5_004, 0)
    assert count(store, Customer) == 5_003
    with store.session() as s:
        assert s.execute(select(Customer.name).where(Customer.id_no == people[0])).scalar_one() == "乙"
        last = s.execute(select(Customer.name).where(Customer.id_no == people[5_002])).scalar_one()
        assert last == "甲5002"
        # a column the later row leaves empty is overwritten with nothing, as any upsert of the file does
        assert s.execute(select(Customer.phone).where(Customer.id_no == people[0])).scalar_one() is None


def test_the_overview_asks_whether_anyone_is_there_and_counts_only_when_asked(
    store: Store, tmp_path: Path
) -> None:
    from sqlalchemy import event

    from teller_assist.store.queries import overview

    assert overview(store).empty and overview(store).customers == 0
    write(tmp_path, "customers_1.csv", ["id_no,name", f"{MAN},张三", f"{WOMAN},李四", f"{OLD},王五"])
    import_paths(store, [tmp_path], today=TODAY)
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(" ".join(statement.lower().split()))

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        shown = overview(store)
        assert not shown.empty and shown.has_customers
        assert not [s for s in statements if "count(" in s and "from customer" in s], statements
        assert shown.customers == 3 and shown.customers == 3  # counted once, when asked for
        assert len([s for s in statements if "count(" in s and "from customer" in s]) == 1, statements
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)


def test_negative_list_replaces_and_keeps_history(store: Store, tmp_path: Path) -> None:
    header = "身份证号|原因|列入日期|备注"
    a, b, c = rid(seq=61), rid(seq=63), rid(seq=65)
    write(
        tmp_path / "1",
        "negative_list_20261126.csv",
        [header, f"{a}|fraud|20250101|x", f"{b}|征信|20250102|"],
        encoding="gb18030",
    )
    write(
        tmp_path / "2",
        "negative_list_20261127.csv",
        [header, f"{b}|court_defaulter||新备注", f"{c}|bad_habit||"],
        encoding="gb18030",
    )
    import_paths(store, [tmp_path / "1"], today=dt.date(2026, 11, 26))
    import_paths(store, [tmp_path / "2"], today=dt.date(2026, 11, 27))
    with store.session() as s:
        rows = {(e.id_no, e.reason, e.lifted_on) for e in s.scalars(select(NegativeListEntry))}
    assert rows == {(a, "fraud", dt.date(2026, 11, 27)), (b, "court_defaulter", None), (c, "bad_habit", None)}
    empty = write(tmp_path / "3", "negative_list_20261128.csv", [header])
    refused = import_file(store, empty, today=TODAY)
    assert refused.status == "refused" and refused.error is not None and "2人" in refused.error


def test_debits_may_reference_agreements_of_the_same_run(store: Store, tmp_path: Path) -> None:
    write(
        tmp_path,
        "utility_debits_20261127.csv",
        [
            "txn_id,agreement_no,debit_date,amount,result",
            "D1,W1,2026-10-20,58.20,成功",
            "D2,W9,2026-10-20,10,ok",
            "D3,W1,2026-11-20,61,失败",
        ],
    )
    write(
        tmp_path,
        "utility_agreements_20261127.csv",
        ["协议号\t身份证号\t代扣类型\t签约日期", f"W1\t{MAN}\t电费\t20200101"],
        encoding="utf-8-sig",
    )
    report = import_paths(store, [tmp_path], today=TODAY)
    assert [f.kind for f in report.files] == ["utility_agreements", "utility_debits"]
    debits = report.files[1]
    assert (debits.loaded, debits.rejected) == (2, 1)
    assert rejects(store) == [(3, "代扣协议不存在（协议号未导入）")]
    with store.session() as s:
        assert sorted(s.execute(select(UtilityDebit.txn_id, UtilityDebit.result)).all()) == [
            ("D1", "ok"),
            ("D3", "failed"),
        ]
    assert report.exit_code == 1


def test_targets_take_the_branch_of_their_region(store: Store, tmp_path: Path) -> None:
    people = [rid(seq=71), rid(seq=73), rid(seq=75)]
    write(
        tmp_path,
        "customers_1.csv",
        [
            "id_no,name,branch_code,region_code",
            f"{people[0]},甲,0101,321183",
            f"{people[1]},乙,0101,321183",
            f"{people[2]},丙,0102,321183",
        ],
    )
    write(
        tmp_path,
        "targets_1.csv",
        [
            "活动,身份证号,网点号,场景",
            f"2026-walk-in,{people[2]},,进门授信",
            f"2026-walk-in,{people[0]},0109,walk_in",
        ],
        encoding="gb18030",
    )
    import_paths(store, [tmp_path], today=TODAY)
    with store.session() as s:
        branches = dict(s.execute(select(Target.id_no, Target.branch_code)).all())
        scenarios = set(s.scalars(select(Target.scenario)))
    assert branches == {people[2]: "0101", people[0]: "0109"}
    assert scenarios == {"walk_in"}


def test_unknown_kind_and_missing_file(store: Store, tmp_path: Path) -> None:
    odd = write(tmp_path, "stuff.csv", ["a,b", "1,2"])
    result = import_file(store, odd, kind=None, today=TODAY)
    assert result.status == "refused" and result.error is not None and "--kind" in result.error
    missing = import_file(store, tmp_path / "customers_none.csv", kind="customers", today=TODAY)
    assert missing.status == "refused"


def test_same_fixture_same_stats_on_both_engines(
    sqlite_store: Store, postgres_url: str, env: dict[str, str], tmp_path: Path
) -> None:
    from teller_assist.demo.county import generate_county
    from teller_assist.services.database import open_database
    from teller_assist.settings import load_settings

    generate_county(tmp_path / "county", people=1500, seed=5, as_of=TODAY, processes=1)
    pg = open_database(load_settings(env, database_url=postgres_url)).store
    try:
        stats = []
        for store in (sqlite_store, pg):
            report = import_paths(store, [tmp_path / "county"], today=TODAY)
            assert report.exit_code == 0, report.to_json()
            s = db_stats(store)
            stats.append(
                (
                    [(k.kind, k.rows, k.latest_file, k.latest_extract) for k in s.kinds],
                    s.negative_active,
                    s.batches,
                    s.rejects,
                )
            )
        assert stats[0] == stats[1]
        assert stats[0][0][0][1] == 1500
    finally:
        pg.dispose()


def test_exported_rejects_mask_ids_in_reasons_too(
    sqlite_store: Store, settings: Settings, tmp_path: Path
) -> None:
    from teller_assist.services.imports import Importer, export_rejects

    path = write(
        tmp_path,
        "utility_agreements_1.csv",
        ["agreement_no,id_no,utility,signed_on", f"W1,{MAN},{WOMAN},2020-01-01"],
    )
    assert import_file(sqlite_store, path, today=TODAY).rejected == 1
    out = tmp_path / "rejects.csv"
    assert export_rejects(Context(sqlite_store, settings), out, by=Importer("os:test")) == 1
    text = out.read_text(encoding="utf-8-sig")
    assert "代扣类型无效" in text and WOMAN not in text and MAN not in text
