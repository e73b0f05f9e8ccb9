"""The window opens offscreen, on the bundled font, and says what to do next."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from teller_assist.security.keys import KeyringUnavailable
from teller_assist.services.clock import Clock
from teller_assist.settings import Settings
from teller_assist.ui.fonts import install_fonts
from teller_assist.ui.main_window import MainWindow
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import make_operator

TODAY = dt.date(2026, 11, 28)


def make_window(qtbot: QtBot, settings: Settings, **kwargs: object) -> MainWindow:
    QApplication.setFont(install_fonts())
    window = MainWindow(settings, clock=Clock.on(TODAY), **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)  # window shortcuts (F2, Esc) need it
    window.start()
    if window.store is not None:
        from teller_assist.store.operators import get_operator

        window.sign_in(get_operator(window.store, "teller1") or make_operator(window.store))
    return window


def test_opens_with_an_empty_state_that_says_what_to_do(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    window = make_window(qtbot, settings)
    assert window.windowTitle() == "柜面授信助手"
    assert window.width() == MainWindow.DEFAULT_WIDTH
    empty = window.counter.empty_state.text()
    assert "还没有客户数据" in empty and "teller-assist import" in empty
    assert window.db_status.text() == "数据库：teller-assist.db"  # the narrow status line: the file
    assert window.db_status.toolTip() == str(settings.paths.sqlite_file)  # the whole path on hover
    assert window.findChild(QLineEdit, "idInput") is window.counter.id_input
    assert window.statusBar().objectName() == "statusBar"


def test_bundled_fonts_cover_rare_name_characters(qtbot: QtBot) -> None:
    font = install_fonts()
    assert font.families()[0] == "WenQuanYi Micro Hei"
    families = set(QFontDatabase.families())
    assert {"WenQuanYi Micro Hei", "HanaMinA", "HanaMinB"} <= families
    for ch, family in (("王", "WenQuanYi Micro Hei"), ("䶮", "HanaMinA"), ("𠀀", "HanaMinB")):
        from PySide6.QtGui import QFont

        assert QFontMetrics(QFont(family)).inFontUcs4(ord(ch)), (ch, family)


def test_typing_validates_as_characters_arrive(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    window = make_window(qtbot, settings)
    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.keyClicks(window.counter.id_input, "3211a")
    assert "非法字符" in window.counter.id_feedback.text()
    window.counter.id_input.clear()
    qtbot.keyClicks(window.counter.id_input, "110105194912310021")
    qtbot.keyClick(window.counter.id_input, Qt.Key.Key_Return)
    assert window.counter.id_feedback.text() == "身份证校验位错误"
    window.counter.id_input.clear()
    qtbot.keyClicks(window.counter.id_input, "11010519491231002x")
    qtbot.keyClick(window.counter.id_input, Qt.Key.Key_Return)
    # a valid ID shows the card (a stranger's here) and the field keeps only the masked number
    assert window.counter.card_panel.isVisible() and "尚非本行客户" in window.counter.card_panel.title.text()
    assert "1101**********002X" in window.counter.card_panel.title.text()
    assert window.counter.id_input.text() == "1101**********002X"


def test_no_keyring_asks_before_demo_mode_and_refusal_keeps_the_window_usable(
    qtbot: QtBot, settings: Settings, no_keyring: None
) -> None:
    asked: list[KeyringUnavailable] = []

    def refuse(_parent: object, error: KeyringUnavailable) -> bool:
        asked.append(error)
        return False

    window = make_window(qtbot, settings, ask_demo=refuse)
    assert len(asked) == 1
    counter = window.counter
    assert "无法打开数据库" in counter.empty_state.text() and "密钥环" in counter.empty_state.text()
    assert window.store is None
    assert not settings.paths.sqlite_file.exists()


def test_accepting_demo_mode_labels_the_window(qtbot: QtBot, settings: Settings, no_keyring: None) -> None:
    window = make_window(qtbot, settings, ask_demo=lambda *_: True)
    assert "演示模式" in window.windowTitle() and "演示模式" in window.db_status.text()
    assert window.store is not None and window.store.demo_mode
    assert dataclasses.replace(settings, key_store="demo-file").paths.demo_key_file.exists()


def test_the_window_remembers_its_place_and_staying_on_top(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    window = make_window(qtbot, settings)
    window.setGeometry(150, 120, 430, 700)
    window.stay_on_top_action.setChecked(True)
    assert window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    geometry = window.geometry()
    window.close()
    again = make_window(qtbot, settings)
    assert again.stay_on_top_action.isChecked()
    assert again.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert (again.geometry().width(), again.geometry().height()) == (geometry.width(), geometry.height())
    state = (settings.paths.data_dir / "window.ini").read_text(encoding="utf-8")
    assert "stay_on_top=true" in state


def test_the_idle_warm_up_draws_a_card_and_a_survey_off_screen_and_shows_or_audits_nothing(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    """The warm-up that spares the first customer the first card's costs works on throw-away widgets:
    the window shows no card and no survey after it, and the audit trail has no row for its lookup."""
    from teller_assist.store.audit import last_seq
    from teller_assist.ui.card_panel import CardPanel
    from teller_assist.ui.survey_form import SurveyForm

    window = make_window(qtbot, settings)
    counter = window.counter
    assert window.store is not None and counter.policy is not None
    seq = last_seq(window.store)
    made: list[str] = []
    shown_card, built_form = CardPanel.show_card, SurveyForm.__init__

    def show_card(panel: CardPanel, *args: object, **kwargs: object) -> None:
        made.append("card")
        shown_card(panel, *args, **kwargs)  # type: ignore[arg-type]

    def form_init(form: SurveyForm, *args: object, **kwargs: object) -> None:
        made.append("survey")
        built_form(form, *args, **kwargs)  # type: ignore[arg-type]

    CardPanel.show_card = show_card  # type: ignore[method-assign]
    SurveyForm.__init__ = form_init  # type: ignore[method-assign]
    try:
        counter._warm_up()
    finally:
        CardPanel.show_card = shown_card  # type: ignore[method-assign]
        SurveyForm.__init__ = built_form  # type: ignore[method-assign]
    # it did draw them: a throw-away card, the window's own panel (cleared again), the two spare forms
    assert made == ["card", "card", "survey", "survey"]
    assert last_seq(window.store) == seq
    assert counter.card is None and counter.survey_form is None
    assert not any(form.isVisible() for form in counter._spare_forms.values())
    assert counter.card_panel.title.text() == "" and not counter.content_scroll.isVisible()
    assert counter.card_panel.card is None and not counter.card_panel.isVisible()
    assert counter.card_panel.details.text() == "" and not counter.card_panel.revealed
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert visible == [window]


def test_the_documents_warm_up_waits_for_a_quiet_counter_and_never_runs_beside_a_preview(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The renderer's warm-up runs on its own thread, which would take the interpreter's lock from a
    card being made: it starts after the window's own warm-up, once the counter has been quiet for a
    moment (no key in the ID field). A preview asked for before that renders alone: the warm-up then
    never starts."""
    import time

    from teller_assist.ui.workspaces import counter as counter_module

    started: list[float] = []
    monkeypatch.setattr(counter_module, "_prepare_documents", lambda _url: started.append(time.monotonic()))
    window = make_window(qtbot, settings)
    counter = window.counter
    quiet = counter.DOCUMENTS_QUIET_MS / 1000
    typed = ""
    last_key = time.monotonic()
    for digit in "11010519491231002":  # a key every 100 ms: never quiet for long enough
        qtbot.keyClicks(counter.id_input, digit)
        typed += digit
        last_key = time.monotonic()
        qtbot.wait(100)
        assert started == [], f"started while typing, after {typed!r}"
    qtbot.waitUntil(lambda: started != [], timeout=3000)
    assert started[0] - last_key >= quiet * 0.9  # after the quiet moment, not before
    qtbot.wait(int(quiet * 2000))
    assert len(started) == 1  # once
    assert counter._warming is not None
    counter._documents_ready()  # (as F8 does before rendering) waits for it
    assert counter._warming is None

    # another window, a preview asked for before the counter was quiet: rendered alone, no warm-up after
    started.clear()
    second = make_window(qtbot, settings)
    second.counter._documents_ready()
    qtbot.wait(second.counter.WARM_UP_MS + second.counter.DOCUMENTS_QUIET_MS * 2)
    assert started == [] and second.counter._warming is None


def test_a_wrong_id_typed_for_the_next_customer_lets_the_previous_one_go(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    """The next customer's number typed wrong (Enter, or its 18th character): the rule is said, the
    number stays to be corrected, and the previous customer's card goes, so that F3, F8 or F9 cannot
    act on them while the field holds someone else's number."""
    window = make_window(qtbot, settings)
    counter = window.counter
    # Enter on a number too short to be one; the 18th character of one whose check digit does not hold
    cases = (("11010519491231002", "身份证号长度错误"), ("110105194912310021", "身份证校验位错误"))
    for wrong, said in cases:
        qtbot.keyClick(window, Qt.Key.Key_F2)
        qtbot.keyClicks(counter.id_input, "11010519491231002x")
        assert counter.card is not None and counter.card_panel.isVisible()
        qtbot.keyClick(window, Qt.Key.Key_F2)  # F2: the field, its text chosen to be typed over
        qtbot.keyClicks(counter.id_input, wrong[:-1])
        assert counter.card is not None  # half typed: the customer on screen stays
        qtbot.keyClicks(counter.id_input, wrong[-1])
        if len(wrong) < 18:
            qtbot.keyClick(counter.id_input, Qt.Key.Key_Return)
        assert said in counter.id_feedback.text()
        assert counter.card is None and not counter.card_panel.isVisible() and counter.flow is not None
        assert counter.flow.card is None and counter.id_input.text() == wrong
        assert counter.id_input.hasFocus()
