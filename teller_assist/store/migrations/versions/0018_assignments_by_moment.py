"""The changes of targets' officers found by their moment: a login after the night's sweep tells the
people whose targets changed hands since it from ``target_assignment``, not by comparing each of the
officer's targets with its kept task

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01

An index only: nothing is written or read differently without it, only slower.
"""

from __future__ import annotations

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_index("ix_target_assignment_assigned_at", "target_assignment", ["assigned_at"])


def downgrade() -> None:
    op.drop_index("ix_target_assignment_assigned_at", table_name="target_assignment")
