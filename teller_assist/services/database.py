"""Opening the configured database and bringing its schema up to date, as every face does on start."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from teller_assist.settings import Settings
from teller_assist.store import migrate
from teller_assist.store.engine import Store, open_store
from teller_assist.store.queries import Overview, overview

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Opened:
    store: Store
    upgrade: migrate.UpgradeResult
    overview: Overview


def open_database(settings: Settings) -> Opened:
    """Open the database, upgrade its schema (backing SQLite up first), and say what is in it."""
    store = open_store(settings)
    try:
        result = migrate.upgrade(store, backup_dir=settings.paths.backup_dir)
        log.info(
            "database %s opened, schema %s%s%s",
            store.display,
            result.after,
            f" (upgraded from {result.before})" if result.changed else "",
            " [demo mode]" if store.demo_mode else "",
        )
        return Opened(store, result, overview(store))
    except BaseException:
        store.dispose()
        raise
