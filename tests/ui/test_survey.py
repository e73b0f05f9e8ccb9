"""The estimated line on the card, and the survey generated from the policy, recomputed as typed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from teller_assist.settings import Settings
from tests.helpers.extracts import MAN, WOMAN
from tests.helpers.keyrings import MemoryKeyring
from tests.ui.test_card_panel import window_with_data


def test_estimated_line_then_survey_by_keyboard(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    qtbot.keyClicks(window.counter.id_input, MAN)
    qtbot.keyClick(window.counter.id_input, Qt.Key.Key_Return)
    line = window.counter.card_panel.estimated_line
    assert line.objectName() == "estimatedLine"
    assert line.text() == "可授信 30,000元，年利率4.65%；现有依据支持220,000元（完成调查后可授）"
    counter = window.counter
    assert counter.survey_button.isVisible() and counter.survey_button.objectName() == "surveyButton"

    qtbot.keyClick(window, Qt.Key.Key_F3)
    form = window.counter.survey_form
    assert form is not None and form.isVisible() and form.objectName() == "surveyForm"
    phone = form.widgets["phone"]
    assert isinstance(phone, QLineEdit) and phone.text() == ""  # on file: shown masked, to confirm
    assert "139****4567" in phone.placeholderText() and form.answers()["phone"] == "13951234567"
    income = form.widgets["household_income"]
    assert income.hasFocus()  # the first field to fill
    qtbot.keyClicks(income, "50000")
    qtbot.keyClick(income, Qt.Key.Key_Tab)
    debts = form.widgets["debts"]
    assert debts.hasFocus()
    qtbot.keyClicks(debts, "0")
    # live, with the declared figures masked, and the candidate computed from them
    assert "申报家庭年收入***元×2 − 负债***元 = ***元" in window.counter.factors_label.text()
    assert "50,000" not in window.counter.factors_label.text()
    assert "尚缺：是否有自有住房" in window.counter.factors_label.text()
    for key in ("owns_home", "owns_vehicle", "likely_need"):
        combo = form.widgets[key]
        assert isinstance(combo, QComboBox)
        combo.setFocus()
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert line.text().startswith("可授信 30,000元")  # consents not given yet
    for key in ("consent_credit_inquiry", "consent_personal_info"):
        box = form.widgets[key]
        assert isinstance(box, QCheckBox)
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Space)
    assert line.text() == "可授信 220,000元，年利率3.65%"
    assert "尚缺" not in window.counter.factors_label.text()
    assert "公务员保底200,000元" in window.counter.factors_label.text()
    assert window.counter.decision is not None and window.counter.decision.survey_complete

    qtbot.keyClick(window, Qt.Key.Key_Escape)
    counter = window.counter
    assert counter.survey_form is None and counter.decision is None and not counter.survey_area.isVisible()


def test_ineligible_customer_is_told_why(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    qtbot.keyClicks(window.counter.id_input, WOMAN)
    qtbot.keyClick(window.counter.id_input, Qt.Key.Key_Return)
    assert window.counter.card_panel.estimated_line.text() == "不可授信：在负面清单中（欺诈）"
