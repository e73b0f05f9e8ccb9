"""The change watch behind the approval queue: tells a caller when applications may have changed, so a
lobby screen refreshes within two seconds of a submission or a decision on any desktop.

PostgreSQL: LISTEN on the channel every submission and decision notifies at commit (reconnecting after a
lost connection). SQLite: the audit chain's head is read once a second; every audited action moves it.
:func:`watch_applications` blocks until it is told to stop: run it on a worker thread, never the GUI's.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from teller_assist.errors import UserFacingError
from teller_assist.services.context import Context
from teller_assist.store import audit as store_audit

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0  # SQLite: how often the audit head is read


def watch_applications(
    ctx: Context, changed: Callable[[], None], stop: threading.Event, *, poll_seconds: float = POLL_SECONDS
) -> None:
    """Call ``changed`` once at the start and then after each change, until ``stop`` is set (it returns
    within a second of that). A database that cannot be read for a moment is tried again, not raised."""
    store = ctx.store
    if not store.is_sqlite:
        from teller_assist.store.notify import listen_for_applications  # psycopg, PostgreSQL only

        listen_for_applications(store, changed, stop)
        return
    seen: int | None = None
    while not stop.is_set():
        try:
            seq = store_audit.last_seq(store)
        except UserFacingError as exc:  # a locked or vanished file: try again at the next tick
            log.debug("change watch: %s", exc.message_en)
        else:
            if seq != seen:
                seen = seq
                changed()
        stop.wait(poll_seconds)
