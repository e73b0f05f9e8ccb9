"""Small widgets that keep a narrow window readable: a row of badges that wraps instead of widening
the window, a one-line label that elides with its whole text in the tooltip, and fitting a dialog
onto the screen it opens on."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QLayout, QLayoutItem, QSizePolicy, QStyle, QWidget


class FlowLayout(QLayout):
    """Lays its items left to right and wraps to the next row when the width runs out (Qt's own
    flow-layout example, trimmed): five badges fit 420 px in Chinese and wrap in English."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._lay_out(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._lay_out(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _lay_out(self, rect: QRect, *, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, row = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and row > 0:
                x, y, row = area.x(), y + row + self._spacing, 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            row = max(row, hint.height())
        return y + row - rect.y() + margins.bottom()


class NoteLabel(QLabel):
    """A word-wrapped note that takes no room while it has nothing to say (the ID field's feedback)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setVisible(bool(text))

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))


class ElidedLabel(QLabel):
    """One line that never widens its window: cut with … when narrower than its text, which the
    tooltip then shows whole (a status line's database path, printer state)."""

    def __init__(
        self, text: str = "", parent: QWidget | None = None, *, hide_when_empty: bool = False
    ) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._own_tip = ""
        self._hide_when_empty = hide_when_empty  # no room taken by a state with nothing to say
        if hide_when_empty and not text:
            self.setVisible(False)

    def setToolTip(self, tip: str) -> None:  # the caller's tooltip, kept apart from the elided text's
        self._own_tip = tip
        self._update_tip()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._update_tip()
        if self._hide_when_empty:
            self.setVisible(bool(text))

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("…") * 3, super().minimumSizeHint().height())

    def elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_tip()

    def _update_tip(self) -> None:
        tips = [t for t in (self.text() if self.elided() else "", self._own_tip) if t]
        super().setToolTip("\n".join(dict.fromkeys(tips)))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        align, role = int(self.alignment()), self.foregroundRole()
        self.style().drawItemText(painter, rect, align, self.palette(), self.isEnabled(), shown, role)


def fit_on_screen(widget: QWidget, width: int, height: int, margin: int = 24) -> None:
    """Size ``widget`` to ``width`` × ``height`` or the screen it is on, whichever is smaller, and keep
    it inside that screen: a 820-pixel preview on a 768-pixel screen loses its buttons otherwise."""
    room = (widget.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    frame = widget.style().pixelMetric(QStyle.PixelMetric.PM_TitleBarHeight) if widget.isWindow() else 0
    w = min(width, room.width() - margin)
    h = min(height, room.height() - margin - frame)
    widget.resize(max(w, widget.minimumWidth()), max(h, widget.minimumHeight()))
    keep_on_screen(widget)


def keep_on_screen(widget: QWidget) -> None:
    """Move a shown window, frame and all, inside the screen it is on (a dialog centred on a window
    at the screen's edge would hang over it)."""
    room = (widget.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    frame = widget.frameGeometry()
    dx = max(room.left() - frame.left(), 0) or min(room.right() - frame.right(), 0)
    dy = max(room.top() - frame.top(), 0) or min(room.bottom() - frame.bottom(), 0)
    if dx or dy:
        widget.move(widget.pos() + QPoint(dx, dy))


ERROR_STYLE = "color: #b00020"  # a refusal under a login or an authorisation, in the bank's red


def error_label(name: str, parent: QWidget) -> QLabel:
    """A dialog's refusal line: word-wrapped, in the bank's red, hidden until it has something to say."""
    label = QLabel("", parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.setVisible(False)
    return label


def grow_to_fit(dialog: QWidget) -> None:
    """After a word-wrapped message grew (a refusal and its hint), make the dialog tall enough for it,
    so its fields keep their height instead of being squeezed (a top-level layout does not count a
    wrapped label's lines by itself)."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    need = dialog.heightForWidth(dialog.width()) if dialog.hasHeightForWidth() else -1
    need = max(need, layout.totalMinimumSize().height(), dialog.sizeHint().height())
    if dialog.height() < need:
        dialog.resize(dialog.width(), need)


class CentredOver(QObject):
    """Keeps a dialog centred over its parent window while the parent moves or resizes.

    A dialog opened the moment its window is shown (the login at start) is placed by Qt over where the
    window was before the desktop's window manager placed it (the screen's corner); the window manager's
    move then arrives as the window's Move event, and the dialog follows it."""

    def __init__(self, dialog: QWidget, parent: QWidget) -> None:
        super().__init__(dialog)
        self.dialog, self.parent_window = dialog, parent
        parent.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        moved = event.type() in (QEvent.Type.Move, QEvent.Type.Resize)
        if watched is self.parent_window and moved and self.dialog.isVisible():
            self.centre()
        return False

    def centre(self) -> None:
        frame = self.dialog.frameGeometry()
        frame.moveCenter(self.parent_window.frameGeometry().center())
        self.dialog.move(frame.topLeft())
        keep_on_screen(self.dialog)
