"""The window writes a survey's draft and the lock's audit row on a worker thread, not the GUI's: typing
never waits on the database. Nothing typed is lost for it: the last keys typed are written (a write under
way is followed by the newer one), and a draft still on its way when the customer is cleared, the desk
changes hands or the window closes is in the database before that is done. The lock itself is at once."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from teller_assist.prequal.survey import Survey
from teller_assist.services import audit, drafts
from teller_assist.services.context import Context
from teller_assist.settings import Settings
from teller_assist.store.engine import Store
from teller_assist.ui.main_window import MainWindow
from tests.helpers.extracts import MAN
from tests.helpers.keyrings import MemoryKeyring
from tests.ui.test_card_panel import window_with_data

Saves = list[tuple[int, bool]]  # each draft written: the income typed, and was it on the GUI thread?


def spy_saves(monkeypatch: pytest.MonkeyPatch, hold_first: threading.Event | None = None) -> Saves:
    """Record each draft written; with ``hold_first``, the first write waits for it (a slow network)."""
    saves: Saves = []
    real = drafts.save

    def spied(ctx: Context, id_no: str, survey: Survey, operator: str) -> None:
        saves.append(
            (survey.answers.get("household_income", 0), threading.current_thread() is threading.main_thread())
        )
        if hold_first is not None and len(saves) == 1:
            hold_first.wait(10)
        real(ctx, id_no, survey, operator)

    monkeypatch.setattr(drafts, "save", spied)
    return saves


def typing_income(qtbot: QtBot, window: MainWindow, keys: str) -> Any:
    if window.counter.survey_form is None:
        qtbot.keyClicks(window.counter.id_input, MAN)
    form = window.counter.survey_form
    assert form is not None
    income = form.widgets["household_income"]
    qtbot.keyClicks(income, keys)
    return income


def saved_income(ctx: Context | None) -> int | None:
    assert ctx is not None
    draft = drafts.load(ctx, MAN)
    return None if draft is None else draft.survey.answers.get("household_income")


def test_a_draft_is_written_off_the_gui_thread_and_the_last_keys_win(
    qtbot: QtBot,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held = threading.Event()
    saves = spy_saves(monkeypatch, hold_first=held)
    window = window_with_data(qtbot, settings, tmp_path)
    assert window.store is not None
    typing_income(qtbot, window, "5")
    qtbot.waitUntil(lambda: len(saves) == 1, timeout=3000)  # typing paused: the draft goes (and hangs)
    income = typing_income(qtbot, window, "0000")  # typed while the first write is under way
    assert income.hasFocus() and income.text() == "50000"  # the keys were not held up
    qtbot.wait(700)  # the pause: the newer draft waits its turn behind the one under way
    assert len(saves) == 1
    held.set()
    qtbot.waitUntil(lambda: len(saves) == 2 and window.counter._draft_task is None, timeout=3000)
    assert [income for income, _gui in saves] == [5, 50000]  # the older first, then the newer
    assert not any(gui for _income, gui in saves), saves
    assert saved_income(window.ctx) == 50000


def test_a_draft_on_its_way_is_written_before_the_customer_is_cleared(
    qtbot: QtBot,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held = threading.Event()
    saves = spy_saves(monkeypatch, hold_first=held)
    window = window_with_data(qtbot, settings, tmp_path)
    assert window.store is not None
    typing_income(qtbot, window, "5")
    qtbot.waitUntil(lambda: len(saves) == 1, timeout=3000)  # under way, and slow
    typing_income(qtbot, window, "0000")
    threading.Timer(0.3, held.set).start()  # the slow write ends while Esc waits for it
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # at once, before typing pauses
    assert window.counter.card is None
    assert saved_income(window.ctx) == 50000  # the last keys, not the older write under way


def test_the_last_keys_before_the_window_closes_are_kept(
    qtbot: QtBot,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saves = spy_saves(monkeypatch)
    window = window_with_data(qtbot, settings, tmp_path)
    typing_income(qtbot, window, "5")
    qtbot.waitUntil(lambda: window.counter._draft_task is None and len(saves) == 1, timeout=3000)
    typing_income(qtbot, window, "0000")
    window.close()  # at once: the pause that would write the draft never comes
    again = window_with_data(qtbot, settings, tmp_path / "again")  # the same data folder
    assert again.store is not None
    assert saved_income(again.ctx) == 50000


def test_the_lock_is_at_once_and_its_audit_row_and_the_draft_are_written_behind_it(
    qtbot: QtBot,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows: list[tuple[str, bool]] = []  # each audit row: the action, and was it on the GUI thread?
    real = audit.log

    def spied(store: Store, action: str, **kw: Any) -> Any:
        rows.append((action, threading.current_thread() is threading.main_thread()))
        return real(store, action, **kw)

    monkeypatch.setattr(audit, "log", spied)
    saves = spy_saves(monkeypatch)
    window = window_with_data(qtbot, settings, tmp_path)
    assert window.store is not None
    typing_income(qtbot, window, "50000")
    window.idle.timer.timeout.emit()  # the idle timeout, now
    assert window.is_locked() and window.stack.currentWidget() is window.lock_page
    qtbot.waitUntil(lambda: ("lock", False) in rows and saves != [], timeout=3000)
    assert ("lock", True) not in rows, rows
    assert saves == [(50000, False)]
    ctx = window.ctx
    qtbot.waitUntil(lambda: saved_income(ctx) == 50000, timeout=3000)  # the write (begun above) done
    window.logout()  # from the locked desk: the lock's row comes before the logout's
    actions = [action for action, _gui in rows]
    assert actions.index("lock") < actions.index("logout")


def test_a_draft_that_cannot_be_written_is_said_and_written_when_it_can(
    qtbot: QtBot,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from teller_assist.errors import UserFacingError

    real = drafts.save

    def gone(*_args: object) -> None:
        raise UserFacingError("无法连接数据库", "cannot reach the database")

    monkeypatch.setattr(drafts, "save", gone)
    window = window_with_data(qtbot, settings, tmp_path)
    assert window.store is not None and window.counter.flow is not None
    income = typing_income(qtbot, window, "50000")
    feedback = window.counter.id_feedback
    qtbot.waitUntil(lambda: "调查表草稿未能保存" in feedback.text(), timeout=3000)
    assert "无法连接数据库" in feedback.text() and income.text() == "50000"  # said; nothing typed lost
    assert window.counter.flow.unsaved  # still to be written
    monkeypatch.setattr(drafts, "save", real)  # the database is back
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert saved_income(window.ctx) == 50000
