"""The window's place beside the teller system: its size on first start, where it sat last time (inside
the screen it opens on now), and whether it stays on top. Kept in a small file in the data folder."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMainWindow

from teller_assist.settings import Settings

DEFAULT_WIDTH = 420
DEFAULT_HEIGHT = 640


def window_state(settings: Settings) -> QSettings:
    """Where the window sat and whether it stays on top: a small file in the data folder, per user."""
    return QSettings(str(settings.paths.data_dir / "window.ini"), QSettings.Format.IniFormat)


def fit_default_size(window: QMainWindow) -> None:
    """420 × 640, or less on a smaller screen: never taller than the screen it opens on."""
    room = (window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    window.resize(DEFAULT_WIDTH, min(DEFAULT_HEIGHT, room.height() - 40))


def restore_place(window: QMainWindow, settings: Settings, stay_on_top: QAction) -> None:
    state = window_state(settings)
    geometry = state.value("geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
        # a place saved on a larger screen comes back inside this one
        room = (window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        if window.height() > room.height() or window.width() > room.width():
            window.resize(min(window.width(), room.width()), min(window.height(), room.height() - 40))
        if not room.intersects(window.frameGeometry()):
            window.move(room.topLeft())
    stay_on_top.setChecked(str(state.value("stay_on_top", "false")).lower() == "true")


def set_stay_on_top(window: QMainWindow, on: bool) -> None:
    """Keep the window above the teller system (the setting survives a restart)."""
    visible = window.isVisible()
    window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, on)
    if visible:
        window.show()  # changing a window flag hides the window until it is shown again


def save_place(window: QMainWindow, settings: Settings, stay_on_top: QAction) -> None:
    state = window_state(settings)
    state.setValue("geometry", window.saveGeometry())
    state.setValue("stay_on_top", stay_on_top.isChecked())
    state.sync()
