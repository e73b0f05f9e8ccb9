"""Each target's task of the day kept by the night's sweep, so an officer's list at login reads it
instead of every person's facts; the indexes that find what changed since the sweep (applications
cancelled or expired, task outcomes recorded); an officer's targets read from an index alone

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30

``target_task`` is rewritten whole by each sweep; ``task_sweep`` holds its one row (the day, the moment
the sweep read the data, the age band). Nothing else depends on them: an empty table only means the
tasks are computed from the facts as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | None = None
depends_on: str | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "target_task",
        sa.Column("campaign", sa.String(length=64), nullable=False),
        sa.Column("id_no", sa.String(length=18), nullable=False),
        sa.Column("branch_code", sa.String(length=16), nullable=True),
        sa.Column("officer", sa.String(length=64), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("value_fen", sa.BigInteger(), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("appointment", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=True),
        sa.Column("moved", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("campaign", "id_no", name=op.f("pk_target_task")),
    )
    op.create_index(op.f("ix_target_task_branch_code"), "target_task", ["branch_code"])
    op.create_index(op.f("ix_target_task_officer"), "target_task", ["officer"])
    op.create_table(
        "task_sweep",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("swept_at", TS, nullable=False),
        sa.Column("min_age", sa.Integer(), nullable=False),
        sa.Column("max_age", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_sweep")),
    )
    op.create_index("ix_application_closed_at", "application", ["closed_at"])
    op.create_index("ix_task_outcome_recorded_at", "task_outcome", ["recorded_at"])
    # an officer's targets read from the index alone, not row by row across the table
    op.create_index("ix_target_officer_key", "target", ["officer", "campaign", "id_no"])
    op.drop_index("ix_target_officer", table_name="target")


def downgrade() -> None:
    op.create_index("ix_target_officer", "target", ["officer"])
    op.drop_index("ix_target_officer_key", table_name="target")
    op.drop_index("ix_task_outcome_recorded_at", table_name="task_outcome")
    op.drop_index("ix_application_closed_at", table_name="application")
    op.drop_table("task_sweep")
    op.drop_index(op.f("ix_target_task_officer"), table_name="target_task")
    op.drop_index(op.f("ix_target_task_branch_code"), table_name="target_task")
    op.drop_table("target_task")
