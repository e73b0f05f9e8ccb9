"""The counter flow by the keyboard alone, with the keystrokes beyond the survey answers counted; and
two windows on one PostgreSQL database (the teller submits, the lobby manager's queue approves, the
teller's window sees it)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from teller_assist.identity.resident_id import parse_resident_id
from teller_assist.services.clock import Clock
from teller_assist.settings import Settings, load_settings
from teller_assist.ui.fonts import install_fonts
from teller_assist.ui.main_window import MainWindow
from teller_assist.ui.workspaces.lobby import ApprovalQueue
from tests.helpers.cups import CupsServer
from tests.helpers.extracts import MAN, OLD
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import PASSWORD, make_operator
from tests.integration.test_lookup import load_fixture
from tests.integration.test_printing import landed
from tests.ui.test_card_panel import TODAY, window_with_data


class Keys:
    """A keyboard: each key goes to the widget that has the focus (the focused field of an open
    dialog, else of the window), as a teller's keyboard sends it. The keys that answer (the ID, the
    survey's answers, the supervisor's own login and password) are counted apart from the flow's own
    cost to the teller."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot, self.flow, self.answers = qtbot, 0, 0

    def target(self) -> QWidget:
        """The focused widget, once a dialog that opened has become the active window, or the window
        is active again after it closed (as a person waits for the screen before typing)."""
        def settled() -> bool:
            modal, active = QApplication.activeModalWidget(), QApplication.activeWindow()
            return active is not None and (modal is None or active is modal)

        self.qtbot.waitUntil(settled, timeout=3000)
        widget = QApplication.focusWidget()
        assert widget is not None, "no widget has the focus: a key would go nowhere"
        return widget

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        self.flow += 1
        self.qtbot.keyClick(self.target(), key, modifier)

    def answer(self, text: str) -> None:  # typing an answer is not flow cost
        for ch in text:
            self.answers += 1
            self.qtbot.keyClicks(self.target(), ch)

    def answer_key(self, key: Qt.Key) -> None:  # Enter after a figure, or confirming the phone on file
        self.answers += 1
        self.qtbot.keyClick(self.target(), key)


def answer_survey(keys: Keys, window: MainWindow) -> None:
    """The walk-in survey by its keys alone, from its first question (focused when it opens)."""
    form = window.counter.survey_form
    assert form is not None and form.first_field() is QApplication.focusWidget()
    before = keys.answers
    keys.answer("50000")
    keys.answer_key(Qt.Key.Key_Return)
    keys.answer("0")
    keys.answer_key(Qt.Key.Key_Return)
    figures = keys.answers - before  # 50000 and 0, each with its Enter
    keys.answer("yn1")  # owns a home, no vehicle, consumption: one key each
    keys.answer_key(Qt.Key.Key_Return)  # the phone on file, confirmed
    keys.answer("yy")  # both consents
    # the six questions that are not figures cost one key each
    assert keys.answers - before - figures == 6
    assert form.answers()["owns_home"] is True and form.answers()["likely_need"] == "consumption"


def test_the_whole_counter_flow_by_keyboard(
    qtbot: QtBot,
    printing_settings: Settings,
    memory_keyring: MemoryKeyring,
    cups_server: CupsServer,
    tmp_path: Path,
) -> None:
    """The keyboard script: from the ID to the signed agreement and the next customer, every key sent to
    the focus, the flow's keys counted."""
    window = window_with_data(qtbot, printing_settings, tmp_path)
    window.resize(420, 640)  # the default panel on the 1366 × 768 counter screen
    assert window.store is not None
    make_operator(window.store, "head1", "branch_head")
    keys = Keys(qtbot)
    since = time.time()

    assert window.counter.id_input.hasFocus()  # signed in: the ID field waits, no F2 needed
    counter = window.counter
    keys.answer(MAN)  # the ID is data, as a reader or scanner gives it; no Enter needed
    assert window.counter.card_panel.isVisible() and "张三" in window.counter.card_panel.title.text()
    assert window.counter.id_input.text() == MAN[:4] + "*" * 10 + MAN[-4:]
    # eligible, nothing open: the survey is prompted at once, its first field focused (no F3)
    assert window.counter.survey_form is not None and window.counter.survey_form.objectName() == "surveyForm"
    assert window.counter.survey_form.first_field() is QApplication.focusWidget()
    assert window.counter.card_panel.estimated_line.text().startswith("可授信 30,000元")
    answer_survey(keys, window)
    assert window.counter.card_panel.estimated_line.text() == "可授信 220,000元，年利率3.65%"
    assert keys.flow == 0

    keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.counter.application is not None and "等待审批" in window.counter.application_status.text()
    # within a branch head's authority: 主管授权 opens with the submission (no F4)
    dialog = window.counter.authorize_dialog
    assert dialog is not None and dialog.isVisible() and keys.target() is dialog.login
    keys.answer("head1")  # the supervisor's own credentials are theirs to type
    keys.press(Qt.Key.Key_Tab)
    assert keys.target() is dialog.password
    keys.answer(PASSWORD)
    keys.press(Qt.Key.Key_Return)
    counter = window.counter
    qtbot.waitUntil(lambda: counter.application is not None and counter.application.status == "approved")
    assert "协议号 YSX" in window.counter.application_status.text()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)

    assert keys.target() is window.counter.print_button
    keys.press(Qt.Key.Key_F8)  # the first printing starts at once, the preview beside it (no Enter)
    preview = window.counter.preview
    # the agreement's two parts (bank, customer), the authorisation, the letter (the last two rendered
    # when asked for, here while the worker renders the paper)
    assert preview is not None and [preview.document(i).pageCount() for i in range(3)] == [4, 2, 1]
    qtbot.waitUntil(lambda: window.counter.print_task is None, timeout=30_000)  # printed on a worker thread
    counter = window.counter
    assert "已送打印机 TA-PDF" in counter.application_status.text(), counter.application_status.text()
    assert not preview.isVisible() and keys.target() is window.counter.signed_button
    assert len(list((window.settings.paths.data_dir / "printed").glob("*.pdf"))) == 3
    assert landed(cups_server, since, 3, timeout=60)

    keys.press(Qt.Key.Key_F9)
    confirm = window.findChild(QMessageBox, "signConfirm")  # the signature is confirmed, not assumed
    assert confirm is not None and confirm.isVisible()
    assert window.counter.application is not None and window.counter.application.status == "approved"
    keys.press(Qt.Key.Key_Return)
    assert window.counter.application is not None and window.counter.application.status == "signed"
    assert "已签约" in window.counter.application_status.text()
    # just signed here: no red "already holds a signed line" (that is for a returning customer)
    assert not window.counter.flow_blocked.isVisible(), window.counter.flow_blocked.text()
    assert keys.target() is window.counter.id_input  # signed: the next customer's ID goes to the ID field
    assert window.counter.id_input.selectedText() == window.counter.id_input.text()  # typing replaces it

    keys.answer(OLD)  # the next customer, typed or scanned: no Esc first
    counter = window.counter
    assert counter.card is not None and counter.card.rid.value == OLD
    assert counter.application is None and "张三" not in counter.card_panel.title.text()
    for button in (counter.print_button, counter.signed_button, counter.counter_authorize_button):
        assert not button.isVisible()
    assert not counter.application_status.isVisible()
    # Ctrl+Enter, Tab and Enter (the supervisor's), F8, F9, Enter: 9 before issue 22 (F4, the
    # preview's Enter and Esc are gone)
    assert keys.flow == 6, keys.flow


def test_enter_after_a_self_identifying_id_changes_nothing(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    qtbot.keyClicks(window.counter.id_input, MAN)
    card = window.counter.card
    assert card is not None and window.counter.id_feedback.text() == ""
    window.counter.id_input.setFocus()
    qtbot.keyClick(window.counter.id_input, Qt.Key.Key_Return)  # a scanner's suffix
    assert window.counter.card is card and window.counter.id_feedback.text() == ""
    window.counter.next_customer()
    qtbot.keyClicks(window.counter.id_input, MAN[:-1] + ("0" if MAN[-1] != "0" else "1"))  # wrong check digit
    assert window.counter.card is None and window.counter.id_feedback.text() != ""


@pytest.mark.parametrize("engine", ["postgres"])
def test_two_windows_on_one_postgres_database(
    qtbot: QtBot,
    env: dict[str, str],
    memory_keyring: MemoryKeyring,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    engine: str,
) -> None:
    settings = load_settings(env, database_url=request.getfixturevalue("postgres_url"))
    QApplication.setFont(install_fonts())
    teller = MainWindow(settings, clock=Clock.on(TODAY))
    manager = MainWindow(settings, clock=Clock.on(TODAY))
    for w in (teller, manager):
        qtbot.addWidget(w)
        w.show()
        w.start()
        assert w.store is not None
    assert teller.store is not None and manager.store is not None
    load_fixture(teller.store, tmp_path / "in")
    teller.sign_in(make_operator(teller.store, "teller1"))
    manager.sign_in(make_operator(manager.store, "head1", "branch_head"))
    queue = manager.findChild(ApprovalQueue, "approvalQueue")
    assert queue is not None
    qtbot.wait(300)

    teller.counter.customerIdentified.emit(parse_resident_id(MAN, today=TODAY), "typed")
    teller.counter.open_survey()
    form = teller.counter.survey_form  # two windows: the keys are the other tests'; filled here
    assert form is not None
    answers = {"household_income": 50000, "debts": 0, "owns_home": True, "owns_vehicle": False}
    form.set_answers({**answers, "likely_need": "consumption"})
    for key in ("consent_credit_inquiry", "consent_personal_info"):
        box = form.widgets[key]
        assert isinstance(box, QCheckBox)
        box.setChecked(True)
    teller.counter.submit()
    assert teller.counter.application is not None
    qtbot.waitUntil(lambda: queue.table.rowCount() == 1, timeout=2000)  # the other desktop, within 2 s
    # the teller's window says how long the customer has waited for the remote approver
    qtbot.waitUntil(lambda: "（已等 0:0" in teller.counter.application_status.text(), timeout=2500)
    assert "✓ " in queue.factors.text()
    queue.approve_selected()
    qtbot.waitUntil(
        lambda: (
            teller.counter.application is not None
            and teller.counter.application.status == "approved"
        ), timeout=2500
    )
    assert "已批准" in teller.counter.application_status.text() and teller.counter.print_button.isVisible()
    for w in (teller, manager):
        w.close()
