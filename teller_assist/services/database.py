"""Opening the configured database and bringing its schema up to date, as every face does on start."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from teller_assist.errors import UserFacingError
from teller_assist.security.keys import KeyringUnavailable as KeyringUnavailable  # the faces ask then
from teller_assist.settings import Settings
from teller_assist.store import migrate
from teller_assist.store.engine import Store as Store  # the handle the faces hold, opened here
from teller_assist.store.engine import open_store
from teller_assist.store.queries import DbStats as DbStats  # the statistics `db stats` shows
from teller_assist.store.queries import Overview, db_stats, opening, overview

if TYPE_CHECKING:
    from teller_assist.prequal.policy import Policy
    from teller_assist.services.context import Context
    from teller_assist.store.roles import RolesReport

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Opened:
    store: Store
    upgrade: migrate.UpgradeResult
    overview: Overview


class SchemaBehind(UserFacingError):
    """The database's schema is older than the program's, and this face does not upgrade it."""

    def __init__(self, current: str | None, head: str) -> None:
        super().__init__(
            f"数据库结构版本 {current or '（无版本）'} 落后于本程序（{head}），命令行不会自动升级",
            f"the database schema {current or '(unversioned)'} is older than this program's ({head}); "
            "the command line does not upgrade it by itself",
            hint_zh="请先运行 teller-assist db upgrade（SQLite 会先备份），或打开窗口（启动时升级）",
            hint_en="run teller-assist db upgrade first (SQLite is backed up first), or open the window, "
            "which upgrades at start",
        )


class SchemaAhead(UserFacingError):
    """The database was upgraded by a newer version of the program than this one."""

    def __init__(self, current: str, head: str) -> None:
        super().__init__(
            f"数据库结构版本 {current} 比本程序（{head}）新：已有较新版本的程序使用过这个数据库",
            f"the database schema {current} is newer than this program's ({head}): a newer version of the "
            "program has used this database",
            hint_zh="请把本机的柜面授信助手升级到最新版本（数据未改动）",
            hint_en="upgrade Teller Assist on this desktop to the newest version (nothing was changed)",
        )


def check_schema(store: Store, backup_dir: Path, current: str | None) -> migrate.UpgradeResult:
    """The schema as it is (``current``, its revision just read): current, or made now in an empty
    database (nothing there to lose); one that is behind or ahead is refused in words (the command line
    upgrades only on `db upgrade`: one nightly job must not upgrade a database that other desktops'
    older programs share)."""
    head = migrate.HEAD
    if current == head:
        return migrate.UpgradeResult(current, head, None)
    if current is None and migrate.is_empty(store):
        return migrate.upgrade(store, backup_dir=backup_dir)
    if current is not None and current > head:  # revisions are numbered 0001, 0002, ...
        raise SchemaAhead(current, head)
    raise SchemaBehind(current, head)


def open_database(settings: Settings, *, upgrade: bool = True) -> Opened:
    """Open the database and say what is in it. With ``upgrade`` (the window, `db upgrade`) the schema is
    brought up to date, SQLite backed up first; without it (every other command) it is checked."""
    store = open_store(settings)
    try:
        current, facts = opening(store)  # the revision and the start's facts in one read
        if current is not None and current > migrate.HEAD:
            raise SchemaAhead(current, migrate.HEAD)
        if upgrade and current != migrate.HEAD:
            result = migrate.upgrade(store, backup_dir=settings.paths.backup_dir)
        else:
            result = check_schema(store, settings.paths.backup_dir, current)
        log.info(
            "database %s opened, schema %s%s%s",
            store.display,
            result.after,
            f" (upgraded from {result.before})" if result.changed else "",
            " [demo mode]" if store.demo_mode else "",
        )
        return Opened(store, result, facts if facts is not None and not result.changed else overview(store))
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
    from teller_assist.services.clock import Clock
    from teller_assist.services.context import Context
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
        ctx = Context(opened.store, settings, policy, Clock.on(today))
        try:
            expire_due(ctx)
        except UserFacingError as exc:
            expiry_problem = exc
        with contextlib.suppress(UserFacingError):  # drafts older than kept: tried again next start
            drafts.purge(ctx)
        anyone = any_operator(opened.store)
        opened.overview.customers  # noqa: B018 - counted here, off the GUI thread, for the window's welcome
        return CounterStart(opened, policy, policy_problem, expiry_problem, anyone)
    except BaseException:
        opened.store.dispose()
        raise


def current_overview(ctx: Context) -> Overview:
    """How many customers, and how fresh the data are, now (after an import, say)."""
    return overview(ctx.store)


def set_db_password(database_url: str, password: str) -> None:
    """Keep the PostgreSQL password for ``database_url`` in the OS keyring (never in a file or URL)."""
    from teller_assist.security import keys

    keys.set_db_password(database_url, password)


@dataclass(frozen=True)
class SchemaState:
    """Where the database's schema stands (`db current`)."""

    display: str  # the database as shown (file, or the URL without its password)
    current: str | None  # None: no schema yet
    head: str  # this program's

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def schema_state(settings: Settings) -> SchemaState:
    store = open_store(settings)
    try:
        return SchemaState(store.display, migrate.current_revision(store), migrate.head_revision())
    finally:
        store.dispose()


def upgrade_schema(settings: Settings) -> tuple[str, migrate.UpgradeResult]:
    """`db upgrade`: the schema brought to this program's (SQLite backed up first); a schema newer than
    the program is refused, nothing changed. Returns the database as shown and what was done."""
    store = open_store(settings)
    try:
        if (current := migrate.current_revision(store)) is not None and current > migrate.HEAD:
            raise SchemaAhead(current, migrate.HEAD)
        return store.display, migrate.upgrade(store, backup_dir=settings.paths.backup_dir)
    finally:
        store.dispose()


def database_stats(settings: Settings) -> tuple[str, DbStats]:
    """`db stats`: each extract kind's rows and latest batch, the rejects, the file's size."""
    opened = open_database(settings, upgrade=False)
    try:
        return opened.store.display, db_stats(opened.store)
    finally:
        opened.store.dispose()

