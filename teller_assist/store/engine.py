"""Opening the database: the encrypted embedded SQLite file, or a PostgreSQL server.

SQLite is opened with SQLCipher (a 256-bit raw key from the keyring), in WAL mode with
``synchronous=FULL`` and foreign keys on, and the program refuses to go on if any of that did not take.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import URL, Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from teller_assist.errors import UserFacingError
from teller_assist.settings import Settings

BUSY_TIMEOUT_MS = 10_000


class StoreError(UserFacingError):
    pass


class WrongKey(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"无法打开数据库 {path}：密钥不对，或文件不是本程序的数据库",
            f"cannot open {path}: wrong key, or not a Teller Assist database",
            hint_zh="请确认在创建该数据库的用户账户下运行，或从备份恢复",
            hint_en="run as the user who created it, or restore from a backup",
        )


def check_durability(dbapi_connection: Any) -> None:
    """Refuse a connection whose journalling or syncing is off (or anything short of WAL + FULL)."""
    cursor = dbapi_connection.cursor()
    try:
        journal = str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        sync = int(cursor.execute("PRAGMA synchronous").fetchone()[0])
        fks = int(cursor.execute("PRAGMA foreign_keys").fetchone()[0])
    finally:
        cursor.close()
    if journal != "wal" or sync != 2 or fks != 1:
        raise StoreError(
            f"数据库未处于安全模式（journal_mode={journal}, synchronous={sync}, "
            f"foreign_keys={fks}），拒绝运行",
            f"the database is not in safe mode (journal_mode={journal}, synchronous={sync}, "
            f"foreign_keys={fks}); refusing to run",
            hint_zh="需要 WAL 日志、synchronous=FULL 和外键约束；请检查磁盘是否支持（不要放在网络盘上）",
            hint_en="WAL, synchronous=FULL and foreign keys are required; the file must be on a local disk",
        )


WRITE_OPTION = "teller_assist_write"


def sqlite_engine(path: Path, key: str, *, echo: bool = False) -> Engine:
    """An engine on an encrypted SQLite file (created when missing)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():  # personal data: only the owner may read the file (SQLite's -wal follows it)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    url = URL.create("sqlite+pysqlcipher", password=f"x'{key}'", database=str(path))
    # The dialect's default pool (SingletonThreadPool, five threads) closes the connections of a sixth
    # thread's predecessors while they may still be in use; a queue pool hands each connection to one
    # thread at a time instead.
    engine = create_engine(
        url,
        module=sqlcipher3.dbapi2,
        echo=echo,
        poolclass=QueuePool,
        pool_size=5,
        max_overflow=20,
        connect_args={"check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # SQLAlchemy controls transactions itself (BEGIN below), so DDL is transactional too.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is reported below, once
            try:
                cursor.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlcipher3.dbapi2.DatabaseError:
                raise WrongKey(path) from None
            cursor.execute("PRAGMA cipher_log_level = ERROR")
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()
        check_durability(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A transaction that will write takes the write lock at BEGIN (IMMEDIATE): it then waits its
        # turn (busy_timeout) instead of failing when another writer committed after it first read.
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


CONNECT_TIMEOUT_S = 5


def postgres_engine(url: str | URL, *, echo: bool = False) -> Engine:
    from teller_assist.settings import redact_url

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # the message would repeat the URL: say it redacted instead
        shown = redact_url(url if isinstance(url, str) else url.render_as_string(hide_password=True))
        raise StoreError(
            f"数据库地址格式错误：{shown}",
            f"malformed database URL: {shown}",
            hint_zh="格式为 postgresql://用户@主机:端口/库名",
            hint_en="the form is postgresql://user@host:port/dbname",
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername != "postgresql+psycopg":
        raise StoreError(
            f"不支持的数据库类型：{parsed.drivername}",
            f"unsupported database: {parsed.drivername}",
            hint_zh="使用 postgresql://用户@主机/库名，或留空使用内置加密数据库",
            hint_en="use postgresql://user@host/dbname, or leave it empty for the embedded database",
        )
    # a server that is gone answers "refused" at once; an unplugged network would hang for minutes
    connect_args = {} if "connect_timeout" in parsed.query else {"connect_timeout": CONNECT_TIMEOUT_S}
    return create_engine(parsed, echo=echo, pool_pre_ping=True, connect_args=connect_args)


@dataclass
class Store:
    """The database the program works on. Services get sessions from here, nothing else."""

    engine: Engine
    display: str  # where it is, safe to show (no secrets)
    demo_mode: bool = False  # the SQLite key sits in a file, not the keyring

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            self.engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def short_name(self) -> str:
        """The database in a few characters, for a narrow status line: the file, or the database name."""
        database = self.engine.url.database or ""
        return Path(database).name if self.is_sqlite else database

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed when the block ends, rolled back on an error."""
        with self._unreachable_said_plainly(), self._sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def write_session(self) -> Iterator[Session]:
        """A session for read-then-write work (decisions, audit appends): on SQLite it holds the write
        lock from its first statement, so concurrent writers queue instead of failing."""
        with self._unreachable_said_plainly(), self._write_sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def connection(self) -> Iterator[Connection]:
        """A plain connection (schema work, the revision), its failures said like a session's."""
        with self._unreachable_said_plainly(), self.engine.connect() as conn:
            yield conn

    @contextlib.contextmanager
    def _unreachable_said_plainly(self) -> Iterator[None]:
        """A lost server, a cut connection or an unreadable file becomes a :class:`StoreError` the
        window and the command line can say (a wrong password, a missing database and an unreachable
        server each in their own words); errors with an SQLSTATE (a refused constraint, a
        serialization failure to retry) pass through to the code that handles them."""
        try:
            yield
        except (OperationalError, InterfaceError) as exc:
            if not exc.connection_invalidated and getattr(exc.orig, "sqlstate", None) is not None:
                raise
            raise connection_failure(self.display, exc.orig) from exc

    def ping(self) -> None:
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        except DBAPIError as exc:
            raise connection_failure(self.display, exc.orig) from None

    def dispose(self) -> None:
        from teller_assist.store.cards import release_card_connections

        release_card_connections(self)
        self.engine.dispose()


# What libpq says when a connection is refused, in its own (English) words: the first match decides.
_AUTH_FAILED = (
    "password authentication failed",
    "no password supplied",
    "peer authentication failed",
    "ident authentication failed",
    "certificate authentication failed",
    "no pg_hba.conf entry",
    "pg_hba.conf rejects",
    "authentication failed",
)
_NO_DATABASE = ("database", "does not exist")
_NO_ROLE = ("role", "does not exist")


def connection_failure(where: str, cause: object) -> StoreError:
    """The words for a connection that failed: a wrong or missing password (or an authentication the
    server refused), a role or a database that does not exist, or a server that cannot be reached. The
    server's own reason follows, passwords redacted."""
    from teller_assist.settings import redact_url

    reason = redact_url(" ".join(str(cause).split()))[:300]
    lowered = reason.lower()
    if any(marker in lowered for marker in _AUTH_FAILED):
        return StoreError(
            f"数据库拒绝登录：密码错误或未提供，或不允许此方式登录（{where}）",
            f"the database server refused the login: wrong or missing password, or this way of signing "
            f"in is not allowed ({where}): {reason}",
            hint_zh="用 teller-assist db set-password 把正确的密码存入系统密钥环，或检查 ~/.pgpass、"
            "客户端证书和服务器的 pg_hba.conf",
            hint_en="keep the right password with teller-assist db set-password, or check ~/.pgpass, "
            "the client certificate and the server's pg_hba.conf",
        )
    if all(marker in lowered for marker in _NO_DATABASE) and "role" not in lowered:
        return StoreError(
            f"数据库不存在（{where}）",
            f"the database does not exist ({where}): {reason}",
            hint_zh="请检查地址中的库名，或请数据库管理员创建该库",
            hint_en="check the database name in the URL, or ask the DBA to create it",
        )
    if all(marker in lowered for marker in _NO_ROLE):
        return StoreError(
            f"数据库用户不存在（{where}）",
            f"the database role does not exist ({where}): {reason}",
            hint_zh="请检查地址中的用户名，或请数据库管理员创建（teller-assist db setup-roles）",
            hint_en="check the user name in the URL, or ask the DBA to create it (db setup-roles)",
        )
    return StoreError(
        f"数据库暂时无法访问（{where}）",
        f"the database cannot be reached ({where}): {reason or type(cause).__name__}",
        hint_zh="请稍后重试；如持续出现，请检查网络和数据库服务，或联系科技部",
        hint_en="try again shortly; if it persists, check the network and the database server, "
        "or call IT support",
    )


def open_store(settings: Settings, *, echo: bool = False) -> Store:
    """Open the configured database (without migrating it: see :mod:`teller_assist.store.migrate`)."""
    from teller_assist.security import keys
    from teller_assist.settings import check_database_url, redact_url

    if settings.database_url:
        # settings refuse it already; a Settings built some other way is held to the same rule
        check_database_url(settings.database_url, settings.sources.get("database_url", "database_url"))
        try:
            url = make_url(settings.database_url)
        except (ArgumentError, ValueError):
            shown = redact_url(settings.database_url)
            raise StoreError(f"数据库地址格式错误：{shown}", f"malformed database URL: {shown}") from None
        if url.password is None and url.drivername.startswith("postgres"):
            stored = keys.db_password(settings.database_url)  # `teller-assist db set-password`
            if stored is not None:
                url = url.set(password=stored)
        return Store(
            postgres_engine(url, echo=echo),
            redact_url(settings.database_url),
        )
    path = settings.paths.sqlite_file
    demo = settings.key_store == "demo-file"
    if not demo and not keys.keyring_usable()[0] and settings.paths.demo_key_file.exists():
        demo = True  # this data folder was set up in demo mode earlier; keep using its key file
    key = keys.demo_file_key(path, settings.paths.demo_key_file) if demo else keys.keyring_key(path)
    return Store(sqlite_engine(path, key, echo=echo), str(path), demo_mode=demo)
