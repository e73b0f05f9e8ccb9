"""Background work through one helper: run a function on a worker thread, report back on the GUI thread.

The function gets a ``report(*args)`` callback for progress and a ``cancelled()`` check; it never touches
a widget. Success, failure and progress arrive as signals in the GUI thread.

This is the one module of the window that starts threads (``tests/ui/test_one_door.py`` fails on another):
a :class:`Task` for work the window waits for or cancels (opening the database, a password check, a
print, a list read), :func:`detached` for work nobody waits for that may hang (a probe of a database behind
a dead network): closing the window never waits on it.
"""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal


class Task(QObject):
    progress = Signal(object)  # a tuple of whatever the work reported
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    finished = Signal()

    def __init__(
        self, work: Callable[[Callable[..., None], Callable[[], bool]], Any], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self._thread = QThread(self)
        self._runner = _Runner(self)
        self._runner.moveToThread(self._thread)
        self._thread.started.connect(self._runner.run)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, msecs: int = 60_000) -> bool:
        return self._thread.wait(msecs)

    def running(self) -> bool:
        return self._thread.isRunning()

    def release(self) -> None:
        """Its owner goes (a sign-out, a closed view) while the work may still run, held up by a database
        that does not answer: the task reports nothing more, leaves its parent (deleting a running
        thread with it would end the program) and lives on its own until the work ends, then goes."""
        self.cancel()
        with warnings.catch_warnings():  # a signal nobody listened to says so: nothing to undo
            warnings.simplefilter("ignore", RuntimeWarning)
            for signal in (self.progress, self.succeeded, self.failed, self.finished):
                signal.disconnect()
        if not self._thread.isRunning():
            self.deleteLater()
            return
        _LINGERING.add(self)
        self.setParent(None)
        self._thread.finished.connect(self._gone)

    OWNER_WAIT_MS = 5_000  # how long an owner that goes waits for the work before letting it go

    def wait_or_release(self, msecs: int | None = None) -> bool:
        """For an owner that goes: wait up to ``msecs`` for the work, else let it end on its own
        (``release``). True if it had ended."""
        if self.wait(self.OWNER_WAIT_MS if msecs is None else msecs):
            return True
        self.release()
        return False

    def _gone(self) -> None:
        self._thread.wait()
        _LINGERING.discard(self)
        self.deleteLater()


_LINGERING: set[Task] = set()  # released tasks whose work still runs: kept alive until it ends


def kept_or_released(task: Task | None) -> Task | None:
    """For an owner that goes: ``task`` if its work has ended within the wait (its answer still comes),
    None if it had to be let go (:meth:`Task.wait_or_release`)."""
    return task if task is None or task.wait_or_release() else None


def settle_lingering(msecs: int) -> bool:
    """At exit: wait up to ``msecs`` in all for the released tasks' work to end. False if some still
    runs (a database that never answered): the program then ends without destroying its thread, which Qt
    would answer with an abort."""
    deadline = time.monotonic() + msecs / 1000
    for task in list(_LINGERING):
        left = max(0, int((deadline - time.monotonic()) * 1000))
        if not task.wait(left):
            return False
    return True


class _Runner(QObject):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task

    def run(self) -> None:
        task = self.task
        try:
            result = task._work(lambda *args: task.progress.emit(args), task._cancel.is_set)
        except BaseException as exc:  # handed to the GUI thread, which decides what the user sees
            task.failed.emit(exc)
        else:
            task.succeeded.emit(result)
        finally:
            task._thread.quit()
            task.finished.emit()


def detached(work: Callable[[], object], name: str) -> threading.Thread:
    """Run ``work`` on a daemon thread nobody waits for (closing the window does not): a probe that may
    hang on a dead network, a renderer warming up. It reports back only through a queued signal of its
    own, never by touching a widget."""
    thread = threading.Thread(target=work, name=name, daemon=True)
    thread.start()
    return thread
