"""今日任务 by the keyboard: F6 shows the signed-in officer's tasks in the service's order, masked; Enter
opens the person's card at the counter; R and one more key record each outcome (a reason and a date
asked where needed); a refusal is said in the dialog; the status bar counts the day's tasks and hides
them when locked or signed out; the counter flags a walk-in who is a target, and the day they sign."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from teller_assist.identity.masking import Masking
from teller_assist.services import applications as apps
from teller_assist.services import targets, task_desk
from teller_assist.services.clock import Clock
from teller_assist.services.operators import authenticate
from teller_assist.settings import Settings
from teller_assist.store.engine import Store
from teller_assist.ui.fonts import install_fonts
from teller_assist.ui.main_window import MainWindow
from teller_assist.ui.workspaces.tasks import OVERDUE as OVERDUE_RED
from teller_assist.ui.workspaces.tasks import OutcomeDialog, TasksWorkspace
from tests.helpers.hangs import hang, sign_out_while_hung
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import PASSWORD, wait_checked
from tests.helpers.tasks import (
    EARLY,
    LATE,
    LETTER,
    LIST,
    NAMES,
    ORDER,
    OTHERS,
    OVERDUE,
    STRANGER,
    TODAY,
    Seeded,
    seed_tasks,
)
from tests.helpers.workflow import agreement_printed

MASK = Masking()


def officer_window(
    qtbot: QtBot, settings: Settings, tmp_path: Path, login: str = "teller1"
) -> tuple[MainWindow, TasksWorkspace, Seeded]:
    QApplication.setFont(install_fonts())
    window = MainWindow(settings, clock=Clock.on(TODAY))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)  # window shortcuts (F2, F6) need it
    window.start()
    assert window.store is not None and window.ctx is not None
    seeded = seed_tasks(window.ctx, tmp_path / "in")
    window.sign_in(authenticate(window.ctx, login, PASSWORD))
    assert window.tasks is not None
    return window, window.tasks, seeded


def f6(qtbot: QtBot, window: MainWindow, tasks: TasksWorkspace) -> None:
    with qtbot.waitSignal(tasks.loaded, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_F6)
    assert window.workspaces.currentWidget() is tasks


def rows(tasks: TasksWorkspace) -> list[list[str]]:
    table = tasks.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount()) if not table.isColumnHidden(c)]
        for r in range(table.rowCount())
    ]


def shown_text(window: QWidget) -> str:
    """Everything a person can read on the window: labels, the table's cells and their tooltips."""
    parts = [w.text() for w in window.findChildren(QLabel) if w.isVisible()]
    for tasks in window.findChildren(TasksWorkspace):
        if not tasks.table.isVisible():
            continue
        for r in range(tasks.table.rowCount()):
            for c in range(tasks.table.columnCount()):
                item = tasks.table.item(r, c)
                parts += [item.text(), item.toolTip()]
    return "\n".join(parts)


def outcomes(store: Store) -> list[tuple[str, str, str, str | None, dt.date | None, bool, str]]:
    with store.connection() as conn:
        return [
            (r[0], r[1], r[2], r[3], r[4] if r[4] is None or isinstance(r[4], dt.date) else
             dt.date.fromisoformat(str(r[4])), bool(r[5]), r[6])
            for r in conn.execute(
                text(
                    "SELECT id_no, kind, outcome, reason, appointment_on, for_good, recorded_by "
                    "FROM task_outcome ORDER BY id"
                )
            )
        ]  # fmt: skip


def audit_of(store: Store, action: str) -> list[tuple[str, str | None, str | None]]:
    with store.connection() as conn:
        return [
            (str(r[0]), r[1], r[2])
            for r in conn.execute(
                text("SELECT operator, subject, purpose FROM audit_event WHERE action = :a ORDER BY seq"),
                {"a": action},
            )
        ]


def record_by_keys(qtbot: QtBot, tasks: TasksWorkspace, key: Qt.Key) -> OutcomeDialog:
    """R on the list, then the outcome's digit (the dialog stays open when it asks for more)."""
    qtbot.keyClick(tasks.table, Qt.Key.Key_R)
    dialog = tasks.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)  # the next key goes to it
    qtbot.keyClick(dialog.focusWidget() or dialog, key)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=3000)  # a digit counts once no scan follows
    return dialog


def test_a_long_list_shows_its_first_rows_at_once_and_the_rest_as_the_window_idles(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    """The first screen is filled with the list; the rest a chunk at a time from the event loop (an
    officer holding thousands of tasks sees the first lines without waiting for the last)."""
    window, tasks, _seeded = officer_window(qtbot, settings, tmp_path)
    tasks.FIRST_ROWS, tasks.MORE_ROWS = 2, 1  # the seeded four lines stand for thousands
    f6(qtbot, window, tasks)
    table, listing = tasks.table, tasks.listing
    assert listing is not None and len(listing.tasks) == 4
    table.setRowCount(0)
    tasks._show(listing)  # as a reading's answer is shown: the first rows now, the rest after
    assert table.rowCount() == 4 and table.currentRow() == 0
    assert tasks.detail.text()  # the first line chosen, its details shown
    assert [table.item(r, 1) is not None for r in range(4)] == [True, True, False, False]
    qtbot.waitUntil(lambda: all(table.item(r, 1) is not None for r in range(4)), timeout=3000)
    assert [table.item(r, 1).text() for r in range(4)] == [
        f"{n} {MASK.resident_id(i)}" for n, i in zip(("赵一", "钱二", "孙三", "李四"), ORDER, strict=True)
    ]


def test_a_long_list_shows_its_first_page_before_the_whole_list_is_read(
    qtbot: QtBot,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first screen is read on its own (the list's first lines and its counts), shown, and then the
    whole list: the same first lines, the summary the whole list's count from the start."""
    window, tasks, _seeded = officer_window(qtbot, settings, tmp_path)
    tasks.FIRST_ROWS = 2  # the seeded four lines stand for thousands
    shown: list[tuple[int, int, str, list[str]]] = []
    show = tasks._show

    def spy(listing: task_desk.DeskList) -> None:
        show(listing)
        people = [t.line.id_masked for t in listing.tasks]
        shown.append((len(listing.tasks), tasks.table.rowCount(), tasks.summary.text(), people))

    monkeypatch.setattr(tasks, "_show", spy)
    f6(qtbot, window, tasks)
    masked = [MASK.resident_id(i) for i in ORDER]
    summary = "今日任务 4 项：调查 3，送达告知函 1"
    assert shown == [(2, 2, summary, masked[:2]), (4, 4, summary, masked)]
    assert tasks.listing is not None and tasks.listing.complete
    # a list no longer than the first screen is read once
    shown.clear()
    tasks.FIRST_ROWS = 4
    with qtbot.waitSignal(tasks.loaded, timeout=10_000):
        tasks.refresh()
    assert shown == [(4, 4, summary, masked)]


def test_f6_lists_the_officers_tasks_in_the_services_order_masked_with_the_count(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window, tasks, seeded = officer_window(qtbot, settings, tmp_path)
    qtbot.waitUntil(lambda: window.tasks_status.text() == "今日任务 4 项", timeout=10_000)
    assert window.tasks_status.isVisible() and window.tasks_status.objectName() == "tasksStatus"
    assert window.workspaces.currentWidget() is window.counter  # the counter first; the list one key away
    f6(qtbot, window, tasks)
    assert tasks.table.hasFocus() and tasks.table.currentRow() == 0
    assert rows(tasks) == [
        ["调查", f"赵一 {MASK.resident_id(OVERDUE)}", "11-20", "—"],
        ["送达告知函", f"钱二 {MASK.resident_id(LETTER)}", "11-28", f"{seeded.line_fen // 100:,}"],
        ["调查", f"孙三 {MASK.resident_id(EARLY)}", "12-10", "—"],
        ["调查", f"李四 {MASK.resident_id(LATE)}", "12-31", "—"],
    ]
    assert tasks.table.item(0, 2).foreground().color() == OVERDUE_RED  # late, in red
    assert tasks.table.item(0, 2).toolTip() == "2026-11-20（已逾期）"
    assert tasks.table.item(2, 2).foreground().color() != OVERDUE_RED
    assert tasks.summary.text() == "今日任务 4 项：调查 3，送达告知函 1"
    assert "名单 2026-walk-in" in tasks.detail.text() and "截止 2026-11-20（已逾期）" in tasks.detail.text()
    assert window.workspaces.tabText(window.workspaces.indexOf(tasks)) == "今日任务 (4)"
    assert not tasks.scope_box.isVisible()  # an officer sees their own list only
    everything = shown_text(window)
    assert not any(p in everything for p in NAMES)  # no whole ID anywhere on screen
    assert window.store is not None
    assert audit_of(window.store, "tasks_view")[-1] == ("teller1", "officer:teller1", "targets")
    # the list follows the service: the same people in the same order
    assert window.ctx is not None
    listing = targets.tasks_today(window.ctx, window.operator, officer="teller1")  # the window's day
    assert [t.id_masked for t in listing.tasks] == [MASK.resident_id(i) for i in ORDER]


def test_enter_opens_the_persons_card_at_the_counter_flagged_as_a_target(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window, tasks, _seeded = officer_window(qtbot, settings, tmp_path)
    f6(qtbot, window, tasks)
    qtbot.keyClick(tasks.table, Qt.Key.Key_Down)
    qtbot.keyClick(tasks.table, Qt.Key.Key_Down)
    assert tasks.selected() is not None and tasks.selected().id_no == EARLY  # type: ignore[union-attr]
    qtbot.keyClick(tasks.table, Qt.Key.Key_Return)
    counter = window.counter
    assert window.workspaces.currentWidget() is counter
    assert counter.card is not None and counter.card.rid.value == EARLY
    assert counter.id_input.text() == MASK.resident_id(EARLY)
    assert window.store is not None
    assert audit_of(window.store, "lookup")[-1] == ("teller1", EARLY, "task")  # opened from a task
    qtbot.waitUntil(counter.target_flag.isVisible, timeout=10_000)
    assert counter.target_flag.text() == f"本行目标客户，今日任务：调查（名单 {LIST} · 您负责）"
    # back to the list: the same person still chosen, one R away from the outcome
    f6(qtbot, window, tasks)
    assert tasks.selected() is not None and tasks.selected().id_no == EARLY  # type: ignore[union-attr]
    # F2 from the list: the counter again, the focus in the ID field
    qtbot.keyClick(window, Qt.Key.Key_F2)
    assert window.workspaces.currentWidget() is counter and counter.id_input.hasFocus()


def test_each_outcome_is_recorded_by_its_keys(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window, tasks, _seeded = officer_window(qtbot, settings, tmp_path)
    store = window.store
    assert store is not None
    f6(qtbot, window, tasks)

    with qtbot.waitSignal(tasks.loaded, timeout=10_000):  # R 1: done
        record_by_keys(qtbot, tasks, Qt.Key.Key_1)
    assert tasks.dialog is None  # closed
    assert outcomes(store) == [(OVERDUE, "survey", "done", None, None, False, "teller1")]
    assert tasks.message.text() == f"已登记：赵一 {MASK.resident_id(OVERDUE)} 调查 → 已完成"
    assert [r[1] for r in rows(tasks)] == [f"{NAMES[i]} {MASK.resident_id(i)}" for i in ORDER[1:]]
    qtbot.waitUntil(lambda: window.tasks_status.text() == "今日任务 3 项", timeout=10_000)
    qtbot.waitUntil(tasks.table.hasFocus, timeout=3000)  # the next R goes to the list
    assert tasks.selected() is not None and tasks.selected().id_no == LETTER  # type: ignore[union-attr]

    with qtbot.waitSignal(tasks.loaded, timeout=10_000):  # R 2: not reached (the letter)
        record_by_keys(qtbot, tasks, Qt.Key.Key_2)
    assert outcomes(store)[-1] == (LETTER, "deliver_letter", "not_reached", None, None, False, "teller1")

    dialog = record_by_keys(qtbot, tasks, Qt.Key.Key_3)  # R 3: declined asks the reason
    assert dialog.isVisible() and dialog.reason.hasFocus()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.error.text() == "请填写客户拒绝的原因"
    assert len(outcomes(store)) == 2
    dialog.reason.insert("暂无资金需求")  # typed through the input method (QTest types ASCII only)
    with qtbot.waitSignal(tasks.loaded, timeout=10_000):
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert outcomes(store)[-1] == (EARLY, "survey", "declined", "暂无资金需求", None, False, "teller1")

    dialog = record_by_keys(qtbot, tasks, Qt.Key.Key_4)  # R 4: an appointment asks the date
    assert dialog.date.hasFocus() and dialog.date.date().toPython() == TODAY + dt.timedelta(days=1)
    qtbot.keyClick(dialog.date, Qt.Key.Key_Up)  # a day later
    with qtbot.waitSignal(tasks.loaded, timeout=10_000):
        qtbot.keyClick(dialog.date, Qt.Key.Key_Return)
    on = dt.date(2026, 11, 30)
    assert outcomes(store)[-1] == (LATE, "survey", "appointment", None, on, False, "teller1")
    assert "2026-11-30 再次提醒" in tasks.message.text()
    assert tasks.table.rowCount() == 0 and tasks.summary.text() == "今日没有待办任务"
    qtbot.waitUntil(lambda: window.tasks_status.text() == "今日任务 0 项", timeout=10_000)
    assert [r[0] for r in audit_of(store, "task_outcome")] == ["teller1"] * 4
    # the appointment brings the task back that day
    assert window.ctx is not None
    back = targets.tasks_today(window.ctx.on(on), window.operator, officer="teller1")
    assert [(t.id_masked, t.appointment) for t in back.tasks if t.appointment] == [
        (MASK.resident_id(LATE), True)
    ]


def test_a_branch_head_switches_to_the_branch_and_a_refused_outcome_is_said_in_the_dialog(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window, tasks, _seeded = officer_window(qtbot, settings, tmp_path, login="head1")
    store = window.store
    assert store is not None
    f6(qtbot, window, tasks)
    assert tasks.scope_box.isVisible() and tasks.table.rowCount() == 0  # the head's own: none
    assert [tasks.scope_box.itemText(i) for i in range(tasks.scope_box.count())] == [
        "我的任务",
        "全网点 0101",
        "测试manager1（manager1）",
        "测试teller1（teller1）",
        "测试teller2（teller2）",
    ]
    tasks.scope_box.setFocus()
    with qtbot.waitSignal(tasks.loaded, timeout=10_000):
        qtbot.keyClick(tasks.scope_box, Qt.Key.Key_Down)  # the whole branch
    assert tasks.table.hasFocus() and tasks.table.rowCount() == 5
    assert not tasks.table.isColumnHidden(TasksWorkspace.OFFICER_COLUMN)
    assert sorted(r[4] for r in rows(tasks)) == ["teller1"] * 4 + ["teller2"]
    assert audit_of(store, "tasks_view")[-1] == ("head1", "branch:0101", "targets")

    dialog = record_by_keys(qtbot, tasks, Qt.Key.Key_1)  # teller1's task: not the head's to record
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    assert dialog.isVisible() and dialog.isEnabled()
    assert dialog.error.text().startswith("该客户不是您的目标客户，任务结果只能由其客户经理登记\n如需接手")
    assert outcomes(store) == []
    assert audit_of(store, "task_outcome_refused")[-1][0] == "head1"
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Escape)
    assert tasks.dialog is None
    qtbot.waitUntil(tasks.table.hasFocus, timeout=3000)


def test_locked_refuses_and_the_count_hides_until_unlocked_and_goes_with_the_operator(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window, tasks, _seeded = officer_window(qtbot, settings, tmp_path)
    store = window.store
    assert store is not None
    qtbot.waitUntil(lambda: window.tasks_status.text() == "今日任务 4 项", timeout=10_000)
    f6(qtbot, window, tasks)
    qtbot.keyClick(tasks.table, Qt.Key.Key_R)
    dialog = tasks.dialog
    assert dialog is not None
    window.lock()
    assert window.is_locked() and not dialog.isVisible()
    assert not window.tasks_status.isVisible() and window.tasks_status.text() == ""
    assert "今日任务" not in shown_text(window) and "赵一" not in shown_text(window)
    dialog.choose("done")  # a key that arrives anyway: the desk refuses it
    qtbot.waitUntil(lambda: bool(dialog.error.text()) and not dialog.busy, timeout=10_000)
    assert dialog.error.text().startswith("屏幕已锁定")
    with qtbot.assertNotEmitted(tasks.openCustomer):
        tasks.open_selected()
    tasks.recount()
    assert window.tasks_status.text() == ""
    assert outcomes(store) == []
    window.lock_page.password.setText(PASSWORD)
    window.lock_page.button.click()
    wait_checked(qtbot, window.lock_page)
    assert not window.is_locked() and dialog.isVisible()  # back as it was, the refusal said
    assert dialog.error.isVisible() and dialog.error.text().startswith("屏幕已锁定")
    qtbot.waitUntil(lambda: window.tasks_status.text() == "今日任务 4 项", timeout=10_000)
    with qtbot.waitSignal(tasks.loaded, timeout=10_000):
        dialog.choose("done")  # unlocked: recorded
    assert outcomes(store) == [(OVERDUE, "survey", "done", None, None, False, "teller1")]
    window.logout()
    assert window.tasks is None and not window.tasks_action.isEnabled()
    assert window.tasks_status.text() == "" and not window.tasks_status.isVisible()
    assert window.workspaces.indexOf(tasks) == -1


def test_the_counter_flags_a_walk_in_target_and_signing_there_strikes_it(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window, _tasks, seeded = officer_window(qtbot, settings, tmp_path)
    counter = window.counter
    store = window.store
    assert store is not None
    qtbot.waitUntil(lambda: window.tasks_status.text() == "今日任务 4 项", timeout=10_000)
    qtbot.keyClicks(counter.id_input, OTHERS)
    qtbot.waitUntil(counter.target_flag.isVisible, timeout=10_000)
    assert counter.target_flag.text() == f"本行目标客户，今日任务：调查（名单 {LIST} · 客户经理 teller2）"
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not counter.target_flag.isVisible()
    qtbot.keyClicks(counter.id_input, STRANGER)
    assert counter.card is not None and counter.card.rid.value == STRANGER
    assert not counter._flag_tasks  # on no list (their card says so): no worker beside the first paint
    qtbot.wait(300)  # someone on no list: no line
    assert not counter.target_flag.isVisible()

    qtbot.keyClick(window, Qt.Key.Key_Escape)
    agreement_printed(store, seeded.letter_app)  # LETTER's agreement came out of the printer
    qtbot.keyClicks(counter.id_input, LETTER)
    qtbot.waitUntil(counter.target_flag.isVisible, timeout=10_000)
    assert counter.target_flag.text() == f"本行目标客户，今日任务：送达告知函（名单 {LIST} · 您负责）"
    qtbot.keyClick(window, Qt.Key.Key_F9)
    confirm = window.findChild(QMessageBox, "signConfirm")
    assert confirm is not None
    qtbot.keyClick(confirm, Qt.Key.Key_Return)
    assert apps.get(window.ctx, seeded.letter_app).status == "signed"
    qtbot.waitUntil(
        lambda: counter.target_flag.text() == f"本行目标客户：今日已签约，已销号（名单 {LIST} · 您负责）",
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: window.tasks_status.text() == "今日任务 3 项", timeout=10_000)


def test_a_card_scanned_into_the_outcome_dialog_records_nothing(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    """A scanner types the ID and Enter within milliseconds: its first digit must not choose an outcome
    (an ID starting with 1 would be 'done'), nor its Enter confirm a reason made of the ID."""
    window, tasks, _seeded = officer_window(qtbot, settings, tmp_path)
    store = window.store
    assert store is not None
    f6(qtbot, window, tasks)
    qtbot.keyClick(tasks.table, Qt.Key.Key_R)
    dialog = tasks.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)
    scanned = "110105194912310021"[:-1] + "X"  # starts with 1: the digit for 'done'
    qtbot.keyClicks(dialog.focusWidget(), scanned)  # no delay between the keys: a scanner's burst
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    qtbot.wait(300)
    assert dialog.outcome is None and dialog.pages.currentIndex() == 0
    assert dialog.error.text().startswith("这是扫码输入，结果未登记")
    # the reason page: the ID and its Enter are not a reason
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(tasks.table.hasFocus, timeout=3000)
    dialog = record_by_keys(qtbot, tasks, Qt.Key.Key_3)
    qtbot.waitUntil(dialog.reason.hasFocus, timeout=3000)
    qtbot.keyClicks(dialog.reason, "321183198503140215")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.wait(300)
    assert dialog.isVisible() and dialog.error.text().startswith("这是扫码输入，结果未登记")
    assert outcomes(store) == []


def test_signing_out_while_the_list_hangs_on_the_database_lets_the_reading_end_on_its_own(
    qtbot: QtBot,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """今日任务's reading held up by a database that stops answering: signing out waits a moment and lets
    it go (before, the tab went with its reading's thread still running, which Qt answers by ending the
    program); its answer, when it comes, shows nothing to anyone."""
    window, tasks, _seeded = officer_window(qtbot, settings, tmp_path)
    f6(qtbot, window, tasks)
    answer, hung = hang(monkeypatch, task_desk, "listing")
    tasks.refresh()
    sign_out_while_hung(qtbot, monkeypatch, window, answer, hung, lambda: window.tasks is None)
    assert "赵一" not in shown_text(window)
