"""Operators: a password an administrator reset must be changed by its owner at the next login

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # a plain ADD COLUMN on both engines: the batch mode would copy and drop the operator table on
    # SQLite, which the foreign keys of existing applications refuse (an upgrade of a used database)
    op.add_column(
        "operator",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    # a plain DROP COLUMN on both engines (SQLite >= 3.35): the batch mode would copy and drop the
    # operator table, which the applications' foreign keys refuse
    op.execute("ALTER TABLE operator DROP COLUMN must_change_password")
