"""Work-arounds for defects in the Qt binding that would otherwise take the counter down.

PySide6 6.12.0 on CPython 3.11 returns ``None`` from void methods without taking a reference: every
``QLabel.setText``, ``processEvents`` and the like lowers ``None``'s reference count by one. From
Python 3.12 ``None`` is immortal and nothing happens; on 3.11 the count reaches zero after some tens of
thousands of calls and the interpreter aborts ("none_dealloc: deallocating None"), which for a window
open all day at the counter is a crash in the afternoon. PySide6-Pdf (the print preview) exists only
for 6.12.0, so the version cannot simply be avoided. The same binding lowers ``True``'s count on every
``Signal.emit`` made from Python ("bool_dealloc: deallocating True or False"): a grid whose model
emits ``dataChanged`` on each key typed reaches zero within a morning of data entry.

:func:`guard_none_refcount` probes for the defect and, only when it is present, keeps ``None``'s count
far from zero: it raises the count by a large constant at once and again whenever it has fallen by
half. ``None`` is never freed anyway; only its count moves.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

TOP_UP = 1 << 30  # ~10^9: at the leak's pace (one per call) this outlasts any day at the counter
CHECK_MS = 10_000


def leaks_none(probes: int = 64) -> bool:
    """True when a void call of the binding lowers ``None``'s reference count (the 6.12.0 defect)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False  # None is immortal: a missing reference cannot hurt
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(probes):
        label.setText("")
    leaked = before - sys.getrefcount(None)
    label.deleteLater()
    return leaked >= probes // 2


class _Probe(QObject):
    said = Signal()


def leaks_true(probes: int = 64) -> bool:
    """True when a signal emitted from Python lowers ``True``'s reference count (the 6.12.0 defect)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False  # True is immortal too
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(probes):
        probe.said.emit()
    leaked = before - sys.getrefcount(True)
    probe.deleteLater()
    return leaked >= probes // 2


def _raise_refcount(obj: object, amount: int) -> None:
    # ob_refcnt is the first field of every CPython object (a Py_ssize_t at the object's address)
    ctypes.c_ssize_t.from_address(id(obj)).value += amount


def _raise_none_refcount(amount: int) -> None:
    _raise_refcount(None, amount)


class NoneRefcountGuard(QObject):
    """Tops ``None``'s (and ``True``'s) reference count up every ``CHECK_MS`` while a defect is
    present."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.guarded: tuple[object, ...] = tuple(
            obj for obj, leaks in ((None, leaks_none()), (True, leaks_true())) if leaks
        )
        self.active = bool(self.guarded)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.top_up)
        if self.active:
            self.top_up()
            self.timer.start()

    def top_up(self) -> None:
        for obj in self.guarded:
            if sys.getrefcount(obj) < TOP_UP // 2:
                _raise_refcount(obj, TOP_UP)


def guard_none_refcount(app: QObject) -> NoneRefcountGuard:
    """The application's guard (one per application, however often this is called)."""
    existing = app.findChild(NoneRefcountGuard)
    return existing if existing is not None else NoneRefcountGuard(app)
