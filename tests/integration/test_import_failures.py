"""Imports that go wrong: a read-only or full database, a kill mid-file, hostile bytes and rows."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select

from teller_assist.ingest.fields import RowError
from teller_assist.ingest.kinds import KINDS
from teller_assist.services.imports import import_file
from teller_assist.store.engine import Store
from teller_assist.store.models import Customer, ImportBatch, PayrollCredit
from tests.helpers.extracts import GOV, MAN, rid, write

TODAY = dt.date(2026, 11, 28)


def counts(store: Store) -> tuple[int, int]:
    with store.session() as s:
        return (
            s.scalar(select(func.count()).select_from(ImportBatch)) or 0,
            s.scalar(select(func.count()).select_from(Customer)) or 0,
        )


def customers_file(folder: Path, n: int, name: str = "customers_1.csv") -> Path:
    return write(
        folder,
        name,
        [
            "id_no,name",
            *[
                f"{rid(seq=1 + (i % 499) * 2, born=dt.date(1960, 1, 1) + dt.timedelta(days=i // 499))},某"
                for i in range(n)
            ],
        ],
    )


def test_read_only_database_gives_a_clear_error_and_writes_nothing(
    sqlite_store: Store, tmp_path: Path
) -> None:
    def read_only(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA query_only = ON")

    sqlite_store.engine.dispose()
    event.listen(sqlite_store.engine, "connect", read_only)
    result = import_file(sqlite_store, customers_file(tmp_path, 50), today=TODAY)
    event.remove(sqlite_store.engine, "connect", read_only)
    sqlite_store.engine.dispose()
    assert result.status == "refused"
    assert result.error is not None and "只读" in result.error
    assert counts(sqlite_store) == (0, 0)


def test_full_disk_gives_a_clear_error_and_writes_nothing(sqlite_store: Store, tmp_path: Path) -> None:
    with sqlite_store.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()

    def tiny_disk(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 5}")

    sqlite_store.engine.dispose()
    event.listen(sqlite_store.engine, "connect", tiny_disk)
    result = import_file(sqlite_store, customers_file(tmp_path, 20_000), today=TODAY)
    event.remove(sqlite_store.engine, "connect", tiny_disk)
    sqlite_store.engine.dispose()
    assert result.status == "refused"
    assert result.error is not None and "磁盘已满" in result.error
    assert counts(sqlite_store) == (0, 0)


KILLER = r"""
import datetime as dt, sys
from pathlib import Path
from teller_assist.settings import load_settings
from teller_assist.services.database import open_database
from teller_assist.services.imports import import_file
opened = open_database(load_settings())
print("ready", flush=True)
result = import_file(opened.store, Path(sys.argv[1]), today=dt.date(2026, 11, 28))
print(result.status, flush=True)
"""


@pytest.mark.slow
@pytest.mark.long
def test_sigkill_at_20_random_points_leaves_no_partial_batch(
    sqlite_store: Store, env: dict[str, str], tmp_path: Path
) -> None:
    header = "txn_id,id_no,employer_code,employer_name,pay_date,amount"
    big = write(
        tmp_path,
        "payroll_20261127.csv",
        [header, *[f"K{i},{MAN},{GOV},局,2026-10-01,{i % 900 + 1}" for i in range(150_000)]],
    )
    script = tmp_path / "killer.py"
    script.write_text(KILLER)
    child_env = {**os.environ, **env, "TELLER_ASSIST_KEY_STORE": "demo-file"}
    rng = random.Random(20261128)
    sqlite_store.engine.dispose()
    outcomes = []
    for _ in range(20):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(big)], stdout=subprocess.PIPE, text=True, env=child_env
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 1.6))
        proc.send_signal(signal.SIGKILL)
        rest = proc.communicate()[0]
        outcomes.append("loaded" in rest)
        with sqlite_store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
            batches = conn.exec_driver_sql(
                "SELECT count(*), coalesce(sum(rows_loaded), 0) FROM import_batch"
            ).one()
            rows = conn.exec_driver_sql("SELECT count(*) FROM payroll_credit").scalar_one()
        assert batches in ((0, 0), (1, 150_000))
        assert rows == batches[1]  # never a partial batch
        if batches[0]:
            break
        sqlite_store.engine.dispose()
    assert not all(outcomes), "at least one kill landed mid-import"
    result = import_file(sqlite_store, big, today=TODAY)
    assert result.status in ("loaded", "skipped")
    with sqlite_store.session() as s:
        assert s.scalar(select(func.count()).select_from(PayrollCredit)) == 150_000


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), kind=st.sampled_from(sorted(KINDS)))
def test_arbitrary_bytes_never_raise(sqlite_store: Store, tmp_path: Path, data: bytes, kind: str) -> None:
    path = tmp_path / f"{kind}_fuzz.csv"
    path.write_bytes(data)
    result = import_file(sqlite_store, path, kind=kind, today=TODAY)
    assert result.status in ("loaded", "refused", "skipped")
    if result.status == "refused":
        assert result.error


@settings(max_examples=200, deadline=None)
@given(kind=st.sampled_from(sorted(KINDS)), values=st.lists(st.text(max_size=24), min_size=9, max_size=9))
def test_arbitrary_rows_are_parsed_or_refused_with_a_reason(kind: str, values: list[str]) -> None:
    spec = KINDS[kind]
    reason = ""
    try:
        row = spec.parse(values[: len(spec.columns)], TODAY, TODAY)
    except RowError as exc:
        reason = str(exc)
        assert reason, "a refused row always says why"
    else:
        assert len(row) == len(spec.columns)


_examples = iter(range(1_000_000))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=10),
        min_size=1,
        max_size=5,
    )
)
def test_generated_names_round_trip_through_gb18030_and_utf8(
    sqlite_store: Store, tmp_path: Path, names: list[str]
) -> None:
    """Any name, written in either encoding, reads back from the database as written (less the
    surrounding spaces the importer trims); a name that is only spaces, or holds a NUL byte (which one
    engine cannot store), is refused; nothing else is."""
    import csv
    import io

    for encoding in ("utf-8", "gb18030"):
        # people of this example and encoding only: the store lives across examples
        born = dt.date(1900, 1, 1) + dt.timedelta(days=next(_examples))
        ids = [rid(seq=301 + 2 * i, born=born) for i in range(len(names))]
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["id_no", "name"])
        writer.writerows(zip(ids, names, strict=True))
        path = tmp_path / f"customers_{encoding}.csv"
        path.write_bytes(buffer.getvalue().encode(encoding))
        # GB18030 bytes may also be valid UTF-8 (牟 is C4 B2, which UTF-8 reads as Ĳ), so the
        # encoding is named for it; detection itself is tested in test_import.py
        result = import_file(sqlite_store, path, encoding=encoding, today=TODAY)
        blank = [i for i, name in enumerate(names) if not name.strip() or "\x00" in name]
        assert (result.status, result.loaded, result.rejected) == (
            "loaded",
            len(names) - len(blank),
            len(blank),
        ), result.error
        with sqlite_store.session() as s:
            rows = s.execute(select(Customer.id_no, Customer.name).where(Customer.id_no.in_(ids)))
            stored = dict(rows.all())
        assert stored == {ids[i]: name.strip() for i, name in enumerate(names) if i not in blank}
