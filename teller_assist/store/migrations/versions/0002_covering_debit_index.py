"""Debit counts per agreement from the index alone: add ``result`` to the (agreement_no, debit_date) index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("utility_debit", schema=None) as batch_op:
        batch_op.drop_index("ix_utility_debit_agreement_no_debit_date")
        batch_op.create_index(
            "ix_utility_debit_agreement_no_debit_date_result",
            ["agreement_no", "debit_date", "result"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("utility_debit", schema=None) as batch_op:
        batch_op.drop_index("ix_utility_debit_agreement_no_debit_date_result")
        batch_op.create_index(
            "ix_utility_debit_agreement_no_debit_date", ["agreement_no", "debit_date"], unique=False
        )
