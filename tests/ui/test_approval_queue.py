"""The lobby's approval queue, used by a remote approver with the mouse: 拒绝… asks the reason in a
dialog and rejects the application that was selected; a refusal is said in the dialog, the reason kept."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services.context import Context
from teller_assist.settings import Settings
from teller_assist.store.engine import Store
from teller_assist.ui.main_window import MainWindow
from teller_assist.ui.workspaces.lobby import ApprovalQueue, RejectDialog
from tests.helpers.extracts import rid
from tests.helpers.hangs import hang, sign_out_while_hung
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import make_operator
from tests.helpers.surveys import walk_in_answers
from tests.ui.test_card_panel import TODAY, window_with_data


def submitted(ctx: Context | None, seq: int) -> apps.ApplicationRecord:
    """An application waiting in the queue, submitted by teller1 on TODAY under the window's context."""
    from teller_assist.store.operators import get_operator

    assert ctx is not None
    store = ctx.store
    teller = get_operator(store, "teller1") or make_operator(store, "teller1")
    return apps.submit(
        ctx.on(TODAY),
        rid(seq=seq),
        Survey("walk_in", walk_in_answers(household_income=20_000)),
        apps.Actor.here(teller),
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


def read(qtbot: QtBot, queue: ApprovalQueue) -> None:
    """Read the queue again and wait for the reading (on a worker thread) to be shown."""
    queue.refresh()
    qtbot.waitUntil(lambda: not queue.reader.busy(), timeout=5000)


def test_reject_asks_the_reason_and_rejects_the_selected_application(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window, queue = manager(qtbot, settings, tmp_path)
    assert window.store is not None
    first = submitted(window.ctx, 401)
    read(qtbot, queue)
    assert queue.table.rowCount() == 1 and queue.selected() is not None
    qtbot.mouseClick(queue.reject_button, Qt.MouseButton.LeftButton)  # clicked(bool): not a reason
    dialog = queue.findChild(RejectDialog, "rejectDialog")
    assert dialog is not None and dialog.isVisible()
    assert apps.get(window.ctx, first.id).status == "submitted"  # nothing decided yet
    qtbot.mouseClick(dialog.button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error.text() == "请填写拒绝原因"

    submitted(window.ctx, 402)  # another submission arrives while the reason is typed
    read(qtbot, queue)
    dialog.reason.insert("收入证明不足")  # typed through the input method (QTest types ASCII only)
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    done = apps.get(window.ctx, first.id)
    assert (done.status, done.reject_reason) == ("rejected", "收入证明不足")
    assert queue.message.text() == f"申请 {first.id} 已拒绝"
    qtbot.waitUntil(lambda: queue.table.rowCount() == 1, timeout=3000)  # the other one still waits


def test_a_refused_rejection_is_said_in_the_dialog_and_keeps_the_reason(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window, queue = manager(qtbot, settings, tmp_path)
    assert window.store is not None
    record = submitted(window.ctx, 403)
    read(qtbot, queue)
    dialog = queue.reject_selected()
    assert isinstance(dialog, RejectDialog)
    head = apps.Actor.here(make_operator(window.store, "head1", "branch_head"))
    apps.approve(
        window.ctx.on(TODAY),
        record.id,
        head,
    )  # first
    dialog.reason.setText("资料不全")
    dialog.button.click()
    assert dialog.isVisible() and dialog.error.text() and dialog.reason.text() == "资料不全"
    assert apps.get(window.ctx, record.id).status == "approved"


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
    record = submitted(window.ctx, 404)
    qtbot.waitUntil(lambda: queue.table.rowCount() == 1, timeout=3000)
    assert queue.table.item(0, 1).text() == str(record.id)
    qtbot.waitUntil(lambda: len(readers) >= 2, timeout=3000)
    assert not any(readers), "the audit head was read on the GUI thread"
    watch = queue.watch
    assert watch is not None
    window.logout()
    assert queue.watch is None and watch.wait(0)  # the worker has ended with the session


def test_the_lists_are_read_off_the_gui_thread_and_only_shown_on_it(
    qtbot: QtBot,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After a change the queue and today's walk-ins are read on a worker thread: the GUI thread only
    shows what was read (it never waits on the database)."""
    from teller_assist.services import walkins

    readers: list[tuple[str, bool]] = []  # each read of a list: which, and was it on the GUI thread?
    read_queue, read_day = apps.queue, walkins.today

    def spied_queue(ctx: Context, **kw: str | None) -> list[apps.ApplicationRecord]:
        readers.append(("queue", threading.current_thread() is threading.main_thread()))
        return read_queue(ctx, **kw)

    def spied_day(*args: object) -> walkins.Today:
        readers.append(("walkins", threading.current_thread() is threading.main_thread()))
        return read_day(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(apps, "queue", spied_queue)
    monkeypatch.setattr(walkins, "today", spied_day)
    window, queue = manager(qtbot, settings, tmp_path)
    assert window.store is not None and window.walkins is not None
    view = window.walkins
    record = submitted(window.ctx, 405)
    qtbot.waitUntil(lambda: queue.table.rowCount() == 1, timeout=3000)  # the watch woke the queue
    assert queue.table.item(0, 1).text() == str(record.id) and queue.selected() == record
    qtbot.waitUntil(lambda: "今日到店" in view.summary.text(), timeout=3000)  # the walk-ins follow
    assert {which for which, _gui in readers} == {"queue", "walkins"}
    assert not any(gui for _which, gui in readers), readers


def test_an_older_reading_never_replaces_a_newer_one(
    qtbot: QtBot,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A reading held up (a slow network) while a newer one is asked: the newer is what stays on screen,
    and the older is never shown, not even for a moment."""
    window, queue = manager(qtbot, settings, tmp_path)
    assert window.store is not None
    read(qtbot, queue)
    held, release = threading.Event(), threading.Event()
    real = apps.queue

    def slow_once(ctx: Context, **kw: str | None) -> list[apps.ApplicationRecord]:
        rows = real(ctx, **kw)  # read before the submission below...
        if not held.is_set():
            held.set()
            release.wait(10)  # ...and answered after it
        return rows

    monkeypatch.setattr(apps, "queue", slow_once)
    shown: list[int] = []
    queue.refreshed.connect(lambda: shown.append(len(queue.rows)))
    queue.refresh()
    assert held.wait(5)
    record = submitted(window.ctx, 406)
    queue.refresh()  # a newer reading asked while the old one is held
    release.set()
    qtbot.waitUntil(lambda: shown != [] and not queue.reader.busy(), timeout=5000)
    qtbot.wait(300)  # any late answer would have arrived by now
    assert shown and all(n == 1 for n in shown), shown
    assert [r.id for r in queue.rows] == [record.id]


def test_a_failed_reading_is_said_once_and_the_list_stays(
    qtbot: QtBot,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from teller_assist.errors import UserFacingError

    window, queue = manager(qtbot, settings, tmp_path)
    assert window.store is not None
    record = submitted(window.ctx, 407)
    qtbot.waitUntil(lambda: queue.table.rowCount() == 1, timeout=3000)

    def gone(store: Store, **kw: str | None) -> list[apps.ApplicationRecord]:
        raise UserFacingError("无法连接数据库", "cannot reach the database", hint_zh="请检查网络")

    monkeypatch.setattr(apps, "queue", gone)
    read(qtbot, queue)
    assert "无法连接数据库" in queue.message.text()
    assert queue.table.rowCount() == 1 and queue.selected() == record  # the last list, still selected


def test_nothing_is_read_for_a_locked_or_signed_out_lobby(
    qtbot: QtBot,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A locked window reads no walk-ins (their names are not for a locked screen; read on unlock), and
    after sign-out neither list is read, whatever wakes it."""
    from teller_assist.services import walkins

    window, queue = manager(qtbot, settings, tmp_path)
    assert window.store is not None and window.walkins is not None
    view = window.walkins
    read(qtbot, queue)
    qtbot.waitUntil(lambda: not view.reader.busy(), timeout=3000)
    reads: list[str] = []
    read_queue, read_day = apps.queue, walkins.today
    monkeypatch.setattr(apps, "queue", lambda *a, **k: reads.append("queue") or read_queue(*a, **k))
    monkeypatch.setattr(walkins, "today", lambda *a: reads.append("walkins") or read_day(*a))
    window.lock()
    submitted(window.ctx, 408)
    qtbot.waitUntil(lambda: "queue" in reads, timeout=3000)  # the lock page still counts who waits
    qtbot.wait(200)
    assert "walkins" not in reads
    window.sessions.unlocked()  # (as the lock page does after the password)
    qtbot.waitUntil(lambda: "walkins" in reads, timeout=3000)  # read again on unlock
    window.logout()
    reads.clear()
    queue.refresh()
    view.refresh()
    submitted(window.ctx, 409)
    qtbot.wait(1500)  # the watch, had it not ended, would have woken the lists
    assert reads == []


def test_the_selected_application_stays_selected_when_one_above_it_goes(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    """Decided elsewhere, an application above the selected one leaves the queue: the approver's choice
    stays on the same application, not on whichever moved into its row (批准 would approve another)."""
    window, queue = manager(qtbot, settings, tmp_path)
    assert window.store is not None
    first, second, third = (submitted(window.ctx, seq) for seq in (410, 411, 412))
    qtbot.waitUntil(lambda: queue.table.rowCount() == 3, timeout=3000)
    queue.table.selectRow(1)
    assert queue.selected() == second
    head = apps.Actor.here(make_operator(window.store, "head1", "branch_head"))
    apps.approve(
        window.ctx.on(TODAY),
        first.id,
        head,
    )
    qtbot.waitUntil(lambda: queue.table.rowCount() == 2, timeout=3000)
    chosen = queue.selected()
    assert chosen is not None and chosen.id == second.id, (chosen, third.id)
    assert queue.factors.text().startswith(f"申请 {second.id} 的依据：")


def test_signing_out_while_a_reading_hangs_on_the_database_neither_waits_nor_ends_the_program(
    qtbot: QtBot,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A database that stops answering holds today's walk-ins' reading: signing out waits a moment, then
    lets the reading end on its own. Before, the view went with its reading's thread still running, and
    Qt ends the program when a running thread is destroyed."""
    from teller_assist.services import walkins

    window, queue = manager(qtbot, settings, tmp_path)
    assert window.walkins is not None
    view = window.walkins
    read(qtbot, queue)
    qtbot.waitUntil(lambda: not view.reader.busy(), timeout=3000)
    answer, hung = hang(monkeypatch, walkins, "today")  # the database answers when the test says so
    shown: list[object] = []
    monkeypatch.setattr(view, "_show", shown.append)
    view.refresh()
    sign_out_while_hung(qtbot, monkeypatch, window, answer, hung, lambda: window.walkins is None)
    qtbot.wait(50)
    assert shown == []  # nothing shown for the operator who left


def test_a_reading_still_unanswered_at_exit_does_not_abort_the_program(tmp_path: Path) -> None:
    """The window closed while a released reading still waits on the database: the program ends with
    its own exit code, in a moment, instead of Qt's abort when Python's exit destroys the thread."""
    import subprocess
    import sys
    import time

    child = tmp_path / "child.py"
    child.write_text(
        "import sys, threading\n"
        "from PySide6.QtCore import QObject, QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from teller_assist.ui import app as ui_app\n"
        "from teller_assist.ui.tasks import Task\n"
        "app = QApplication([])\n"
        "owner = QObject()\n"
        "task = Task(lambda _r, _c: threading.Event().wait(60), owner)  # a database that never answers\n"
        "task.start()\n"
        "assert not task.wait_or_release(100)\n"
        "del owner\n"
        "ui_app.EXIT_WAIT_MS = 200\n"
        "QTimer.singleShot(50, app.quit)\n"
        "sys.exit(ui_app.finish(app.exec()) if sys.argv[1] == 'finish' else app.exec())\n",
        encoding="utf-8",
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(child), "finish"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 30  # not the reading's 60 s
    assert "still unanswered" in done.stderr
    # without it, Python's exit destroys the running thread and Qt aborts the program
    plain = subprocess.run([sys.executable, str(child), "plain"], env=env, capture_output=True, timeout=60)
    assert plain.returncode != 0
