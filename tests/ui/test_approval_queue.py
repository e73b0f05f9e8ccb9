"""The lobby's approval queue, used by a remote approver with the mouse: 拒绝… asks the reason in a
dialog and rejects the application that was selected; a refusal is said in the dialog, the reason kept."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from teller_assist.prequal.policy import default_policy_path, load_policy
from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.settings import Settings
from teller_assist.store.engine import Store
from teller_assist.ui.main_window import MainWindow
from teller_assist.ui.workspaces.lobby import ApprovalQueue, RejectDialog
from tests.helpers.extracts import rid
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import make_operator
from tests.helpers.surveys import walk_in_answers
from tests.ui.test_card_panel import TODAY, window_with_data


def submitted(store: Store, seq: int) -> apps.ApplicationRecord:
    from teller_assist.store.operators import get_operator

    teller = get_operator(store, "teller1") or make_operator(store, "teller1")
    return apps.submit(
        store,
        load_policy(default_policy_path()),
        rid(seq=seq),
        Survey("walk_in", walk_in_answers(household_income=20_000)),
        apps.Actor.here(teller),
        today=TODAY,
        name="王五",
    )


def manager(qtbot: QtBot, settings: Settings, tmp_path: Path) -> tuple[MainWindow, ApprovalQueue]:
    window = window_with_data(qtbot, settings, tmp_path)
    assert window.store is not None
    window.sign_in(make_operator(window.store, "manager1", "lobby_manager"))
    queue = window.queue
    assert queue is not None
    window.workspaces.setCurrentWidget(queue)  # the lobby's tab
    qtbot.waitUntil(queue.isVisible, timeout=3000)
    return window, queue


def test_reject_asks_the_reason_and_rejects_the_selected_application(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window, queue = manager(qtbot, settings, tmp_path)
    assert window.store is not None
    first = submitted(window.store, 401)
    queue.refresh()
    assert queue.table.rowCount() == 1 and queue.selected() is not None
    qtbot.mouseClick(queue.reject_button, Qt.MouseButton.LeftButton)  # clicked(bool): not a reason
    dialog = queue.findChild(RejectDialog, "rejectDialog")
    assert dialog is not None and dialog.isVisible()
    assert apps.get(window.store, first.id).status == "submitted"  # nothing decided yet
    qtbot.mouseClick(dialog.button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error.text() == "请填写拒绝原因"

    submitted(window.store, 402)  # another submission arrives while the reason is typed
    queue.refresh()
    dialog.reason.insert("收入证明不足")  # typed through the input method (QTest types ASCII only)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    done = apps.get(window.store, first.id)
    assert (done.status, done.reject_reason) == ("rejected", "收入证明不足")
    assert queue.message.text() == f"申请 {first.id} 已拒绝"
    assert queue.table.rowCount() == 1  # the other one still waits


def test_a_refused_rejection_is_said_in_the_dialog_and_keeps_the_reason(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window, queue = manager(qtbot, settings, tmp_path)
    assert window.store is not None
    record = submitted(window.store, 403)
    queue.refresh()
    dialog = queue.reject_selected()
    assert isinstance(dialog, RejectDialog)
    head = apps.Actor.here(make_operator(window.store, "head1", "branch_head"))
    apps.approve(window.store, load_policy(default_policy_path()), record.id, head, today=TODAY)  # first
    dialog.reason.setText("资料不全")
    dialog.button.click()
    assert dialog.isVisible() and dialog.error.text() and dialog.reason.text() == "资料不全"
    assert apps.get(window.store, record.id).status == "approved"


def test_the_queue_watches_for_changes_off_the_gui_thread(
    qtbot: QtBot,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The change watch reads the database on a worker thread, never the GUI's, and still brings a
    submission made elsewhere onto the queue; it ends with the session."""
    from teller_assist.store import audit as store_audit

    readers: list[bool] = []  # for each read of the audit head: was it on the GUI thread?
    read = store_audit.last_seq

    def spied(store: Store) -> int:
        readers.append(threading.current_thread() is threading.main_thread())
        return read(store)

    monkeypatch.setattr(store_audit, "last_seq", spied)
    window, queue = manager(qtbot, settings, tmp_path)
    assert window.store is not None
    record = submitted(window.store, 404)
    qtbot.waitUntil(lambda: queue.table.rowCount() == 1, timeout=3000)
    assert queue.table.item(0, 1).text() == str(record.id)
    qtbot.waitUntil(lambda: len(readers) >= 2, timeout=3000)
    assert not any(readers), "the audit head was read on the GUI thread"
    watch = queue.watch
    assert watch is not None
    window.logout()
    assert queue.watch is None and watch.wait(0)  # the worker has ended with the session
