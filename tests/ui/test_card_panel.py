"""The side panel: every identification source ends in the same card, masked, cleared by Esc."""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.client
import json
import socket
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from teller_assist.identity.resident_id import parse_resident_id
from teller_assist.lookup.ga467 import CardText
from teller_assist.security.keys import hook_token
from teller_assist.services.clock import Clock
from teller_assist.settings import Settings
from teller_assist.ui.fonts import install_fonts
from teller_assist.ui.main_window import MainWindow
from tests.helpers.extracts import MAN, WOMAN, rid
from tests.helpers.ga467_sim import SimulatedReader
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import make_operator
from tests.integration.test_lookup import load_fixture

TODAY = dt.date(2026, 11, 28)


def window_with_data(qtbot: QtBot, settings: Settings, tmp_path: Path) -> MainWindow:
    QApplication.setFont(install_fonts())
    window = MainWindow(settings, clock=Clock.on(TODAY))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)  # window shortcuts (F2, Esc) need it
    window.start()
    assert window.store is not None
    load_fixture(window.store, tmp_path / "in")
    from teller_assist.store.operators import get_operator

    window.sign_in(get_operator(window.store, "teller1") or make_operator(window.store))
    return window


def all_text(window: MainWindow) -> str:
    return " ".join(label.text() for label in window.findChildren(QLabel)) + window.counter.id_input.text()


def test_typed_id_shows_the_card_with_badges_and_esc_clears(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    qtbot.keyClicks(window.counter.id_input, MAN)
    qtbot.keyClick(window.counter.id_input, Qt.Key.Key_Return)
    panel = window.counter.card_panel
    assert panel.isVisible() and panel.objectName() == "customerCard"
    assert "张三" in panel.title.text() and "139****4567" in panel.title.text()
    assert panel.payroll_badge.state == "on" and panel.withholding_badge.state == "on"
    assert panel.negative_badge.state == "off" and panel.target_badge.state == "on"
    assert "月均***元" in panel.details.text() and "党员" in panel.details.text()  # the income masked
    shown = all_text(window)
    assert MAN not in shown and "13951234567" not in shown and "8,000" not in shown  # nowhere in full
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not panel.isVisible() and window.counter.id_input.text() == "" and window.counter.card is None
    assert window.counter.id_input.hasFocus()

    window.counter.customerIdentified.emit(parse_resident_id(WOMAN, today=TODAY), "typed")
    assert panel.negative_badge.state == "alert" and "欺诈" in panel.details.text()
    assert "秘密备注" not in all_text(window)


def test_a_stranger_gets_a_card_that_says_so(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    qtbot.keyClicks(window.counter.id_input, rid(seq=401))
    qtbot.keyClick(window.counter.id_input, Qt.Key.Key_Return)
    assert "尚非本行客户" in window.counter.card_panel.title.text()


def test_clipboard_watch_is_opt_in(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    window = window_with_data(qtbot, settings, tmp_path)
    QGuiApplication.clipboard().setText(MAN)
    qtbot.wait(50)
    assert window.counter.card is None  # off by default
    window.close()
    watching = window_with_data(qtbot, dataclasses.replace(settings, clipboard_watch=True), tmp_path / "2")
    QGuiApplication.clipboard().setText("not an id")
    qtbot.wait(20)
    assert watching.counter.card is None
    QGuiApplication.clipboard().setText(f" {MAN} ")
    qtbot.waitUntil(lambda: watching.counter.card is not None, timeout=3000)
    assert "已从剪贴板读取" in watching.counter.id_feedback.text()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_local_hook_and_card_reader_feed_the_same_card(
    qtbot: QtBot, settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    sim = SimulatedReader()
    port = free_port()
    try:
        window = window_with_data(
            qtbot, dataclasses.replace(settings, local_hook_port=port, card_reader=sim.device), tmp_path
        )
        qtbot.waitUntil(lambda: "请放置身份证" in window.reader_status.text(), timeout=5000)
        sim.card = CardText("李四", "F", "01", None, "", WOMAN, "", None, None, True)
        counter = window.counter
        qtbot.waitUntil(lambda: counter.card is not None and counter.card.rid.value == WOMAN, timeout=5000)
        assert "已读取身份证" in window.counter.id_feedback.text()

        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request(
            "POST", "/identify", json.dumps({"id_no": MAN}), {"Authorization": f"Bearer {hook_token()}"}
        )
        assert conn.getresponse().status == 204
        conn.close()
        counter = window.counter
        qtbot.waitUntil(lambda: counter.card is not None and counter.card.rid.value == MAN, timeout=5000)
        assert "柜员系统已推送" in window.counter.id_feedback.text()
        window.close()
        assert window.counter.local_hook is None and window.counter.reader_watcher is None
    finally:
        sim.close()
