"""A window that stops answering leaves a trace: every thread's stack, written by Python's own watchdog.

The GUI thread re-arms ``faulthandler.dump_traceback_later`` a few times a second. If it stops (a
deadlock, a driver that never returns), faulthandler's C thread, which needs no Python lock, writes the
stack of every thread to ``crash-reports/stall-<time>.txt`` in the data folder. Frames only (file,
line, function): no values, so nothing personal. The file is removed at a clean exit when nothing was
written, and empty ones left by a killed process are cleared at the next start: only those no running
window holds (each window keeps a lock on its own file; two windows may share a data folder).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import faulthandler
import os
import sys
from pathlib import Path
from typing import TextIO

from PySide6.QtCore import QObject, QTimer


def _hold(file: TextIO) -> None:
    """Lock the window's own stall file for as long as it runs (POSIX advisory lock; on Windows an
    open file cannot be deleted anyway, which says the same)."""
    if sys.platform != "win32":
        import fcntl

        fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def _remove_if_abandoned(path: Path) -> None:
    """An empty stall file nobody holds is a killed run's: remove it. One a running window holds stays."""
    with contextlib.suppress(OSError):  # gone already, or held open (Windows refuses the delete)
        if path.stat().st_size != 0:
            return
        if sys.platform == "win32":
            path.unlink()
            return
        import fcntl

        with path.open("a", encoding="utf-8") as probe:
            try:
                fcntl.flock(probe.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # a running window's
            path.unlink()


class StallWatch(QObject):
    def __init__(self, folder: Path, seconds: float = 20.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for old in folder.glob("stall-*.txt"):
            _remove_if_abandoned(old)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        self.path = folder / f"stall-{stamp}-{os.getpid()}.txt"
        self.seconds = seconds
        self._file: TextIO | None = self.path.open("w", encoding="utf-8")
        _hold(self._file)
        self.path.chmod(0o600)
        self._timer = QTimer(self)
        self._timer.setInterval(max(50, int(seconds * 1000 / 4)))
        self._timer.timeout.connect(self._arm)

    def start(self) -> None:
        self._arm()
        self._timer.start()

    def _arm(self) -> None:
        if self._file is not None:
            faulthandler.dump_traceback_later(self.seconds, repeat=False, file=self._file, exit=False)

    def stop(self) -> None:
        """Disarm; keep the file only if a stall was written to it."""
        self._timer.stop()
        if self._file is None:
            return
        faulthandler.cancel_dump_traceback_later()
        self._file.close()
        self._file = None
        with contextlib.suppress(FileNotFoundError):  # another tool tidied the folder: nothing to keep
            if self.path.stat().st_size == 0:
                self.path.unlink(missing_ok=True)
