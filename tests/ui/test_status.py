"""The status the window reports about the world outside it: a PostgreSQL server that goes away (and
comes back) while a survey is being typed, and the printer's state from a real CUPS scheduler."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from teller_assist.settings import Settings, load_settings
from tests.helpers.extracts import MAN
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.postgres import PostgresServer
from tests.ui.test_card_panel import window_with_data
from tests.ui.test_session import fill_survey_rest


def test_a_lost_postgres_connection_shows_a_banner_reconnects_and_loses_nothing_typed(
    qtbot: QtBot,
    env: dict[str, str],
    memory_keyring: MemoryKeyring,
    own_postgres: PostgresServer,
    tmp_path: Path,
) -> None:
    settings = load_settings(env, database_url=own_postgres.create_database("counter"))
    window = window_with_data(qtbot, settings, tmp_path)
    assert window.connection is not None and not window.counter.banner.isVisible()
    qtbot.keyClicks(window.counter.id_input, MAN)
    form = window.counter.survey_form
    assert form is not None
    income = form.widgets["household_income"]
    assert isinstance(income, QLineEdit)
    qtbot.keyClicks(income, "50000")

    own_postgres.pause()  # the server goes away mid-survey
    debts = form.widgets["debts"]
    assert isinstance(debts, QLineEdit)
    qtbot.keyClicks(debts, "0")
    fill_survey_rest(qtbot, window)
    qtbot.waitUntil(window.counter.banner.isVisible, timeout=6000)
    counter = window.counter
    assert "数据库连接中断" in counter.banner.text() and "已输入的内容保留" in counter.banner.text()
    assert "连接中断" in window.db_status.text()
    window.counter.submit()  # refused with a reason; the survey stays as typed
    assert window.counter.application is None
    assert window.counter.application_status.isVisible() and window.counter.application_status.text()
    assert window.counter.survey_form is form and income.text() == "50000" and debts.text() == "0"

    own_postgres.resume()
    qtbot.waitUntil(lambda: not window.counter.banner.isVisible(), timeout=8000)
    assert "已重新连接" in window.db_status.text()
    assert window.db_status.text().endswith("：counter")  # the database's name, not its socket folder
    assert window.counter.survey_form is form and income.text() == "50000"
    window.counter.submit()  # the same answers, now submitted
    assert window.counter.application is not None and window.counter.application.status == "submitted"
    window.close()


def test_the_printer_state_is_in_the_status_line(
    qtbot: QtBot, printing_settings: Settings, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    settings = printing_settings
    ready = window_with_data(qtbot, settings, tmp_path / "a")
    qtbot.waitUntil(lambda: "就绪" in ready.printer_status.text(), timeout=5000)
    assert ready.printer_status.text() == "打印机 TA-PDF 就绪"
    ready.close()

    disabled = window_with_data(qtbot, dataclasses.replace(settings, printer="TA-OFF"), tmp_path / "b")
    qtbot.waitUntil(lambda: "不可用" in disabled.printer_status.text(), timeout=5000)
    assert "TA-OFF 已停用" in disabled.printer_status.text()
    disabled.close()

    unset = window_with_data(qtbot, dataclasses.replace(settings, printer=""), tmp_path / "c")
    assert unset.printer_status.text() == "未设置打印机（打印时选择）"
    assert unset.connection is None  # the embedded database is a local file: no connection to watch
