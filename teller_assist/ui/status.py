"""What the status line and the banner say about things outside the window: is the database
reachable, is the printer ready. Both are checked on a worker thread (a database behind a dead network
or a slow `lpstat` must not freeze the counter) and reported back through a queued signal."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from teller_assist.errors import UserFacingError
from teller_assist.ui.tasks import detached


class BackgroundCheck(QObject):
    """Runs ``probe`` every ``interval_ms`` on a thread, one at a time; ``result`` carries its answer:
    ``None`` when all is well, else the problem (a :class:`UserFacingError`)."""

    result = Signal(object)

    def __init__(
        self, probe: Callable[[], object], interval_ms: int, name: str, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._probe = probe
        self._name = name
        self._running = threading.Lock()
        self._stopped = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check_now)

    def start(self) -> None:
        self._stopped = False
        self.timer.start()
        self.check_now()

    def stop(self) -> None:
        self._stopped = True
        self.timer.stop()

    def check_now(self) -> None:
        if self._stopped or not self._running.acquire(blocking=False):
            return  # the previous probe is still waiting for an answer
        detached(self._run, self._name)

    def _run(self) -> None:
        try:
            self._probe()
            problem: UserFacingError | None = None
        except UserFacingError as exc:
            problem = exc
        finally:
            self._running.release()
        if not self._stopped:
            self.result.emit(problem)  # queued into the GUI thread


class ConnectionWatch(QObject):
    """Says when the database is lost and when it is back; ``changed(reachable, problem)``."""

    changed = Signal(bool, object)

    def __init__(
        self, ping: Callable[[], object], interval_ms: int = 2000, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.reachable = True
        self.check = BackgroundCheck(ping, interval_ms, "database-watch", self)
        self.check.result.connect(self._on_result)

    def _on_result(self, problem: UserFacingError | None) -> None:
        reachable = problem is None
        if reachable != self.reachable:
            self.reachable = reachable
            self.changed.emit(reachable, problem)
