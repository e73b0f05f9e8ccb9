"""PostgreSQL LISTEN for application changes (each submission and decision sends a NOTIFY at commit)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import psycopg

from teller_assist.store.applications import NOTIFY_CHANNEL
from teller_assist.store.engine import Store


def listen_for_applications(store: Store, changed: Callable[[], None], stop: threading.Event) -> None:
    """Call ``changed`` on every notification until ``stop`` is set; reconnect after a lost connection
    (and call ``changed`` then, since notifications sent meanwhile were missed)."""
    url = store.engine.url.set(drivername="postgresql")
    conninfo = url.render_as_string(hide_password=False)
    while not stop.is_set():
        try:
            with psycopg.connect(conninfo, autocommit=True) as conn:
                conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                changed()
                while not stop.is_set():
                    for _note in conn.notifies(timeout=0.5, stop_after=1):
                        changed()
        except psycopg.OperationalError:
            if stop.wait(2.0):
                return
            time.sleep(0)
