"""Every message to the user through one door: errors, warnings, news, questions and the passing line in
the status bar. One look (the icon, the buttons, the box's object name that tests find it by), Chinese
first (the texts come from ``self.tr`` and :func:`teller_assist.ui.i18n.error_text`), and one log line
each, so what the teller was told can be read back from the log.

A :class:`~teller_assist.errors.UserFacingError` is shown by its words and its hint; anything else that
escapes is a bug and goes to the crash handler, not to a box. The log line carries the box's title and,
for an error, its English description: never the text around it, which may name a customer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from teller_assist.errors import UserFacingError
from teller_assist.ui.i18n import error_text

log = logging.getLogger(__name__)

STATUS_MS = 10_000  # how long a passing line stays in the status bar

_Button = QMessageBox.StandardButton


def _box(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, name: str, buttons: _Button
) -> QMessageBox:
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setObjectName(name)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return box


def error(parent: QWidget | None, title: str, exc: UserFacingError, *, name: str = "errorBox") -> QMessageBox:
    """A refused or failed action: what went wrong and what to do (the error's hint), over the window
    without holding up the work around it. The warning sign, not the red one: a refusal or the world's
    state, not a crash (bugs go to the crash handler)."""
    log.warning("error shown: %s: %s", title, exc.describe())
    box = _box(parent, QMessageBox.Icon.Warning, title, error_text(exc, hint=True), name, _Button.Ok)
    box.open()
    return box


def warning(parent: QWidget | None, title: str, text: str, *, name: str = "warningBox") -> QMessageBox:
    """A warning over the window that does not hold up the event loop (the work around it goes on)."""
    log.warning("warning shown: %s", title)
    box = _box(parent, QMessageBox.Icon.Warning, title, text, name, _Button.Ok)
    box.open()
    return box


def info(parent: QWidget | None, title: str, text: str, *, name: str = "infoBox") -> QMessageBox:
    """News the user should read (a job finished with something to say); does not hold anything up."""
    log.info("information shown: %s", title)
    box = _box(parent, QMessageBox.Icon.Information, title, text, name, _Button.Ok)
    box.open()
    return box


def confirm(
    parent: QWidget | None,
    title: str,
    text: str,
    then: Callable[[bool], None],
    *,
    name: str,
    yes: str = "",
    no: str = "",
    default_yes: bool = True,
) -> QMessageBox:
    """A yes-or-no question that does not hold up the event loop: ``then(True)`` on yes, ``then(False)``
    on no or Esc. ``yes`` and ``no`` name the buttons by what they do (with their keys)."""
    log.info("question asked: %s", title)
    box = _box(parent, QMessageBox.Icon.Question, title, text, name, _Button.Yes | _Button.No)
    if yes:
        box.button(_Button.Yes).setText(yes)
    if no:
        box.button(_Button.No).setText(no)
    box.setDefaultButton(_Button.Yes if default_yes else _Button.No)
    box.setEscapeButton(_Button.No)

    def answered(result: int) -> None:
        agreed = result == _Button.Yes
        log.info("question answered: %s: %s", title, "yes" if agreed else "no")
        then(agreed)

    box.finished.connect(answered)
    box.open()
    return box


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    informative: str = "",
    details: str = "",
    warn: bool = False,
    default_yes: bool | None = None,
    name: str = "questionBox",
) -> bool:
    """A yes-or-no question the caller waits for (at start-up, or before a long job starts): True on yes.
    ``informative`` words go under the question, ``details`` behind the 显示详细信息 button; ``warn``
    shows the warning sign; ``default_yes`` None leaves Qt's own default button."""
    log.info("question asked: %s", title)
    icon = QMessageBox.Icon.Warning if warn else QMessageBox.Icon.Question
    box = QMessageBox(icon, title, text, _Button.Yes | _Button.No, parent)
    box.setObjectName(name)
    if informative:
        box.setInformativeText(informative)
    if details:
        box.setDetailedText(details)
    if default_yes is not None:
        box.setDefaultButton(_Button.Yes if default_yes else _Button.No)
    agreed = box.exec() == _Button.Yes
    box.deleteLater()
    log.info("question answered: %s: %s", title, "yes" if agreed else "no")
    return agreed


def say(window: QWidget | None, text: str) -> None:
    """A passing line in the window's status bar (a refused action, a finished job)."""
    log.debug("status line: %s", text)
    host = window.window() if window is not None else None
    if isinstance(host, QMainWindow):
        host.statusBar().showMessage(text, STATUS_MS)
