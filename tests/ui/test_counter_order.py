"""The counter flow's order: the card says at once what is possible; a refused person gets no survey;
what was submitted cannot be edited; F9 only after the agreement came out, and confirmed; after it the
next key is the next customer's ID, and a scanner's burst finds the ID field wherever the focus was."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from teller_assist.services import applications as apps
from teller_assist.services import drafts
from teller_assist.settings import Settings
from teller_assist.ui.main_window import MainWindow
from tests.helpers.extracts import MAN, WOMAN, rid
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import make_operator
from tests.helpers.workflow import agreement_printed
from tests.ui.test_card_panel import TODAY, window_with_data
from tests.ui.test_session import fill_survey

STRANGER = rid(seq=401)


def approved_here(qtbot: QtBot, settings: Settings, tmp_path: Path) -> MainWindow:
    """MAN's application, submitted at this window and approved by a branch head elsewhere."""
    window = window_with_data(qtbot, settings, tmp_path)
    assert window.store is not None
    qtbot.keyClicks(window.counter.id_input, MAN)
    fill_survey(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    app = window.counter.application
    assert app is not None
    head = apps.Actor.here(make_operator(window.store, "head1", "branch_head"))
    apps.approve(
        window.ctx.on(TODAY),
        app.id,
        head,
    )
    counter = window.counter
    qtbot.waitUntil(lambda: counter.application is not None and counter.application.status == "approved")
    return window


def test_f9_records_nothing_before_the_agreement_is_printed(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = approved_here(qtbot, settings, tmp_path)
    assert window.store is not None and window.counter.application is not None
    assert window.counter.print_button.isVisible() and not window.counter.signed_button.isVisible()
    assert "请预览并打印协议 (F8)" in window.counter.application_status.text()
    qtbot.keyClick(window, Qt.Key.Key_F9)
    assert window.findChild(QMessageBox, "signConfirm") is None
    assert "协议尚未打印" in window.counter.application_status.text()
    assert apps.get(window.ctx, window.counter.application.id).status == "approved"

    agreement_printed(window.store, window.counter.application.id)  # it came out of the printer
    window.counter.next_customer()
    qtbot.keyClicks(window.counter.id_input, MAN)  # the customer comes back: the flow picks up where it was
    assert window.counter.application is not None and window.counter.signed_button.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F9)
    confirm = window.findChild(QMessageBox, "signConfirm")
    assert confirm is not None and confirm.isVisible()
    qtbot.keyClick(confirm, Qt.Key.Key_Escape)  # not signed after all
    QApplication.processEvents()
    assert apps.get(window.ctx, window.counter.application.id).status == "approved"
    qtbot.keyClick(window, Qt.Key.Key_F9)
    confirm = window.findChild(QMessageBox, "signConfirm")
    assert confirm is not None
    qtbot.keyClick(confirm, Qt.Key.Key_Return)
    assert apps.get(window.ctx, window.counter.application.id).status == "signed"
    assert window.counter.id_input.hasFocus() and not window.counter.signed_button.isVisible()


def test_after_signing_the_next_id_goes_to_the_id_field_and_the_survey_stays_as_submitted(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = approved_here(qtbot, settings, tmp_path)
    assert window.store is not None and window.counter.application is not None
    form = window.counter.survey_form
    assert form is not None and not form.isEnabled()  # submitted: read only
    assert form.answers()["household_income"] == 50000
    agreement_printed(window.store, window.counter.application.id)
    window.counter._show_application()
    confirm = window.counter.mark_signed()
    assert confirm is not None
    confirm.button(QMessageBox.StandardButton.Yes).click()
    assert window.counter.id_input.hasFocus()
    # the headline is the line held now, not a fresh estimate beside it
    headline = window.counter.card_panel.estimated_line.text()
    assert headline.startswith("已签约 220,000元，年利率3.65%，有效期至 2028-11-27"), headline
    assert "可授信" not in headline and "现有依据" not in headline

    signed_id = window.counter.application.id
    qtbot.keyClicks(QApplication.focusWidget(), STRANGER)  # the next customer's ID, typed at once
    assert window.counter.card is not None and window.counter.card.rid.value == STRANGER
    assert json.loads(apps.get(window.ctx, signed_id).survey)["household_income"] == 50000


def test_a_scanner_burst_anywhere_goes_to_the_id_field_and_typing_does_not(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    assert window.store is not None
    qtbot.keyClicks(window.counter.id_input, MAN)
    form = window.counter.survey_form
    assert form is not None
    income = form.widgets["household_income"]
    assert income.hasFocus()
    qtbot.keyClicks(income, "50000")
    qtbot.keyClicks(income, STRANGER[:6], delay=60)  # a person's typing, however many digits
    assert window.counter.card is not None and window.counter.card.rid.value == MAN
    income.setText("50000")  # type: ignore[attr-defined]
    qtbot.keyClicks(income, STRANGER)  # a scanner: eighteen characters within milliseconds
    assert window.counter.card is not None and window.counter.card.rid.value == STRANGER
    assert window.counter.id_input.text() == STRANGER[:4] + "*" * 10 + STRANGER[-4:]
    assert window.ctx is not None
    saved = drafts.load(window.ctx, MAN)  # the first customer's survey, as it was before the burst
    assert saved is not None and saved.survey.answers["household_income"] == 50000


def test_the_card_says_at_once_what_is_possible_and_the_survey_follows(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    assert window.store is not None
    qtbot.keyClicks(window.counter.id_input, WOMAN)  # on the negative list
    assert window.counter.card_panel.estimated_line.text().startswith("不可授信：在负面清单中")
    assert window.counter.survey_form is None and not window.counter.survey_button.isEnabled()
    assert window.counter.flow_blocked.isVisible() and "不能调查和提交" in window.counter.flow_blocked.text()
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert window.counter.survey_form is None  # F3 refuses too
    assert not window.counter.submit_button.isVisible()

    # someone who holds a signed line: said on the card, no second survey, no Submit
    teller = apps.Actor.here(make_operator(window.store, "teller2"))
    head = apps.Actor.here(make_operator(window.store, "head1", "branch_head"))
    from teller_assist.prequal.survey import Survey
    from tests.helpers.surveys import walk_in_answers

    survey = Survey("walk_in", walk_in_answers())
    held = apps.submit(window.ctx.on(TODAY), STRANGER, survey, teller)
    apps.approve(window.ctx.on(TODAY), held.id, head)
    agreement_printed(window.store, held.id)
    apps.sign(window.ctx.on(TODAY), held.id, teller)
    window.counter.next_customer()
    qtbot.keyClicks(window.counter.id_input, STRANGER)
    assert window.counter.card_panel.estimated_line.text().startswith("已签约 160,000元")
    assert window.counter.survey_form is None and not window.counter.survey_button.isEnabled()
    assert "已有已签约的预授信" in window.counter.flow_blocked.text()
    qtbot.keyClick(window, Qt.Key.Key_F3)
    assert window.counter.survey_form is None and not window.counter.submit_button.isVisible()
