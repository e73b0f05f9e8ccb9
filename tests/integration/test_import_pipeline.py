"""Big files are parsed by a helper process while the database writes: same results, same refusals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from teller_assist.ingest import parse
from teller_assist.services import imports
from teller_assist.services.imports import ImportCancelled, import_file
from teller_assist.store.engine import Store
from teller_assist.store.models import ImportBatch, ImportReject, PayrollCredit
from tests.helpers.extracts import GOV, MAN, write

TODAY = dt.date(2026, 11, 28)
HEADER = "txn_id,id_no,employer_code,employer_name,pay_date,amount"


@pytest.fixture(autouse=True)
def pipeline_for_every_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "PIPELINE_BYTES", 0)
    monkeypatch.setattr(parse, "CHUNK_ROWS", 1_000)


def test_pipelined_import_loads_and_refuses_like_the_inline_one(store: Store, tmp_path: Path) -> None:
    lines = [HEADER, *[f"P{i},{MAN},{GOV},局,2026-10-01,{i % 50 + 1}" for i in range(12_000)]]
    lines[5000] = f"BAD,{MAN},{GOV},局,2026-10-01,0"
    result = import_file(store, write(tmp_path, "payroll_20261127.csv", lines), today=TODAY)
    assert result.status == "loaded", result.error
    assert (result.rows, result.loaded, result.rejected) == (12_000, 11_999, 1)
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(PayrollCredit)) == 11_999
        assert s.execute(select(ImportReject.line_no, ImportReject.reason)).all() == [(5001, "金额必须大于0")]


def test_pipelined_refusal_mid_file_writes_nothing(store: Store, tmp_path: Path) -> None:
    lines = [
        HEADER,
        *[f"P{i},{MAN},{GOV},局,2026-10-01,1" for i in range(6_000)],
        f'X,{MAN},"{GOV},局,x,1',
        *[f"Q{i},{MAN},{GOV},局,2026-10-01,1" for i in range(10)],
    ]
    result = import_file(store, write(tmp_path, "payroll_20261127.csv", lines), today=TODAY)
    assert result.status == "refused"
    assert result.error is not None and "第6002行" in result.error
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0
        assert s.scalar(select(func.count()).select_from(PayrollCredit)) == 0


def test_pipelined_cancel_stops_the_helper_and_writes_nothing(sqlite_store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "payroll_20261127.csv",
        [HEADER, *[f"P{i},{MAN},{GOV},局,2026-10-01,1" for i in range(20_000)]],
    )
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(ImportCancelled):
        import_file(sqlite_store, path, today=TODAY, cancelled=cancelled)
    with sqlite_store.session() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0
    import multiprocessing

    assert not [p for p in multiprocessing.active_children() if p.name == "teller-assist-parse"]
