"""One door for background work and one for messages to the user, held by checks that can fail: threads
start only in ``ui/tasks.py``, message boxes are made only in ``ui/messages.py``, and no password is hashed
or checked on the GUI thread while the window signs in, locks, unlocks and manages operators."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from teller_assist.settings import Settings
from teller_assist.store import operators as store_ops
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import PASSWORD, wait_checked
from tests.ui.test_operators_dialog import signed_in_admin
from tests.ui.test_session import argon2_threads

UI = Path(__file__).resolve().parents[2] / "teller_assist" / "ui"
THREADS = {"Thread", "QThread", "QThreadPool", "ThreadPoolExecutor", "ProcessPoolExecutor", "QRunnable"}


def _calls(path: Path) -> list[tuple[str, int]]:
    """Each call's name (``Thread(...)``, ``threading.Thread(...)``, ``QMessageBox.question(...)``)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                found.append((func.id, node.lineno))
            elif isinstance(func, ast.Attribute):
                base = func.value.id if isinstance(func.value, ast.Name) else ""
                found.append((f"{base}.{func.attr}" if base else func.attr, node.lineno))
    return found


def _offenders(rule: Callable[[str], bool], allowed: set[str]) -> dict[str, list[int]]:
    said: dict[str, list[int]] = {}
    for path in sorted(UI.rglob("*.py")):
        rel = path.relative_to(UI).as_posix()
        if rel in allowed:
            continue
        lines = [line for name, line in _calls(path) if rule(name)]
        if lines:
            said[rel] = lines
    return said


def _starts_a_thread(name: str) -> bool:
    return name.split(".")[-1] in THREADS


def _makes_a_box(name: str) -> bool:
    return name == "QMessageBox" or name.startswith("QMessageBox.")


def test_threads_start_only_through_the_one_helper() -> None:
    assert _offenders(_starts_a_thread, {"tasks.py"}) == {}


def test_message_boxes_are_made_only_in_the_one_door() -> None:
    assert _offenders(_makes_a_box, {"messages.py"}) == {}


def test_the_checks_see_what_they_must(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import threading\nfrom PySide6.QtWidgets import QMessageBox\n"
        "threading.Thread(target=print).start()\nQMessageBox.question(None, 'a', 'b')\n",
        encoding="utf-8",
    )
    calls = _calls(sample)
    assert [line for name, line in calls if _starts_a_thread(name)] == [3]
    assert [line for name, line in calls if _makes_a_box(name)] == [4]


def test_operators_are_added_and_reset_with_their_hashes_off_the_gui_thread(
    qtbot: QtBot,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """操作员管理's new password and one-time password are Argon2 hashes (~0.1 s each by design): made on a
    worker thread, like the login's, the unlock's and 主管授权's checks."""
    window = signed_in_admin(qtbot, settings, tmp_path)
    store = window.store
    assert store is not None
    on_gui = argon2_threads(monkeypatch)  # from here on: the window's own work
    dialog = window.open_operators_dialog()
    assert dialog is not None
    dialog.new_login.setText("wang.wu")
    dialog.new_name.setText("王五")
    dialog.new_password.setText("Counter2027")
    dialog.new_password2.setText("Counter2027")
    dialog.add()
    qtbot.waitUntil(lambda: store_ops.get_operator(store, "wang.wu") is not None, timeout=10_000)
    qtbot.waitUntil(lambda: dialog.add_button.isEnabled())  # the answer shown: the list read again
    dialog.select("wang.wu")
    dialog.reset_password.setText("OneTime2027")
    dialog.reset_password2.setText("OneTime2027")
    dialog.reset()

    def reset() -> bool:
        record = store_ops.get_operator(store, "wang.wu")
        return record is not None and record.must_change_password

    qtbot.waitUntil(reset, timeout=10_000)
    qtbot.waitUntil(lambda: dialog.reset_button.isEnabled())
    dialog.accept()
    window.lock()
    window.lock_page.password.setText(PASSWORD)
    window.lock_page.button.click()
    wait_checked(qtbot, window.lock_page)
    assert not window.is_locked()
    assert len(on_gui) >= 3 and not any(on_gui), on_gui  # two new hashes, the unlock's verification
