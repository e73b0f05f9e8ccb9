"""Document issues: every printed or saved agreement and letter, so reprints are known as copies

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "document_issue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("copy_no", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("workstation", sa.String(length=64), nullable=False),
        sa.Column("destination", sa.String(length=64), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.CheckConstraint("kind IN ('agreement', 'letter')", name=op.f("ck_document_issue_kind")),
        sa.CheckConstraint("copy_no >= 0", name=op.f("ck_document_issue_copy_no")),
        sa.ForeignKeyConstraint(
            ["application_id"], ["application.id"], name=op.f("fk_document_issue_application_id_application")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_issue")),
        sa.UniqueConstraint("application_id", "kind", "copy_no", name="uq_document_issue_copy"),
    )


def downgrade() -> None:
    op.drop_table("document_issue")
