"""Start the Qt application."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from teller_assist.settings import Settings
from teller_assist.ui.fonts import install_fonts
from teller_assist.ui.main_window import MainWindow


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("teller-assist")
    app.setApplicationDisplayName("柜面授信助手")
    app.setOrganizationName("teller-assist")
    app.setFont(install_fonts())
    return app


def run(settings: Settings, *, demo_if_empty: bool = False) -> int:
    app = make_application()
    window = MainWindow(settings)
    window.show()

    def open_data() -> None:  # after the first paint: the database layers take a while to load
        window.start()
        if window.store is not None and not window.ask_login():
            window.close()
            return
        if window.opened is not None and window.opened.overview.empty:
            # a newcomer's first start: offer (or, from `make run`, load) a demo county to look at
            window.load_demo(ask=not demo_if_empty)

    QTimer.singleShot(0, open_data)
    return app.exec()
