"""数据 → 导入 / 载入演示县 in the window: a head-office administrator's only, never on a locked screen (the
menu greyed out, the action and the import itself refusing), never demo people beside real customers,
and each import audited under the operator who ran it."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from teller_assist.settings import Settings
from teller_assist.store import audit as store_audit
from teller_assist.store.engine import Store
from teller_assist.ui.import_dialog import ImportDialog
from teller_assist.ui.main_window import MainWindow
from tests.helpers.extracts import MAN, write
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import PASSWORD, make_operator, wait_checked
from tests.ui.test_card_panel import window_with_data


def import_rows(store: Store) -> list[store_audit.AuditRow]:
    return [r for r in store_audit.export_rows(store, None, None) if r.action == "import"]


def admin_window(qtbot: QtBot, settings: Settings, tmp_path: Path) -> MainWindow:
    window = window_with_data(qtbot, settings, tmp_path)
    assert window.store is not None
    window.sign_in(make_operator(window.store, "hq1", "hq_admin"))
    return window


def test_a_teller_gets_neither_the_import_nor_the_demo_county(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)  # teller1
    assert not window.import_action.isEnabled() and not window.demo_action.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert window.findChild(ImportDialog) is None
    assert window.open_import_dialog() is None  # the action itself refuses, not only the menu
    assert "总行管理员" in window.statusBar().currentMessage()
    window.load_demo(ask=False, people=10)
    assert window.demo_task is None


def test_locking_greys_out_the_data_menu_and_hides_an_open_import_until_unlocked(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = admin_window(qtbot, settings, tmp_path)
    assert window.store is not None
    assert window.import_action.isEnabled() and window.demo_action.isEnabled()
    dialog = window.open_import_dialog()
    assert dialog is not None and dialog.isVisible()
    folder = write(tmp_path / "night", "customers_20261128.csv", ["id_no,name", f"{MAN},张三"]).parent
    dialog.set_paths([folder])

    window.lock()  # Ctrl+L, or the idle timer
    assert window.is_locked() and not dialog.isVisible()
    assert not window.import_action.isEnabled() and not window.demo_action.isEnabled()
    assert window.open_import_dialog() is None and "锁定" in window.statusBar().currentMessage()
    window.load_demo(ask=False, people=10)
    assert window.demo_task is None
    before = len(import_rows(window.store))
    dialog.start()  # the hidden dialog's button, pressed by anything: refused
    assert dialog.task is None and "锁定" in dialog.progress_label.text()
    assert len(import_rows(window.store)) == before

    window.lock_page.password.setText(PASSWORD)
    window.lock_page.button.click()
    wait_checked(qtbot, window.lock_page)
    assert not window.is_locked() and dialog.isVisible() and window.import_action.isEnabled()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.task is None and dialog.report is not None, timeout=20_000)
    last = import_rows(window.store)[-1]
    assert (last.operator, last.purpose) == ("hq1", "window")
    assert json.loads(last.detail)["files"][0]["file"] == "customers_20261128.csv"


def test_the_demo_county_is_refused_beside_real_customers(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = admin_window(qtbot, settings, tmp_path)  # the fixture's customers came from real extracts
    window.load_demo(ask=False, people=10)
    assert window.demo_task is None
    box = window.findChild(QMessageBox, "warningBox")
    assert box is not None and box.isVisible() and "真实数据" in box.text()
    box.close()
    QApplication.processEvents()
