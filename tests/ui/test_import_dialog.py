"""The import dialog on a real encrypted database: progress, summary, refused rows, export, cancel."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from teller_assist.services.clock import Clock
from teller_assist.services.context import Context
from teller_assist.settings import Settings
from teller_assist.store.audit import export_rows
from teller_assist.store.engine import Store
from teller_assist.store.models import ImportBatch, PayrollCredit
from teller_assist.ui.fonts import install_fonts
from teller_assist.ui.import_dialog import ImportDialog
from teller_assist.ui.main_window import MainWindow
from tests.helpers.extracts import GOV, MAN, WOMAN, rid, write
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import make_operator

TODAY = dt.date(2026, 11, 28)


def dialog_for(qtbot: QtBot, store: Store, settings: Settings) -> ImportDialog:
    QApplication.setFont(install_fonts())
    admin = make_operator(store, "hq1", "hq_admin")
    dialog = ImportDialog(Context(store, settings, clock=Clock.on(TODAY)), operator=admin)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_imports_a_folder_shows_summary_and_masked_rejects_and_exports_them(
    qtbot: QtBot, sqlite_store: Store, settings: Settings, tmp_path: Path
) -> None:
    write(
        tmp_path / "in",
        "customers_20261127.csv",
        ["id_no,name,phone", f"{MAN},张三,13951234567", f"{WOMAN},李四,13951234567x", f"{rid(seq=33)},王五,"],
    )
    write(
        tmp_path / "in",
        "payroll_20261127.csv",
        ["txn_id,id_no,employer_code,employer_name,pay_date,amount", f"T1,{MAN},{GOV},局,2026-10-01,100"],
    )
    dialog = dialog_for(qtbot, sqlite_store, settings)
    dialog.set_paths([tmp_path / "in"])
    assert dialog.start_button.isEnabled()
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.task is None and dialog.report is not None, timeout=20_000)
    assert dialog.progress.value() == 1000
    assert dialog.summary.rowCount() == 2
    assert dialog.summary.item(0, 2).text() == "已导入"
    assert dialog.summary.item(0, 5).text() == "1"
    assert dialog.rejects_table.rowCount() == 1
    shown = dialog.rejects_table.item(0, 3).text()
    assert WOMAN not in shown and WOMAN[:4] in shown
    assert dialog.rejects_table.item(0, 2).text() == "手机号格式错误（应为11位大陆手机号）"
    out = tmp_path / "rejects.csv"
    assert dialog.export_button.isEnabled()
    assert dialog.export_to(out) == 1
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][3] == "3" and WOMAN not in out.read_text(encoding="utf-8-sig")
    exported = [r for r in export_rows(sqlite_store, None, None) if r.action == "export"]
    assert [(r.operator, r.subject) for r in exported] == [("hq1", "rejects")]  # audited under its admin
    assert dialog.cancel_button.text() == "关闭"


def test_refused_rows_are_not_exported_while_the_window_is_locked(
    qtbot: QtBot, sqlite_store: Store, settings: Settings, tmp_path: Path
) -> None:
    QApplication.setFont(install_fonts())
    admin = make_operator(sqlite_store, "hq1", "hq_admin")
    on_today = Context(sqlite_store, settings, clock=Clock.on(TODAY))
    dialog = ImportDialog(on_today, operator=admin, locked=lambda: True)
    qtbot.addWidget(dialog)
    out = tmp_path / "rejects.csv"
    assert dialog.export_to(out) == 0
    assert not out.exists() and "屏幕已锁定" in dialog.progress_label.text()
    assert not [r for r in export_rows(sqlite_store, None, None) if r.action == "export"]


def test_cancel_writes_nothing(qtbot: QtBot, sqlite_store: Store, settings: Settings, tmp_path: Path) -> None:
    header = "txn_id,id_no,employer_code,employer_name,pay_date,amount"
    write(
        tmp_path,
        "payroll_20261127.csv",
        [header, *[f"C{i},{MAN},{GOV},局,2026-10-01,1" for i in range(60_000)]],
    )
    dialog = dialog_for(qtbot, sqlite_store, settings)
    dialog.set_paths([tmp_path / "payroll_20261127.csv"])
    dialog.start()
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20_000)
    assert "已取消" in dialog.progress_label.text()
    with sqlite_store.session() as s:
        assert s.scalar(select(func.count()).select_from(PayrollCredit)) == 0
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_first_start_loads_the_demo_county_in_the_background(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    QApplication.setFont(install_fonts())
    window = MainWindow(settings, clock=Clock.on(TODAY))
    qtbot.addWidget(window)
    window.show()
    window.start()
    assert window.opened is not None and window.opened.overview.empty and window.store is not None
    window.sign_in(make_operator(window.store, "hq1", "hq_admin"))
    window.load_demo(ask=False, people=800)
    assert window.demo_progress is not None and window.demo_progress.isVisible()
    qtbot.waitUntil(lambda: window.demo_task is None, timeout=60_000)
    assert window.opened.overview.customers == 800
    assert "已载入客户 800 人" in window.counter.empty_state.text()


def test_a_skipped_file_shows_nothing_loaded_now_and_a_new_choice_clears_the_last_run(
    qtbot: QtBot, sqlite_store: Store, settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "night"
    write(folder, "customers_20261127.csv", ["id_no,name", f"{MAN},张三", f"{rid(seq=33)},王五"])
    dialog = dialog_for(qtbot, sqlite_store, settings)
    for _run in range(2):  # the same night's file twice: the second time it is skipped
        dialog.set_paths([folder])
        dialog.start()
        qtbot.waitUntil(lambda: dialog.task is None and dialog.report is not None, timeout=20_000)
    cells = [dialog.summary.item(0, c).text() for c in range(7)]
    assert cells[2] == "已跳过（此前已导入）"
    assert cells[3:6] == ["—", "0", "—"]  # not 行数 0 / 导入 2: nothing was read or loaded now
    assert "2行" in cells[6] and dialog.summary.item(0, 6).toolTip() == cells[6]  # the whole note on hover
    dialog.set_paths([tmp_path / "another"])  # a new folder: the last run's results go
    assert dialog.summary.rowCount() == 0 and dialog.rejects_table.rowCount() == 0
    assert dialog.report is None and not dialog.export_button.isEnabled() and dialog.progress.value() == 0


def test_an_extract_dated_after_today_is_said_before_and_after_the_import(
    qtbot: QtBot, sqlite_store: Store, settings: Settings, tmp_path: Path
) -> None:
    tomorrow = write(tmp_path / "in", "customers_20261129.csv", ["id_no,name", f"{MAN},张三"])
    dialog = dialog_for(qtbot, sqlite_store, settings)  # today is 2026-11-28
    dialog.set_paths([tomorrow.parent])
    assert "customers_20261129.csv" in dialog.progress_label.text()
    assert "晚于今天 2026-11-28" in dialog.progress_label.text()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.task is None and dialog.report is not None, timeout=20_000)
    assert dialog.summary.item(0, 2).text() == "已导入"  # loaded all the same: the rows decide
    assert "晚于今天2026-11-28" in dialog.summary.item(0, 6).text()
