"""A keyboard-wedge scanner's burst goes to the ID field, wherever the focus was.

A scanner types the 18 characters of a resident ID within a few milliseconds each; a person types
them a hundred milliseconds or more apart. :class:`ScanBurst` watches the key presses meant for one
window: when 18 ID characters arrive that fast into some other field (the survey's income, a
button) and make a valid ID, it puts that field back as it was before the burst and hands the ID to
``identified``. Anything slower, shorter or not a valid ID is left alone: it was typing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from teller_assist.identity.resident_id import InvalidResidentId, ResidentId, parse_resident_id

ID_LENGTH = 18
BURST_GAP_SECONDS = 0.035  # a scanner's characters come faster than this; a person's never all do
ID_CHARACTERS = frozenset("0123456789Xx")


@dataclass
class _Before:
    """The focused field as it was when the burst began, to put it back."""

    widget: QWidget
    text: str | None = None
    cursor: int = 0
    index: int = -1

    @classmethod
    def of(cls, widget: QWidget) -> _Before:
        if isinstance(widget, QLineEdit):
            return cls(widget, widget.text(), widget.cursorPosition())
        if isinstance(widget, QComboBox):
            return cls(widget, index=widget.currentIndex())
        return cls(widget)

    def restore(self) -> None:
        if isinstance(self.widget, QLineEdit) and self.text is not None:
            self.widget.setText(self.text)
            self.widget.setCursorPosition(self.cursor)
        elif isinstance(self.widget, QComboBox) and self.index >= 0:
            self.widget.setCurrentIndex(self.index)


class ScanBurst(QObject):
    """Installed on the application; acts only on key presses for widgets of ``window`` other than
    ``id_field``, and not while ``paused()`` (a locked screen)."""

    def __init__(
        self,
        window: QWidget,
        id_field: QWidget,
        identified: Callable[[ResidentId], None],
        *,
        today: Callable[[], dt.date],
        paused: Callable[[], bool] = lambda: False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(window)
        self.window, self.id_field = window, id_field
        self._identified, self._today, self._paused, self._clock = identified, today, paused, clock
        self._chars: list[str] = []
        self._last = 0.0
        self._before: _Before | None = None

    def _reset(self) -> None:
        self._chars, self._before = [], None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        if watched is self.id_field or watched.window() is not self.window or self._paused():
            return False
        assert isinstance(event, QKeyEvent)
        text = event.text()
        now = self._clock()
        if len(text) != 1 or text not in ID_CHARACTERS:
            self._reset()
            return False
        same_burst = (
            self._chars
            and now - self._last <= BURST_GAP_SECONDS
            and self._before is not None
            and self._before.widget is watched  # the focus moved mid-burst: not one scan
        )
        if not same_burst:
            self._chars, self._before = [], _Before.of(watched)
        self._last = now
        self._chars.append(text)
        if len(self._chars) < ID_LENGTH:
            return False
        scanned, before = "".join(self._chars), self._before
        self._reset()
        assert before is not None  # set with the burst's first character
        try:
            rid = parse_resident_id(scanned, today=self._today())
        except InvalidResidentId:
            return False  # eighteen fast characters that are no ID: leave them where they went
        before.restore()  # the first seventeen went into the wrong field: take them back out
        self._identified(rid)
        return True  # and the eighteenth never arrives there
