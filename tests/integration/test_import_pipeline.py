"""Big files are parsed by a helper process while the database writes: same results, same refusals."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
import time
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
    monkeypatch.setattr(imports, "spare_core", lambda: True)  # however busy the machine running the tests
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


@pytest.mark.parametrize(
    ("cpus", "idle_ticks", "spare"),
    [
        (2, 200, True),
        (2, 160, True),
        (2, 140, False),
        (2, 30, False),
        (1, 100, False),
        (8, 160, True),
        (8, 100, False),
    ],
)
def test_a_helper_only_when_two_cores_are_idle_now(
    monkeypatch: pytest.MonkeyPatch, cpus: int, idle_ticks: int, spare: bool
) -> None:
    """Judged by what runs now: ``idle_ticks`` of every 100 ticks per core idle over the sample."""
    monkeypatch.undo()  # this test asks the real rule, not the fixture's
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    monkeypatch.setattr(os, "getloadavg", lambda: (9.0, 9.0, 9.0))  # a busy last minute is not asked
    samples = iter([(1_000, 5_000), (1_000 + idle_ticks, 5_000 + 100 * cpus)])
    monkeypatch.setattr(imports, "_cpu_times", lambda: next(samples))
    monkeypatch.setattr(imports.time, "sleep", lambda _s: None)
    assert imports.spare_core() is spare


@pytest.mark.parametrize(
    ("cpus", "load", "spare"),
    [(2, 0.3, True), (2, 1.0, True), (2, 1.6, False), (1, 0.0, False), (8, 6.5, True)],
)
def test_without_the_sample_the_load_average_decides(
    monkeypatch: pytest.MonkeyPatch, cpus: int, load: float, spare: bool
) -> None:
    monkeypatch.undo()
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    monkeypatch.setattr(imports, "_cpu_times", lambda: None)
    monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))
    assert imports.spare_core() is spare


def test_the_sample_reads_this_machine() -> None:
    idle = imports.idle_cores(0.05)
    assert idle is not None and 0.0 <= idle <= (os.cpu_count() or 1) + 0.01


def test_a_busy_machine_parses_in_the_importing_process(
    monkeypatch: pytest.MonkeyPatch, sqlite_store: Store, tmp_path: Path
) -> None:
    def no_helper(*_args: object) -> None:
        raise AssertionError("a helper process was started on a busy machine")

    monkeypatch.setattr(imports, "spare_core", lambda: False)
    monkeypatch.setattr(imports, "parse_file_in_child", no_helper)
    lines = [HEADER, *[f"P{i},{MAN},{GOV},局,2026-10-01,{i % 50 + 1}" for i in range(3_000)]]
    folder = tmp_path / "night"
    write(folder, "payroll_20261127.csv", lines)
    result = imports.import_paths(sqlite_store, [folder], today=TODAY).files[0]
    assert (result.status, result.loaded) == ("loaded", 3_000), result.error


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


IMPORTER = r"""
import datetime as dt, sys
from pathlib import Path
from teller_assist.settings import load_settings
from teller_assist.services.database import open_database
from teller_assist.services import imports
from teller_assist.services.imports import import_file
if __name__ == "__main__":  # the helper process is spawned: it imports this module again
    imports.spare_core = lambda: True  # the helper, however busy the machine running the tests
    opened = open_database(load_settings())
    print("ready", flush=True)
    import_file(opened.store, Path(sys.argv[1]), today=dt.date(2026, 11, 28))
    print("done", flush=True)
"""


def _process_table() -> dict[int, tuple[int, str, str]]:
    """Every process: pid -> (parent pid, state, command line), read from /proc."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        table[int(entry.name)] = (int(fields[1]), fields[0], cmdline)
    return table


def _running(pid: int) -> bool:
    """Whether ``pid`` still runs as one of multiprocessing's processes (a zombie has ended: only its
    parent, gone here, would reap it)."""
    entry = _process_table().get(pid)
    return entry is not None and entry[1] not in ("Z", "X") and "multiprocessing" in entry[2]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process table from /proc")
def test_sigkill_of_the_importer_ends_its_parsing_helper_and_the_resource_tracker(
    env: dict[str, str], tmp_path: Path
) -> None:
    employer = "句容市财政局机关服务中心"
    rows = [HEADER, *[f"K{i:09d},{MAN},{GOV},{employer},2026-10-01,{i % 900 + 1}" for i in range(230_000)]]
    big = write(tmp_path, "payroll_20261127.csv", rows)
    assert big.stat().st_size > 16 << 20  # the importer runs in its own process, at the shipped threshold
    script = tmp_path / "importer.py"
    script.write_text(IMPORTER)
    child_env = {**os.environ, **env, "TELLER_ASSIST_KEY_STORE": "demo-file"}
    importer = subprocess.Popen(
        [sys.executable, str(script), str(big)], stdout=subprocess.PIPE, text=True, env=child_env
    )
    helpers: dict[str, int] = {}
    try:
        assert importer.stdout is not None and importer.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 30
        while len(helpers) < 2 and time.monotonic() < deadline:
            for pid, (ppid, _state, cmdline) in _process_table().items():
                if ppid == importer.pid and "resource_tracker" in cmdline:
                    helpers["resource tracker"] = pid
                elif ppid == importer.pid and "spawn_main" in cmdline:
                    helpers["parsing helper"] = pid
            time.sleep(0.05)
        assert set(helpers) == {"resource tracker", "parsing helper"}, "the import never started its helper"
        importer.send_signal(signal.SIGKILL)
        importer.wait()
        deadline = time.monotonic() + 5
        while any(_running(pid) for pid in helpers.values()) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = {name: pid for name, pid in helpers.items() if _running(pid)}
        assert not left, f"still running 5 s after the importer was killed: {left}"
    finally:
        importer.kill()
        for pid in helpers.values():  # a helper left running holds the importer's output pipe open
            if _running(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        importer.communicate(timeout=30)
