"""Keys typed while the window is busy are not lost: those typed while the lock page or the login checks
the password (正在核验) are the next customer's ID and go to the ID field once in; those typed while a card is
looked up go where the focus is when it is shown (the survey's first question)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from teller_assist.settings import Settings
from tests.helpers.extracts import MAN
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import PASSWORD, wait_checked
from tests.ui.test_card_panel import window_with_data


def test_keys_typed_while_the_unlock_is_checked_go_to_the_id_field(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    window.lock()
    page = window.lock_page
    page.password.setText(PASSWORD)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    assert page.task is not None and page.error.text() == "正在核验…"
    qtbot.keyClicks(page.password, MAN)  # the next customer's ID, typed (or scanned) before the answer
    wait_checked(qtbot, page)
    assert not window.is_locked()
    card = window.counter.card
    assert card is not None and card.rid.value == MAN  # the eighteen keys reached the ID field
    assert page.password.text() == "" and page.kept.keys == []


def test_keys_typed_while_the_login_is_checked_go_to_the_id_field(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    dialog = window.logout()  # the next teller at the desk
    assert dialog is not None and dialog.isVisible()
    dialog.login.setText("teller1")
    dialog.password.setText(PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.task is not None and dialog.error.text() == "正在核验…"
    qtbot.keyClicks(dialog.password, MAN)  # the first customer's ID, before the answer
    wait_checked(qtbot, dialog)
    assert window.operator is not None and window.operator.login == "teller1"
    card = window.counter.card
    assert card is not None and card.rid.value == MAN
    assert dialog.kept.keys == []


def test_keys_typed_after_a_wrong_password_are_dropped(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    """A wrong password: the keys typed meanwhile are neither a customer's (the window stays locked) nor
    put into the password field unseen (a scanner's Enter would try them as a password)."""
    window = window_with_data(qtbot, settings, tmp_path)
    window.lock()
    page = window.lock_page
    page.password.setText("not-the-password1")
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    qtbot.keyClicks(page.password, MAN)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)  # a scanner's suffix
    wait_checked(qtbot, page)
    assert window.is_locked() and page.error.text() == "密码错误，请重新输入"
    assert page.password.text() == "" and page.kept.keys == [] and page.task is None
    assert window.counter.card is None


def test_keys_typed_while_a_card_is_looked_up_land_in_the_survey(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    """The window's keys in one stream, each to whichever field has the focus when it arrives (as the
    window system delivers keys queued while the card was looked up): the ID, then the income."""
    window = window_with_data(qtbot, settings, tmp_path)
    window.counter.id_input.setFocus()
    handle = window.windowHandle()
    for ch in MAN + "50000":
        QTest.keyClick(handle, Qt.Key(ord(ch)))
    card, form = window.counter.card, window.counter.survey_form
    assert card is not None and card.rid.value == MAN and form is not None
    income = form.widgets["household_income"]
    assert isinstance(income, QLineEdit) and QApplication.focusWidget() is income
    assert income.text() == "50000"
