"""Opening the configured database and bringing its schema up to date, as every face does on start."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from teller_assist.errors import UserFacingError
from teller_assist.settings import Settings
from teller_assist.store import migrate
from teller_assist.store.engine import Store, open_store
from teller_assist.store.queries import Overview, overview

if TYPE_CHECKING:
    from teller_assist.prequal.policy import Policy
    from teller_assist.store.roles import RolesReport

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


def setup_roles(settings: Settings, *, owner: str, app: str) -> RolesReport:
    """The two-role set-up on the configured PostgreSQL database (connected as a superuser): see
    :mod:`teller_assist.store.roles`. The schema is upgraded as the owner on the way."""
    from teller_assist.store.roles import setup_roles as apply

    store = open_store(settings)
    try:
        report = apply(store, owner, app)
    finally:
        store.dispose()
    log.info(
        "two-role set-up on %s: owner %s, program %s, schema %s -> %s",
        store.display,
        report.owner,
        report.app,
        report.revision_before,
        report.revision_after,
    )
    return report


@dataclass(frozen=True)
class CounterStart:
    """What the counter window needs before its first customer, gathered off the GUI thread.

    The database open is required (its failure raises); the rest is said, not raised: a policy that did
    not load, or a failed close of expired lines, leaves the window usable and tells the teller why.
    """

    opened: Opened
    policy: Policy | None
    policy_problem: UserFacingError | None
    expiry_problem: UserFacingError | None
    has_operators: bool


def open_for_counter(settings: Settings, today: dt.date) -> CounterStart:
    """Open the database and do the start's housekeeping: the policy in force, lines whose validity
    ended closed, old drafts purged, and whether anyone can log in yet. No Qt: runs on a worker thread."""
    from teller_assist.services import drafts
    from teller_assist.services.applications import expire_due
    from teller_assist.services.prequal import active_policy
    from teller_assist.store.operators import any_operator

    opened = open_database(settings)
    try:
        policy: Policy | None = None
        policy_problem = expiry_problem = None
        try:
            policy = active_policy(settings)
        except UserFacingError as exc:
            policy_problem = exc
        try:
            expire_due(opened.store, today)
        except UserFacingError as exc:
            expiry_problem = exc
        with contextlib.suppress(UserFacingError):  # drafts older than kept: tried again next start
            drafts.purge(opened.store)
        anyone = any_operator(opened.store)
        opened.overview.customers  # noqa: B018 - counted here, off the GUI thread, for the window's welcome
        return CounterStart(opened, policy, policy_problem, expiry_problem, anyone)
    except BaseException:
        opened.store.dispose()
        raise
