"""Schema migrations (Alembic): the app upgrades its database on start, a backup first on SQLite.

Alembic is imported only when there is something to do: at the counter the schema is nearly always
current, and importing Alembic costs about a third of a second of the window's cold start. ``HEAD``
names the newest revision; a test holds it equal to what Alembic finds in ``migrations/versions``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect
from sqlalchemy.exc import OperationalError, ProgrammingError

from teller_assist.store.engine import Store, StoreError

if TYPE_CHECKING:
    from alembic.config import Config

HEAD = "0018"  # the newest revision in migrations/versions (checked by a test)


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "teller_assist.store:migrations")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest revision as Alembic finds it in the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(store: Store) -> str | None:
    """The database's revision: Alembic's own table, read directly (None before the first upgrade).
    An unreachable server or an unreadable file is a :class:`StoreError`, said as such."""
    with store.connection() as conn:
        rows = _revisions(conn)
    if len(rows) > 1:  # branched history: let Alembic say what it makes of it
        from alembic.runtime.migration import MigrationContext

        with store.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    return rows[0] if rows else None


def _revisions(conn: Connection) -> list[str]:
    """Alembic's table read on every open: one catalogue probe and one read as plain SQL (reflection's
    ``has_table`` costs a few milliseconds in a fresh process, a third of the whole open)."""
    probe = (
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        if conn.dialect.name == "sqlite"
        else "SELECT to_regclass('alembic_version') IS NOT NULL"
    )
    if not conn.exec_driver_sql(probe).scalar():
        return []
    try:
        return [str(r) for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars()]
    except (OperationalError, ProgrammingError):
        return []


def is_empty(store: Store) -> bool:
    """No tables at all: a database made a moment ago, with nothing in it to lose."""
    with store.connection() as conn:
        return not inspect(conn).get_table_names()


def revision_on(conn: Connection) -> str | None:
    """The revision, read on a connection the caller holds (inside its transaction)."""
    rows = _revisions(conn)
    return rows[0] if rows else None


def upgrade_on(conn: Connection) -> None:
    """Upgrade to the newest revision inside the caller's transaction (as whatever role it has set)."""
    from alembic import command

    command.upgrade(_config(conn), "head")


@dataclass(frozen=True)
class UpgradeResult:
    before: str | None
    after: str
    backup: Path | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def backup_sqlite(store: Store, backup_dir: Path, label: str) -> Path:
    """A consistent copy of the database (``VACUUM INTO``, encrypted with the same key)."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backup_dir / f"teller-assist-{label}-{stamp}.db"
    raw = store.engine.raw_connection()  # VACUUM cannot run inside the transaction SQLAlchemy opens
    try:
        raw.cursor().execute("VACUUM INTO ?", (str(target),))
    finally:
        raw.close()
    target.chmod(0o600)
    return target


def upgrade(store: Store, *, backup_dir: Path | None = None) -> UpgradeResult:
    """Bring the schema to the newest revision. On SQLite with data, back the file up first."""
    before = current_revision(store)
    if before == HEAD:
        return UpgradeResult(before, HEAD, None)
    head = head_revision()
    backup: Path | None = None
    if before == head:
        return UpgradeResult(before, head, None)
    if store.is_sqlite and backup_dir is not None:
        with store.engine.connect() as conn:
            has_tables = bool(inspect(conn).get_table_names())
        if has_tables:
            backup = backup_sqlite(store, backup_dir, before or "unversioned")
    try:
        with store.engine.begin() as conn:
            upgrade_on(conn)
    except Exception as exc:
        where = f"，升级前的备份在 {backup}" if backup else ""
        if getattr(getattr(exc, "orig", None), "sqlstate", None) == "42501":  # insufficient privilege
            raise StoreError(
                f"数据库结构需要升级（{before} → {head}），但程序的数据库角色无权修改结构",
                f"the schema needs an upgrade ({before} -> {head}) that the program's database role "
                "may not make",
                hint_zh="请数据库管理员运行 teller-assist db setup-roles（以所有者角色升级）",
                hint_en="a DBA runs teller-assist db setup-roles, which upgrades as the owner role",
            ) from None
        raise StoreError(
            f"数据库升级失败{where}：{exc}",
            f"the database upgrade failed{f'; the backup is {backup}' if backup else ''}: {exc}",
            hint_zh="数据库未改动（升级在一个事务中进行）；请联系科技部",
            hint_en="nothing was changed (the upgrade runs in one transaction); call IT support",
        ) from exc
    return UpgradeResult(before, head, backup)


def schema_drift(store: Store) -> Sequence[object]:
    """Differences between the migrated schema and the models (empty when they agree)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from teller_assist.store.models import Base

    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(ctx, Base.metadata))


def make_revision(store: Store, message: str) -> None:
    """For developers: autogenerate a new revision against an up-to-date database (then raise HEAD)."""
    from alembic import command

    with store.engine.begin() as conn:
        command.revision(_config(conn), message=message, autogenerate=True)
