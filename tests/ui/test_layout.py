"""At a counter PC's 1366 × 768 screen (tests/ui/conftest.py), at the window's default size and at the
screen's full height, in both languages: every part of every step is on screen and whole. Nothing
outside the window, no wrapped text cut short, no field or button squeezed, the status bar in view,
enough of the survey to work in, the lobby's queue usable while a card is open, the print preview's
buttons reachable."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from teller_assist.settings import Settings
from teller_assist.ui import i18n
from teller_assist.ui.main_window import MainWindow
from tests.helpers.extracts import MAN, WOMAN, rid
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import PASSWORD, make_operator
from tests.helpers.workflow import agreement_printed
from tests.ui.test_card_panel import window_with_data
from tests.ui.test_session import fill_survey_rest

SURVEY_ROWS = 5  # at least this many of the survey's fields in view at once


@pytest.fixture(params=["zh_CN", "en"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    i18n.install(qapp, request.param)
    yield request.param
    i18n.install(qapp, i18n.SOURCE_LANGUAGE)


@pytest.fixture(params=["default", "full height"])
def height(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def name(w: QWidget) -> str:
    text = w.text() if isinstance(w, QLabel | QAbstractButton) else ""
    return f"{type(w).__name__} {w.objectName() or text[:20]!r}"


def scrolled_by(w: QWidget) -> QAbstractScrollArea | None:
    """The scroll area whose viewport ``w`` lives in (its vertical place is the scroll's business)."""
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and parent.viewport().isAncestorOf(w):
            return parent
        parent = parent.parentWidget()
    return None


def problems(top: QWidget) -> list[str]:
    """What is off screen, cut or squeezed in ``top`` as it is drawn now (once its layouts settled)."""
    for _ in range(5):
        QApplication.sendPostedEvents()
        QApplication.processEvents()
    found = []
    room = (top.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    if not room.contains(top.frameGeometry()):
        found.append(f"{name(top)} {top.frameGeometry()} is not inside the screen {room}")
    for w in top.findChildren(QWidget):
        if not w.isVisible() or w.window() is not top or w.width() <= 0:
            continue  # a dialog's widgets are checked in that dialog (主管授权 opens with the submission)
        at = QRect(w.mapTo(top, QPoint(0, 0)), w.size())
        scroll = scrolled_by(w)
        if scroll is None:
            if not top.rect().contains(at):
                found.append(f"{name(w)} {at} is outside {name(top)} {top.rect()}")
        else:  # inside a scrolling part: never wider than it (no sideways scrolling at the counter)
            port = scroll.viewport()
            left = w.mapTo(port, QPoint(0, 0)).x()
            if left < 0 or left + w.width() > port.width():
                found.append(f"{name(w)} is wider than its scrolling part")
        if isinstance(w, QLabel) and w.text() and w.wordWrap():
            need = w.heightForWidth(w.width())
            if need > w.height():
                found.append(f"{name(w)} shows {w.height()} of its {need} pixels of text")
        small = w.width() < w.sizeHint().width() or w.height() < w.minimumSizeHint().height()
        if isinstance(w, QAbstractButton) and w.text() and small:
            found.append(f"{name(w)} {w.size()} is smaller than its text {w.sizeHint()}")
        if isinstance(w, QLineEdit | QComboBox) and w.height() < w.minimumSizeHint().height():
            found.append(f"{name(w)} is squeezed to {w.height()} px")
    return found


def survey_rows_in_view(window: MainWindow) -> int:
    form = window.counter.survey_form
    assert form is not None
    port = window.counter.content_scroll.viewport()
    fields = list(form.widgets.values()) + ([form.name_edit] if form.name_edit is not None else [])
    return sum(
        1
        for f in fields
        if QRect(QPoint(0, 0), port.size()).contains(QRect(f.mapTo(port, QPoint(0, 0)), f.size()))
    )


def counter_window(
    qtbot: QtBot, settings: Settings, tmp_path: Path, language: str, height: str
) -> MainWindow:
    window = window_with_data(qtbot, dataclasses.replace(settings, language=language), tmp_path)
    room = window.screen().availableGeometry()
    assert (room.width(), room.height()) == (1366, 768)  # the counter PC's screen
    if height == "full height":  # the panel beside the teller system, the screen's whole height
        frame = window.frameGeometry().height() - window.height()
        width, tall = MainWindow.DEFAULT_WIDTH, room.height() - frame
        window.setGeometry(room.right() + 1 - width - frame, room.top() + frame // 2, width, tall)
    QApplication.processEvents()
    return window


def test_the_default_size_fits_a_counter_screen(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    assert (window.width(), window.height()) == (MainWindow.DEFAULT_WIDTH, MainWindow.DEFAULT_HEIGHT)
    assert window.statusBar().isVisible()


def test_every_step_of_the_counter_flow_is_whole_on_a_1366x768_screen(
    qtbot: QtBot,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    language: str,
    height: str,
) -> None:
    window = counter_window(qtbot, settings, tmp_path, language, height)
    assert window.store is not None
    make_operator(window.store, "head1", "branch_head")

    def whole(step: str) -> None:
        found = problems(window)
        assert not found, (step, found)
        bar = window.statusBar()
        assert bar.isVisible() and window.rect().contains(QRect(bar.mapTo(window, QPoint(0, 0)), bar.size()))

    whole("signed in, nobody yet")
    qtbot.keyClicks(window.counter.id_input, MAN)
    whole("the card and the survey")
    assert survey_rows_in_view(window) >= SURVEY_ROWS, survey_rows_in_view(window)
    counter = window.counter
    assert counter.card_panel.estimated_line.isVisible() and counter.card_panel.title.isVisible()
    fill_survey_rest(qtbot, window)
    form = window.counter.survey_form
    assert form is not None
    qtbot.keyClicks(form.widgets["household_income"], "50000")
    qtbot.keyClicks(form.widgets["debts"], "0")
    whole("the survey complete")
    assert window.counter.submit_button.isVisible() and window.counter.submit_button.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    whole("submitted, whom to call")
    dialog = window.counter.authorize_dialog  # opened with the submission
    assert dialog is not None and window.counter.authorize_at_counter() is dialog
    qtbot.waitExposed(dialog)
    assert not problems(dialog), problems(dialog)
    dialog.login.setText("head1")
    dialog.password.setText(PASSWORD)
    dialog.authorize()
    counter = window.counter
    qtbot.waitUntil(lambda: counter.application is not None and counter.application.status == "approved")
    whole("approved")
    assert window.counter.application is not None
    agreement_printed(window.store, window.counter.application.id)
    window.counter._show_application()
    whole("printed, the signature next")
    assert window.counter.signed_button.isVisible()
    confirm = window.counter.mark_signed()
    assert confirm is not None
    qtbot.waitExposed(confirm)
    assert not problems(confirm), problems(confirm)
    confirm.button(confirm.StandardButton.Yes).click()
    whole("signed")

    window.counter.next_customer()
    qtbot.keyClicks(window.counter.id_input, rid(seq=401))
    whole("someone new: the name asked first")
    assert survey_rows_in_view(window) >= SURVEY_ROWS
    window.counter.next_customer()
    qtbot.keyClicks(window.counter.id_input, WOMAN)
    whole("on the negative list")
    window.lock()
    whole("locked")


def test_the_print_preview_fits_the_screen_with_its_buttons(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path, language: str
) -> None:
    from tests.ui.test_counter_order import approved_here

    window = approved_here(qtbot, dataclasses.replace(settings, language=language), tmp_path)
    preview = window.counter.preview_documents()
    assert preview is not None
    qtbot.waitExposed(preview)
    room = preview.screen().availableGeometry()
    assert preview.height() <= room.height() and room.contains(preview.frameGeometry()), preview.geometry()
    assert not problems(preview), problems(preview)
    for button in (preview.print_button, preview.findChild(QAbstractButton, "previewCloseButton")):
        assert button is not None and button.isVisible()
        assert preview.rect().contains(QRect(button.mapTo(preview, QPoint(0, 0)), button.size()))
    preview.reject()


def test_the_lobbys_queue_is_usable_while_a_card_is_open(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path, language: str
) -> None:
    from teller_assist.prequal.survey import Survey
    from teller_assist.services import applications as apps
    from tests.helpers.surveys import walk_in_answers

    window = counter_window(qtbot, settings, tmp_path, language, "default")
    assert window.store is not None
    teller = apps.Actor.here(make_operator(window.store, "teller2"))
    for seq in (401, 402, 403, 404):
        survey = Survey("walk_in", walk_in_answers(household_income=20_000))
        apps.submit(window.ctx.on(window._today()), rid(seq=seq), survey, teller, name="王五")
    window.sign_in(make_operator(window.store, "manager1", "lobby_manager"))
    qtbot.keyClicks(window.counter.id_input, MAN)  # a customer at the manager's own desk
    assert window.counter.card_panel.isVisible()
    queue = window.queue
    assert queue is not None
    tab = lambda: window.workspaces.tabText(window.workspaces.indexOf(queue))  # noqa: E731
    qtbot.waitUntil(lambda: tab().endswith("(4)"), timeout=3000)  # the waiting, counted where the
    # counter's tab shows it (read on a worker thread)
    window.workspaces.setCurrentWidget(queue)
    qtbot.waitUntil(queue.isVisible, timeout=3000)
    assert not problems(window), problems(window)
    table = queue.table
    rows_shown = table.viewport().height() // table.verticalHeader().defaultSectionSize()
    assert rows_shown >= 4, rows_shown
    assert table.horizontalScrollBar().maximum() == 0  # every column in view, no sideways scrolling
    cell = table.item(0, 2)
    assert cell is not None and cell.toolTip() == cell.text()  # a cut customer cell says it whole
    window.workspaces.setCurrentIndex(0)  # back to the customer: still there
    assert window.counter.card is not None and window.counter.card_panel.isVisible()
