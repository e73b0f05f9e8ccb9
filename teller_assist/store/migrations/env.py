"""Alembic environment: always run on a connection handed in by teller_assist.store.migrate."""

from __future__ import annotations

from alembic import context

from teller_assist.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    transaction_per_migration=False,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
