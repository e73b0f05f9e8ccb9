"""Someone the bank has never seen: the survey asks their name first, checks it, keeps it in the draft,
and the submission carries it (the agreement names its party)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from teller_assist.services import applications as apps
from teller_assist.settings import Settings
from tests.helpers.extracts import MAN, rid
from tests.helpers.keyrings import MemoryKeyring
from tests.ui.test_card_panel import window_with_data
from tests.ui.test_session import fill_survey_rest

STRANGER = rid(seq=401)


def test_a_new_customers_name_is_asked_checked_kept_and_submitted(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    qtbot.keyClicks(window.counter.id_input, STRANGER)
    assert "尚非本行客户" in window.counter.card_panel.title.text()
    form = window.counter.survey_form
    assert form is not None
    name = form.findChild(QLineEdit, "survey_customer_name")
    assert name is not None and name is QApplication.focusWidget()  # asked first
    fill_survey_rest(qtbot, window)
    qtbot.keyClicks(form.widgets["household_income"], "20000")
    qtbot.keyClicks(form.widgets["debts"], "0")
    qtbot.keyClicks(form.widgets["phone"], "13951234567")
    counter = window.counter
    assert not counter.submit_button.isEnabled()
    assert "客户姓名：请填写客户姓名" in counter.factors_label.text()
    name.insert("王5")
    assert not counter.submit_button.isEnabled() and "姓名只能是汉字" in counter.factors_label.text()
    name.clear()
    name.insert("王五")  # typed through the input method
    assert window.counter.submit_button.isEnabled() and "客户姓名" not in window.counter.factors_label.text()
    qtbot.wait(700)  # the draft is saved once typing pauses
    window.close()

    again = window_with_data(qtbot, settings, tmp_path / "again")  # same data folder, a new window
    qtbot.keyClicks(again.counter.id_input, STRANGER)
    restored = again.counter.survey_form
    assert restored is not None and restored.customer_name() == "王五"  # kept in the draft
    fill_survey_rest(qtbot, again)
    qtbot.keyClick(again, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert again.counter.application is not None and again.store is not None
    assert apps.get(again.ctx, again.counter.application.id).name == "王五"


def test_a_customer_the_bank_knows_is_not_asked_a_name(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    qtbot.keyClicks(window.counter.id_input, MAN)
    form = window.counter.survey_form
    assert form is not None and form.customer_name() is None
    assert form.findChild(QLineEdit, "survey_customer_name") is None
