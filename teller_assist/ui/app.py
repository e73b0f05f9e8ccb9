"""Start the Qt application."""

from __future__ import annotations

import sys

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


def run(settings: Settings) -> int:
    app = make_application()
    window = MainWindow(settings)
    window.show()
    window.start()
    return app.exec()
