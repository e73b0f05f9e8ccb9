"""Qt tests share one process, and libcups settles on its scheduler the first time anyone asks, then
keeps it. So the test scheduler is started and named (CUPS_SERVER) before the first Qt test runs,
whichever test that is, and printing tests see the same queues whatever order they run in.

The whole Qt suite is one long process too, so it gets the same guard as the application against the
binding's ``None`` reference leak (teller_assist/ui/qt_workarounds.py).

The offscreen screen is a counter PC's: 1366 × 768 (Qt's own default is 800 × 800), so what fits in the
tests fits at the counter."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from teller_assist.settings import Settings
from teller_assist.ui.qt_workarounds import guard_none_refcount
from tests.helpers.cups import CupsServer

SCREEN = Path(__file__).with_name("screen-1366x768.json")
if os.environ.get("QT_QPA_PLATFORM") == "offscreen":  # read when the first QApplication is made
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREEN}"


@pytest.fixture(autouse=True, scope="session")
def _qt_sees_the_test_cups(request: pytest.FixtureRequest) -> Iterator[None]:
    try:
        server = request.getfixturevalue("cups_server")
    except pytest.skip.Exception:  # no CUPS here (not root, or not installed): printing tests skip
        yield
        return
    previous = os.environ.get("CUPS_SERVER")
    os.environ.update(server.env)
    yield
    if previous is None:
        os.environ.pop("CUPS_SERVER", None)
    else:
        os.environ["CUPS_SERVER"] = previous


@pytest.fixture(autouse=True, scope="session")
def _none_refcount_guard(qapp: QApplication) -> None:
    guard_none_refcount(qapp)


@pytest.fixture
def printing_settings(
    settings: Settings, cups_server: CupsServer, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """The test settings printing to the test scheduler's cups-pdf queue (TA-PDF)."""
    for key, value in cups_server.env.items():
        monkeypatch.setenv(key, value)  # Qt's CUPS support reads CUPS_SERVER
    return dataclasses.replace(settings, printer="TA-PDF")
