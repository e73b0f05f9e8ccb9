"""Operators come and go at one desk: 退出登录 / 切换操作员 from the menu or the lock screen (audited, the
screen cleared, a survey kept as a draft); the lock screen asks only the password and says so when it
is wrong; an approver's lock screen says customers are waiting, without saying who."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services import drafts
from teller_assist.settings import Settings
from teller_assist.store import audit as store_audit
from teller_assist.ui.session import LoginDialog
from tests.helpers.extracts import MAN, rid
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import PASSWORD, make_operator, wait_checked
from tests.helpers.surveys import walk_in_answers
from tests.ui.test_card_panel import TODAY, window_with_data


def test_switching_operator_ends_the_session_and_asks_the_next_login(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)  # teller1
    assert window.store is not None
    make_operator(window.store, "manager1", "lobby_manager")
    qtbot.keyClicks(window.counter.id_input, MAN)
    form = window.counter.survey_form
    assert form is not None
    qtbot.keyClicks(form.widgets["household_income"], "50000")
    assert window.logout_action.isEnabled()
    window.logout_action.trigger()
    dialog = window.login_dialog
    assert isinstance(dialog, LoginDialog) and dialog.isVisible() and not dialog.first_admin
    counter = window.counter
    assert window.operator is None and counter.card is None and not counter.card_panel.isVisible()
    assert "teller1" not in window.counter.header.text()
    assert window.ctx is not None
    saved = drafts.load(window.ctx, MAN)
    assert saved is not None and saved.survey.answers["household_income"] == 50000  # nothing typed lost
    last = list(store_audit.export_rows(window.store, None, None))[-1]
    assert (last.action, last.operator, last.purpose) == ("logout", "teller1", "switch")

    dialog.login.setText("manager1")
    dialog.password.setText(PASSWORD)
    dialog.button.click()
    wait_checked(qtbot, dialog)
    assert window.operator is not None and window.operator.login == "manager1"
    assert window.queue is not None and window.workspaces.count() == 4  # 今日任务 and the lobby's, once
    window.logout()
    assert window.queue is None and window.workspaces.count() == 1  # gone with the operator
    assert window.login_dialog is not None


def test_the_lock_screen_says_a_wrong_password_and_hands_the_desk_to_another(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.is_locked()
    window.lock_page.password.setText("not-the-password1")
    window.lock_page.button.click()
    wait_checked(qtbot, window.lock_page)
    assert window.lock_page.error.text() == "密码错误，请重新输入"  # only the password was asked
    assert window.is_locked()
    qtbot.mouseClick(window.lock_page.switch_button, Qt.MouseButton.LeftButton)
    assert not window.is_locked() and window.operator is None
    assert window.login_dialog is not None and window.login_dialog.isVisible()


def test_a_locked_approvers_screen_says_customers_wait_but_not_who(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    assert window.store is not None
    window.sign_in(make_operator(window.store, "manager1", "lobby_manager"))
    window.lock()
    assert not window.lock_page.waiting.isVisible()  # nobody waits yet
    teller = apps.Actor.here(make_operator(window.store, "teller2"))
    survey = Survey("walk_in", walk_in_answers(household_income=20_000))
    apps.submit(window.ctx.on(TODAY), rid(seq=401), survey, teller, name="王五")
    qtbot.waitUntil(window.lock_page.waiting.isVisible, timeout=3000)  # the queue keeps watching
    assert window.lock_page.waiting.text().startswith("有 1 位客户在等待审批")
    shown = " ".join(w.text() for w in window.lock_page.findChildren(QLabel))
    assert "王五" not in shown and rid(seq=401)[:4] not in shown
