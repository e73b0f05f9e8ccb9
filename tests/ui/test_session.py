"""In the window: the first administrator, the login, the idle lock, submission, 主管授权 at the counter,
and the approval queue on another desktop."""

from __future__ import annotations

import dataclasses
import json
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLabel
from pytestqt.qtbot import QtBot

from teller_assist.prequal.policy import default_policy_path, load_policy
from teller_assist.prequal.survey import Survey
from teller_assist.services import applications as apps
from teller_assist.services.context import Context
from teller_assist.services.database import open_database
from teller_assist.settings import Settings, load_settings
from teller_assist.store import audit as store_audit
from teller_assist.store.engine import Store
from teller_assist.ui.fonts import install_fonts
from teller_assist.ui.main_window import MainWindow
from teller_assist.ui.session import AuthorizeDialog, LoginDialog
from teller_assist.ui.workspaces.lobby import ApprovalQueue
from tests.helpers.context import context_of
from tests.helpers.extracts import MAN, rid
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import PASSWORD, make_operator, wait_checked
from tests.helpers.surveys import walk_in_answers
from tests.ui.test_card_panel import TODAY, window_with_data


def visible_text(window: MainWindow) -> str:
    return " ".join(label.text() for label in window.findChildren(QLabel) if label.isVisible())


def fill_survey(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F3)
    form = window.counter.survey_form
    assert form is not None
    qtbot.keyClicks(form.widgets["household_income"], "50000")
    qtbot.keyClicks(form.widgets["debts"], "0")
    for key in ("owns_home", "owns_vehicle", "likely_need"):
        combo = form.widgets[key]
        assert isinstance(combo, QComboBox)
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    for key in ("consent_credit_inquiry", "consent_personal_info"):
        box = form.widgets[key]
        assert isinstance(box, QCheckBox)
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Space)


def test_first_start_creates_the_first_administrator(qtbot: QtBot, sqlite_store: Store) -> None:
    dialog = LoginDialog(context_of(sqlite_store), first_admin=True)
    qtbot.addWidget(dialog)
    assert dialog.objectName() == "firstAdminDialog"
    dialog.login.setText("zhao.hq")
    dialog.name.setText("管理员")
    dialog.password.setText("Admin2026x")
    dialog.password2.setText("Admin2026y")
    dialog.button.click()
    assert "不一致" in dialog.error.text() and dialog.operator is None
    dialog.password.setText("Admin2026x")
    dialog.password2.setText("Admin2026x")
    dialog.button.click()
    wait_checked(qtbot, dialog)
    assert dialog.operator is not None and dialog.operator.role == "hq_admin"
    assert dialog.result() == LoginDialog.DialogCode.Accepted


def test_each_login_dialog_shows_only_its_own_fields(qtbot: QtBot, sqlite_store: Store) -> None:
    from PySide6.QtWidgets import QLineEdit

    for first_admin, fields in (
        (False, ["loginUser", "loginPassword"]),
        (True, ["loginUser", "adminName", "loginPassword", "adminPassword2"]),
    ):
        dialog = LoginDialog(context_of(sqlite_store), first_admin=first_admin)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        shown = [e for e in dialog.findChildren(QLineEdit) if e.isVisible()]
        assert sorted(e.objectName() for e in shown) == sorted(fields)
        tops = sorted(e.geometry().top() for e in shown)
        assert len(set(tops)) == len(tops)  # each on its own row, none drawn over another


def test_the_login_follows_its_window_where_the_desktop_places_it(qtbot: QtBot, sqlite_store: Store) -> None:
    """At start the login opens the moment the window is shown, before the desktop's window manager
    has placed the window: Qt centres it over the screen's corner. When the window manager then moves
    the window, the login follows it (found under Xvfb with a window manager at 1366x768)."""
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(420, 640)
    window.move(0, 0)
    window.show()
    dialog = LoginDialog(context_of(sqlite_store), window)
    dialog.open()
    qtbot.waitExposed(dialog)
    window.move(473, 52)  # as the window manager centres a 420 x 640 window on a 1366 x 768 screen
    qtbot.waitUntil(lambda: dialog.frameGeometry().center() == window.frameGeometry().center())
    assert window.frameGeometry().contains(dialog.frameGeometry())


def test_login_dialog_says_why_and_keeps_the_login(qtbot: QtBot, sqlite_store: Store) -> None:
    make_operator(sqlite_store, "teller9")
    dialog = LoginDialog(context_of(sqlite_store))
    qtbot.addWidget(dialog)
    dialog.login.setText("teller9")
    dialog.password.setText("wrong-pass1")
    dialog.button.click()
    assert dialog.error.text() == "正在核验…" and dialog.login.text() == "teller9"  # off the GUI thread
    wait_checked(qtbot, dialog)
    assert "密码错误" in dialog.error.text() and dialog.login.text() == "teller9"
    assert dialog.password.text() == ""
    dialog.password.setText(PASSWORD)
    dialog.button.click()
    wait_checked(qtbot, dialog)
    assert dialog.operator is not None and dialog.operator.login == "teller9"
    actions = [r.action for r in store_audit.export_rows(sqlite_store, None, None)]
    assert actions[-2:] == ["login_failed", "login"]


def argon2_threads(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each Argon2 computation (a hash or a verification) from now on: was it on the GUI thread?"""
    from teller_assist.security import passwords

    on_gui: list[bool] = []
    for name in ("verify_password", "hash_password"):
        real = getattr(passwords, name)

        def spied(*args: object, _real: object = real) -> object:
            on_gui.append(threading.current_thread() is threading.main_thread())
            return _real(*args)  # type: ignore[operator]

        monkeypatch.setattr(passwords, name, spied)
    return on_gui


def test_the_first_administrator_is_hashed_off_the_gui_thread(
    qtbot: QtBot, sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_gui = argon2_threads(monkeypatch)
    first = LoginDialog(context_of(sqlite_store), first_admin=True)
    qtbot.addWidget(first)
    first.login.setText("zhao.hq")
    first.name.setText("管理员")
    first.password.setText("Admin2026x")
    first.password2.setText("Admin2026x")
    first.button.click()
    assert first.error.text() == "正在核验…" and not first.button.isEnabled()
    wait_checked(qtbot, first)
    assert first.operator is not None and first.result() == LoginDialog.DialogCode.Accepted
    assert len(on_gui) >= 2 and not any(on_gui)  # the new hash, then the login's verification


def test_no_password_is_checked_on_the_gui_thread(
    qtbot: QtBot,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A login, a wrong and a right unlock: every Argon2 verification runs on a worker thread while the
    screen says 正在核验, the typed login and the focus staying put."""
    window = window_with_data(qtbot, settings, tmp_path)
    assert window.store is not None
    on_gui = argon2_threads(monkeypatch)
    dialog = LoginDialog(window.ctx, window)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.login, "teller1")
    dialog.password.setFocus()
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.error.text() == "正在核验…" and dialog.login.text() == "teller1"
    assert dialog.focusWidget() is dialog.password and dialog.password.isReadOnly()
    wait_checked(qtbot, dialog)
    assert dialog.operator is not None and dialog.operator.login == "teller1"

    window.lock()
    page = window.lock_page
    page.password.setText("not-the-password1")
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    assert page.error.text() == "正在核验…" and not page.switch_button.isEnabled()
    wait_checked(qtbot, page)
    assert window.is_locked() and page.error.text() == "密码错误，请重新输入"
    assert window.focusWidget() is page.password
    page.password.setText(PASSWORD)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    wait_checked(qtbot, page)
    assert not window.is_locked()
    assert len(on_gui) == 3 and not any(on_gui)  # the login, the wrong and the right unlock


def test_idle_lock_hides_customer_data_until_the_same_operator_unlocks(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    assert window.idle.timer.interval() == settings.idle_lock_minutes * 60_000
    qtbot.keyClicks(window.counter.id_input, MAN)
    qtbot.keyClick(window.counter.id_input, Qt.Key.Key_Return)
    fill_survey(qtbot, window)
    assert "张三" in visible_text(window)
    window.idle.timer.setInterval(150)  # five minutes, shortened for the test
    window.idle.start()
    qtbot.waitUntil(window.is_locked, timeout=3000)
    text = visible_text(window)
    assert "张三" not in text and "可授信" not in text and "屏幕已锁定" in text
    assert not window.counter.card_panel.isVisible() and window.lock_page.isVisible()
    counter = window.counter
    # ignored while locked
    counter.customerIdentified.emit(counter.card.rid if counter.card else None, "reader")
    window.lock_page.password.setText("not-the-password1")
    window.lock_page.button.click()
    wait_checked(qtbot, window.lock_page)
    assert window.is_locked() and window.lock_page.error.text() == "密码错误，请重新输入"
    window.lock_page.password.setText(PASSWORD)
    window.lock_page.button.click()
    wait_checked(qtbot, window.lock_page)
    assert not window.is_locked()
    assert "张三" in visible_text(window)  # nothing typed was lost
    counter = window.counter
    assert counter.survey_form is not None and counter.survey_form.answers()["household_income"] == 50000
    assert window.store is not None
    actions = [r.action for r in store_audit.export_rows(window.store, None, None)]
    assert "lock" in actions and actions[-1] == "unlock"


def test_submit_then_counter_authorisation(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    assert window.store is not None
    make_operator(window.store, "head1", "branch_head")
    qtbot.keyClicks(window.counter.id_input, MAN)
    qtbot.keyClick(window.counter.id_input, Qt.Key.Key_Return)
    fill_survey(qtbot, window)
    counter = window.counter
    assert counter.submit_button.objectName() == "submitButton" and counter.submit_button.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.counter.application is not None and window.counter.application.status == "submitted"
    assert "等待审批" in window.counter.application_status.text()

    qtbot.keyClick(window, Qt.Key.Key_F4)
    dialog = window.findChild(AuthorizeDialog, "authorizeDialog")
    assert dialog is not None and dialog.isVisible()
    login = dialog.findChild(type(dialog.login), "approverLogin")
    password = dialog.findChild(type(dialog.password), "approverPassword")
    assert login is not None and password is not None
    # a teller has no approval authority (and could not approve their own submission anyway)
    login.setText("teller1")
    password.setText(PASSWORD)
    dialog.findChild(type(dialog.button), "authorizeButton").click()
    assert dialog.error.text() == "正在核验…" and not dialog.button.isEnabled()  # checked off the GUI thread
    qtbot.waitUntil(lambda: "没有审批权限" in dialog.error.text())
    assert dialog.isVisible() and dialog.button.isEnabled() and dialog.password.text() == ""
    login.setText("head1")
    password.setText(PASSWORD)
    dialog.button.click()
    counter = window.counter
    qtbot.waitUntil(lambda: counter.application is not None and counter.application.status == "approved")
    counter = window.counter
    assert "已批准" in counter.application_status.text() and "YSX" in counter.application_status.text()
    # the card now shows the pre-credit with its expiry
    assert window.counter.card_panel.credit_badge.state == "on"
    assert "已批准，待签约 220,000元" in window.counter.card_panel.details.text()
    assert "有效期至 2028-11-27" in window.counter.card_panel.details.text()


def test_reveal_is_audited_and_ends_with_the_lock(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    qtbot.keyClicks(window.counter.id_input, MAN)
    qtbot.keyClick(window.counter.id_input, Qt.Key.Key_Return)
    counter = window.counter
    assert MAN not in counter.card_panel.title.text() and "139****4567" in counter.card_panel.title.text()
    counter = window.counter
    reveal = counter.card_panel.findChild(type(counter.card_panel.reveal_button), "revealButton")
    assert reveal is not None and reveal.isVisible()
    counter = window.counter
    assert "月均***元" in counter.card_panel.details.text() and "月均***元" in counter.factors_label.text()
    reveal.click()
    counter = window.counter
    assert MAN in counter.card_panel.title.text() and "13951234567" in counter.card_panel.title.text()
    assert "月均8,000.00元" in window.counter.card_panel.details.text()  # the income, in full, on the card
    assert "月均8,000元" in window.counter.factors_label.text()  # and in the decision's words
    assert window.store is not None
    last = list(store_audit.export_rows(window.store, None, None))[-1]
    assert (last.action, last.operator, last.subject) == ("reveal", "teller1", MAN)
    assert json.loads(last.detail or "{}")["fields"] == ["resident_id", "phone", "income"]
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # the teller steps away
    assert window.is_locked() and MAN not in window.counter.card_panel.title.text()
    assert "月均8,000" not in window.counter.card_panel.details.text() + window.counter.factors_label.text()


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
def test_the_remote_queue_sees_a_submission_within_two_seconds(
    qtbot: QtBot,
    env: dict[str, str],
    memory_keyring: MemoryKeyring,
    request: pytest.FixtureRequest,
    engine: str,
) -> None:
    if engine == "postgres":
        settings = load_settings(env, database_url=request.getfixturevalue("postgres_url"))
    else:
        settings = load_settings({**env, "TELLER_ASSIST_KEY_STORE": "demo-file"})
    teller_side = open_database(settings).store  # the teller's desktop
    QApplication.setFont(install_fonts())
    # another desktop; its "today" is the clock's, as the audit rows that make today's walk-ins are
    manager_window = MainWindow(dataclasses.replace(settings))
    qtbot.addWidget(manager_window)
    manager_window.show()
    manager_window.start()
    assert manager_window.store is not None
    teller = make_operator(teller_side, "teller1")
    manager_window.sign_in(make_operator(manager_window.store, "manager1", "lobby_manager"))
    queue = manager_window.findChild(ApprovalQueue, "approvalQueue")
    assert queue is not None and queue.table.rowCount() == 0
    policy = load_policy(default_policy_path())
    try:
        qtbot.wait(300)  # the listener is connected
        from teller_assist.services import audit

        audit.log(teller_side, "lookup", operator="teller1", subject=rid(seq=55), purpose="typed")
        submitted = apps.submit(
            Context(teller_side, settings, policy),  # the teller's desktop, on the clock's day
            rid(seq=55),
            Survey("walk_in", walk_in_answers(household_income=20_000)),
            apps.Actor.here(teller),
        )
        qtbot.waitUntil(lambda: queue.table.rowCount() == 1, timeout=2000)
        assert queue.table.item(0, 1).text() == str(submitted.id)
        assert "分钟" in queue.table.item(0, 0).text() and "40,000" in queue.table.item(0, 3).text()
        # what the line rests on, for the approver: the factors recorded at submission
        assert queue.factors.text().startswith(f"申请 {submitted.id} 的依据：")
        assert "✓ " in queue.factors.text() and "基础授信" in queue.factors.text()
        # a lobby screen: the declared income is masked, and the candidate computed from it (which
        # would give it back); the line, rounded to the policy's step, is shown
        assert "申报家庭年收入***元×2 − 负债***元 = ***元" in queue.factors.text()
        assert "额度40,000元" in queue.factors.text()
        assert "20,000" not in queue.factors.text()
        queue.approve_selected()
        assert apps.get(Context(teller_side, settings, policy), submitted.id).status == "approved"
        assert "已批准" in queue.message.text()
        walkins = manager_window.walkins
        assert walkins is not None and walkins.objectName() == "walkinsView"
        qtbot.waitUntil(lambda: "已批准 1" in walkins.summary.text(), timeout=2000)  # read after it
        assert "今日到店 1 人" in walkins.summary.text() and walkins.table.rowCount() == 1
        qtbot.waitUntil(lambda: queue.table.rowCount() == 0, timeout=2000)
    finally:
        manager_window.close()
        teller_side.dispose()


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_the_tellers_window_sees_a_decision_made_on_another_desktop(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path, decision: str
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    assert window.store is not None
    qtbot.keyClicks(window.counter.id_input, MAN)
    qtbot.keyClick(window.counter.id_input, Qt.Key.Key_Return)
    fill_survey(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.counter.application is not None and window.counter.application.status == "submitted"
    elsewhere = open_database(window.settings).store  # the approver's desktop, its own connection
    try:
        head = apps.Actor.here(make_operator(elsewhere, "head1", "branch_head"))
        policy = load_policy(default_policy_path())
        ctx = Context(elsewhere, window.settings, policy)
        if decision == "approve":
            apps.approve(ctx.on(TODAY), window.counter.application.id, head)
        else:
            apps.reject(ctx, window.counter.application.id, head, "收入证明不足")
    finally:
        elsewhere.dispose()
    qtbot.waitUntil(
        lambda: (
            window.counter.application is not None
            and window.counter.application.status != "submitted"
        ), timeout=2000
    )
    if decision == "approve":
        counter = window.counter
        assert "已批准" in counter.application_status.text() and counter.print_button.isVisible()
    else:
        assert "已拒绝：收入证明不足" in window.counter.application_status.text()
        assert not window.counter.counter_authorize_button.isVisible()


def test_a_half_filled_survey_survives_a_restart_and_goes_once_submitted(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    qtbot.keyClicks(window.counter.id_input, MAN)
    qtbot.keyClick(window.counter.id_input, Qt.Key.Key_Return)
    qtbot.keyClick(window, Qt.Key.Key_F3)
    form = window.counter.survey_form
    assert form is not None
    qtbot.keyClicks(form.widgets["household_income"], "50000")
    qtbot.keyClicks(form.widgets["debts"], "1200")
    consent = form.widgets["consent_credit_inquiry"]
    assert isinstance(consent, QCheckBox)
    consent.setChecked(True)
    qtbot.wait(700)  # the draft is saved once typing pauses
    window.close()  # the app goes away (a crash, a restart) with nothing submitted

    again = window_with_data(qtbot, settings, tmp_path / "again")  # same data folder, a new window
    qtbot.keyClicks(again.counter.id_input, MAN)
    qtbot.keyClick(again.counter.id_input, Qt.Key.Key_Return)
    qtbot.keyClick(again, Qt.Key.Key_F3)
    restored = again.counter.survey_form
    assert restored is not None
    assert restored.answers()["household_income"] == 50000 and restored.answers()["debts"] == 1200
    box = restored.widgets["consent_credit_inquiry"]
    assert isinstance(box, QCheckBox) and not box.isChecked()  # consents are ticked again
    assert "已恢复" in again.counter.id_feedback.text()

    fill_survey_rest(qtbot, again)
    qtbot.keyClick(again, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert again.counter.application is not None
    from teller_assist.services import drafts

    assert again.ctx is not None and drafts.load(again.ctx, MAN) is None


def fill_survey_rest(qtbot: QtBot, window: MainWindow) -> None:
    form = window.counter.survey_form
    assert form is not None
    for key in ("owns_home", "owns_vehicle", "likely_need"):
        combo = form.widgets[key]
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(1)
    for key in ("consent_credit_inquiry", "consent_personal_info"):
        box = form.widgets[key]
        assert isinstance(box, QCheckBox)
        box.setChecked(True)
