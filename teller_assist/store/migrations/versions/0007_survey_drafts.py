"""Survey drafts: what the teller has typed so far, kept in the (encrypted) database

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "survey_draft",
        sa.Column("id_no", sa.String(length=18), nullable=False),
        sa.Column("scenario", sa.String(length=16), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id_no", name=op.f("pk_survey_draft")),
    )


def downgrade() -> None:
    op.drop_table("survey_draft")
