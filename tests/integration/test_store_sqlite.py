"""The embedded store: SQLCipher encryption, keyring key, durability pragmas, migrations with backup."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import stat
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import select

from teller_assist.errors import UserFacingError
from teller_assist.security.keys import KEYRING_SERVICE, KeyMissing, KeyringUnavailable
from teller_assist.services.database import open_database
from teller_assist.settings import Settings
from teller_assist.store import migrate
from teller_assist.store.engine import StoreError, WrongKey, check_durability, open_store
from teller_assist.store.models import ImportBatch
from tests.helpers.keyrings import MemoryKeyring


def test_the_fast_start_knows_the_newest_migration() -> None:
    # the window skips Alembic when the database is at HEAD: HEAD must be what Alembic would find
    assert migrate.head_revision() == migrate.HEAD


def test_an_up_to_date_database_is_read_as_such_without_alembic(
    settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    open_database(settings).store.dispose()
    again = open_database(settings)
    try:
        assert again.upgrade.before == again.upgrade.after == migrate.HEAD
        assert not again.upgrade.changed
        assert migrate.current_revision(again.store) == migrate.HEAD
    finally:
        again.store.dispose()


def test_first_run_creates_an_encrypted_database_with_its_key_in_the_keyring(
    settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    opened = open_database(settings)
    try:
        assert opened.overview.empty
        assert opened.upgrade.before is None and opened.upgrade.after == migrate.head_revision()
        assert opened.upgrade.backup is None  # nothing to back up on a new file
        assert not opened.store.demo_mode
    finally:
        opened.store.dispose()
    db = settings.paths.sqlite_file
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    (service, _user), key = next(iter(memory_keyring.secrets.items()))
    assert service == KEYRING_SERVICE and len(key) == 64
    assert not db.read_bytes().startswith(b"SQLite format 3")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db).execute("SELECT count(*) FROM sqlite_master").fetchone()
    # the key is nowhere in the data folder
    for path in settings.paths.data_dir.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes()


def test_reopening_uses_the_same_key_and_keeps_data(
    settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    opened = open_database(settings)
    now = dt.datetime(2026, 11, 28, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with opened.store.session() as session:
        session.add(
            ImportBatch(
                kind="customers",
                file_name="customers_20261127.csv",
                sha256="a" * 64,
                status="loaded",
                extract_date=dt.date(2026, 11, 27),
                started_at=now,
            )
        )
    opened.store.dispose()
    again = open_database(settings)
    try:
        assert not again.upgrade.changed
        assert again.overview.batches == 1 and again.overview.latest_extract == dt.date(2026, 11, 27)
        with again.store.session() as session:
            started = session.scalar(select(ImportBatch.started_at))
        assert started == now and started is not None and started.tzinfo is not None
    finally:
        again.store.dispose()


def test_pragmas_are_wal_full_and_foreign_keys(settings: Settings, memory_keyring: MemoryKeyring) -> None:
    store = open_store(settings)
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        store.dispose()


@pytest.mark.parametrize(
    "pragma",
    [
        "PRAGMA journal_mode = DELETE",
        "PRAGMA journal_mode = OFF",
        "PRAGMA synchronous = OFF",
        "PRAGMA synchronous = NORMAL",
        "PRAGMA foreign_keys = OFF",
    ],
)
def test_refuses_a_connection_without_journal_or_sync(tmp_path: Path, pragma: str) -> None:
    conn = sqlcipher3.dbapi2.connect(str(tmp_path / "x.db"))
    conn.execute("PRAGMA key = \"x'" + "ab" * 32 + "'\"")
    for setup in ("PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"):
        conn.execute(setup)
    check_durability(conn)  # the safe state passes
    conn.execute(pragma)
    with pytest.raises(StoreError, match="安全模式"):
        check_durability(conn)
    conn.close()


def test_wrong_key_is_a_clear_error(settings: Settings, memory_keyring: MemoryKeyring) -> None:
    open_database(settings).store.dispose()
    user = next(iter(memory_keyring.secrets))
    memory_keyring.secrets[user] = "cd" * 32
    store = open_store(settings)
    with pytest.raises(WrongKey) as info:
        store.ping()
    store.dispose()
    assert "密钥不对" in info.value.describe()


def test_existing_database_without_a_key_is_never_given_a_new_one(
    settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    open_database(settings).store.dispose()
    memory_keyring.secrets.clear()
    with pytest.raises(KeyMissing):
        open_store(settings)
    assert memory_keyring.secrets == {}


def test_no_keyring_says_so_and_demo_mode_uses_a_private_key_file(
    settings: Settings, no_keyring: None
) -> None:
    with pytest.raises(KeyringUnavailable) as info:
        open_store(settings)
    assert "demo-file" in info.value.describe()
    assert not settings.paths.sqlite_file.exists()

    demo = dataclasses.replace(settings, key_store="demo-file")
    opened = open_database(demo)
    assert opened.store.demo_mode
    opened.store.dispose()
    key_file = settings.paths.demo_key_file
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "DEMO" in key_file.read_text()
    # the next start finds the key file and stays in demo mode, even without the setting
    reopened = open_database(settings)
    assert reopened.store.demo_mode
    reopened.store.dispose()
    key_file.chmod(0o644)
    with pytest.raises(UserFacingError) as refused:
        open_store(demo)
    assert "chmod 600" in refused.value.describe()


def test_upgrade_backs_up_an_existing_database_first(
    settings: Settings, memory_keyring: MemoryKeyring
) -> None:
    store = open_store(settings)
    with store.engine.begin() as conn:  # a database from before migrations: data, no alembic_version
        conn.exec_driver_sql("CREATE TABLE legacy_note (body TEXT)")
        conn.exec_driver_sql("INSERT INTO legacy_note VALUES ('keep me')")
    result = migrate.upgrade(store, backup_dir=settings.paths.backup_dir)
    store.dispose()
    assert result.changed and result.backup is not None
    assert result.backup.parent == settings.paths.backup_dir
    assert stat.S_IMODE(result.backup.stat().st_mode) == 0o600
    assert not result.backup.read_bytes().startswith(b"SQLite format 3")  # encrypted too
    key = next(iter(memory_keyring.secrets.values()))
    conn = sqlcipher3.dbapi2.connect(str(result.backup))
    conn.execute(f"PRAGMA key = \"x'{key}'\"")
    assert conn.execute("SELECT body FROM legacy_note").fetchall() == [("keep me",)]
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'customer'").fetchone() == (0,)
    conn.close()


def test_migrated_schema_matches_the_models(settings: Settings, memory_keyring: MemoryKeyring) -> None:
    opened = open_database(settings)
    try:
        assert migrate.schema_drift(opened.store) == []
    finally:
        opened.store.dispose()
