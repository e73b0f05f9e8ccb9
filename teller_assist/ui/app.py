"""Start the Qt application."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from teller_assist.settings import Settings
from teller_assist.ui import i18n
from teller_assist.ui.fonts import install_fonts
from teller_assist.ui.main_window import MainWindow
from teller_assist.ui.qt_workarounds import guard_none_refcount
from teller_assist.ui.stall_watch import StallWatch
from teller_assist.ui.tasks import settle_lingering

if TYPE_CHECKING:
    from teller_assist.services.database import CounterStart


def make_application(argv: list[str] | None = None, language: str = i18n.SOURCE_LANGUAGE) -> QApplication:
    """The application, its fonts and its language (a missing translation raises MissingTranslation)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("teller-assist")
    i18n.install(app, language)
    app.setApplicationDisplayName(QCoreApplication.translate("MainWindow", "柜面授信助手"))
    app.setOrganizationName("teller-assist")
    app.setFont(install_fonts())
    guard_none_refcount(app)  # PySide6 6.12.0 on Python 3.11 (see qt_workarounds)
    return app


class _FirstPaint(QObject):
    """Calls ``then`` once, on the next turn of the event loop after ``widget`` first painted."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False


def after_first_paint(widget: QWidget, then: Callable[[], None]) -> None:
    """Run ``then`` once ``widget`` is on screen: a zero-timer alone can fire before the first paint."""
    _FirstPaint(widget, then)


EXIT_WAIT_MS = 2_000  # at exit, how long the work of a closed view may still take before it is left


def run(settings: Settings, *, demo_if_empty: bool = False) -> int:
    try:
        app = make_application(language=settings.language)
        problem = None
    except i18n.MissingTranslation as exc:  # said once the window is up; the interface stays Chinese
        app, problem = make_application(), exc
    window = MainWindow(settings)
    window.show()
    # a freeze in the field leaves every thread's stack in crash-reports/ (see stall_watch)
    stall_watch = StallWatch(settings.paths.data_dir / "crash-reports", parent=app)
    stall_watch.start()
    app.aboutToQuit.connect(stall_watch.stop)
    # the login is asked at once, the database opens behind it: the teller types while it loads
    window.ask_login(demo_if_empty=demo_if_empty)

    def opened(ready: CounterStart | None) -> None:
        window.opened_behind_login(ready)
        if problem is not None:
            window.db_status.setText(problem.describe())

    # after the first paint: a thread importing the data layers would hold the window back
    after_first_paint(window, lambda: window.open_in_background(opened))
    return finish(app.exec())


def finish(code: int) -> int:
    """The event loop has ended with ``code``: wait a moment for the work of views already closed, and
    if a reading is still held up by a database that does not answer, end the program here: its thread
    cannot be stopped, and destroying it running (as Python's exit would) makes Qt abort. Everything
    else is closed by then (the window's close disposed of the store)."""
    if not settle_lingering(EXIT_WAIT_MS):
        logging.getLogger(__name__).warning("closed with a database reading still unanswered")
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code
