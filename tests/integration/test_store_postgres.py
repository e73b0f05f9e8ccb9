"""The same schema and migrations on a real PostgreSQL server started by the harness."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from teller_assist.services.database import open_database
from teller_assist.settings import load_settings
from teller_assist.store import migrate
from teller_assist.store.models import Customer, ImportBatch, NegativeListEntry
from tests.helpers.postgres import PostgresServer

pytestmark = pytest.mark.postgres


def test_migrations_run_and_match_the_models(postgres_url: str, env: dict[str, str]) -> None:
    opened = open_database(load_settings(env, database_url=postgres_url))
    try:
        assert opened.store.engine.dialect.name == "postgresql"
        assert opened.upgrade.after == migrate.head_revision()
        assert opened.upgrade.backup is None
        assert migrate.schema_drift(opened.store) == []
        assert opened.overview.empty
    finally:
        opened.store.dispose()


def test_constraints_hold_on_postgres(postgres_url: str, env: dict[str, str]) -> None:
    opened = open_database(load_settings(env, database_url=postgres_url))
    store = opened.store
    now = dt.datetime(2026, 11, 28, 1, 0, tzinfo=dt.UTC)
    try:
        with store.session() as s:
            batch = ImportBatch(
                kind="negative_list", file_name="n.csv", sha256="b" * 64, status="loaded", started_at=now
            )
            s.add(batch)
            s.flush()
            s.add(NegativeListEntry(id_no="11010519491231002X", reason="fraud", batch_id=batch.id))
            s.add(
                NegativeListEntry(
                    id_no="11010519491231002X",
                    reason="fraud",
                    batch_id=batch.id,
                    lifted_on=dt.date(2026, 1, 1),
                    lifted_batch_id=batch.id,
                )
            )
            batch_id = batch.id
        # a second active listing of the same person violates the partial unique index
        with pytest.raises(IntegrityError), store.session() as s:
            s.add(NegativeListEntry(id_no="11010519491231002X", reason="other", batch_id=batch_id))
        with pytest.raises(IntegrityError), store.session() as s:
            s.add(Customer(id_no="11010519491231002X", name="测试", gender="X", batch_id=batch_id))
        with store.session() as s:
            s.add(Customer(id_no="11010519491231002X", name="刘䶮𠀀", gender="F", batch_id=batch_id))
        with store.session() as s:
            assert s.scalar(select(Customer.name)) == "刘䶮𠀀"
            assert s.scalar(select(ImportBatch.started_at)) == now
    finally:
        store.dispose()


def test_a_server_lost_after_opening_is_said_plainly_by_every_kind_of_read(
    own_postgres: PostgresServer, env: dict[str, str]
) -> None:
    """Sessions, plain connections (the schema's revision, the import's batches, the refused rows):
    each says the database cannot be reached, never a driver's traceback."""
    from teller_assist.store import bulk, queries
    from teller_assist.store.engine import StoreError

    store = open_database(load_settings(env, database_url=own_postgres.create_database("lost"))).store
    try:
        assert migrate.current_revision(store) == migrate.HEAD
        own_postgres.pause()
        reads = {
            "revision": lambda: migrate.current_revision(store),
            "overview": lambda: queries.overview(store),
            "batch": lambda: bulk.find_loaded(store, "0" * 64),
            "rejects": lambda: list(queries.rejects(store)),
        }
        for name, read in reads.items():
            with pytest.raises(StoreError, match="数据库暂时无法访问") as said:
                read()
            assert "lost" in said.value.message_zh, name  # which database, in the teller's words
    finally:
        store.dispose()
