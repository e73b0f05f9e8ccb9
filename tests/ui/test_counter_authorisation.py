"""主管授权 at the counter (F4): before it the teller is told whom to call (the policy's authority table);
a refusal is audited under the person who tried, and the dialog keeps its fields whole after it."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from teller_assist.settings import Settings
from teller_assist.store import audit as store_audit
from teller_assist.ui.main_window import MainWindow
from teller_assist.ui.session import AuthorizeDialog
from tests.helpers.extracts import MAN, rid
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import PASSWORD, make_operator
from tests.ui.test_card_panel import window_with_data
from tests.ui.test_session import fill_survey


def submitted_window(
    qtbot: QtBot, settings: Settings, tmp_path: Path, id_no: str = MAN, income: str = "50000"
) -> MainWindow:
    window = window_with_data(qtbot, settings, tmp_path)
    qtbot.keyClicks(window.counter.id_input, id_no)
    fill_survey(qtbot, window)
    form = window.counter.survey_form
    assert form is not None
    if "phone" not in form.answers():  # someone the bank has never seen: no number on file
        qtbot.keyClicks(form.widgets["phone"], "13951234567")
    if form.name_edit is not None:  # ...nor a name
        form.name_edit.insert("王五")
    form.widgets["household_income"].setText(income)  # type: ignore[attr-defined]
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.counter.application is not None and window.counter.application.status == "submitted"
    return window


def test_before_f4_the_teller_is_told_which_role_the_line_needs(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    big = submitted_window(qtbot, settings, tmp_path)  # 220,000: above the lobby manager's 50,000
    assert big.counter.application is not None and big.counter.application.line_fen == 220_000_00
    shown = big.counter.application_status.text()
    assert "需网点负责人授权（大堂经理权限至 50,000 元） (F4)" in shown, shown
    dialog = big.counter.authorize_at_counter()
    assert dialog is not None and "需网点负责人授权" in dialog.findChild(QWidget, "authorizeSummary").text()  # type: ignore[union-attr]
    dialog.reject()
    big.close()

    small = submitted_window(qtbot, settings, tmp_path / "2", rid(seq=401), "20000")  # a stranger, 40,000
    assert small.counter.application is not None and small.counter.application.line_fen <= 50_000_00
    assert "需大堂经理或网点负责人授权 (F4)" in small.counter.application_status.text()


def test_submitting_opens_the_authorisation_and_after_cancelling_it_is_one_key_away(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = submitted_window(qtbot, settings, tmp_path)  # Ctrl+Enter: within a branch head's authority
    counter = window.counter
    dialog = counter.authorize_dialog
    assert dialog is not None and dialog.isVisible() and dialog.objectName() == "authorizeDialog"
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)
    assert QApplication.focusWidget() is dialog.login  # the supervisor types at once
    assert counter.authorize_at_counter() is dialog  # F4 meanwhile: the same dialog, not a second
    assert len(window.findChildren(AuthorizeDialog)) == 1

    qtbot.keyClick(dialog.login, Qt.Key.Key_Escape)  # 取消: the supervisor is away, the queue will do
    assert not dialog.isVisible() and counter.authorize_dialog is None
    assert counter.application is not None and counter.application.status == "submitted"
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    assert QApplication.focusWidget() is counter.counter_authorize_button  # 主管授权 (F4), one key away
    qtbot.keyClick(counter.counter_authorize_button, Qt.Key.Key_Return)
    again = counter.authorize_dialog
    assert again is not None and again is not dialog and again.isVisible()
    again.reject()


def test_a_line_beyond_every_role_opens_no_authorisation(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    import dataclasses

    window = window_with_data(qtbot, settings, tmp_path)
    policy = window.counter.flow.policy if window.counter.flow is not None else None
    assert policy is not None and window.counter.flow is not None
    # the branch's roles approve up to 100,000 here: 220,000 goes to a remote approver, not this screen
    lower = {"lobby_manager": 50_000_00, "branch_head": 100_000_00}
    flow = window.counter.flow
    flow.ctx = dataclasses.replace(flow.ctx, policy=dataclasses.replace(policy, approval_fen=lower))
    qtbot.keyClicks(window.counter.id_input, MAN)
    fill_survey(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    counter = window.counter
    assert counter.application is not None and counter.application.status == "submitted"
    assert counter.authorize_dialog is None and window.findChild(AuthorizeDialog) is None
    assert "额度超出所有角色的审批权限" in counter.application_status.text()


def stacked_whole(dialog: AuthorizeDialog) -> list[str]:
    """Fields narrower or shorter than they need, or drawn over one another."""
    problems = []
    parts: list[QWidget] = [dialog.login, dialog.password, dialog.error, dialog.button]
    for w in parts:
        if w.height() < w.minimumSizeHint().height():
            problems.append(f"{w.objectName()}: {w.height()} < {w.minimumSizeHint().height()}")
    if dialog.error.text():
        need = dialog.error.heightForWidth(dialog.error.width())
        if dialog.error.height() < need:
            problems.append(f"error: {dialog.error.height()} < {need} for its text")
    spans = sorted((w.mapTo(dialog, w.rect().topLeft()).y(), w.height(), w.objectName()) for w in parts)
    for (top, height, name), (next_top, _h, next_name) in itertools.pairwise(spans):
        if top + height > next_top:
            problems.append(f"{name} overlaps {next_name}")
    if not dialog.rect().contains(dialog.button.geometry()):
        problems.append("the button is outside the dialog")
    return problems


def test_a_refused_authorisation_is_audited_and_the_dialog_keeps_its_fields(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = submitted_window(qtbot, settings, tmp_path)
    assert window.store is not None and window.counter.application is not None
    make_operator(window.store, "manager1", "lobby_manager")
    qtbot.keyClick(window, Qt.Key.Key_F4)
    dialog = window.findChild(AuthorizeDialog, "authorizeDialog")
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert not stacked_whole(dialog)
    app = f"app:{window.counter.application.id}"
    for login, why in (("manager1", "authority"), ("teller1", "may not approve")):
        dialog.login.setText(login)
        dialog.password.setText(PASSWORD)
        dialog.button.click()
        qtbot.waitUntil(lambda: dialog.task is None and dialog.error.text() != "正在核验…", timeout=10_000)
        QApplication.processEvents()
        assert dialog.isVisible() and "权限" in dialog.error.text()
        assert not stacked_whole(dialog), stacked_whole(dialog)
        last = list(store_audit.export_rows(window.store, None, None))[-1]
        assert (last.action, last.operator, last.subject) == ("approve_refused", login, app)
        assert why in json.loads(last.detail)["reason"]
    assert window.counter.application.status == "submitted"
