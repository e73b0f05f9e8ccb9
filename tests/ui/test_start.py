"""The cold start: the login is asked at once and the database opens behind it on a worker thread.

The teller types while the data layers load; a login asked for before the database is open goes ahead
when it is; a new database asks for its first administrator; a database that cannot open takes the
login away and says why; a window closed meanwhile closes the database it was opening.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from teller_assist.services import database
from teller_assist.services.clock import Clock
from teller_assist.services.database import CounterStart, open_database
from teller_assist.services.imports import Importer, demo_county
from teller_assist.settings import Settings, load_settings
from teller_assist.ui.fonts import install_fonts
from teller_assist.ui.main_window import MainWindow
from teller_assist.ui.session import LoginDialog
from tests.helpers.context import context_of
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import PASSWORD, make_operator, wait_checked
from tests.helpers.postgres import PostgresServer

TODAY = dt.date(2026, 11, 28)
ROOT = Path(__file__).resolve().parents[2]


class Gate:
    """Holds the real ``open_for_counter`` on its worker thread until the test lets it through."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.entered = threading.Event()
        self.results: list[CounterStart] = []

    def run(self, settings: Settings, today: dt.date) -> CounterStart:
        self.entered.set()
        assert self.open.wait(30), "the test never let the database open"
        ready = real_open_for_counter(settings, today)
        self.results.append(ready)
        return ready


real_open_for_counter = database.open_for_counter


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    held = Gate()
    monkeypatch.setattr(database, "open_for_counter", held.run)
    yield held
    held.open.set()  # never leave a worker waiting


def county(settings: Settings, tmp_path: Path, *, operator: bool = True) -> None:
    """A small county with (or without) a teller, made before the window starts."""
    store = open_database(settings).store
    try:
        demo_county(context_of(store, TODAY), tmp_path / "county", by=Importer.os_account(), people=40)
        if operator:
            make_operator(store)
    finally:
        store.dispose()


def visible_logins() -> list[str]:
    shown = QApplication.topLevelWidgets()
    return [w.objectName() for w in shown if isinstance(w, LoginDialog) and w.isVisible()]


def cold_start(qtbot: QtBot, settings: Settings, **kwargs: object) -> tuple[MainWindow, LoginDialog]:
    """What ``ui.app.run`` does: the window and its login at once, the database opening behind them."""
    QApplication.setFont(install_fonts())
    window = MainWindow(settings, clock=Clock.on(TODAY), **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    dialog = window.ask_login()
    window.open_in_background(window.opened_behind_login)
    return window, dialog


def test_the_teller_types_the_login_while_the_database_opens_and_is_signed_in_when_it_is(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path, gate: Gate
) -> None:
    county(settings, tmp_path)
    window, dialog = cold_start(qtbot, settings)
    assert gate.entered.wait(10)
    qtbot.waitUntil(dialog.isVisible)
    assert window.store is None and window.db_status.text() == "正在打开数据库…"
    qtbot.keyClicks(dialog.login, "teller1")
    qtbot.keyClick(dialog.login, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    # asked for before the database is open: said, kept, and not yet done
    assert dialog.isVisible() and window.operator is None
    assert dialog.error.text() == "正在打开数据库，打开后自动登录…"
    assert not dialog.button.isEnabled()
    assert dialog.password.text() == PASSWORD

    gate.open.set()
    qtbot.waitUntil(lambda: window.operator is not None, timeout=15_000)
    assert window.operator is not None and window.operator.login == "teller1"
    assert not dialog.isVisible() and dialog.password.text() == ""  # the password is not kept around
    assert window.store is gate.results[0].opened.store
    assert window.db_status.text() == "数据库：teller-assist.db"
    assert "已载入客户 40 人" in window.counter.empty_state.text()
    assert window.policy is not None
    assert not window.import_action.isEnabled()  # a teller's window: imports are head office's


def test_a_wrong_password_typed_early_is_refused_once_the_database_is_open(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path, gate: Gate
) -> None:
    county(settings, tmp_path)
    window, dialog = cold_start(qtbot, settings)
    qtbot.keyClicks(dialog.login, "teller1")
    qtbot.keyClicks(dialog.password, "not-the-password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    gate.open.set()
    qtbot.waitUntil(lambda: "正在打开数据库" not in dialog.error.text(), timeout=15_000)
    wait_checked(qtbot, dialog)
    assert dialog.isVisible() and window.operator is None
    assert "密码" in dialog.error.text() and dialog.button.isEnabled()
    assert dialog.password.text() == "" and dialog.login.text() == "teller1"  # the login stays typed


def test_a_new_database_asks_for_its_first_administrator_once_it_is_open(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path, gate: Gate
) -> None:
    county(settings, tmp_path, operator=False)
    window, dialog = cold_start(qtbot, settings)
    assert dialog.objectName() == "loginDialog"
    gate.open.set()
    qtbot.waitUntil(lambda: window.login_dialog is not None and window.login_dialog is not dialog)
    first = window.login_dialog
    assert first is not None and first.objectName() == "firstAdminDialog" and first.ctx is window.ctx
    qtbot.waitUntil(first.isVisible)
    assert visible_logins() == ["firstAdminDialog"] and window.isVisible()  # the window stayed
    qtbot.keyClicks(first.login, "admin")
    first.name.setText("管理员")
    qtbot.keyClicks(first.password, PASSWORD)
    qtbot.keyClicks(first.password2, PASSWORD)
    qtbot.mouseClick(first.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.operator is not None)
    assert window.operator is not None and window.operator.role == "hq_admin"


def test_a_database_that_cannot_open_takes_the_login_away_and_says_why(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    county(settings, tmp_path)
    memory_keyring.secrets.clear()  # the database's key is gone from the keyring
    window, dialog = cold_start(qtbot, settings)
    qtbot.keyClicks(dialog.login, "teller1")
    qtbot.waitUntil(lambda: window.login_dialog is None, timeout=15_000)
    assert visible_logins() == [] and window.isVisible()  # nobody can sign in; the window says why
    assert window.store is None and window.db_status.text() == "数据库未打开"
    counter = window.counter
    assert "无法打开数据库" in counter.empty_state.text() and "密钥" in counter.empty_state.text()


def test_a_bug_while_opening_is_said_on_the_window_and_still_reported_as_a_crash(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_settings: Settings, _today: dt.date) -> CounterStart:
        raise RuntimeError("a bug in the start")

    monkeypatch.setattr(database, "open_for_counter", broken)
    with qtbot.captureExceptions() as exceptions:
        window, _dialog = cold_start(qtbot, settings)
        qtbot.waitUntil(lambda: window.login_dialog is None, timeout=15_000)
    assert [str(e[1]) for e in exceptions] == ["a bug in the start"]  # to the crash handler
    assert visible_logins() == [] and window.store is None
    said = window.counter.empty_state.text()
    assert "打开数据库时程序出错" in said and "crash-reports" in said


def test_without_a_keyring_demo_mode_is_asked_over_the_login_and_the_login_carries_on(
    qtbot: QtBot, settings: Settings, no_keyring: None
) -> None:
    asked: list[str] = []

    def accept(_parent: object, error: Exception) -> bool:
        asked.append(type(error).__name__)
        return True

    window, dialog = cold_start(qtbot, settings, ask_demo=accept)
    qtbot.keyClicks(dialog.login, "admin")
    qtbot.waitUntil(lambda: window.login_dialog is not dialog, timeout=15_000)  # a new database
    assert asked == ["KeyringUnavailable"]
    assert window.store is not None and window.store.demo_mode
    assert window.login_dialog is not None and window.login_dialog.objectName() == "firstAdminDialog"
    assert window.windowTitle() == "柜面授信助手 【演示模式】"


def test_closing_the_window_while_the_database_opens_closes_the_database_too(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path, gate: Gate
) -> None:
    county(settings, tmp_path)
    window, dialog = cold_start(qtbot, settings)
    assert gate.entered.wait(10)
    disposed: list[bool] = []
    threading.Timer(0.3, gate.open.set).start()  # the open ends while the window is closing
    original = database.Store.dispose

    def dispose(store: database.Store) -> None:
        disposed.append(True)
        original(store)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(database.Store, "dispose", dispose)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # the teller cancels the login: the window closes
        qtbot.waitUntil(lambda: not window.isVisible())
        assert len(gate.results) == 1 and disposed == [True]
        assert window.store is None and window.startup.opening_result == []
        qtbot.wait(50)  # the worker's late answer arrives and changes nothing
        assert window.store is None and window.operator is None


def test_a_policy_that_does_not_load_is_said_on_the_status_line(
    qtbot: QtBot, env: dict[str, str], memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    broken = tmp_path / "policy.toml"
    broken.write_text("this is = not [ a policy\n", encoding="utf-8")
    settings = load_settings({**env, "TELLER_ASSIST_POLICY_FILE": str(broken)})
    county(settings, tmp_path)
    window, dialog = cold_start(qtbot, settings)
    qtbot.waitUntil(lambda: dialog.ctx is not None, timeout=15_000)
    assert window.policy is None
    assert window.db_status.text().startswith("授信政策未载入：")
    assert str(broken.name) in window.db_status.text()


def test_the_real_entry_point_asks_the_login_before_the_database_is_open(
    env: dict[str, str], tmp_path: Path
) -> None:
    """`teller-assist` as the desktop shortcut starts it, in its own process: the login dialog is on
    screen before the database is open, and gets the store when it is."""
    settings = load_settings({**env, "TELLER_ASSIST_KEY_STORE": "demo-file"})
    county(settings, tmp_path)
    script = r"""
import os, sys
from teller_assist import cli
from teller_assist.ui import main_window
seen = []
asked = main_window.MainWindow.ask_login
def ask_login(self, **kw):
    dialog = asked(self, **kw)
    seen.append(f"login asked, visible={dialog.isVisible()}, store={self.store is not None}")
    return dialog
behind = main_window.MainWindow.opened_behind_login
def opened_behind_login(self, ready):
    dialog = self.login_dialog
    seen.append(f"database open, dialog visible={dialog.isVisible()}, handed={dialog.ctx is None}")
    behind(self, ready)
    seen.append(f"dialog has the context={dialog.ctx is self.ctx}, status={self.db_status.text()}")
    print("\n".join(seen), flush=True)
    os._exit(0)
main_window.MainWindow.ask_login = ask_login
main_window.MainWindow.opened_behind_login = opened_behind_login
sys.exit(cli.main([]))
"""
    environ = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TELLER_ASSIST_")},
        **env,
        "TELLER_ASSIST_KEY_STORE": "demo-file",
        "QT_QPA_PLATFORM": "offscreen",
    }
    out = subprocess.run(
        [sys.executable, "-c", script], env=environ, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "login asked, visible=True, store=False",
        "database open, dialog visible=True, handed=True",
        "dialog has the context=True, status=【演示模式】数据库：teller-assist.db",
    ]


def test_a_first_start_on_an_empty_database_offers_the_demo_county_after_the_first_administrator(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    window, _dialog = cold_start(qtbot, settings)  # a new data folder: no database yet
    asked = lambda: window.login_dialog is not None and window.login_dialog.first_admin  # noqa: E731
    qtbot.waitUntil(asked, timeout=15_000)
    first = window.login_dialog
    assert first is not None
    first.login.setText("admin")
    first.name.setText("管理员")
    first.password.setText(PASSWORD)
    first.password2.setText(PASSWORD)
    offered: list[str] = []

    def answer() -> None:  # the question is modal: read it and decline, as a newcomer might
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        offered.append(box.text())
        box.button(QMessageBox.StandardButton.No).click()

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(first.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(offered), timeout=15_000)
    assert offered == ["生成并导入一个20,000人的演示县（虚构数据），用于熟悉软件。是否继续？"]
    assert window.operator is not None and window.demo_task is None  # declined: nothing loads
    assert "还没有客户数据" in window.counter.empty_state.text()


def test_a_server_that_was_down_at_start_is_opened_again_with_f5_once_it_is_back(
    qtbot: QtBot,
    env: dict[str, str],
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    own_postgres: PostgresServer,
) -> None:
    server = own_postgres
    settings = load_settings(env, database_url=server.create_database("branch"))
    county(settings, tmp_path)
    server.pause()  # the branch server is not up yet when the teller starts the window
    window, _dialog = cold_start(qtbot, settings)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.login_dialog is None, timeout=15_000)
    assert window.store is None and "无法打开数据库" in window.counter.empty_state.text()
    assert window.counter.retry_button.isVisible() and "F5" in window.counter.retry_button.text()

    server.resume()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    again = window.login_dialog
    assert again is not None and not window.counter.retry_button.isVisible()
    qtbot.keyClicks(again.login, "teller1")
    qtbot.keyClicks(again.password, PASSWORD)
    qtbot.keyClick(again.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.operator is not None, timeout=15_000)
    assert window.store is not None and "已载入客户 40 人" in window.counter.empty_state.text()
    window.close()
