"""One language at a time: in Chinese, Qt's own buttons and dialogs are Chinese too (qtbase_zh_CN from
PySide6's translations); in English, no Chinese word or punctuation of the interface's own is left
(41岁, 、, ：, （…）, [DEMO]Database). The customer's data stays as it is (names, employers, regions)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QFileInfo, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeView,
)
from pytestqt.qtbot import QtBot

from teller_assist.settings import Settings
from teller_assist.ui import i18n
from tests.helpers.extracts import MAN
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.operators import make_operator
from tests.ui.test_card_panel import window_with_data

INTERFACE_CHINESE = re.compile(r"[岁、：；，（）【】]|数据库|演示")


@pytest.fixture
def restore_language(qapp: QApplication) -> Iterator[QApplication]:
    yield qapp
    i18n.install(qapp, i18n.SOURCE_LANGUAGE)


def stock_buttons() -> tuple[list[str], list[str]]:
    box = QMessageBox()
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDetailedText("…")
    box.show()
    texts = [b.text() for b in box.findChildren(QPushButton)]
    box.close()
    bar = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    return texts, [b.text() for b in bar.buttons()]


def test_qts_own_buttons_speak_chinese_in_chinese_and_english_in_english(
    restore_language: QApplication,
) -> None:
    assert (i18n.qt_translations() / "qtbase_zh_CN.qm").exists()
    i18n.install(restore_language, "zh_CN")
    box, bar = stock_buttons()
    assert box == ["是(&Y)", "否(&N)", "显示详情..."] and bar == ["确定", "取消"]
    i18n.install(restore_language, "en")  # back to Qt's built-in English
    box, bar = stock_buttons()
    assert box == ["&Yes", "&No", "Show Details..."] and bar == ["OK", "Cancel"]


def file_dialog_words() -> list[str]:
    """Every label, button and column title of Qt's own file dialog (the one the branch desktops get)."""
    dialog = QFileDialog(None, "", str(Path(__file__).parent))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    words = [label.text() for label in dialog.findChildren(QLabel)]
    words += [button.text() for button in dialog.findChildren(QPushButton) if button.text()]
    header = dialog.findChild(QTreeView).model()
    words += [header.headerData(i, Qt.Orientation.Horizontal) for i in range(header.columnCount())]
    words.append(dialog.iconProvider().type(QFileInfo(str(Path(__file__).parent))))  # a folder's type
    dialog.deleteLater()
    return words


def test_qts_file_dialog_is_chinese_in_chinese_including_the_words_qtbase_lacks(
    restore_language: QApplication,
) -> None:
    i18n.install(restore_language, "zh_CN")
    words = file_dialog_words()
    assert "查找范围(&L)：" in words and "文件类型(&T)：" in words and "文件夹" in words, words
    assert not [w for w in words if re.search(r"[A-Za-z]{3,}", w.replace("&", ""))], words
    i18n.install(restore_language, "en")
    assert "&Look in:" in file_dialog_words()


def test_the_english_card_header_and_status_have_no_chinese_of_their_own(
    qtbot: QtBot,
    settings: Settings,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    restore_language: QApplication,
) -> None:
    english = dataclasses.replace(settings, language="en", key_store="demo-file")
    i18n.install(restore_language, "en")
    window = window_with_data(qtbot, english, tmp_path)
    assert window.store is not None
    window.sign_in(make_operator(window.store, "manager1", "lobby_manager"))
    assert window.db_status.text() == "[DEMO] Database: teller-assist.db"
    assert window.counter.header.text().endswith("测试manager1 (lobby manager)")
    qtbot.keyClicks(window.counter.id_input, MAN)
    title, details = window.counter.card_panel.title.text(), window.counter.card_panel.details.text()
    assert "41 years old" in title and "岁" not in title
    # the customer's own data stays Chinese: the employer's and the region's names
    data = ("张三", "镇江市句容市", "句容市财政局")
    shown = title + details + window.counter.header.text()
    for word in (*data, "华阳支行", "句容农村商业银行", "测试manager1"):
        shown = shown.replace(word, "")
    assert not INTERFACE_CHINESE.findall(shown), INTERFACE_CHINESE.findall(shown)
    assert "party member, veteran (expired)" in details and "(government organ)" in details
