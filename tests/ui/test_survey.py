"""The estimated line on the card, and the survey generated from the policy, recomputed as typed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from teller_assist.settings import Settings
from teller_assist.ui.main_window import MainWindow
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


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def type_keys(qtbot: QtBot, text: str) -> None:
    """Each character to whichever widget has the focus, as a keyboard sends it."""
    for ch in text:
        qtbot.keyClicks(focused(), ch)


def in_view(window: MainWindow, widget: QWidget) -> bool:
    """The widget (and its question's words) whole inside the scrolling part's visible area."""
    viewport = window.counter.content_scroll.viewport()
    seen = viewport.rect()
    form = window.counter.survey_form
    assert form is not None
    for w in (widget, form.label_for(widget)):
        if w is None:
            continue
        top_left = w.mapTo(viewport, QPoint(0, 0))
        if not seen.contains(QRect(top_left, w.size())):
            return False
    return True


def test_the_survey_answered_by_its_keys_without_tab(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    window.resize(420, 640)  # the default panel on a 1366 × 768 counter screen
    type_keys(qtbot, MAN)  # the survey opens by itself, its first question focused
    form = window.counter.survey_form
    assert form is not None
    w = form.widgets
    assert focused() is w["household_income"] and in_view(window, w["household_income"])
    # the keys are shown with the choices: Y 是 / N 否, 1 消费 …
    home, need = w["owns_home"], w["likely_need"]
    assert isinstance(home, QComboBox) and isinstance(need, QComboBox)
    assert [home.itemText(i) for i in range(3)] == ["— 按 Y 或 N", "Y 是", "N 否"]
    assert [need.itemText(i) for i in range(5)] == ["— 按 1–4", "1 消费", "2 经营", "3 农业生产", "4 暂无"]

    type_keys(qtbot, "50000")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # a figure, then Enter: the next question
    assert focused() is w["debts"] and in_view(window, w["debts"])
    type_keys(qtbot, "0")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert focused() is home and in_view(window, home)
    type_keys(qtbot, "x")  # not a key of this question: nothing chosen, the focus stays
    assert focused() is home and home.currentData() is None
    type_keys(qtbot, "y")  # one key answers and moves on
    assert home.currentData() is True and focused() is w["owns_vehicle"]
    type_keys(qtbot, "n")
    assert focused() is need and in_view(window, need)
    type_keys(qtbot, "2")
    assert need.currentData() == "business" and focused() is w["phone"] and in_view(window, w["phone"])

    # Shift+Enter goes back, the answer there can be changed by its key, and it moves on again
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is need
    type_keys(qtbot, "4")
    assert need.currentData() == "none" and focused() is w["phone"]
    for _ in range(4):
        qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is w["debts"] and in_view(window, w["debts"])
    debts = w["debts"]
    assert isinstance(debts, QLineEdit) and debts.selectedText() == "0"  # typing replaces the figure
    type_keys(qtbot, "1000")
    assert debts.text() == "1000"
    for _ in range(4):
        qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert focused() is w["phone"]
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # the number on file, confirmed as it stands
    consent = w["consent_credit_inquiry"]
    assert focused() is consent and in_view(window, consent)
    type_keys(qtbot, "y")
    assert focused() is w["consent_personal_info"] and in_view(window, w["consent_personal_info"])
    type_keys(qtbot, "y")

    answers = form.answers()
    assert answers == {
        "household_income": 50000,
        "debts": 1000,
        "owns_home": True,
        "owns_vehicle": False,
        "likely_need": "none",
        "phone": "13951234567",
        "consent_credit_inquiry": True,
        "consent_personal_info": True,
    }
    # complete: the last answer hands the focus to 提交审批, where Enter (or Ctrl+Enter) submits
    assert focused() is window.counter.submit_button and window.counter.submit_button.isEnabled()
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert window.counter.application is not None and window.counter.application.status == "submitted"
    assert not form.isEnabled()  # what was submitted is the application's: no key changes it now
    assert form.answers() == answers


def test_the_last_answer_goes_back_to_what_is_missing(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    type_keys(qtbot, MAN)
    form = window.counter.survey_form
    assert form is not None
    w = form.widgets
    for _ in range(2):
        qtbot.keyClick(focused(), Qt.Key.Key_Return)  # the income and debts left empty
    type_keys(qtbot, "yn1")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    type_keys(qtbot, "yn")  # the second consent refused
    assert w["consent_personal_info"].isEnabled()
    # not complete: no submission offered; the focus goes back to the first question still unanswered
    assert focused() is w["household_income"] and in_view(window, w["household_income"])
    assert not window.counter.submit_button.isEnabled()
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.counter.application is None


def test_the_survey_made_ahead_is_the_customers_own_and_the_next_one_is_made_after_esc(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    """The form made at idle is the one the customer gets, with their phone on file masked in it; after
    Esc the next customer's is made ahead again, and it carries nothing of the one before."""
    from tests.helpers.extracts import rid

    window = window_with_data(qtbot, settings, tmp_path)
    counter = window.counter
    counter._warm_up()
    spare = counter._spare_forms[("walk_in", False)]
    assert not spare.isVisible()
    qtbot.keyClicks(counter.id_input, MAN)
    qtbot.keyClick(counter.id_input, Qt.Key.Key_Return)
    qtbot.keyClick(window, Qt.Key.Key_F3)
    form = counter.survey_form
    assert form is spare and form.isVisible()
    phone = form.widgets["phone"]
    assert isinstance(phone, QLineEdit) and "139****4567" in phone.placeholderText()
    assert form.answers()["phone"] == "13951234567"

    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: ("walk_in", False) in counter._spare_forms, timeout=3000)
    assert counter._spare_forms[("walk_in", False)] is not spare
    stranger = counter._spare_forms[("walk_in", True)]
    qtbot.keyClicks(counter.id_input, rid(seq=41))  # unknown to the bank: the name is asked
    qtbot.keyClick(counter.id_input, Qt.Key.Key_Return)
    qtbot.keyClick(window, Qt.Key.Key_F3)
    form = counter.survey_form
    assert form is stranger and form.name_edit is not None and form.name_edit.hasFocus()
    phone = form.widgets["phone"]
    assert isinstance(phone, QLineEdit) and "4567" not in phone.placeholderText()
    assert "phone" not in form.answers()
